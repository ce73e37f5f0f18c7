/* SPDX-License-Identifier: Apache-2.0 */
/* The ia32 syscalls a live engine traces for an interest set: the twin's ppm_sc, or the ia32
 * syscall's own (abi/scap_abi_syscalls_ia32.h; the drivers convert them: abi/scap_abi_ia32.h). */
#ifndef SCAP_ENGINES_IA32_H
#define SCAP_ENGINES_IA32_H

#include <stdbool.h>
#include <stdint.h>

/* Is ia32 syscall nr of interest for ppm_sc, the interest set (SCAP_SC_MAX flags, by code)?
 * socketcall is when any of its calls, or socketcall itself, is. */
bool scap_ia32_wanted(uint32_t nr, const bool *ppm_sc);

/* Does ia32 syscall nr become x86_64 syscall x (socketcall: any of its calls')? */
bool scap_ia32_becomes(uint32_t nr, uint32_t x);

#endif /* SCAP_ENGINES_IA32_H */
