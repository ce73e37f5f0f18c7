/* SPDX-License-Identifier: Apache-2.0 */
/* Machine info, network interfaces, users and groups. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"
#include "proc_int.h"

/* ------------------------------------------------------------------------------ machine */

int proc_scan_machine(struct proc_scan *s)
{
	struct scap_machine_info mi = { .sz = sizeof(mi) };
	char *buf;
	const char *p;
	uint64_t v;
	ssize_t n;
	size_t cap = 256 * 1024;
	long sc;

	buf = malloc(cap);
	if (!buf)
		return scap_fail(ENOMEM, "out of memory reading machine info");

	/* online CPUs: the cpuN lines of <proc>/stat; boot time: its btime (s), as upstream */
	n = proc_read_all_at(s->proc_fd, "stat", buf, cap);
	if (n > 0) {
		const char *line;

		for (line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
			if (!strncmp(line, "cpu", 3) && line[3] >= '0' && line[3] <= '9')
				mi.num_cpus++;
			else if (!strncmp(line, "btime ", 6)) {
				p = line + 6;
				if (proc_parse_u64(&p, 10, &v))
					mi.boot_ts_epoch = v * 1000000000ull;
			}
		}
	}
	if (!mi.num_cpus) {
		sc = sysconf(_SC_NPROCESSORS_ONLN);
		mi.num_cpus = sc > 0 ? (uint32_t)sc : 0;
	}

	n = proc_read_all_at(s->proc_fd, "meminfo", buf, cap);
	p = n > 0 ? strstr(buf, "MemTotal:") : NULL;
	if (p) {
		p += 9;
		if (proc_parse_u64(&p, 10, &v))
			mi.memory_size_bytes = v * 1024;
	}
	if (!mi.memory_size_bytes) {
		long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);

		if (pages > 0 && psz > 0)
			mi.memory_size_bytes = (uint64_t)pages * (uint64_t)psz;
	}

	n = proc_read_at(s->proc_fd, "sys/kernel/pid_max", buf, 64);
	p = buf;
	if (n > 0 && proc_parse_u64(&p, 10, &v))
		mi.max_pid = v;

	n = proc_read_at(s->proc_fd, "sys/kernel/hostname", buf, sizeof(mi.hostname));
	if (n > 0) {
		if (buf[n - 1] == '\n')
			buf[--n] = 0;
		memcpy(mi.hostname, buf, (size_t)n + 1);
	} else if (gethostname(mi.hostname, sizeof(mi.hostname) - 1) != 0) {
		mi.hostname[0] = 0;
	}
	free(buf);
	return scap_platform__set_machine(s->p, &mi);
}

/* ------------------------------------------------------------------------------ interfaces */

static uint64_t link_speed(struct proc_scan *s, const char *ifname)
{
	char path[PROC_MAX_PATH], buf[64];
	const char *p = buf;
	uint64_t v;
	int dfd;
	ssize_t n;

	/* Mb/s as the kernel reports it; unreadable (lo, virtual devices: EINVAL) or -1 -> 0 */
	if (!proc_path(path, sizeof(path), "%s/class/net/%s", s->sys_root, ifname))
		return 0;
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return 0;
	n = proc_read_at(dfd, "speed", buf, sizeof(buf));
	close(dfd);
	if (n <= 0 || buf[0] == '-' || !proc_parse_u64(&p, 10, &v))
		return 0;
	return v;
}

int proc_scan_ifaces(struct proc_scan *s)
{
	struct ifaddrs *ifa, *i;
	int rc = 0;

	if (getifaddrs(&ifa) != 0)
		return scap_fail(errno, "getifaddrs failed: %s", strerror(errno));
	for (i = ifa; i && rc == 0; i = i->ifa_next) {
		struct scap_iface_info ii = { .sz = sizeof(ii) };

		if (!i->ifa_addr)
			continue;
		if (i->ifa_addr->sa_family == AF_INET) {
			ii.type = SCAP_IFACE_IPV4;
			memcpy(ii.addr, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
			if (i->ifa_netmask)
				memcpy(ii.netmask, &((struct sockaddr_in *)i->ifa_netmask)->sin_addr, 4);
			if ((i->ifa_flags & IFF_BROADCAST) && i->ifa_broadaddr)
				memcpy(ii.bcast, &((struct sockaddr_in *)i->ifa_broadaddr)->sin_addr, 4);
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			ii.type = SCAP_IFACE_IPV6;
			memcpy(ii.addr, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, 16);
			if (i->ifa_netmask)
				memcpy(ii.netmask, &((struct sockaddr_in6 *)i->ifa_netmask)->sin6_addr, 16);
		} else {
			continue;
		}
		ii.name = i->ifa_name;
		ii.linkspeed = link_speed(s, i->ifa_name);
		rc = scap_platform__add_iface(s->p, &ii);
		if (rc == 0)
			s->st.nifaces++;
	}
	freeifaddrs(ifa);
	return rc;
}

/* ------------------------------------------------------------------------------ users */

/* Split a passwd/group line into at most n ':'-separated fields (in place). */
static size_t split_colon(char *line, char **f, size_t n)
{
	size_t k = 0;

	while (k < n) {
		f[k++] = line;
		line = strchr(line, ':');
		if (!line)
			break;
		*line++ = 0;
	}
	return k;
}

static bool parse_id(const char *s, uint32_t *out)
{
	uint64_t v;
	const char *p = s;

	if (!proc_parse_u64(&p, 10, &v) || *p || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static char *read_etc(struct proc_scan *s, const char *name)
{
	char path[PROC_MAX_PATH];
	size_t cap = 64 * 1024, len = 0;
	char *buf;
	FILE *f;

	if (!proc_path(path, sizeof(path), "%s/%s", s->etc_root, name))
		return NULL;
	f = fopen(path, "re");
	if (!f)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		size_t r;

		if (len + 1 >= cap) {
			char *n = realloc(buf, cap * 2);

			if (!n) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = n;
			cap *= 2;
		}
		r = fread(buf + len, 1, cap - 1 - len, f);
		len += r;
		if (r == 0) {
			buf[len] = 0;
			break;
		}
	}
	fclose(f);
	return buf;
}

/* passwd: name:password:uid:gid:gecos:home:shell; group: name:password:gid:members.
 * Comments, blank lines, NIS "+"/"-" entries and malformed lines are skipped. */
int proc_scan_users(struct proc_scan *s)
{
	char *buf, *line, *nl;
	int rc = 0;

	buf = read_etc(s, "passwd");
	for (line = buf; line && *line && rc == 0; line = nl) {
		struct scap_user_info ui = { .sz = sizeof(ui) };
		char *f[7];

		nl = strchr(line, '\n');
		if (nl)
			*nl++ = 0;
		if (!*line || *line == '#' || *line == '+' || *line == '-')
			continue;
		if (split_colon(line, f, 7) != 7 || !f[0][0] || !parse_id(f[2], &ui.uid) || !parse_id(f[3], &ui.gid))
			continue;
		ui.name = f[0];
		ui.homedir = f[5];
		ui.shell = f[6];
		rc = scap_platform__add_user(s->p, &ui);
		if (rc == 0)
			s->st.nusers++;
	}
	free(buf);
	if (rc)
		return rc;

	buf = read_etc(s, "group");
	for (line = buf; line && *line && rc == 0; line = nl) {
		struct scap_group_info gi = { .sz = sizeof(gi) };
		char *f[4];

		nl = strchr(line, '\n');
		if (nl)
			*nl++ = 0;
		if (!*line || *line == '#' || *line == '+' || *line == '-')
			continue;
		if (split_colon(line, f, 4) < 3 || !f[0][0] || !parse_id(f[2], &gi.gid))
			continue;
		gi.name = f[0];
		rc = scap_platform__add_group(s->p, &gi);
		if (rc == 0)
			s->st.ngroups++;
	}
	free(buf);
	return rc;
}
