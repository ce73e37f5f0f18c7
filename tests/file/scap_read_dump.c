/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scap_read_dump [--no-convert] [--meta] [--meta-end] [--no-events] [--batch N] FILE  |  scap_read_dump --table
 * Reads a .scap file through scap_capture__open_file() and prints JSON lines: the metadata
 * (with --meta; --meta-end: after the events, i.e. of the last section), one line per event (number, ts, cpu, flags, tid, type, name, nparams, len,
 * every parameter as hex; generic syscall events also get the ppm_sc name) and an "end" line
 * with the final status, the error message and the statistics. --batch N (1..256) reads
 * through scap_capture__next_batch() instead of scap_capture__next().
 * Exit status: 0 at end of file, 1 after a read error, 2 if the file cannot be opened.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scap/scap.h"
#include "helpers.h"

#define S(x) put_json_str(stdout, (x), strlen(x))

static void dump_meta(const struct scap_platform *p)
{
	const struct scap_machine_info *mi = scap_platform__machine(p);
	uint32_t i, j;

	printf("{\"mi\":{\"num_cpus\":%u,\"memory_size_bytes\":%llu,\"max_pid\":%llu,\"hostname\":", mi->num_cpus,
	       (unsigned long long)mi->memory_size_bytes, (unsigned long long)mi->max_pid);
	S(mi->hostname);
	printf(",\"boot_ts_epoch\":%llu,\"flags\":%llu}}\n", (unsigned long long)mi->boot_ts_epoch,
	       (unsigned long long)mi->flags);
	for (i = 0; i < scap_platform__nifaces(p); i++) {
		const struct scap_iface_info *f = scap_platform__iface(p, i);
		size_t n = f->type == SCAP_IFACE_IPV6 ? 16 : 4;

		printf("{\"iface\":{\"type\":%u,\"name\":", f->type);
		S(f->name);
		printf(",\"addr\":\"");
		put_hex(stdout, f->addr, n);
		printf("\",\"netmask\":\"");
		put_hex(stdout, f->netmask, n);
		printf("\",\"bcast\":\"");
		put_hex(stdout, f->bcast, n);
		printf("\",\"linkspeed\":%llu}}\n", (unsigned long long)f->linkspeed);
	}
	for (i = 0; i < scap_platform__nusers(p); i++) {
		const struct scap_user_info *u = scap_platform__user(p, i);

		printf("{\"user\":{\"uid\":%u,\"gid\":%u,\"name\":", u->uid, u->gid);
		S(u->name);
		printf(",\"homedir\":");
		S(u->homedir);
		printf(",\"shell\":");
		S(u->shell);
		printf("}}\n");
	}
	for (i = 0; i < scap_platform__ngroups(p); i++) {
		const struct scap_group_info *g = scap_platform__group(p, i);

		printf("{\"group\":{\"gid\":%u,\"name\":", g->gid);
		S(g->name);
		printf("}}\n");
	}
	for (i = 0; i < scap_platform__nthreads(p); i++) {
		const struct scap_thread_info *t = scap_platform__thread(p, i);

		printf("{\"thread\":{\"tid\":%llu,\"pid\":%llu,\"ptid\":%llu,\"sid\":%llu,\"vpgid\":%llu,\"pgid\":%"
		       "lld,",
		       (unsigned long long)t->tid, (unsigned long long)t->pid, (unsigned long long)t->ptid,
		       (unsigned long long)t->sid, (unsigned long long)t->vpgid, (long long)t->pgid);
		printf("\"comm\":");
		S(t->comm);
		printf(",\"exe\":");
		S(t->exe);
		printf(",\"exepath\":");
		S(t->exepath);
		printf(",\"args\":");
		put_json_str(stdout, t->args, t->args_len);
		printf(",\"cwd\":");
		S(t->cwd);
		printf(",\"fdlimit\":%llu,\"flags\":%u,\"uid\":%u,\"gid\":%u,\"vmsize_kb\":%u,\"vmrss_kb\":%u,"
		       "\"vmswap_kb\":%u,\"pfmajor\":%llu,\"pfminor\":%llu,\"env\":",
		       (unsigned long long)t->fdlimit, t->flags, t->uid, t->gid, t->vmsize_kb, t->vmrss_kb,
		       t->vmswap_kb, (unsigned long long)t->pfmajor, (unsigned long long)t->pfminor);
		put_json_str(stdout, t->env, t->env_len);
		printf(",\"vtid\":%lld,\"vpid\":%lld,\"cgroups\":", (long long)t->vtid, (long long)t->vpid);
		put_json_str(stdout, t->cgroups, t->cgroups_len);
		printf(",\"root\":");
		S(t->root);
		printf(",\"pidns_init_start_ts\":%llu,\"tty\":%u,\"loginuid\":%u,\"exe_writable\":%u,"
		       "\"cap_inheritable\":%llu,\"cap_permitted\":%llu,\"cap_effective\":%llu,\"exe_upper_layer\":%u,"
		       "\"exe_ino\":%llu,\"exe_ino_ctime\":%llu,\"exe_ino_mtime\":%llu,\"exe_from_memfd\":%u,"
		       "\"exe_lower_layer\":%u,\"fds\":[",
		       (unsigned long long)t->pidns_init_start_ts, t->tty, t->loginuid, t->exe_writable,
		       (unsigned long long)t->cap_inheritable, (unsigned long long)t->cap_permitted,
		       (unsigned long long)t->cap_effective, t->exe_upper_layer, (unsigned long long)t->exe_ino,
		       (unsigned long long)t->exe_ino_ctime, (unsigned long long)t->exe_ino_mtime, t->exe_from_memfd,
		       t->exe_lower_layer);
		for (j = 0; j < t->nfds; j++) {
			const struct scap_fd_info *f = &t->fds[j];

			printf("%s{\"fd\":%lld,\"ino\":%llu,\"type\":%u,\"open_flags\":%u,\"dev\":%u,\"sport\":%u,"
			       "\"dport\":%u,\"l4proto\":%u,\"sip\":\"",
			       j ? "," : "", (long long)f->fd, (unsigned long long)f->ino, f->type, f->open_flags,
			       f->dev, f->sport, f->dport, f->l4proto);
			put_hex(stdout, f->sip, 16);
			printf("\",\"dip\":\"");
			put_hex(stdout, f->dip, 16);
			printf("\",\"unix_source\":%llu,\"unix_dest\":%llu,\"name\":",
			       (unsigned long long)f->unix_source, (unsigned long long)f->unix_dest);
			S(f->name);
			printf("}");
		}
		printf("]}}\n");
	}
}

int main(int argc, char **argv)
{
	SCAP_OPTS(scap_file_opts, opts);
	const char *path = NULL;
	int meta = 0, meta_end = 0, events = 1, i, rc;
	struct scap_event_ref refs[256];
	uint32_t batch = 0, bi = 0, bn = 0;
	struct scap_capture *cap;
	struct scap_stats st;
	uint64_t num = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--table")) {
			/* The event table, for test generators: id, name, flags, parameter fixed sizes
			 * (0 = variable length) and [name, type, print format] of each parameter. */
			uint32_t t, k;

			for (t = 0; t < scap_event_table_size(); t++) {
				printf("{\"id\":%u,\"name\":\"%s\",\"flags\":%d,\"sizes\":[", t,
				       scap_event_name((uint16_t)t), scap_event_flags((uint16_t)t));
				for (k = 0; k < (uint32_t)scap_event_nparams((uint16_t)t); k++)
					printf("%s%d", k ? "," : "",
					       scap_param_type_size((uint32_t)scap_event_param_type((uint16_t)t, k)));
				printf("],\"params\":[");
				for (k = 0; k < (uint32_t)scap_event_nparams((uint16_t)t); k++)
					printf("%s[\"%s\",%d,%d]", k ? "," : "", scap_event_param_name((uint16_t)t, k),
					       scap_event_param_type((uint16_t)t, k),
					       scap_event_param_format((uint16_t)t, k));
				printf("]}\n");
			}
			return 0;
		}
		if (!strcmp(argv[i], "--no-convert"))
			opts.no_convert = true;
		else if (!strcmp(argv[i], "--meta"))
			meta = 1;
		else if (!strcmp(argv[i], "--meta-end"))
			meta_end = 1;
		else if (!strcmp(argv[i], "--no-events"))
			events = 0;
		else if (!strcmp(argv[i], "--batch") && i + 1 < argc)
			batch = (uint32_t)atoi(argv[++i]) % 257;
		else
			path = argv[i];
	}
	if (!path) {
		fprintf(stderr, "usage: %s [--no-convert] [--meta] [--no-events] FILE\n", argv[0]);
		return 2;
	}
	cap = scap_capture__open_file(path, &opts);
	if (!cap) {
		printf("{\"open_error\":");
		S(scap_last_error());
		printf(",\"errno\":%d}\n", errno);
		return 2;
	}
	if (meta)
		dump_meta(scap_capture__platform(cap));
	for (;;) {
		const struct scap_evt_hdr *e;
		struct scap_param p[64];
		uint16_t cpu;
		uint32_t flags, n, k;

		if (batch) {
			/* Every event of a batch must stay valid until the next call: print them all
			 * only after the batch is complete. */
			if (bi == bn) {
				rc = scap_capture__next_batch(cap, refs, batch, &bn);
				if (rc != 0)
					break;
				if (bn == 0 || bn > batch) {
					printf("{\"batch_error\":%u}\n", bn);
					return 3;
				}
				bi = 0;
			}
			e = refs[bi].evt;
			cpu = refs[bi].cpu;
			flags = refs[bi].flags;
			bi++;
		} else {
			rc = scap_capture__next(cap, &e, &cpu, &flags);
			if (rc != 0)
				break;
		}
		num++;
		if (!events)
			continue;
		if (scap_event_decode(e, e->len, p, 64, &n) < 0) {
			printf("{\"decode_error\":");
			S(scap_last_error());
			printf("}\n");
			return 3;
		}
		printf("{\"ev\":%llu,\"ts\":%llu,\"cpu\":%u,\"flags\":%u,\"tid\":%llu,\"type\":%u,\"name\":\"%s\","
		       "\"n\":%u,"
		       "\"len\":%u",
		       (unsigned long long)num, (unsigned long long)e->ts, cpu, flags, (unsigned long long)e->tid,
		       e->type, scap_event_name(e->type), e->nparams, e->len);
		if ((e->type == SCAP_EVT_SYSCALL_E || e->type == SCAP_EVT_SYSCALL_X) && n >= 1 && p[0].len == 2) {
			uint16_t sc;
			const char *nm;

			memcpy(&sc, p[0].data, 2);
			nm = scap_ppm_sc_name(sc);
			printf(",\"sc\":\"%s\"", nm ? nm : "?");
		}
		printf(",\"p\":[");
		for (k = 0; k < n && k < 64; k++) {
			printf("%s\"", k ? "," : "");
			put_hex(stdout, p[k].data, p[k].len);
			printf("\"");
		}
		printf("]}\n");
	}
	if (meta_end)
		dump_meta(scap_capture__platform(cap));
	memset(&st, 0, sizeof(st));
	st.sz = sizeof(st);
	scap_capture__stats(cap, &st);
	printf("{\"end\":\"%s\",\"rc\":%d,\"err\":", rc == SCAP_STATUS_EOF ? "eof" : "error", rc);
	S(rc == SCAP_STATUS_EOF ? "" : scap_capture__geterr(cap));
	printf(",\"n_evts\":%llu,\"n_delivered\":%llu,\"n_skipped\":%llu,\"n_converted\":%llu}\n",
	       (unsigned long long)st.n_evts, (unsigned long long)st.n_delivered, (unsigned long long)st.n_skipped,
	       (unsigned long long)st.n_converted);
	scap_capture__close(cap);
	return rc == SCAP_STATUS_EOF ? 0 : 1;
}
