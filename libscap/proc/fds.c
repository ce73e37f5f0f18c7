/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fd table of one process: /proc/<pid>/fd/<n> (stat through the link for the type and
 * inode, readlink for the name) and /proc/<pid>/fdinfo/<n> (open flags of files).
 *
 * Types follow the file mode, as upstream: FIFO -> FIFO ("pipe:[ino]" or the fifo's path);
 * regular files and devices -> FILE_V2 (MEMFD when the name starts with "/memfd:"); directories
 * -> DIRECTORY; sockets -> looked up by inode in the namespace's socket tables (left out when
 * not found, or when sockets are not scanned); anything else (anonymous inodes) -> typed by
 * its name ("anon_inode:[eventfd]" -> EVENT, ...), UNSUPPORTED if unknown. Names are the link
 * text, except IPv4/IPv6/netlink sockets (no name: sinsp renders the tuple) and unix sockets
 * (the bound path).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "internal.h"
#include "proc_int.h"
#include "scap_abi_events.h"

/* Kernel open flags (asm-generic values: x86, arm64, riscv...). fdinfo prints them in octal. */
#define K_O_ACCMODE   03u
#define K_O_WRONLY    01u
#define K_O_RDWR      02u
#define K_O_CREAT     0100u
#define K_O_EXCL      0200u
#define K_O_TRUNC     01000u
#define K_O_APPEND    02000u
#define K_O_NONBLOCK  04000u
#define K_O_DSYNC     010000u
#define K_O_DIRECT    040000u
#define K_O_LARGEFILE 0100000u
#define K_O_DIRECTORY 0200000u
#define K_O_CLOEXEC   02000000u
#define K_O_SYNC      04010000u	 /* __O_SYNC | O_DSYNC */
#define K_O_TMPFILE   020200000u /* __O_TMPFILE | O_DIRECTORY */

uint32_t scap_proc__open_flags_to_ppm(uint32_t f)
{
	uint32_t r;

	switch (f & K_O_ACCMODE) {
	case K_O_WRONLY: r = SCAP_OPEN_FLAGS_O_WRONLY; break;
	case K_O_RDWR: r = SCAP_OPEN_FLAGS_O_RDWR; break;
	default: r = SCAP_OPEN_FLAGS_O_RDONLY; break;
	}
	if (f & K_O_CREAT)
		r |= SCAP_OPEN_FLAGS_O_CREAT;
	if ((f & K_O_TMPFILE) == K_O_TMPFILE)
		r |= SCAP_OPEN_FLAGS_O_TMPFILE;
	if (f & K_O_APPEND)
		r |= SCAP_OPEN_FLAGS_O_APPEND;
	if (f & K_O_DSYNC)
		r |= SCAP_OPEN_FLAGS_O_DSYNC;
	if (f & K_O_EXCL)
		r |= SCAP_OPEN_FLAGS_O_EXCL;
	if (f & K_O_NONBLOCK)
		r |= SCAP_OPEN_FLAGS_O_NONBLOCK;
	if ((f & K_O_SYNC) == K_O_SYNC)
		r |= SCAP_OPEN_FLAGS_O_SYNC;
	if (f & K_O_TRUNC)
		r |= SCAP_OPEN_FLAGS_O_TRUNC;
	if (f & K_O_DIRECT)
		r |= SCAP_OPEN_FLAGS_O_DIRECT;
	if (f & K_O_DIRECTORY)
		r |= SCAP_OPEN_FLAGS_O_DIRECTORY;
	if (f & K_O_LARGEFILE)
		r |= SCAP_OPEN_FLAGS_O_LARGEFILE;
	if (f & K_O_CLOEXEC)
		r |= SCAP_OPEN_FLAGS_O_CLOEXEC;
	return r;
}

/* Anonymous inodes by name. */
static uint32_t anon_type(const char *name)
{
	static const struct {
		const char *name;
		uint32_t type;
	} tab[] = {
		{ "anon_inode:[eventfd]", SCAP_FD_EVENT },	     { "anon_inode:[signalfd]", SCAP_FD_SIGNALFD },
		{ "anon_inode:[eventpoll]", SCAP_FD_EVENTPOLL },     { "anon_inode:inotify", SCAP_FD_INOTIFY },
		{ "anon_inode:[timerfd]", SCAP_FD_TIMERFD },	     { "anon_inode:[io_uring]", SCAP_FD_IOURING },
		{ "anon_inode:[userfaultfd]", SCAP_FD_USERFAULTFD }, { "anon_inode:[pidfd]", SCAP_FD_PIDFD },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(name, tab[i].name))
			return tab[i].type;
	/* bpf-map, bpf-prog, bpf_link, bpf_iter... */
	if (!strncmp(name, "anon_inode:[bpf", 15) || !strncmp(name, "anon_inode:bpf", 14))
		return SCAP_FD_BPF;
	return SCAP_FD_UNSUPPORTED;
}

/* "pipe:[123]" -> 123 */
static bool bracket_ino(const char *link, const char *prefix, uint64_t *ino)
{
	size_t n = strlen(prefix);
	const char *p = link + n;

	if (strncmp(link, prefix, n) || *p != '[')
		return false;
	p++;
	return proc_parse_u64(&p, 10, ino) && *p == ']';
}

static uint32_t read_open_flags(int *infofd, int dfd, const char *fdname)
{
	char buf[512];
	const char *p;
	uint64_t v;

	if (*infofd == -1) {
		*infofd = openat(dfd, "fdinfo", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (*infofd < 0)
			*infofd = -2;
	}
	if (*infofd < 0 || proc_read_at(*infofd, fdname, buf, sizeof(buf)) <= 0)
		return 0;
	p = strstr(buf, "flags:");
	if (!p)
		return 0;
	p += 6;
	if (!proc_parse_u64(&p, 8, &v))
		return 0;
	return scap_proc__open_flags_to_ppm((uint32_t)v);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int proc_scan_fds(struct proc_scan *s, int dfd, uint64_t tid, bool *partial)
{
	const struct scap_thread_info *old = scap_platform__thread_by_tid(s->p, tid);
	const struct proc_socktab *socks = NULL;
	bool socks_loaded = false;
	int64_t *have = NULL;
	uint32_t nhave = 0, added = 0, i;
	int fdd, infofd = -1, rc = 0;
	struct dirent *de;
	DIR *d;

	/* fds the platform already has for this thread are kept (scan_pid on a known process) */
	if (old && old->nfds) {
		have = malloc(old->nfds * sizeof(*have));
		if (!have)
			return scap_fail(ENOMEM, "out of memory scanning fds");
		for (i = 0; i < old->nfds; i++)
			have[i] = old->fds[i].fd;
		nhave = old->nfds;
		qsort(have, nhave, sizeof(*have), cmp_i64);
	}

	fdd = openat(dfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fdd < 0) {
		/* gone, or not ours to read: the thread stays without fds */
		if (errno != ENOENT && errno != ESRCH)
			*partial = true;
		free(have);
		return 0;
	}
	d = fdopendir(fdd);
	if (!d) {
		close(fdd);
		free(have);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		struct scap_fd_info fi = { .sz = sizeof(fi) };
		char link[PROC_MAX_PATH];
		const char *p = de->d_name;
		struct stat st;
		bool st_ok;
		ssize_t ln;
		uint64_t fdnum, ino;

		if (!proc_parse_u64(&p, 10, &fdnum) || *p)
			continue;
		if (s->max_fds && added >= s->max_fds)
			break;
		if (nhave) {
			int64_t key = (int64_t)fdnum;

			if (bsearch(&key, have, nhave, sizeof(*have), cmp_i64))
				continue;
		}
		/* pipes and sockets are known by their link alone ("pipe:[ino]", "socket:[ino]",
		 * the pipefs/sockfs names): no stat for them, the most common fds */
		ln = proc_readlink_at(fdd, de->d_name, link, sizeof(link));
		st_ok = ln >= 0 && (bracket_ino(link, "pipe:", &ino) || bracket_ino(link, "socket:", &ino))
				? false
				: fstatat(fdd, de->d_name, &st, 0) == 0;
		if (!st_ok && ln < 0) {
			if (proc_err_gone((int)ln))
				s->st.nfds_vanished++; /* closed meanwhile */
			else
				*partial = true; /* EACCES: not ours to see */
			continue;
		}
		if (ln < 0)
			link[0] = 0;
		fi.fd = (int64_t)fdnum;
		fi.name = link;

		if (!st_ok) {
			/* only the link text (pipes, sockets; a fake tree, a race): classify by name */
			if (bracket_ino(link, "pipe:", &ino)) {
				st.st_mode = S_IFIFO;
				st.st_ino = (ino_t)ino;
			} else if (bracket_ino(link, "socket:", &ino)) {
				st.st_mode = S_IFSOCK;
				st.st_ino = (ino_t)ino;
			} else if (link[0] == '/') {
				st.st_mode = S_IFREG;
				st.st_ino = 0;
			} else {
				st.st_mode = 0;
				st.st_ino = 0;
			}
			st.st_dev = 0;
		}

		switch (st.st_mode & S_IFMT) {
		case S_IFIFO:
			fi.type = SCAP_FD_FIFO;
			fi.ino = (uint64_t)st.st_ino;
			break;
		case S_IFREG:
		case S_IFBLK:
		case S_IFCHR:
		case S_IFLNK:
			fi.ino = (uint64_t)st.st_ino;
			if (!strncmp(link, "/memfd:", 7)) {
				fi.type = SCAP_FD_MEMFD;
			} else {
				fi.type = SCAP_FD_FILE_V2;
				fi.open_flags = read_open_flags(&infofd, dfd, de->d_name);
				/* the kernel's dev_t encoding, as the open events carry it */
				fi.dev = st_ok ? (major(st.st_dev) << 20) | (minor(st.st_dev) & 0xfffff) : 0;
			}
			break;
		case S_IFDIR:
			fi.type = SCAP_FD_DIRECTORY;
			fi.ino = (uint64_t)st.st_ino;
			break;
		case S_IFSOCK: {
			const struct proc_sock *e;

			if (!(s->what & SCAP_SCAN_SOCKETS))
				continue;
			if (!bracket_ino(link, "socket:", &ino)) {
				fi.type = SCAP_FD_UNSUPPORTED;
				fi.ino = (uint64_t)st.st_ino;
				break;
			}
			if (!socks_loaded) {
				socks = proc_sockets_for(s, dfd);
				socks_loaded = true;
				if (!socks) {
					rc = scap_fail(ENOMEM, "out of memory reading socket tables");
					goto out;
				}
			}
			e = proc_socktab_find(socks, ino);
			if (!e) {
				s->st.nsockets_unresolved++;
				continue;
			}
			fi.ino = ino;
			fi.type = e->type;
			fi.l4proto = e->l4proto;
			memcpy(fi.sip, e->sip, sizeof(fi.sip));
			memcpy(fi.dip, e->dip, sizeof(fi.dip));
			fi.sport = e->sport;
			fi.dport = e->dport;
			fi.unix_source = e->unix_source;
			fi.name = e->type == SCAP_FD_UNIX_SOCK && e->path ? e->path : "";
			break;
		}
		default:
			fi.type = anon_type(link);
			fi.ino = (uint64_t)st.st_ino;
			break;
		}
		rc = scap_platform__add_fd(s->p, tid, &fi);
		if (rc < 0)
			goto out;
		added++;
		s->st.nfds++;
	}
out:
	closedir(d);
	if (infofd >= 0)
		close(infofd);
	free(have);
	return rc;
}
