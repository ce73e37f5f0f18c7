/* SPDX-License-Identifier: Apache-2.0 */
/*
 * static_engines: linked against libscap.a (not the shared library), opens every live engine
 * of the table in capture.c by name and prints what each open says. An engine left out of the
 * link would answer "unknown live engine" or nothing; here each answers itself (this machine may
 * have neither root nor the kernel module: the message says which). tests/test_drivers.py runs it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scap/capture.h"

int main(void)
{
	static const char *const engines[] = { "bpf_core", "kmod", "no_such_engine" };

	for (size_t i = 0; i < sizeof(engines) / sizeof(engines[0]); i++) {
		struct scap_live_opts o = { .sz = sizeof(o), .engine = engines[i], .no_proc_scan = true };
		struct scap_capture *cap = scap_capture__open_live(&o);

		if (cap) {
			printf("%s: opened (%s)\n", engines[i], scap_capture__engine(cap));
			scap_capture__close(cap);
		} else {
			printf("%s: errno %d: %s\n", engines[i], errno, scap_last_error());
		}
	}
	return 0;
}
