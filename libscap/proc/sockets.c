/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Socket tables of a network namespace, keyed by inode: /proc/<pid>/net/{tcp,udp,raw}[6],
 * unix and netlink. Read once per namespace per scan.
 *
 * Addresses: the kernel prints each 32-bit word of an address with %08X of its in-memory
 * (network-order) value, so storing the parsed word back in host order gives the network-order
 * bytes. Ports are printed as host-order numbers. A socket whose remote address is all zero is
 * a server socket (listening TCP, bound UDP), as upstream classifies them.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc_int.h"

static uint32_t hash_ino(uint64_t ino)
{
	ino ^= ino >> 33;
	ino *= 0xff51afd7ed558ccdull;
	ino ^= ino >> 33;
	return (uint32_t)ino;
}

static int tab_put(struct proc_socktab *t, const struct proc_sock *e)
{
	uint32_t i;

	if (e->ino == 0)
		return 0;
	if ((t->n + 1) * 2 > t->cap) {
		uint32_t ncap = t->cap ? t->cap * 2 : 256, j;
		struct proc_sock *n = calloc(ncap, sizeof(*n));

		if (!n)
			return -ENOMEM;
		for (j = 0; j < t->cap; j++) {
			if (!t->slots[j].ino)
				continue;
			for (i = hash_ino(t->slots[j].ino) & (ncap - 1); n[i].ino; i = (i + 1) & (ncap - 1))
				;
			n[i] = t->slots[j];
		}
		free(t->slots);
		t->slots = n;
		t->cap = ncap;
	}
	for (i = hash_ino(e->ino) & (t->cap - 1); t->slots[i].ino; i = (i + 1) & (t->cap - 1)) {
		if (t->slots[i].ino == e->ino) {
			free(t->slots[i].path);
			t->slots[i] = *e;
			return 0;
		}
	}
	t->slots[i] = *e;
	t->n++;
	return 0;
}

const struct proc_sock *proc_socktab_find(const struct proc_socktab *t, uint64_t ino)
{
	uint32_t i;

	if (!t->cap || !ino)
		return NULL;
	for (i = hash_ino(ino) & (t->cap - 1); t->slots[i].ino; i = (i + 1) & (t->cap - 1))
		if (t->slots[i].ino == ino)
			return &t->slots[i];
	return NULL;
}

/* Read a whole file of any size (malloc'd, NUL-terminated). NULL if it cannot be read. */
static char *read_all(int dfd, const char *name)
{
	size_t cap = 64 * 1024, len = 0;
	char *buf;
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		ssize_t r;

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
		r = read(fd, buf + len, cap - 1 - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			buf = NULL;
			break;
		}
		if (r == 0) {
			buf[len] = 0;
			break;
		}
		len += (size_t)r;
	}
	close(fd);
	return buf;
}

/* Next whitespace-separated token of *p (NUL-terminated in place), or NULL at end of line. */
static char *token(char **p)
{
	char *s = *p, *e;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return NULL;
	e = s;
	while (*e && *e != ' ' && *e != '\t')
		e++;
	if (*e)
		*e++ = 0;
	*p = e;
	return s;
}

/* "0100007F:1F90" (nwords 32-bit words) -> address bytes + port. */
static bool parse_endpoint(const char *s, int nwords, uint8_t *addr, uint16_t *port)
{
	const char *p = s;
	uint64_t v;
	int i;

	for (i = 0; i < nwords; i++) {
		char word[9];
		const char *w = word;
		uint32_t x;

		if (strspn(p, "0123456789abcdefABCDEF") < 8)
			return false;
		memcpy(word, p, 8);
		word[8] = 0;
		if (!proc_parse_u64(&w, 16, &v))
			return false;
		x = (uint32_t)v;
		memcpy(addr + 4 * i, &x, 4);
		p += 8;
	}
	if (*p++ != ':' || !proc_parse_u64(&p, 16, &v))
		return false;
	*port = (uint16_t)v;
	return true;
}

static int load_inet(struct proc_socktab *t, int netfd, const char *name, bool v6, uint8_t l4proto)
{
	char *buf = read_all(netfd, name), *line, *nl;
	int rc = 0;

	if (!buf)
		return 0;	  /* no such table (IPv6 disabled...) */
	line = strchr(buf, '\n'); /* skip the header */
	for (line = line ? line + 1 : NULL; line && *line && rc == 0; line = nl) {
		char *p = line, *tok[10];
		struct proc_sock e = { 0 };
		uint64_t ino;
		const char *q;
		int i;
		static const uint8_t zero[16];

		nl = strchr(line, '\n');
		if (nl)
			*nl++ = 0;
		for (i = 0; i < 10; i++)
			if (!(tok[i] = token(&p)))
				break;
		if (i < 10)
			continue;
		q = tok[9];
		if (!parse_endpoint(tok[1], v6 ? 4 : 1, e.sip, &e.sport) ||
		    !parse_endpoint(tok[2], v6 ? 4 : 1, e.dip, &e.dport) || !proc_parse_u64(&q, 10, &ino))
			continue;
		e.ino = ino;
		e.l4proto = l4proto;
		if (!memcmp(e.dip, zero, v6 ? 16 : 4)) {
			e.type = v6 ? SCAP_FD_IPV6_SERVSOCK : SCAP_FD_IPV4_SERVSOCK;
			e.dport = 0;
		} else {
			e.type = v6 ? SCAP_FD_IPV6_SOCK : SCAP_FD_IPV4_SOCK;
		}
		rc = tab_put(t, &e);
	}
	free(buf);
	return rc;
}

/* Num RefCount Protocol Flags Type St Inode [Path] */
static int load_unix(struct proc_socktab *t, int netfd)
{
	char *buf = read_all(netfd, "unix"), *line, *nl;
	int rc = 0;

	if (!buf)
		return 0;
	line = strchr(buf, '\n');
	for (line = line ? line + 1 : NULL; line && *line && rc == 0; line = nl) {
		char *p = line, *tok[7];
		struct proc_sock e = { 0 };
		const char *q;
		uint64_t v;
		int i;

		nl = strchr(line, '\n');
		if (nl)
			*nl++ = 0;
		for (i = 0; i < 7; i++)
			if (!(tok[i] = token(&p)))
				break;
		if (i < 7)
			continue;
		q = tok[0];
		if (proc_parse_u64(&q, 16, &v))
			e.unix_source = v;
		q = tok[6];
		if (!proc_parse_u64(&q, 10, &v))
			continue;
		e.ino = v;
		e.type = SCAP_FD_UNIX_SOCK;
		while (*p == ' ')
			p++;
		if (*p) {
			e.path = strdup(p);
			if (!e.path) {
				rc = -ENOMEM;
				break;
			}
		}
		rc = tab_put(t, &e);
		if (rc)
			free(e.path);
	}
	free(buf);
	return rc;
}

/* sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode */
static int load_netlink(struct proc_socktab *t, int netfd)
{
	char *buf = read_all(netfd, "netlink"), *line, *nl;
	int rc = 0;

	if (!buf)
		return 0;
	line = strchr(buf, '\n');
	for (line = line ? line + 1 : NULL; line && *line && rc == 0; line = nl) {
		char *p = line, *tok[10];
		struct proc_sock e = { 0 };
		const char *q;
		uint64_t v;
		int i;

		nl = strchr(line, '\n');
		if (nl)
			*nl++ = 0;
		for (i = 0; i < 10; i++)
			if (!(tok[i] = token(&p)))
				break;
		if (i < 10)
			continue;
		q = tok[9];
		if (!proc_parse_u64(&q, 10, &v))
			continue;
		e.ino = v;
		e.type = SCAP_FD_NETLINK;
		rc = tab_put(t, &e);
	}
	free(buf);
	return rc;
}

static void tab_free(struct proc_socktab *t)
{
	uint32_t i;

	for (i = 0; i < t->cap; i++)
		free(t->slots[i].path);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

const struct proc_socktab *proc_sockets_for(struct proc_scan *s, int dfd)
{
	struct proc_socktab *t, *n;
	struct stat st;
	uint64_t netns = 0;
	uint32_t i;
	int netfd, rc = 0;

	if (fstatat(dfd, "ns/net", &st, 0) == 0)
		netns = (uint64_t)st.st_ino;
	for (i = 0; i < s->nnets; i++)
		if (s->nets[i].netns == netns)
			return &s->nets[i];

	n = realloc(s->nets, (s->nnets + 1) * sizeof(*n));
	if (!n)
		return NULL;
	s->nets = n;
	t = &s->nets[s->nnets++];
	memset(t, 0, sizeof(*t));
	t->netns = netns;

	/* the namespace's own tables; without namespace support, the proc root's */
	netfd = openat(netns ? dfd : s->proc_fd, "net", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (netfd < 0)
		goto check;
	rc = load_inet(t, netfd, "tcp", false, SCAP_L4_TCP);
	if (!rc)
		rc = load_inet(t, netfd, "udp", false, SCAP_L4_UDP);
	if (!rc)
		rc = load_inet(t, netfd, "raw", false, SCAP_L4_RAW);
	if (!rc)
		rc = load_inet(t, netfd, "tcp6", true, SCAP_L4_TCP);
	if (!rc)
		rc = load_inet(t, netfd, "udp6", true, SCAP_L4_UDP);
	if (!rc)
		rc = load_inet(t, netfd, "raw6", true, SCAP_L4_RAW);
	if (!rc)
		rc = load_unix(t, netfd);
	if (!rc)
		rc = load_netlink(t, netfd);
	close(netfd);
	if (rc) {
		tab_free(t);
		s->nnets--;
		return NULL;
	}
check:
	/* tables read through a process that exited meanwhile may be empty or cut short: keep
	 * them for no other process of the namespace */
	if (faccessat(dfd, "stat", F_OK, 0) != 0) {
		static const struct proc_socktab none;

		tab_free(t);
		s->nnets--;
		return &none;
	}
	return t;
}

void proc_sockets_free(struct proc_scan *s)
{
	uint32_t i;

	for (i = 0; i < s->nnets; i++)
		tab_free(&s->nets[i]);
	free(s->nets);
	s->nets = NULL;
	s->nnets = 0;
}
