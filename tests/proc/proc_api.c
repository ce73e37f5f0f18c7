/* SPDX-License-Identifier: Apache-2.0 */
/*
 * proc_api: the edges of the scap/proc.h API, one JSON line per check (tests/test_proc_api.py):
 * bad arguments, options and stats structs of older (smaller) callers, a scan into an existing
 * platform, and the open-flags table.
 *
 *   proc_api PROC_ROOT
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "scap/platform.h"
#include "scap/proc.h"

static void line(const char *what, int rc, const char *extra)
{
	printf("{\"check\":\"%s\",\"rc\":%d,\"msg\":\"%s\"%s%s}\n", what, rc, rc < 0 ? scap_last_error() : "",
	       extra ? "," : "", extra ? extra : "");
}

int main(int argc, char **argv)
{
	const char *root = argc > 1 ? argv[1] : "/proc";
	struct scap_platform *p = scap_platform__new();
	char extra[512];
	int rc;

	if (!p)
		return 1;

	/* bad arguments */
	{
		SCAP_OPTS(scap_scan_opts, o, .proc_root = root);

		line("null_platform", scap_platform__scan(NULL, &o), NULL);
		line("bad_pid", scap_platform__scan_pid(p, 0, &o), NULL);
		line("bad_tid", scap_platform__scan_thread(p, -5, &o), NULL);
		o.sz = 2;
		line("bad_sz", scap_platform__scan(p, &o), NULL);
	}

	/* NULL options: everything from /proc (only counted here) */
	{
		struct scap_platform *q = scap_platform__new();

		rc = scap_platform__scan(q, NULL);
		snprintf(extra, sizeof(extra), "\"nthreads\":%u,\"has_machine\":%d", scap_platform__nthreads(q),
			 scap_platform__machine(q)->num_cpus > 0);
		line("null_opts", rc, extra);
		scap_platform__free(q);
	}

	/* an older caller: options without the stats pointer and later fields; a stats struct that
	 * stops after nthreads (the rest of it must stay untouched) */
	{
		struct scap_scan_stats st;
		struct scap_scan_opts o;

		memset(&o, 0, sizeof(o));
		o.proc_root = root;
		o.what = SCAP_SCAN_THREADS;
		o.stats = &st; /* past the sz below: ignored */
		o.sz = offsetof(struct scap_scan_opts, max_fds_per_proc);
		memset(&st, 0xab, sizeof(st));
		st.sz = sizeof(st);
		rc = scap_platform__scan(p, &o);
		snprintf(extra, sizeof(extra), "\"nthreads\":%u,\"stats_untouched\":%d", scap_platform__nthreads(p),
			 st.nprocs == 0xabababab);
		line("old_opts", rc, extra);

		scap_platform__clear(p);
		o.sz = sizeof(o);
		memset(&st, 0xab, sizeof(st));
		st.sz = offsetof(struct scap_scan_stats, nfds);
		rc = scap_platform__scan(p, &o);
		snprintf(extra, sizeof(extra),
			 "\"nprocs_set\":%d,\"nthreads\":%u,\"platform_threads\":%u,\"nfds_untouched\":%d",
			 st.nprocs != 0xabababab, st.nthreads, scap_platform__nthreads(p),
			 st.nfds == 0xababababababababull);
		line("old_stats", rc, extra);
	}

	/* scanning again into the same platform: threads are replaced, not duplicated; fds
	 * already known are kept once */
	{
		SCAP_OPTS(scap_scan_opts, o, .proc_root = root, .what = SCAP_SCAN_FDS | SCAP_SCAN_SOCKETS);
		uint32_t n1, n2, i;
		uint64_t f1 = 0, f2 = 0;

		scap_platform__clear(p);
		rc = scap_platform__scan(p, &o);
		n1 = scap_platform__nthreads(p);
		for (i = 0; i < n1; i++)
			f1 += scap_platform__thread(p, i)->nfds;
		if (rc == 0)
			rc = scap_platform__scan(p, &o);
		n2 = scap_platform__nthreads(p);
		for (i = 0; i < n2; i++)
			f2 += scap_platform__thread(p, i)->nfds;
		snprintf(extra, sizeof(extra), "\"threads\":[%u,%u],\"fds\":[%" PRIu64 ",%" PRIu64 "]", n1, n2, f1, f2);
		line("rescan", rc, extra);
	}

	/* the open flags table */
	{
		static const uint32_t k[] = { 0,       01,	02,	  03,	     0100,     0200,
					      01000,   02000,	04000,	  010000,    04010000, 040000,
					      0100000, 0200000, 02000000, 020200000, 0102102 };
		size_t i, n = 0;

		n += (size_t)snprintf(extra + n, sizeof(extra) - n, "\"ppm\":[");
		for (i = 0; i < sizeof(k) / sizeof(k[0]); i++)
			n += (size_t)snprintf(extra + n, sizeof(extra) - n, "%s%" PRIu32, i ? "," : "",
					      scap_proc__open_flags_to_ppm(k[i]));
		snprintf(extra + n, sizeof(extra) - n, "]");
		line("open_flags", 0, extra);
	}
	scap_platform__free(p);
	return 0;
}
