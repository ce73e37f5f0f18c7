/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scap_write_events [--gzip] [--demo-platform] [--crash-after N] OUT < records
 * Writes a .scap file from stdin records: u16 cpu, u32 flags, then
 * one wire event (its length is in its header). The platform is empty, or with
 * --crash-after N: flush after N events, write the rest, then exit without closing (a
 * simulated crash). With --demo-platform a small one built through the public platform API (machine info, two
 * threads with fds of several types, an IPv4 and an IPv6 interface, users and a group). Prints "events N"; exit 0, or 2 with the
 * dumper's message on stderr when an event is rejected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scap/scap.h"

static struct scap_platform *demo_platform(void)
{
	struct scap_platform *p = scap_platform__new();
	struct scap_machine_info mi = { .sz = sizeof(mi),
					.num_cpus = 4,
					.memory_size_bytes = 8ull << 30,
					.max_pid = 4194304,
					.hostname = "demo-host",
					.boot_ts_epoch = 1700000000000000000ull };
	struct scap_thread_info t = { .sz = sizeof(t),
				      .tid = 100,
				      .pid = 100,
				      .ptid = 1,
				      .sid = 100,
				      .vpgid = 100,
				      .pgid = 100,
				      .comm = "demo",
				      .exe = "/usr/bin/demo",
				      .exepath = "/usr/bin/demo",
				      .args = "-x\0file\0",
				      .args_len = 8,
				      .cwd = "/tmp",
				      .fdlimit = 1024,
				      .uid = 1000,
				      .gid = 1000,
				      .vmsize_kb = 1000,
				      .vmrss_kb = 500,
				      .env = "HOME=/root\0",
				      .env_len = 11,
				      .vtid = 100,
				      .vpid = 100,
				      .cgroups = "cpu=/\0",
				      .cgroups_len = 6,
				      .root = "/",
				      .tty = 34816,
				      .loginuid = 1000,
				      .cap_effective = 0x1ff,
				      .exe_ino = 77 };
	struct scap_fd_info f = { .sz = sizeof(f),
				  .fd = 3,
				  .ino = 9,
				  .type = SCAP_FD_FILE_V2,
				  .open_flags = 1,
				  .dev = 0x803,
				  .name = "/etc/passwd" };
	struct scap_fd_info s4 = { .sz = sizeof(s4),
				   .fd = 4,
				   .type = SCAP_FD_IPV4_SOCK,
				   .sip = { 10, 0, 0, 1 },
				   .dip = { 10, 0, 0, 2 },
				   .sport = 40000,
				   .dport = 80,
				   .l4proto = SCAP_L4_TCP };
	struct scap_fd_info s6 = { .sz = sizeof(s6),
				   .fd = 5,
				   .type = SCAP_FD_IPV6_SERVSOCK,
				   .sip = { 0x20, 1, 0xd, 0xb8 },
				   .sport = 8080,
				   .l4proto = SCAP_L4_TCP };
	struct scap_fd_info u = { .sz = sizeof(u),
				  .fd = 6,
				  .type = SCAP_FD_UNIX_SOCK,
				  .unix_source = 0xffff1,
				  .unix_dest = 0xffff2,
				  .name = "/run/demo.sock" };
	struct scap_iface_info i4 = {
		.sz = sizeof(i4), .type = SCAP_IFACE_IPV4, .addr = { 127, 0, 0, 1 }, .netmask = { 255 }, .name = "lo"
	};
	struct scap_iface_info i6 = {
		.sz = sizeof(i6), .type = SCAP_IFACE_IPV6, .addr = { [15] = 1 }, .linkspeed = 1000, .name = "lo"
	};
	struct scap_user_info us = {
		.sz = sizeof(us), .uid = 0, .gid = 0, .name = "root", .homedir = "/root", .shell = "/bin/sh"
	};
	struct scap_group_info g = { .sz = sizeof(g), .gid = 0, .name = "root" };

	if (!p || scap_platform__set_machine(p, &mi) || scap_platform__add_thread(p, &t) ||
	    scap_platform__add_fd(p, 100, &f) || scap_platform__add_fd(p, 100, &s4) ||
	    scap_platform__add_fd(p, 100, &s6) || scap_platform__add_fd(p, 100, &u))
		return NULL;
	t.tid = 101;
	t.comm = "demo-worker";
	if (scap_platform__add_thread(p, &t) || scap_platform__add_iface(p, &i4) || scap_platform__add_iface(p, &i6) ||
	    scap_platform__add_user(p, &us) || scap_platform__add_group(p, &g))
		return NULL;
	return p;
}

int main(int argc, char **argv)
{
	struct scap_platform *plat = NULL;
	SCAP_OPTS(scap_dumper_opts, dopts);
	const char *out = NULL;
	struct scap_dumper *d;
	unsigned long long n = 0;
	uint8_t *buf = NULL;
	size_t cap = 0;
	long crash_after = -1;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--crash-after") && i + 1 < argc) {
			crash_after = atol(argv[++i]);
			continue;
		}
		if (!strcmp(argv[i], "--gzip"))
			dopts.compression = SCAP_COMPRESSION_GZIP;
		else if (!strcmp(argv[i], "--demo-platform"))
			plat = demo_platform();
		else
			out = argv[i];
	}
	if (!out) {
		fprintf(stderr, "usage: %s [--gzip] OUT < records\n", argv[0]);
		return 2;
	}
	dopts.platform = plat;
	d = scap_dumper__open(out, &dopts);
	scap_platform__free(plat);
	if (!d) {
		fprintf(stderr, "dumper: %s\n", scap_last_error());
		return 2;
	}
	for (;;) {
		uint8_t head[6 + 26];
		uint16_t cpu;
		uint32_t flags, len;

		if (fread(head, 1, sizeof(head), stdin) != sizeof(head))
			break;
		memcpy(&cpu, head, 2);
		memcpy(&flags, head + 2, 4);
		memcpy(&len, head + 6 + 16, 4);
		if (len < 26) {
			fprintf(stderr, "record %llu: event length %u\n", n, len);
			return 2;
		}
		if (len > cap) {
			cap = len;
			buf = realloc(buf, cap);
			if (!buf)
				return 2;
		}
		memcpy(buf, head + 6, 26);
		if (fread(buf + 26, 1, len - 26, stdin) != len - 26) {
			fprintf(stderr, "record %llu: short event\n", n);
			return 2;
		}
		if (scap_dumper__write(d, (const struct scap_evt_hdr *)buf, cpu, flags) < 0) {
			fprintf(stderr, "dump: %s\n", scap_dumper__geterr(d));
			scap_dumper__close(d);
			free(buf);
			return 2;
		}
		n++;
		if ((long)n == crash_after && scap_dumper__flush(d) < 0) {
			fprintf(stderr, "flush: %s\n", scap_dumper__geterr(d));
			return 2;
		}
	}
	free(buf);
	if (crash_after >= 0) {
		printf("events %llu\n", n);
		fflush(stdout);
		_exit(0);
	}
	if (scap_dumper__close(d) < 0) {
		fprintf(stderr, "close: %s\n", scap_last_error());
		return 2;
	}
	printf("events %llu\n", n);
	return 0;
}
