// SPDX-License-Identifier: Apache-2.0
/* The ia32 half of a live engine's interest set (engines/ia32.h). */
#include "engines/ia32.h"

#include <linux/types.h>

#include "scap_abi_events.h"
#include "scap_abi_syscalls_ia32.h"
#include "scap_abi_syscalls_x86_64.h"
#include "event_table.h"

static const struct {
	__u16 nr;
	__u16 ppm_sc;
	__u8 conv;
	__u8 wide;
} ia32_table[SCAP_IA32_NR_MAX] = SCAP_IA32_TABLE_INIT;

static const struct {
	__u16 nr;
	__u16 nargs;
} socketcall_table[SCAP_SOCKETCALL_MAX] = SCAP_SOCKETCALL_TABLE_INIT;

static bool sc_wanted(uint32_t sc, const bool *ppm_sc)
{
	return sc > 0 && sc < SCAP_SC_MAX && ppm_sc[sc];
}

bool scap_ia32_becomes(uint32_t nr, uint32_t x)
{
	if (nr >= SCAP_IA32_NR_MAX)
		return false;
	if (ia32_table[nr].conv == SCAP_IA32_SOCKETCALL) {
		for (uint32_t call = 0; call < SCAP_SOCKETCALL_MAX; call++)
			if (socketcall_table[call].nr && socketcall_table[call].nr == x)
				return true;
		return false;
	}
	return ia32_table[nr].nr != SCAP_IA32_NONE && ia32_table[nr].nr == x;
}

bool scap_ia32_wanted(uint32_t nr, const bool *ppm_sc)
{
	if (nr >= SCAP_IA32_NR_MAX)
		return false;
	if (ia32_table[nr].conv == SCAP_IA32_SOCKETCALL)
		for (uint32_t call = 0; call < SCAP_SOCKETCALL_MAX; call++)
			if (socketcall_table[call].nr &&
			    sc_wanted(scap_syscall_table_x86_64[socketcall_table[call].nr].ppm_sc, ppm_sc))
				return true;
	return sc_wanted(ia32_table[nr].ppm_sc, ppm_sc);
}
