// SPDX-License-Identifier: Apache-2.0
/*
 * The 32-bit workload of tests/test_ia32_live.py, built as a static i386 binary (gcc -m32 -static):
 * each ia32 syscall the drivers convert, made with values the test asserts exactly. Raw syscall()
 * calls pin the ia32 entry point (socketcall or the direct one, mmap2 or the old mmap ...); the
 * glibc calls are what real 32-bit binaries make.
 *
 *   workload32 FILE PORT   after a byte on stdin; FILE holds at least 16 KiB
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/net.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static void need(int ok, const char *what)
{
	if (!ok) {
		perror(what);
		exit(2);
	}
}

static int tcp_socket(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);

	need(s >= 0, "socket");
	return s;
}

int main(int argc, char **argv)
{
	char c, buf[64], b1[3], b2[4], cpath[4096];
	struct sockaddr_in addr = { .sin_family = AF_INET };
	uint64_t result = 0;
	long fd, fd2, fd3, s1, s2, s3;

	need(argc == 3, "usage: workload32 FILE PORT");
	need(read(0, &c, 1) == 1, "read stdin");
	addr.sin_port = htons((uint16_t)atoi(argv[2]));
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	/* files: openat, open, read, pread64 (a 64-bit offset in two registers), _llseek, lseek */
	fd = syscall(SYS_openat, AT_FDCWD, argv[1], O_RDONLY);
	need(fd >= 0, "openat");
	fd2 = syscall(SYS_open, argv[1], O_RDONLY | O_CLOEXEC);
	need(fd2 >= 0, "open");
	need(syscall(SYS_close, fd2) == 0, "close");
	/* the other two TOCTOU syscalls: creat, openat2 */
	snprintf(cpath, sizeof(cpath), "%s.creat", argv[1]);
	fd3 = syscall(SYS_creat, cpath, 0600);
	need(fd3 >= 0 && syscall(SYS_close, fd3) == 0, "creat");
	struct open_how how = { .flags = O_RDONLY, .resolve = RESOLVE_NO_SYMLINKS };
	fd3 = syscall(SYS_openat2, AT_FDCWD, argv[1], &how, sizeof(how));
	need(fd3 >= 0 && syscall(SYS_close, fd3) == 0, "openat2");
	need(syscall(SYS_read, fd, buf, 5) == 5, "read");
	need(syscall(SYS_pread64, fd, buf, 4, 2u, 1u) == 0, "pread64"); /* offset 2^32 + 2: past the end */
	need(syscall(SYS__llseek, fd, 1u, 5u, &result, SEEK_SET) == 0 && result == 0x100000005ull, "_llseek");
	need(syscall(SYS_lseek, fd, -2L, SEEK_END) > 0, "lseek");
	need(syscall(SYS_lseek, fd, 0L, SEEK_SET) == 0, "lseek");

	/* compat iovecs */
	struct iovec rv[2] = { { b1, sizeof(b1) }, { b2, sizeof(b2) } };
	need(syscall(SYS_readv, fd, rv, 2) == 7, "readv");
	struct iovec wv[2] = { { "he", 2 }, { "llo32", 5 } };
	need(syscall(SYS_writev, 1, wv, 2) == 7, "writev");

	/* mmap2 (pages) and the old mmap (its arguments in a struct) */
	void *m = (void *)syscall(SYS_mmap2, 0, 4096, PROT_READ, MAP_PRIVATE, fd, 2);
	need(m != MAP_FAILED, "mmap2");
	uint32_t old[6] = { 0, 8192, PROT_READ, MAP_SHARED, (uint32_t)fd, 12288 };
	m = (void *)syscall(SYS_mmap, old);
	need(m != MAP_FAILED, "old mmap");

	/* old_timespec32, compat_rlimit */
	int32_t ts[2] = { 0, 2000000 };
	need(syscall(SYS_nanosleep, ts, 0) == 0, "nanosleep");
	uint32_t rl[2];
	need(syscall(SYS_ugetrlimit, 7 /* RLIMIT_NOFILE */, rl) == 0, "ugetrlimit");
	printf("rlimit %u %u\n", rl[0], rl[1]);

	/* sockets: glibc's connect, socketcall(SYS_CONNECT), the direct connect; compat msghdr */
	s1 = tcp_socket();
	need(connect(s1, (struct sockaddr *)&addr, sizeof(addr)) == 0, "connect");
	s2 = tcp_socket();
	unsigned long sc_args[3] = { (unsigned long)s2, (unsigned long)&addr, sizeof(addr) };
	need(syscall(SYS_socketcall, SYS_CONNECT, sc_args) == 0, "socketcall connect");
	s3 = tcp_socket();
	need(syscall(SYS_connect, s3, &addr, sizeof(addr)) == 0, "connect");
	struct iovec mv[2] = { { "ab", 2 }, { "cde", 3 } };
	struct msghdr msg = { .msg_iov = mv, .msg_iovlen = 2 };
	need(sendmsg(s1, &msg, 0) == 5, "sendmsg");

	/* credentials: the 32-bit uid variant */
	need(syscall(SYS_setuid32, getuid()) == 0, "setuid32");

	/* processes: glibc's fork (clone with CLONE_BACKWARDS' argument order), a failed and a
	 * successful execve, waitpid (an ia32 syscall with no x86_64 twin: its generic event) */
	printf("fd %ld s1 %ld s2 %ld s3 %ld\n", fd, s1, s2, s3);
	fflush(stdout);
	pid_t child = fork();
	need(child >= 0, "fork");
	if (child == 0) {
		char *args[] = { "true", "ia32-arg", NULL };

		syscall(SYS_execve, "/nonexistent/ia32", args, environ);
		execv("/bin/true", args);
		_exit(3);
	}
	int status = 0;
	need(syscall(SYS_waitpid, child, &status, 0) == child && status == 0, "waitpid");
	printf("child %d\n", (int)child);
	return 0;
}
