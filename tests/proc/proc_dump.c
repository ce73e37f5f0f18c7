/* SPDX-License-Identifier: Apache-2.0 */
/*
 * proc_dump: scan /proc (or a fake tree) into a platform with libscap and print it as JSON
 * lines, one object per machine / interface / user / group / thread / fd, then the scan stats.
 * Driven by tests/test_proc*.py.
 *
 *   proc_dump [--proc DIR] [--etc DIR] [--sys DIR] [--what threads,fds,sockets,users,ifaces,machine]
 *             [--pid N | --tid N] [--only-pid N] [--timeout MS] [--max-fds N] [--bench N] [--debug]
 *             [--write FILE.scap]     also write the platform to a .scap file (the dumper)
 *   proc_dump --read FILE.scap       print the platform of a .scap file (the file engine)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "scap/capture.h"
#include "scap/event.h"
#include "scap/file.h"
#include "scap/platform.h"
#include "scap/proc.h"

static void put_str(const char *s, size_t n)
{
	size_t i;

	putchar('"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void kv_str(const char *k, const char *v)
{
	printf(",\"%s\":", k);
	put_str(v, strlen(v));
}

static void kv_u(const char *k, uint64_t v)
{
	printf(",\"%s\":%" PRIu64, k, v);
}

static void kv_i(const char *k, int64_t v)
{
	printf(",\"%s\":%" PRId64, k, v);
}

/* "a\0b\0" (len bytes) -> ["a","b"] */
static void kv_list(const char *k, const char *buf, uint32_t len)
{
	uint32_t i = 0;
	bool first = true;

	printf(",\"%s\":[", k);
	while (i < len) {
		size_t n = strnlen(buf + i, len - i);

		printf(first ? "" : ",");
		put_str(buf + i, n);
		first = false;
		i += (uint32_t)n + 1;
	}
	printf("]");
}

static void kv_addr(const char *k, int af, const uint8_t *a)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(af, a, s, sizeof(s));
	kv_str(k, s);
}

static void print_thread(const struct scap_thread_info *t)
{
	uint32_t i;

	printf("{\"kind\":\"thread\"");
	kv_u("tid", t->tid);
	kv_u("pid", t->pid);
	kv_u("ptid", t->ptid);
	kv_u("sid", t->sid);
	kv_u("vpgid", t->vpgid);
	kv_i("pgid", t->pgid);
	kv_str("comm", t->comm);
	kv_str("exe", t->exe);
	kv_str("exepath", t->exepath);
	kv_list("args", t->args, t->args_len);
	kv_u("args_len", t->args_len);
	kv_str("cwd", t->cwd);
	kv_u("fdlimit", t->fdlimit);
	kv_u("flags", t->flags);
	kv_u("uid", t->uid);
	kv_u("gid", t->gid);
	kv_u("vmsize_kb", t->vmsize_kb);
	kv_u("vmrss_kb", t->vmrss_kb);
	kv_u("vmswap_kb", t->vmswap_kb);
	kv_u("pfmajor", t->pfmajor);
	kv_u("pfminor", t->pfminor);
	kv_list("env", t->env, t->env_len);
	kv_u("env_len", t->env_len);
	kv_i("vtid", t->vtid);
	kv_i("vpid", t->vpid);
	kv_list("cgroups", t->cgroups, t->cgroups_len);
	kv_u("cgroups_len", t->cgroups_len);
	kv_str("root", t->root);
	kv_u("pidns_init_start_ts", t->pidns_init_start_ts);
	kv_u("tty", t->tty);
	kv_u("loginuid", t->loginuid);
	kv_u("exe_writable", t->exe_writable);
	kv_u("exe_upper_layer", t->exe_upper_layer);
	kv_u("exe_lower_layer", t->exe_lower_layer);
	kv_u("exe_from_memfd", t->exe_from_memfd);
	kv_u("cap_inheritable", t->cap_inheritable);
	kv_u("cap_permitted", t->cap_permitted);
	kv_u("cap_effective", t->cap_effective);
	kv_u("exe_ino", t->exe_ino);
	kv_u("exe_ino_ctime", t->exe_ino_ctime);
	kv_u("exe_ino_mtime", t->exe_ino_mtime);
	kv_u("nfds", t->nfds);
	printf("}\n");

	for (i = 0; i < t->nfds; i++) {
		const struct scap_fd_info *f = &t->fds[i];

		printf("{\"kind\":\"fd\"");
		kv_u("tid", t->tid);
		kv_i("fd", f->fd);
		kv_u("type", f->type);
		kv_u("ino", f->ino);
		kv_u("open_flags", f->open_flags);
		kv_u("dev", f->dev);
		kv_u("l4proto", f->l4proto);
		switch (f->type) {
		case SCAP_FD_IPV4_SOCK:
		case SCAP_FD_IPV4_SERVSOCK:
			kv_addr("sip", AF_INET, f->sip);
			kv_addr("dip", AF_INET, f->dip);
			break;
		case SCAP_FD_IPV6_SOCK:
		case SCAP_FD_IPV6_SERVSOCK:
			kv_addr("sip", AF_INET6, f->sip);
			kv_addr("dip", AF_INET6, f->dip);
			break;
		default: break;
		}
		kv_u("sport", f->sport);
		kv_u("dport", f->dport);
		kv_u("unix_source", f->unix_source);
		kv_u("unix_dest", f->unix_dest);
		kv_str("name", f->name);
		printf("}\n");
	}
}

static void print_platform(const struct scap_platform *p, int64_t only_pid)
{
	const struct scap_machine_info *mi = scap_platform__machine(p);
	uint32_t i;

	if (mi->num_cpus || mi->memory_size_bytes || mi->hostname[0]) {
		printf("{\"kind\":\"machine\"");
		kv_u("num_cpus", mi->num_cpus);
		kv_u("memory_size_bytes", mi->memory_size_bytes);
		kv_u("max_pid", mi->max_pid);
		kv_str("hostname", mi->hostname);
		kv_u("boot_ts_epoch", mi->boot_ts_epoch);
		kv_u("flags", mi->flags);
		printf("}\n");
	}
	for (i = 0; i < scap_platform__nifaces(p); i++) {
		const struct scap_iface_info *f = scap_platform__iface(p, i);

		printf("{\"kind\":\"iface\"");
		kv_str("name", f->name);
		kv_u("type", f->type);
		kv_addr("addr", f->type == SCAP_IFACE_IPV4 ? AF_INET : AF_INET6, f->addr);
		kv_addr("netmask", f->type == SCAP_IFACE_IPV4 ? AF_INET : AF_INET6, f->netmask);
		kv_addr("bcast", f->type == SCAP_IFACE_IPV4 ? AF_INET : AF_INET6, f->bcast);
		kv_u("linkspeed", f->linkspeed);
		printf("}\n");
	}
	for (i = 0; i < scap_platform__nusers(p); i++) {
		const struct scap_user_info *u = scap_platform__user(p, i);

		printf("{\"kind\":\"user\"");
		kv_u("uid", u->uid);
		kv_u("gid", u->gid);
		kv_str("name", u->name);
		kv_str("homedir", u->homedir);
		kv_str("shell", u->shell);
		printf("}\n");
	}
	for (i = 0; i < scap_platform__ngroups(p); i++) {
		const struct scap_group_info *g = scap_platform__group(p, i);

		printf("{\"kind\":\"group\"");
		kv_u("gid", g->gid);
		kv_str("name", g->name);
		printf("}\n");
	}
	for (i = 0; i < scap_platform__nthreads(p); i++) {
		const struct scap_thread_info *t = scap_platform__thread(p, i);

		if (only_pid < 0 || t->pid == (uint64_t)only_pid)
			print_thread(t);
	}
}

static void print_stats(int rc, const struct scap_scan_stats *st)
{
	printf("{\"kind\":\"stats\"");
	kv_i("rc", rc);
	kv_u("nprocs", st->nprocs);
	kv_u("nthreads", st->nthreads);
	kv_u("nfds", st->nfds);
	kv_u("nvanished", st->nvanished);
	kv_u("nkernel", st->nkernel);
	kv_u("npartial", st->npartial);
	kv_u("nfds_vanished", st->nfds_vanished);
	kv_u("nsockets_unresolved", st->nsockets_unresolved);
	kv_u("nusers", st->nusers);
	kv_u("ngroups", st->ngroups);
	kv_u("nifaces", st->nifaces);
	kv_u("timed_out", st->timed_out);
	kv_u("duration_ns", st->duration_ns);
	printf("}\n");
}

static uint32_t parse_what(const char *s)
{
	static const struct {
		const char *name;
		uint32_t bit;
	} tab[] = {
		{ "threads", SCAP_SCAN_THREADS }, { "fds", SCAP_SCAN_FDS },	  { "sockets", SCAP_SCAN_SOCKETS },
		{ "users", SCAP_SCAN_USERS },	  { "ifaces", SCAP_SCAN_IFACES }, { "machine", SCAP_SCAN_MACHINE },
		{ "all", SCAP_SCAN_ALL },
	};
	uint32_t what = 0;
	char *dup = strdup(s), *tok, *save;
	size_t i;

	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
			if (!strcmp(tok, tab[i].name))
				what |= tab[i].bit;
		if (i == sizeof(tab) / sizeof(tab[0]) && !what) {
			fprintf(stderr, "unknown --what item %s\n", tok);
			exit(2);
		}
	}
	free(dup);
	return what;
}

/* Write p to a .scap file (metadata + one event: a file needs at least one). */
static int write_scap(const struct scap_platform *p, const char *path)
{
	struct scap_dumper_opts o = { .sz = sizeof(o), .platform = p };
	struct scap_dumper *d = scap_dumper__open(path, &o);
	char buf[64];
	size_t len;
	uint16_t type;
	int rc = -1;

	if (!d) {
		fprintf(stderr, "dumper: %s\n", scap_last_error());
		return -1;
	}
	for (type = 0; type < scap_event_table_size(); type++)
		if (scap_event_encode(buf, sizeof(buf), &len, 1000, 1, type, 0, NULL) == 0)
			break;
	if (type < scap_event_table_size())
		rc = scap_dumper__write(d, (const struct scap_evt_hdr *)buf, 0, 0);
	if (rc < 0)
		fprintf(stderr, "write: %s\n", scap_dumper__geterr(d));
	if (scap_dumper__close(d) < 0)
		rc = -1;
	return rc;
}

static int print_log(enum scap_print_level level, const char *msg, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "[%d] %s\n", (int)level, msg);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* Time N full scans (threads + fds + sockets) of the proc root: wall time of each (min,
 * median, max) and the mean CPU time (user + system), which a loaded machine disturbs less. */
static int bench(struct scap_scan_opts *opts, int n)
{
	uint64_t *ns = calloc((size_t)n, sizeof(*ns));
	struct scap_scan_stats st = { .sz = sizeof(st) };
	double cpu0 = cpu_ms(), cpu;
	int i, rc = 0;

	if (!ns)
		return 1;
	opts->what = SCAP_SCAN_THREADS | SCAP_SCAN_FDS | SCAP_SCAN_SOCKETS;
	opts->stats = &st;
	for (i = 0; i < n; i++) {
		struct scap_platform *p = scap_platform__new();

		rc = scap_platform__scan(p, opts);
		scap_platform__free(p);
		if (rc < 0) {
			fprintf(stderr, "scan failed: %s\n", scap_last_error());
			free(ns);
			return 1;
		}
		ns[i] = st.duration_ns;
	}
	cpu = (cpu_ms() - cpu0) / n;
	qsort(ns, (size_t)n, sizeof(*ns), cmp_u64);
	printf("{\"kind\":\"bench\",\"runs\":%d,\"min_ms\":%.3f,\"median_ms\":%.3f,\"max_ms\":%.3f,"
	       "\"cpu_ms\":%.3f,\"nprocs\":%u,\"nthreads\":%u,\"nfds\":%" PRIu64 ",\"cpu_us_per_thread\":%.2f}\n",
	       n, ns[0] / 1e6, ns[n / 2] / 1e6, ns[n - 1] / 1e6, cpu, st.nprocs, st.nthreads, st.nfds,
	       st.nthreads ? cpu * 1e3 / st.nthreads : 0.0);
	free(ns);
	return 0;
}

int main(int argc, char **argv)
{
	struct scap_scan_stats st = { .sz = sizeof(st) };
	SCAP_OPTS(scap_scan_opts, opts);
	int64_t pid = -1, tid = -1, only_pid = -1;
	const char *write_path = NULL, *read_path = NULL;
	int i, rc, nbench = 0;
	struct scap_platform *p;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--debug")) {
			scap_set_print(print_log, NULL);
			continue;
		}
		if (!v) {
			fprintf(stderr,
				"usage: %s [--proc DIR] [--etc DIR] [--sys DIR] [--what LIST] [--pid N|--tid N] "
				"[--only-pid N] [--timeout MS] [--max-fds N] [--bench N] [--debug]\n",
				argv[0]);
			return 2;
		}
		i++;
		if (!strcmp(a, "--proc"))
			opts.proc_root = v;
		else if (!strcmp(a, "--etc"))
			opts.etc_root = v;
		else if (!strcmp(a, "--sys"))
			opts.sys_root = v;
		else if (!strcmp(a, "--what"))
			opts.what = parse_what(v);
		else if (!strcmp(a, "--pid"))
			pid = strtoll(v, NULL, 10);
		else if (!strcmp(a, "--tid"))
			tid = strtoll(v, NULL, 10);
		else if (!strcmp(a, "--only-pid"))
			only_pid = strtoll(v, NULL, 10);
		else if (!strcmp(a, "--timeout"))
			opts.timeout_ms = (uint32_t)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--max-fds"))
			opts.max_fds_per_proc = (uint32_t)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--bench"))
			nbench = atoi(v);
		else if (!strcmp(a, "--write"))
			write_path = v;
		else if (!strcmp(a, "--read"))
			read_path = v;
		else {
			fprintf(stderr, "unknown option %s\n", a);
			return 2;
		}
	}
	if (nbench > 0)
		return bench(&opts, nbench);
	if (read_path) {
		/* print the platform of a .scap file, as read back by the file engine */
		struct scap_capture *cap = scap_capture__open_file(read_path, NULL);

		if (!cap) {
			fprintf(stderr, "open %s: %s\n", read_path, scap_last_error());
			return 1;
		}
		print_platform(scap_capture__platform(cap), only_pid);
		scap_capture__close(cap);
		return 0;
	}

	p = scap_platform__new();
	if (!p)
		return 1;
	opts.stats = &st;
	if (pid > 0)
		rc = scap_platform__scan_pid(p, pid, &opts);
	else if (tid > 0)
		rc = scap_platform__scan_thread(p, tid, &opts);
	else
		rc = scap_platform__scan(p, &opts);
	if (rc < 0) {
		printf("{\"kind\":\"error\"");
		kv_i("rc", rc);
		kv_str("msg", scap_last_error());
		printf("}\n");
	} else {
		print_platform(p, only_pid);
		if (write_path && write_scap(p, write_path) < 0)
			rc = -EIO;
	}
	print_stats(rc, &st);
	scap_platform__free(p);
	return rc < 0 ? 1 : 0;
}
