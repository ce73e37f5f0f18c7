/* SPDX-License-Identifier: Apache-2.0 */
/* File and I/O syscalls: open family (+ TOCTOU enter events), close, read/write family. */
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "driver_test.h"

static char g_dir[256];

static int mkdir_tmp(void)
{
	snprintf(g_dir, sizeof(g_dir), "/tmp/drvtest.%d", getpid());
	mkdir(g_dir, 0755);
	return 0;
}

static void path_in(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", g_dir, name);
	unlink(out);
}

static int t_openat(void)
{
	int sc[] = { SCAP_SC_OPENAT, -1 };
	char path[300];
	struct stat st;
	struct ev e;
	long fd;

	mkdir_tmp();
	path_in(path, sizeof(path), "openat");
	if (cap_open(sc, NULL))
		return 1;
	fd = syscall(SYS_openat, AT_FDCWD, path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	CHECK_SYS(fd >= 0);
	CHECK_SYS(fstat(fd, &st) == 0);
	FIND(SCAP_EVT_OPENAT_E, gettid_(), &e);
	P_N(&e, 4);
	P_I64(&e, 0, AT_FDCWD);
	P_STR(&e, 1, path);
	P_U32(&e, 2,
	      SCAP_OPEN_FLAGS_O_RDWR | SCAP_OPEN_FLAGS_O_CREAT | SCAP_OPEN_FLAGS_O_EXCL | SCAP_OPEN_FLAGS_O_CLOEXEC);
	P_U32(&e, 3, 0640);
	ev_free(&e);
	FIND(SCAP_EVT_OPENAT_X, gettid_(), &e);
	P_N(&e, 7);
	P_I64(&e, 0, fd);
	P_I64(&e, 1, AT_FDCWD);
	P_STR(&e, 2, path);
	P_U32(&e, 3,
	      SCAP_OPEN_FLAGS_O_RDWR | SCAP_OPEN_FLAGS_O_CREAT | SCAP_OPEN_FLAGS_O_EXCL | SCAP_OPEN_FLAGS_O_CLOEXEC |
		      SCAP_OPEN_FLAGS_O_F_CREATED);
	P_U32(&e, 4, 0640);
	P_U32(&e, 5, st.st_dev);
	P_U64(&e, 6, st.st_ino);
	ev_free(&e);
	close(fd);
	/* reopen without O_CREAT: no F_CREATED, mode 0 even if passed */
	fd = syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_APPEND | O_NONBLOCK | O_TRUNC, 0777);
	CHECK_SYS(fd >= 0);
	FIND(SCAP_EVT_OPENAT_X, gettid_(), &e);
	P_I64(&e, 0, fd);
	P_U32(&e, 3,
	      SCAP_OPEN_FLAGS_O_WRONLY | SCAP_OPEN_FLAGS_O_APPEND | SCAP_OPEN_FLAGS_O_NONBLOCK |
		      SCAP_OPEN_FLAGS_O_TRUNC);
	P_U32(&e, 4, 0);
	P_U32(&e, 5, st.st_dev);
	P_U64(&e, 6, st.st_ino);
	ev_free(&e);
	close(fd);
	/* failure */
	CHECK(syscall(SYS_openat, AT_FDCWD, "/nonexistent/drvtest", O_RDONLY) == -1 && errno == ENOENT);
	FIND(SCAP_EVT_OPENAT_E, gettid_(), &e);
	P_I64(&e, 0, AT_FDCWD);
	P_STR(&e, 1, "/nonexistent/drvtest");
	P_U32(&e, 2, SCAP_OPEN_FLAGS_O_RDONLY);
	P_U32(&e, 3, 0);
	ev_free(&e);
	FIND(SCAP_EVT_OPENAT_X, gettid_(), &e);
	P_I64(&e, 0, -ENOENT);
	P_I64(&e, 1, AT_FDCWD);
	P_STR(&e, 2, "/nonexistent/drvtest");
	P_U32(&e, 3, SCAP_OPEN_FLAGS_O_RDONLY);
	P_U32(&e, 4, 0);
	P_U32(&e, 5, 0);
	P_U64(&e, 6, 0);
	ev_free(&e);
	unlink(path);
	return 0;
}

static int t_open(void)
{
	int sc[] = { SCAP_SC_OPEN, -1 };
	char path[300];
	struct stat st;
	struct ev e;
	long fd;

	mkdir_tmp();
	path_in(path, sizeof(path), "open");
	if (cap_open(sc, NULL))
		return 1;
	fd = syscall(SYS_open, path, O_WRONLY | O_CREAT | O_TRUNC | O_DSYNC, 0600);
	CHECK_SYS(fd >= 0);
	CHECK_SYS(fstat(fd, &st) == 0);
	FIND(SCAP_EVT_OPEN_E, gettid_(), &e);
	P_N(&e, 3);
	P_STR(&e, 0, path);
	P_U32(&e, 1,
	      SCAP_OPEN_FLAGS_O_WRONLY | SCAP_OPEN_FLAGS_O_CREAT | SCAP_OPEN_FLAGS_O_TRUNC | SCAP_OPEN_FLAGS_O_DSYNC);
	P_U32(&e, 2, 0600);
	ev_free(&e);
	FIND(SCAP_EVT_OPEN_X, gettid_(), &e);
	P_N(&e, 6);
	P_I64(&e, 0, fd);
	P_STR(&e, 1, path);
	P_U32(&e, 2,
	      SCAP_OPEN_FLAGS_O_WRONLY | SCAP_OPEN_FLAGS_O_CREAT | SCAP_OPEN_FLAGS_O_TRUNC | SCAP_OPEN_FLAGS_O_DSYNC |
		      SCAP_OPEN_FLAGS_O_F_CREATED);
	P_U32(&e, 3, 0600);
	P_U32(&e, 4, st.st_dev);
	P_U64(&e, 5, st.st_ino);
	ev_free(&e);
	close(fd);
	CHECK(syscall(SYS_open, g_dir, O_RDWR) == -1 && errno == EISDIR);
	FIND(SCAP_EVT_OPEN_E, gettid_(), &e);
	P_STR(&e, 0, g_dir);
	P_U32(&e, 1, SCAP_OPEN_FLAGS_O_RDWR);
	P_U32(&e, 2, 0);
	ev_free(&e);
	FIND(SCAP_EVT_OPEN_X, gettid_(), &e);
	P_I64(&e, 0, -EISDIR);
	P_STR(&e, 1, g_dir);
	P_U32(&e, 2, SCAP_OPEN_FLAGS_O_RDWR);
	P_U32(&e, 3, 0);
	P_U32(&e, 4, 0);
	P_U64(&e, 5, 0);
	ev_free(&e);
	unlink(path);
	return 0;
}

static int t_creat(void)
{
	int sc[] = { SCAP_SC_CREAT, -1 };
	char path[300];
	struct stat st;
	struct ev e;
	long fd;

	mkdir_tmp();
	path_in(path, sizeof(path), "creat");
	if (cap_open(sc, NULL))
		return 1;
	fd = syscall(SYS_creat, path, 0604);
	CHECK_SYS(fd >= 0);
	CHECK_SYS(fstat(fd, &st) == 0);
	FIND(SCAP_EVT_CREAT_E, gettid_(), &e);
	P_N(&e, 2);
	P_STR(&e, 0, path);
	P_U32(&e, 1, 0604);
	ev_free(&e);
	FIND(SCAP_EVT_CREAT_X, gettid_(), &e);
	P_N(&e, 6);
	P_I64(&e, 0, fd);
	P_STR(&e, 1, path);
	P_U32(&e, 2, 0604);
	P_U32(&e, 3, st.st_dev);
	P_U64(&e, 4, st.st_ino);
	P_U16(&e, 5, 0);
	ev_free(&e);
	close(fd);
	CHECK(syscall(SYS_creat, "/nonexistent/drvtest", 0600) == -1 && errno == ENOENT);
	FIND(SCAP_EVT_CREAT_E, gettid_(), &e);
	P_STR(&e, 0, "/nonexistent/drvtest");
	P_U32(&e, 1, 0600);
	ev_free(&e);
	FIND(SCAP_EVT_CREAT_X, gettid_(), &e);
	P_I64(&e, 0, -ENOENT);
	P_STR(&e, 1, "/nonexistent/drvtest");
	P_U32(&e, 2, 0600);
	P_U32(&e, 3, 0);
	P_U64(&e, 4, 0);
	P_U16(&e, 5, 0);
	ev_free(&e);
	unlink(path);
	return 0;
}

static int t_openat2(void)
{
	int sc[] = { SCAP_SC_OPENAT2, -1 };
	char path[300];
	struct stat st;
	struct ev e;
	long fd;
	int dfd;
	struct open_how how = { .flags = O_RDONLY | O_CREAT | O_CLOEXEC,
				.mode = 0600,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS };

	mkdir_tmp();
	path_in(path, sizeof(path), "openat2");
	dfd = open(g_dir, O_RDONLY | O_DIRECTORY);
	CHECK_SYS(dfd >= 0);
	if (cap_open(sc, NULL))
		return 1;
	fd = syscall(SYS_openat2, dfd, "openat2", &how, sizeof(how));
	CHECK_SYS(fd >= 0);
	CHECK_SYS(fstat(fd, &st) == 0);
	FIND(SCAP_EVT_OPENAT2_E, gettid_(), &e);
	P_N(&e, 5);
	P_I64(&e, 0, dfd);
	P_STR(&e, 1, "openat2");
	P_U32(&e, 2, SCAP_OPEN_FLAGS_O_RDONLY | SCAP_OPEN_FLAGS_O_CREAT | SCAP_OPEN_FLAGS_O_CLOEXEC);
	P_U32(&e, 3, 0600);
	P_U32(&e, 4, SCAP_OPENAT2_RESOLVE_FLAGS_RESOLVE_BENEATH | SCAP_OPENAT2_RESOLVE_FLAGS_RESOLVE_NO_SYMLINKS);
	ev_free(&e);
	FIND(SCAP_EVT_OPENAT2_X, gettid_(), &e);
	P_N(&e, 8);
	P_I64(&e, 0, fd);
	P_I64(&e, 1, dfd);
	P_STR(&e, 2, "openat2");
	P_U32(&e, 3,
	      SCAP_OPEN_FLAGS_O_RDONLY | SCAP_OPEN_FLAGS_O_CREAT | SCAP_OPEN_FLAGS_O_CLOEXEC |
		      SCAP_OPEN_FLAGS_O_F_CREATED);
	P_U32(&e, 4, 0600);
	P_U32(&e, 5, SCAP_OPENAT2_RESOLVE_FLAGS_RESOLVE_BENEATH | SCAP_OPENAT2_RESOLVE_FLAGS_RESOLVE_NO_SYMLINKS);
	P_U32(&e, 6, st.st_dev);
	P_U64(&e, 7, st.st_ino);
	ev_free(&e);
	close(fd);
	/* escaping the dirfd with RESOLVE_BENEATH fails with EXDEV */
	how.flags = O_RDONLY;
	how.mode = 0;
	CHECK(syscall(SYS_openat2, dfd, "../x", &how, sizeof(how)) == -1 && errno == EXDEV);
	FIND(SCAP_EVT_OPENAT2_X, gettid_(), &e);
	P_I64(&e, 0, -EXDEV);
	P_I64(&e, 1, dfd);
	P_STR(&e, 2, "../x");
	P_U32(&e, 3, SCAP_OPEN_FLAGS_O_RDONLY);
	P_U32(&e, 4, 0);
	P_U32(&e, 5, SCAP_OPENAT2_RESOLVE_FLAGS_RESOLVE_BENEATH | SCAP_OPENAT2_RESOLVE_FLAGS_RESOLVE_NO_SYMLINKS);
	P_U32(&e, 6, 0);
	P_U64(&e, 7, 0);
	ev_free(&e);
	close(dfd);
	unlink(path);
	return 0;
}

static int t_close(void)
{
	int sc[] = { SCAP_SC_CLOSE, -1 };
	struct ev e;
	int fd = open("/dev/null", O_RDONLY);

	if (cap_open(sc, NULL))
		return 1;
	CHECK(syscall(SYS_close, fd) == 0);
	FIND(SCAP_EVT_CLOSE_X, gettid_(), &e);
	P_N(&e, 2);
	P_I64(&e, 0, 0);
	P_I64(&e, 1, fd);
	ev_free(&e);
	CHECK(syscall(SYS_close, 12345) == -1 && errno == EBADF);
	FIND(SCAP_EVT_CLOSE_X, gettid_(), &e);
	P_I64(&e, 0, -EBADF);
	P_I64(&e, 1, 12345);
	ev_free(&e);
	return 0;
}

static int t_read(void)
{
	int sc[] = { SCAP_SC_READ, -1 };
	char buf[64];
	int p[2];
	struct ev e;

	CHECK_SYS(pipe(p) == 0);
	CHECK(write(p[1], "hello world", 11) == 11);
	if (cap_open(sc, NULL))
		return 1;
	CHECK(syscall(SYS_read, p[0], buf, sizeof(buf)) == 11);
	FIND(SCAP_EVT_READ_X, gettid_(), &e);
	P_N(&e, 4);
	P_I64(&e, 0, 11);
	P_BYTES(&e, 1, "hello world", 11);
	P_I64(&e, 2, p[0]);
	P_U32(&e, 3, sizeof(buf));
	ev_free(&e);
	CHECK(syscall(SYS_read, p[1], buf, 5) == -1 && errno == EBADF);
	FIND(SCAP_EVT_READ_X, gettid_(), &e);
	P_I64(&e, 0, -EBADF);
	P_EMPTY(&e, 1);
	P_I64(&e, 2, p[1]);
	P_U32(&e, 3, 5);
	ev_free(&e);
	close(p[0]);
	close(p[1]);
	return 0;
}

static int t_write(void)
{
	int sc[] = { SCAP_SC_WRITE, -1 };
	int p[2];
	struct ev e;

	CHECK_SYS(pipe(p) == 0);
	if (cap_open(sc, NULL))
		return 1;
	CHECK(syscall(SYS_write, p[1], "abc\0def", 7) == 7);
	FIND(SCAP_EVT_WRITE_X, gettid_(), &e);
	P_N(&e, 4);
	P_I64(&e, 0, 7);
	P_BYTES(&e, 1, "abc\0def", 7);
	P_I64(&e, 2, p[1]);
	P_U32(&e, 3, 7);
	ev_free(&e);
	/* a failed write keeps what the caller tried to write */
	CHECK(syscall(SYS_write, p[0], "xyz", 3) == -1 && errno == EBADF);
	FIND(SCAP_EVT_WRITE_X, gettid_(), &e);
	P_I64(&e, 0, -EBADF);
	P_BYTES(&e, 1, "xyz", 3);
	P_I64(&e, 2, p[0]);
	P_U32(&e, 3, 3);
	ev_free(&e);
	close(p[0]);
	close(p[1]);
	return 0;
}

static int data_file(int *fd, int *pfd)
{
	char path[300];
	mkdir_tmp();
	path_in(path, sizeof(path), "data");
	*fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (*fd < 0 || write(*fd, "0123456789abcdefghij", 20) != 20)
		return -1;
	unlink(path);
	return pipe(pfd);
}

static int t_pread_pwrite(void)
{
	int sc[] = { SCAP_SC_PREAD64, SCAP_SC_PWRITE64, -1 };
	int fd, p[2];
	char buf[32];
	struct ev e;

	CHECK_SYS(data_file(&fd, p) == 0);
	if (cap_open(sc, NULL))
		return 1;
	CHECK(syscall(SYS_pread64, fd, buf, 8, 5) == 8);
	FIND(SCAP_EVT_PREAD_X, gettid_(), &e);
	P_N(&e, 5);
	P_I64(&e, 0, 8);
	P_BYTES(&e, 1, "56789abc", 8);
	P_I64(&e, 2, fd);
	P_U32(&e, 3, 8);
	P_U64(&e, 4, 5);
	ev_free(&e);
	CHECK(syscall(SYS_pread64, p[0], buf, 8, 5) == -1 && errno == ESPIPE);
	FIND(SCAP_EVT_PREAD_X, gettid_(), &e);
	P_I64(&e, 0, -ESPIPE);
	P_EMPTY(&e, 1);
	P_I64(&e, 2, p[0]);
	P_U32(&e, 3, 8);
	P_U64(&e, 4, 5);
	ev_free(&e);
	CHECK(syscall(SYS_pwrite64, fd, "WXYZ", 4, 100) == 4);
	FIND(SCAP_EVT_PWRITE_X, gettid_(), &e);
	P_N(&e, 5);
	P_I64(&e, 0, 4);
	P_BYTES(&e, 1, "WXYZ", 4);
	P_I64(&e, 2, fd);
	P_U32(&e, 3, 4);
	P_U64(&e, 4, 100);
	ev_free(&e);
	CHECK(syscall(SYS_pwrite64, p[1], "WX", 2, 3) == -1 && errno == ESPIPE);
	FIND(SCAP_EVT_PWRITE_X, gettid_(), &e);
	P_I64(&e, 0, -ESPIPE);
	P_BYTES(&e, 1, "WX", 2);
	P_I64(&e, 2, p[1]);
	P_U32(&e, 3, 2);
	P_U64(&e, 4, 3);
	ev_free(&e);
	close(fd);
	close(p[0]);
	close(p[1]);
	return 0;
}

static int t_readv_writev(void)
{
	int sc[] = { SCAP_SC_READV, SCAP_SC_WRITEV, -1 };
	char a[4], b[8];
	struct iovec rio[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct iovec wio[3] = { { "ab", 2 }, { "", 0 }, { "cdefgh", 6 } };
	int p[2];
	struct ev e;

	CHECK_SYS(pipe(p) == 0);
	if (cap_open(sc, NULL))
		return 1;
	CHECK(syscall(SYS_writev, p[1], wio, 3) == 8);
	FIND(SCAP_EVT_WRITEV_X, gettid_(), &e);
	P_N(&e, 4);
	P_I64(&e, 0, 8);
	P_BYTES(&e, 1, "abcdefgh", 8);
	P_I64(&e, 2, p[1]);
	P_U32(&e, 3, 8);
	ev_free(&e);
	CHECK(syscall(SYS_readv, p[0], rio, 2) == 8);
	FIND(SCAP_EVT_READV_X, gettid_(), &e);
	P_N(&e, 4);
	P_I64(&e, 0, 8);
	P_U32(&e, 1, 12);
	P_BYTES(&e, 2, "abcdefgh", 8);
	P_I64(&e, 3, p[0]);
	ev_free(&e);
	CHECK(syscall(SYS_writev, p[0], wio, 3) == -1 && errno == EBADF);
	FIND(SCAP_EVT_WRITEV_X, gettid_(), &e);
	P_I64(&e, 0, -EBADF);
	P_BYTES(&e, 1, "abcdefgh", 8);
	P_I64(&e, 2, p[0]);
	P_U32(&e, 3, 8);
	ev_free(&e);
	CHECK(syscall(SYS_readv, p[1], rio, 2) == -1 && errno == EBADF);
	FIND(SCAP_EVT_READV_X, gettid_(), &e);
	P_I64(&e, 0, -EBADF);
	P_U32(&e, 1, 12);
	P_EMPTY(&e, 2);
	P_I64(&e, 3, p[1]);
	ev_free(&e);
	close(p[0]);
	close(p[1]);
	return 0;
}

static int t_preadv_pwritev(void)
{
	int sc[] = { SCAP_SC_PREADV, SCAP_SC_PWRITEV, -1 };
	char a[3], b[3];
	struct iovec rio[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct iovec wio[2] = { { "AB", 2 }, { "CD", 2 } };
	int fd, p[2];
	struct ev e;

	CHECK_SYS(data_file(&fd, p) == 0);
	if (cap_open(sc, NULL))
		return 1;
	CHECK(syscall(SYS_preadv, fd, rio, 2, 10, 0) == 6);
	FIND(SCAP_EVT_PREADV_X, gettid_(), &e);
	P_N(&e, 5);
	P_I64(&e, 0, 6);
	P_U32(&e, 1, 6);
	P_BYTES(&e, 2, "abcdef", 6);
	P_I64(&e, 3, fd);
	P_U64(&e, 4, 10);
	ev_free(&e);
	CHECK(syscall(SYS_pwritev, fd, wio, 2, 2, 0) == 4);
	FIND(SCAP_EVT_PWRITEV_X, gettid_(), &e);
	P_N(&e, 5);
	P_I64(&e, 0, 4);
	P_BYTES(&e, 1, "ABCD", 4);
	P_I64(&e, 2, fd);
	P_U32(&e, 3, 4);
	P_U64(&e, 4, 2);
	ev_free(&e);
	CHECK(syscall(SYS_preadv, p[0], rio, 2, 1, 0) == -1 && errno == ESPIPE);
	FIND(SCAP_EVT_PREADV_X, gettid_(), &e);
	P_I64(&e, 0, -ESPIPE);
	P_U32(&e, 1, 6);
	P_EMPTY(&e, 2);
	P_I64(&e, 3, p[0]);
	P_U64(&e, 4, 1);
	ev_free(&e);
	CHECK(syscall(SYS_pwritev, p[1], wio, 2, 7, 0) == -1 && errno == ESPIPE);
	FIND(SCAP_EVT_PWRITEV_X, gettid_(), &e);
	P_I64(&e, 0, -ESPIPE);
	P_BYTES(&e, 1, "ABCD", 4);
	P_I64(&e, 2, p[1]);
	P_U32(&e, 3, 4);
	P_U64(&e, 4, 7);
	ev_free(&e);
	close(fd);
	close(p[0]);
	close(p[1]);
	return 0;
}

const struct test_case file_cases[] = {
	{ "openat", t_openat },
	{ "open", t_open },
	{ "creat", t_creat },
	{ "openat2", t_openat2 },
	{ "close", t_close },
	{ "read", t_read },
	{ "write", t_write },
	{ "pread_pwrite", t_pread_pwrite },
	{ "readv_writev", t_readv_writev },
	{ "preadv_pwritev", t_preadv_pwritev },
	{ NULL, NULL },
};
