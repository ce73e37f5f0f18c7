/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kmod_tool: the guest-side helper of the kernel-module tests and benchmark (static binary).
 *
 *   kmod_tool consume ENGINE SECONDS     attach a consumer (all syscalls + procexit) for SECONDS,
 *                                        check delivered + dropped == generated; prints counts
 *   kmod_tool storm SECONDS              syscall storm (getppid, write /dev/null, open/read/close)
 *   kmod_tool bench ENGINE|none N        ns per syscall of the three storms with a consumer of
 *                                        ENGINE in another process; prints one line per storm
 *   kmod_tool cross                      the same workload under kmod and bpf_core at once: every
 *                                        event of its tids must have byte-identical parameters
 *   kmod_tool cross32 PROG               the same with a 32-bit workload (tests/ia32/workload32.c)
 *   kmod_tool exclude ENGINE             exclude_paths: the open family's events of excluded paths
 *                                        are dropped in the driver and counted, the others kept
 *   kmod_tool cycles KO N [PARAMS]       N x load KO, attach, unload refused, detach, unload;
 *                                        no refcount left, no vmalloc/slab growth (prints both)
 *   kmod_tool twice                      a second kmod capture in this process is refused
 *   kmod_tool badargs                    bad ioctl arguments and mmaps: each its errno
 *   kmod_tool undrained                  a full ring left unread is counted as unread
 *   kmod_tool noop ...                   exit 0 (the program the cross workload execs)
 * Exit status: 0 ok, 1 failure (reason on stderr), 77 skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <poll.h>
#include <linux/futex.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/sem.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include "scap/capture.h"
#include "scap/event.h"
#include "../../driver/pyscap_ioctl.h"

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static struct scap_capture *open_engine(const char *engine, const bool *ppm_sc, bool exclude_self)
{
	SCAP_OPTS(scap_live_opts, o, .engine = engine, .ppm_sc = ppm_sc, .exclude_self = exclude_self);
	struct scap_capture *c = scap_capture__open_live(&o);

	if (!c) {
		fprintf(stderr, "open_live(%s): %s (errno %d)\n", engine, scap_last_error(), errno);
		return NULL;
	}
	if (scap_capture__start(c) < 0) {
		fprintf(stderr, "start(%s): %s\n", engine, scap_capture__geterr(c));
		scap_capture__close(c);
		return NULL;
	}
	return c;
}

/* ------------------------------------------------------------------------------------------ */
/* consume                                                                                      */

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

/* Drain until `stop` (or the deadline), then stop, drain the rest and check the counters. */
static int consume(const char *engine, double seconds, bool quiet)
{
	struct scap_stats st = { .sz = sizeof(st) };
	struct scap_event_ref refs[256];
	uint64_t deadline = mono_ns() + (uint64_t)(seconds * 1e9), n = 0;
	struct scap_capture *c = open_engine(engine, NULL, true);
	uint32_t got;
	int idle = 0, rc;

	if (!c)
		return 1;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	printf("ready\n");
	fflush(stdout);
	while (!g_stop && mono_ns() < deadline) {
		rc = scap_capture__next_batch(c, refs, 256, &got);
		if (rc < 0) {
			fprintf(stderr, "next_batch: %s\n", scap_capture__geterr(c));
			return 1;
		}
		if (rc == 0)
			n += got;
		else
			usleep(1000);
	}
	scap_capture__stop(c);
	while (idle < 3) {
		rc = scap_capture__next_batch(c, refs, 256, &got);
		if (rc == 0) {
			n += got;
			idle = 0;
		} else {
			idle++;
			usleep(1000);
		}
	}
	scap_capture__stats(c, &st);
	if (!quiet)
		printf("delivered %llu dropped %llu generated %llu unread %llu\n", (unsigned long long)st.n_delivered,
		       (unsigned long long)st.n_drops, (unsigned long long)st.n_evts, (unsigned long long)st.n_unread);
	scap_capture__close(c);
	if (st.n_delivered != n || st.n_delivered + st.n_drops != st.n_evts || st.n_unread) {
		fprintf(stderr,
			"counters do not add up: delivered %llu (counted %llu) + dropped %llu != generated %llu\n",
			(unsigned long long)st.n_delivered, (unsigned long long)n, (unsigned long long)st.n_drops,
			(unsigned long long)st.n_evts);
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* storms                                                                                       */

enum storm { S_GETPPID, S_WRITE, S_OPEN_READ_CLOSE, S_MAX };
static const char *const storm_names[S_MAX] = { "getppid", "write1_devnull", "open_read_close" };

static void storm_once(enum storm s, int devnull)
{
	char b;

	switch (s) {
	case S_GETPPID: syscall(SYS_getppid); break;
	case S_WRITE:
		if (write(devnull, "x", 1) != 1)
			abort();
		break;
	case S_OPEN_READ_CLOSE: {
		int fd = open("/proc/self/comm", O_RDONLY);
		if (fd < 0 || read(fd, &b, 1) != 1)
			abort();
		close(fd);
		break;
	}
	case S_MAX: break;
	}
}

static int storm(double seconds)
{
	uint64_t deadline = mono_ns() + (uint64_t)(seconds * 1e9), n = 0;
	int devnull = open("/dev/null", O_WRONLY);

	while (mono_ns() < deadline) {
		for (int i = 0; i < 100; i++)
			storm_once(n % S_MAX, devnull);
		n++;
	}
	printf("storm: %llu rounds\n", (unsigned long long)n * 100);
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* bench                                                                                        */

/* A consumer process for ENGINE; returns its pid once it is ready (reading its "ready" line). */
static pid_t spawn_consumer(const char *engine, int *out_fd)
{
	int p[2];
	pid_t pid;
	char buf[16] = "";

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		_exit(consume(engine, 3600, false));
	}
	close(p[1]);
	if (read(p[0], buf, 6) != 6 || strncmp(buf, "ready\n", 6)) {
		fprintf(stderr, "the %s consumer did not start\n", engine);
		return -1;
	}
	*out_fd = p[0];
	return pid;
}

static int bench(const char *engine, long iters)
{
	int devnull = open("/dev/null", O_WRONLY), fd = -1, status;
	pid_t cons = 0;
	char out[256] = "";
	double ns[S_MAX];
	ssize_t n;

	if (strcmp(engine, "none")) {
		cons = spawn_consumer(engine, &fd);
		if (cons < 0)
			return 1;
	}
	for (int s = 0; s < S_MAX; s++) {
		uint64_t t0;

		for (long i = 0; i < iters / 10; i++) /* warm up */
			storm_once(s, devnull);
		t0 = mono_ns();
		for (long i = 0; i < iters; i++)
			storm_once(s, devnull);
		ns[s] = (double)(mono_ns() - t0) / iters;
	}
	if (cons > 0) {
		kill(cons, SIGTERM);
		n = read(fd, out, sizeof(out) - 1);
		out[n > 0 ? n : 0] = 0;
		waitpid(cons, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "consumer failed: %s\n", out);
			return 1;
		}
	}
	for (int s = 0; s < S_MAX; s++)
		printf("bench %s %s %.1f ns/iter\n", engine, storm_names[s], ns[s]);
	if (cons > 0)
		printf("bench %s consumer %s", engine, out);
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* cross                                                                                        */
/*
 * Both engines capture at once (same syscall set, every syscall but the noisy scheduler and
 * page-fault tracepoints). The workload runs between two marker opens on this thread and
 * records the tids it creates (a forked child that execs this program, a thread). For every
 * tid, the two engines must deliver the same sequence of events with byte-identical
 * parameters. Excluded: the header timestamp (each driver reads its own clock at its own
 * instant: kmod ktime_get_real_ns at submit; CO-RE boot_time measured in user space at open +
 * bpf_ktime_get_boot_ns), and clone's pidns_init_start_ts, compared within 10 ms (see
 * near_wallclock).
 */

#define CROSS_MAX_EVENTS 20000
#define CROSS_MAX_TIDS	 8
#define MARK_BEGIN	 "/kmod_cross/begin"
#define MARK_END	 "/kmod_cross/end"

struct ev_list {
	uint8_t *raw[CROSS_MAX_EVENTS];
	int n;
};

static pid_t g_tids[CROSS_MAX_TIDS];
static int g_ntids;
static volatile pid_t g_thread_tid;

static int tid_index(uint64_t tid)
{
	for (int i = 0; i < g_ntids; i++)
		if ((uint64_t)g_tids[i] == tid)
			return i;
	return -1;
}

static bool is_marker(const struct scap_evt_hdr *h, const char *path)
{
	struct scap_param p[SCAP_MAX_PARAMS];
	uint32_t n;

	if ((h->type != SCAP_EVT_OPENAT_E && h->type != SCAP_EVT_OPENAT_X) ||
	    scap_event_decode(h, h->len, p, SCAP_MAX_PARAMS, &n) < 0)
		return false;
	/* openat E: dirfd, name, ...; openat X: fd, dirfd, name, ... */
	const struct scap_param *name = &p[h->type == SCAP_EVT_OPENAT_E ? 1 : 2];
	return name->len == strlen(path) + 1 && !memcmp(name->data, path, name->len);
}

/* Drain a stopped capture: the workload's events (main thread between the markers, every event
 * of the other recorded tids), in delivery order. */
static int collect(struct scap_capture *c, struct ev_list *out)
{
	const struct scap_evt_hdr *h;
	int idle = 0, state = 0; /* main thread: 0 before the begin marker, 1 inside, 2 after */

	out->n = 0;
	while (idle < 200) {
		int rc = scap_capture__next(c, &h, NULL, NULL);

		if (rc < 0) {
			fprintf(stderr, "next: %s\n", scap_capture__geterr(c));
			return -1;
		}
		if (rc > 0) {
			idle++;
			usleep(1000);
			continue;
		}
		idle = 0;
		int ti = tid_index(h->tid);
		if (ti < 0)
			continue;
		if (ti == 0) {
			if (state == 0 && h->type == SCAP_EVT_OPENAT_E && is_marker(h, MARK_BEGIN))
				state = 1;
			if (state != 1)
				continue;
			if (h->type == SCAP_EVT_OPENAT_X && is_marker(h, MARK_END))
				state = 2;
		}
		if (out->n >= CROSS_MAX_EVENTS) {
			fprintf(stderr, "more than %d workload events\n", CROSS_MAX_EVENTS);
			return -1;
		}
		out->raw[out->n] = malloc(h->len);
		memcpy(out->raw[out->n], h, h->len);
		out->n++;
	}
	if (state != 2) {
		fprintf(stderr, "markers not seen (state %d) after %d workload events:", state, out->n);
		for (int i = out->n > 8 ? out->n - 8 : 0; i < out->n; i++)
			fprintf(stderr, " %s/%llu", scap_event_name(((struct scap_evt_hdr *)out->raw[i])->type),
				(unsigned long long)((struct scap_evt_hdr *)out->raw[i])->tid);
		fprintf(stderr, "\n");
		return -1;
	}
	return 0;
}

static void *cross_thread(void *arg)
{
	char b[16];
	int fd;

	(void)arg;
	g_thread_tid = (pid_t)syscall(SYS_gettid);
	fd = open("/proc/self/stat", O_RDONLY);
	if (fd >= 0) {
		if (read(fd, b, sizeof(b)) < 0)
			abort();
		close(fd);
	}
	syscall(SYS_getppid);
	return NULL;
}

/* One call of (nearly) every syscall with a dedicated event, successes and failures. */
static void workload(const char *self)
{
	char buf[256] = "hello kmod", cwd[256];
	struct iovec iov[2] = { { buf, 3 }, { buf + 3, 4 } };
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = htonl(0x7f000001) };
	struct sockaddr_in la = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
	socklen_t alen = sizeof(la);
	struct rlimit rl;
	struct pollfd pfd[2];
	struct timespec ts = { 0, 1000 };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	struct epoll_event epev = { .events = EPOLLIN };
	struct sembuf sb[2] = { { 0, 1, 0 }, { 0, -1, IPC_NOWAIT } };
	fd_set rs;
	struct timeval tv = { 0, 0 };
	char cwd0[256];
	sigset_t ss;
	uint32_t fut = 1, gid, uid;
	int fd, fd2, p[2], sp[2], s, ls, cs, as, ep, efd, sem, one = 1;
	pthread_t th;
	pid_t child;
	loff_t off;

	if (!getcwd(cwd0, sizeof(cwd0)))
		abort();
	/* files */
	fd = open("/tmp/kmod_cross", O_CREAT | O_RDWR | O_TRUNC, 0640);
	if (fd < 0 || write(fd, buf, 10) != 10 || pwrite(fd, buf, 5, 2) != 5 || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	if (read(fd, buf, 10) != 10 || readv(fd, iov, 2) < 0 || writev(fd, iov, 2) != 7 || preadv(fd, iov, 2, 1) < 0 ||
	    pwritev(fd, iov, 2, 3) != 7 || pread(fd, buf, 4, 0) != 4)
		abort();
	fd2 = dup(fd);
	dup2(fd2, 40);
	dup3(40, 41, O_CLOEXEC);
	close(40);
	close(41);
	fcntl(fd2, F_SETFL, O_APPEND);
	fcntl(fd2, F_GETFL);
	flock(fd2, LOCK_EX);
	flock(fd2, LOCK_UN);
	ioctl(fd2, FIONREAD, &one);
	fsync(fd2); /* a generic syscall event */
	close(fd2);
	close(fd);
	fd = syscall(SYS_creat, "/tmp/kmod_cross_creat", 0600);
	close(fd);
	openat(AT_FDCWD, "/nonexistent/x", O_RDONLY);
	syscall(SYS_open, "/tmp/kmod_cross", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	{
		struct {
			uint64_t flags, mode, resolve;
		} how = { O_RDONLY, 0, 0x04 /* RESOLVE_NO_SYMLINKS */ };
		fd = syscall(SYS_openat2, AT_FDCWD, "/tmp/kmod_cross", &how, sizeof(how));
		if (fd >= 0)
			close(fd);
	}
	stat("/tmp/kmod_cross", (struct stat *)buf);
	lstat("/nonexistent", (struct stat *)buf);
	fstatat(AT_FDCWD, "/tmp", (struct stat *)buf, AT_SYMLINK_NOFOLLOW);
	access("/tmp/kmod_cross", R_OK | W_OK);
	chmod("/tmp/kmod_cross", 0600);
	chown("/tmp/kmod_cross", 0, 0);
	lchown("/tmp/kmod_cross", 0, 0);
	fchownat(AT_FDCWD, "/tmp/kmod_cross", 0, 0, AT_SYMLINK_NOFOLLOW);
	fchmodat(AT_FDCWD, "/tmp/kmod_cross", 0644, 0);
	mkdir("/tmp/kmod_cross_dir", 0755);
	mkdirat(AT_FDCWD, "/tmp/kmod_cross_dir/sub", 0700);
	fd = open("/tmp/kmod_cross_dir", O_RDONLY | O_DIRECTORY);
	syscall(SYS_getdents64, fd, buf, sizeof(buf));
	fchdir(fd);
	if (!getcwd(cwd, sizeof(cwd)))
		abort();
	fchmod(fd, 0755);
	fchown(fd, 0, 0);
	close(fd);
	chdir("/tmp");
	rmdir("/tmp/kmod_cross_dir/sub");
	unlinkat(AT_FDCWD, "/tmp/kmod_cross_dir", AT_REMOVEDIR);
	link("/tmp/kmod_cross", "/tmp/kmod_cross_l1");
	linkat(AT_FDCWD, "/tmp/kmod_cross", AT_FDCWD, "/tmp/kmod_cross_l2", 0);
	symlink("/tmp/kmod_cross", "/tmp/kmod_cross_s1");
	symlinkat("/tmp/kmod_cross", AT_FDCWD, "/tmp/kmod_cross_s2");
	rename("/tmp/kmod_cross_l1", "/tmp/kmod_cross_l3");
	renameat(AT_FDCWD, "/tmp/kmod_cross_l2", AT_FDCWD, "/tmp/kmod_cross_l4");
	syscall(SYS_renameat2, AT_FDCWD, "/tmp/kmod_cross_l3", AT_FDCWD, "/tmp/kmod_cross_l4", 1 /* NOREPLACE */);
	mknod("/tmp/kmod_cross_fifo", S_IFIFO | 0600, 0);
	mknodat(AT_FDCWD, "/tmp/kmod_cross_fifo2", S_IFIFO | 0600, 0);
	unlink("/tmp/kmod_cross_fifo");
	unlink("/tmp/kmod_cross_fifo2");
	unlink("/tmp/kmod_cross_s1");
	unlink("/tmp/kmod_cross_s2");
	unlink("/tmp/kmod_cross_l3");
	unlink("/tmp/kmod_cross_l4");
	unlink("/tmp/kmod_cross_creat");
	mount("none", "/tmp/kmod_cross_mnt", "tmpfs", MS_NOSUID, NULL); /* ENOENT */
	umount2("/tmp/kmod_cross_mnt", MNT_DETACH);

	/* fd creators, pipes, polling, copies */
	if (pipe(p) == 0) {
		if (write(p[1], "abc", 3) != 3)
			abort();
		pfd[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
		poll(pfd, 2, 0);
		ppoll(pfd, 2, &ts, NULL);
		FD_ZERO(&rs);
		FD_SET(p[0], &rs);
		select(p[0] + 1, &rs, NULL, NULL, &tv);
		ep = epoll_create1(EPOLL_CLOEXEC);
		epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &epev);
		epoll_wait(ep, &epev, 1, 0);
		close(ep);
		fd = open("/tmp/kmod_cross", O_RDWR);
		splice(p[0], NULL, fd, NULL, 3, SPLICE_F_MOVE);
		off = 0;
		sendfile(p[1], fd, &off, 4);
		off = 0;
		{
			loff_t o2 = 20;
			syscall(SYS_copy_file_range, fd, &off, fd, &o2, 4, 0);
		}
		close(fd);
		close(p[0]);
		close(p[1]);
	}
	if (pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0) {
		close(p[0]);
		close(p[1]);
	}
	efd = eventfd(3, EFD_NONBLOCK);
	close(efd);
	sigemptyset(&ss);
	sigaddset(&ss, SIGUSR2);
	fd = signalfd(-1, &ss, SFD_CLOEXEC);
	close(fd);
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	close(fd);
	fd = inotify_init1(IN_NONBLOCK);
	close(fd);
	fd = syscall(SYS_memfd_create, "kmod_cross", 1 /* MFD_CLOEXEC */);
	close(fd);
	fd = syscall(SYS_pidfd_open, getpid(), 0);
	syscall(SYS_pidfd_getfd, fd, 0, 0);
	close(fd);
	syscall(SYS_userfaultfd, O_CLOEXEC);
	/* fds of our own only: the engines' descriptors must survive */
	dup2(0, 900);
	dup2(0, 901);
	syscall(SYS_close_range, 900, 901, 0);

	/* network: UDP, TCP over loopback, unix socketpair */
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s >= 0) {
		bind(s, (struct sockaddr *)&a, sizeof(a));
		connect(s, (struct sockaddr *)&a, sizeof(a));
		sendto(s, buf, 4, 0, (struct sockaddr *)&a, sizeof(a));
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		alen = sizeof(one);
		getsockopt(s, SOL_SOCKET, SO_ERROR, &one, &alen);
		close(s);
	}
	ls = socket(AF_INET, SOCK_STREAM, 0);
	alen = sizeof(la);
	if (ls >= 0 && bind(ls, (struct sockaddr *)&la, sizeof(la)) == 0 && listen(ls, 4) == 0 &&
	    getsockname(ls, (struct sockaddr *)&la, &alen) == 0) {
		cs = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(cs, (struct sockaddr *)&la, sizeof(la)) == 0) {
			as = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
			send(cs, "ping", 4, 0);
			recvfrom(as, buf, sizeof(buf), 0, NULL, NULL);
			sendmsg(as, &mh, 0);
			recvmsg(cs, &mh, 0);
			getpeername(cs, (struct sockaddr *)&la, &alen);
			shutdown(as, SHUT_WR);
			close(as);
		}
		close(cs);
	}
	close(ls);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0) {
		if (write(sp[0], "u", 1) != 1 || read(sp[1], buf, 1) != 1)
			abort();
		close(sp[0]);
		close(sp[1]);
	}

	/* memory */
	{
		void *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m != MAP_FAILED) {
			mprotect(m, 4096, PROT_READ);
			mlock(m, 4096);
			munlock(m, 4096);
			syscall(SYS_mlock2, m, 4096, 1 /* MLOCK_ONFAULT */);
			munlockall();
			munmap(m, 8192);
		}
		sbrk(0);
	}

	/* credentials, process state, limits, time, signals */
	uid = getuid();
	gid = getgid();
	geteuid();
	getegid();
	setuid(uid);
	setgid(gid);
	setreuid(-1, uid);
	setregid(-1, gid);
	setresuid(-1, -1, -1);
	setresgid(-1, -1, -1);
	{
		uid_t r1, r2, r3;
		getresuid(&r1, &r2, &r3);
		getresgid(&r1, &r2, &r3);
	}
	setpgid(0, 0);
	setsid(); /* EPERM: already a group leader */
	prctl(PR_SET_NAME, "kmod_cross");
	prctl(PR_GET_NAME, buf);
	prctl(PR_SET_DUMPABLE, 1);
	getrlimit(RLIMIT_NOFILE, &rl);
	setrlimit(RLIMIT_NOFILE, &rl);
	prlimit(0, RLIMIT_NOFILE, NULL, &rl);
	nanosleep(&ts, NULL);
	syscall(SYS_futex, &fut, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	kill(getpid(), 0);
	syscall(SYS_tkill, syscall(SYS_gettid), 0);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), 0);
	ptrace(PTRACE_PEEKDATA, 1, NULL, NULL); /* EPERM or ESRCH */
	syscall(SYS_seccomp, 2 /* SECCOMP_GET_ACTION_AVAIL */, 0, &one);
	unshare(0);
	syscall(SYS_delete_module, "kmod_cross_none", O_NONBLOCK);
	syscall(SYS_finit_module, -1, "", 0);
	syscall(SYS_bpf, 9999, NULL, 0);
	syscall(SYS_io_uring_setup, 0, NULL);
	syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3 /* SESSION */, 0);
	/* raw syscalls: glibc's semop is semtimedop */
	sem = syscall(SYS_semget, IPC_PRIVATE, 1, IPC_CREAT | 0600);
	syscall(SYS_semop, sem, sb, 2);
	syscall(SYS_semctl, sem, 0, SETVAL, 5);
	syscall(SYS_semctl, sem, 0, IPC_RMID, 0);
	{
		uint64_t dq[9] = { 11, 12, 13, 14, 15, 16, 17, 18, 0xf };
		syscall(SYS_quotactl, 0x800001 << 8, NULL, 0, NULL);			   /* Q_SYNC, USRQUOTA */
		syscall(SYS_quotactl, (0x800008 << 8) | 1, "/dev/kmod-cross-none", 7, dq); /* Q_SETQUOTA, GRP */
	}
	{
		struct iovec liov = { buf, 8 }, riov = { cwd, 8 };
		syscall(SYS_process_vm_readv, getpid(), &liov, 1, &riov, 1, 0);
	}

	/* a thread (created from a removed cwd: its clone3 event carries that path), and a child
	 * that execs this program */
	mkdir("/tmp/kmod_cross_gone", 0755);
	chdir("/tmp/kmod_cross_gone");
	rmdir("/tmp/kmod_cross_gone");
	if (pthread_create(&th, NULL, cross_thread, NULL) == 0) {
		pthread_join(th, NULL);
		g_tids[g_ntids++] = g_thread_tid;
	}
	chdir(cwd0);
	child = fork();
	if (child == 0) {
		execl(self, self, "noop", "arg with spaces", (char *)NULL);
		_exit(127);
	}
	if (child > 0) {
		g_tids[g_ntids++] = child;
		waitpid(child, NULL, 0);
	}
	unlink("/tmp/kmod_cross");
}

static void print_hex(const void *d, uint32_t len)
{
	for (uint32_t x = 0; x < len && x < 48; x++)
		printf("%02x", ((const uint8_t *)d)[x]);
	if (len > 48)
		printf("...");
}

/*
 * The one parameter allowed to differ: clone's pidns_init_start_ts is a wall-clock time, init's
 * boot-time start plus each driver's realtime-boottime offset (kmod: the kernel's at the event;
 * CO-RE: measured by its engine in user space at open), so the two agree only to the precision
 * of that measurement. Accepted within 10 ms.
 */
static bool near_wallclock(uint16_t type, uint32_t p, const struct scap_param *a, const struct scap_param *b)
{
	const char *name = scap_event_param_name(type, p);
	uint64_t x, y;

	if (!name || strcmp(name, "pidns_init_start_ts") || a->len != 8 || b->len != 8)
		return false;
	memcpy(&x, a->data, 8);
	memcpy(&y, b->data, 8);
	return (x > y ? x - y : y - x) < 10000000;
}

/* Compare the per-tid sequences of the two engines; prints SAME/DIFF lines, returns differences. */
static int compare(const struct ev_list *k, const struct ev_list *b, int *same, int *tolerated)
{
	int bad = 0;

	*same = 0;
	*tolerated = 0;
	for (int t = 0; t < g_ntids; t++) {
		int i = 0, j = 0;

		for (;;) {
			const struct scap_evt_hdr *hk = NULL, *hb = NULL;

			while (i < k->n && ((struct scap_evt_hdr *)k->raw[i])->tid != (uint64_t)g_tids[t])
				i++;
			while (j < b->n && ((struct scap_evt_hdr *)b->raw[j])->tid != (uint64_t)g_tids[t])
				j++;
			if (i < k->n)
				hk = (const void *)k->raw[i++];
			if (j < b->n)
				hb = (const void *)b->raw[j++];
			if (!hk && !hb)
				break;
			if (!hk || !hb) {
				printf("DIFF tid %d: only %s has %s\n", g_tids[t], hk ? "kmod" : "bpf_core",
				       scap_event_name((hk ? hk : hb)->type));
				bad++;
				continue;
			}
			if (hk->type != hb->type) {
				printf("DIFF tid %d: kmod %s vs bpf_core %s: the sequences diverge\n", g_tids[t],
				       scap_event_name(hk->type), scap_event_name(hb->type));
				bad++;
				break;
			}
			struct scap_param pk[SCAP_MAX_PARAMS], pb[SCAP_MAX_PARAMS];
			uint32_t npk = 0, npb = 0;
			int ev_bad = 0;

			if (scap_event_decode(hk, hk->len, pk, SCAP_MAX_PARAMS, &npk) < 0 ||
			    scap_event_decode(hb, hb->len, pb, SCAP_MAX_PARAMS, &npb) < 0 || npk != npb) {
				printf("DIFF %s: does not decode or nparams %u vs %u\n", scap_event_name(hk->type), npk,
				       npb);
				bad++;
				continue;
			}
			for (uint32_t p = 0; p < npk; p++) {
				if (pk[p].len == pb[p].len && !memcmp(pk[p].data, pb[p].data, pk[p].len))
					continue;
				if (near_wallclock(hk->type, p, &pk[p], &pb[p])) {
					(*tolerated)++;
					continue;
				}
				printf("DIFF %s.%s: kmod %u bytes [", scap_event_name(hk->type),
				       scap_event_param_name(hk->type, p), pk[p].len);
				print_hex(pk[p].data, pk[p].len);
				printf("] bpf_core %u bytes [", pb[p].len);
				print_hex(pb[p].data, pb[p].len);
				printf("]\n");
				ev_bad++;
			}
			/* the header but the timestamp (the payloads were compared above) */
			if (!ev_bad && (hk->len != hb->len || memcmp((const uint8_t *)hk + 8, (const uint8_t *)hb + 8,
								     SCAP_EVENT_HEADER_SIZE - 8))) {
				printf("DIFF %s: header or layout\n", scap_event_name(hk->type));
				ev_bad++;
			}
			if (ev_bad) {
				bad += ev_bad;
				continue;
			}
			(*same)++;
			printf("SAME %s %u\n", scap_event_name(hk->type), npk);
		}
	}
	return bad;
}

/*
 * The 32-bit workload for cross32: PROG (tests/ia32/workload32.c, a static i386 binary) with a
 * 20000-byte file and a listening port (backlog 8: its three connects complete unaccepted), its
 * stdin a pipe that says go; its tid and its forked child's (from its report) are compared.
 */
static bool g_workload_failed;

static void workload32(const char *prog)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	char port[16], out[512] = "", *child;
	int lfd, in[2], res[2], fd, status = 0;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	g_workload_failed = true;
	fd = open("/tmp/kmod_ia32_file", O_CREAT | O_RDWR | O_TRUNC, 0644);
	for (int i = 0; fd >= 0 && i < 2000; i++)
		if (write(fd, "0123456789", 10) != 10)
			break;
	if (fd >= 0)
		close(fd);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 8) ||
	    getsockname(lfd, (struct sockaddr *)&a, &alen) || pipe(in) || pipe(res)) {
		perror("cross32 setup");
		return;
	}
	snprintf(port, sizeof(port), "%u", ntohs(a.sin_port));
	pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(res[1], 1);
		execl(prog, prog, "/tmp/kmod_ia32_file", port, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(res[1]);
	g_tids[g_ntids++] = pid;
	if (write(in[1], "g", 1) != 1)
		perror("cross32 go");
	while (got < sizeof(out) - 1 && (n = read(res[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = 0;
	waitpid(pid, &status, 0);
	close(in[1]);
	close(res[0]);
	close(lfd);
	child = strstr(out, "\nchild ");
	if (!WIFEXITED(status) || WEXITSTATUS(status) || !child) {
		fprintf(stderr, "cross32: %s failed (status %#x): %s\n", prog, status, out);
		return;
	}
	g_tids[g_ntids++] = atoi(child + 7);
	g_workload_failed = false;
}

static int cross_with(void (*work)(const char *), const char *arg, const char *label)
{
	static bool set[SCAP_SC_MAX];
	static struct ev_list k, b;
	struct scap_stats sk = { .sz = sizeof(sk) }, sb = { .sz = sizeof(sb) };
	struct scap_capture *ck, *cb;
	int bad, same, tolerated;

	for (int sc = 1; sc < SCAP_SC_MAX; sc++)
		set[sc] = true;
	set[SCAP_SC_SCHED_SWITCH] = false;
	set[SCAP_SC_PAGE_FAULT_USER] = set[SCAP_SC_PAGE_FAULT_KERNEL] = false;
	ck = open_engine("kmod", set, false);
	if (!ck)
		return 1;
	cb = open_engine("bpf_core", set, false);
	if (!cb) {
		scap_capture__close(ck);
		return 77;
	}
	g_tids[g_ntids++] = (pid_t)syscall(SYS_gettid);
	openat(AT_FDCWD, MARK_BEGIN, O_RDONLY);
	work(arg);
	openat(AT_FDCWD, MARK_END, O_RDONLY);
	scap_capture__stop(ck);
	scap_capture__stop(cb);
	if (collect(ck, &k) || collect(cb, &b))
		return 1;
	scap_capture__stats(ck, &sk);
	scap_capture__stats(cb, &sb);
	bad = compare(&k, &b, &same, &tolerated);
	printf("%s: %d tids, kmod %d events (%llu dropped), bpf_core %d events (%llu dropped), %d same "
	       "(%d pidns_init_start_ts within 10 ms), %d differences\n",
	       label, g_ntids, k.n, (unsigned long long)sk.n_drops, b.n, (unsigned long long)sb.n_drops, same,
	       tolerated, bad);
	scap_capture__close(ck);
	scap_capture__close(cb);
	return bad || sk.n_drops || sb.n_drops || g_workload_failed ? 1 : 0;
}

static int cross(const char *self)
{
	g_workload_failed = false;
	return cross_with(workload, self, "cross");
}

/* ------------------------------------------------------------------------------------------ */
/* exclude                                                                                      */

/*
 * A capture of the open family with exclude_paths {"/tmp/kx/", "/proc"}: this thread opens paths
 * in and out of them with openat, open, openat2 and creat. Delivered must be exactly the events of
 * the others (enter and exit each), n_excluded the rest.
 */
static int exclude(const char *engine)
{
	static bool set[SCAP_SC_MAX];
	const char *paths[] = { "/tmp/kx/", "/proc" };
	const char *open_these[] = { "/tmp/kx/a", "/tmp/kx", "/tmp/kxy", "/proc/self/stat", "/procx", "kx/a" };
	const bool kept[] = { false, false, true, false, true, true };
	struct {
		uint64_t flags, mode, resolve;
	} how = { O_RDONLY, 0, 0 };
	struct scap_stats st = { .sz = sizeof(st) };
	int want = 2, got = 0, bad = 0, excluded = 0;
	bool begun = false;
	const struct scap_evt_hdr *h;
	struct scap_capture *c;
	pid_t tid = (pid_t)syscall(SYS_gettid);

	set[SCAP_SC_OPEN] = set[SCAP_SC_OPENAT] = set[SCAP_SC_OPENAT2] = set[SCAP_SC_CREAT] = true;
	mkdir("/tmp/kx", 0755);
	close(open("/tmp/kx/a", O_CREAT | O_WRONLY, 0644));
	close(open("/tmp/kxy", O_CREAT | O_WRONLY, 0644));
	if (chdir("/tmp"))
		return 1;
	{
		SCAP_OPTS(scap_live_opts, o, .engine = engine, .ppm_sc = set, .exclude_paths = paths,
			  .n_exclude_paths = 2);
		c = scap_capture__open_live(&o);
	}
	if (!c || scap_capture__start(c) < 0) {
		fprintf(stderr, "exclude: open/start %s: %s\n", engine,
			c ? scap_capture__geterr(c) : scap_last_error());
		return 1;
	}
	close(openat(AT_FDCWD, "/tmp/kx-begin", O_CREAT | O_WRONLY, 0644)); /* the marker */
	for (int i = 0; i < 6; i++) {
		int fds[3] = { openat(AT_FDCWD, open_these[i], O_RDONLY),
			       (int)syscall(SYS_open, open_these[i], O_RDONLY),
			       (int)syscall(SYS_openat2, AT_FDCWD, open_these[i], &how, sizeof(how)) };

		for (int k = 0; k < 3; k++)
			if (fds[k] >= 0)
				close(fds[k]);
		if (kept[i])
			want += 6;
		else
			excluded += 6;
	}
	close((int)syscall(SYS_creat, "/tmp/kx/created", 0600));
	close((int)syscall(SYS_creat, "/tmp/kx-created", 0600));
	want += 2;
	excluded += 2;
	scap_capture__stop(c);
	for (int idle = 0; idle < 100;) {
		int rc = scap_capture__next(c, &h, NULL, NULL);

		if (rc > 0) {
			idle++;
			usleep(1000);
			continue;
		}
		if (rc < 0)
			break;
		idle = 0;
		if (h->tid != (uint64_t)tid)
			continue;
		struct scap_param p[SCAP_MAX_PARAMS];
		/* the path: open/creat E 0, open/creat X and openat/openat2 E 1, openat/openat2 X 2 */
		uint32_t n = 0, ni = h->type == SCAP_EVT_OPEN_E || h->type == SCAP_EVT_CREAT_E	     ? 0
				     : h->type == SCAP_EVT_OPENAT_X || h->type == SCAP_EVT_OPENAT2_X ? 2
												     : 1;

		if (scap_event_decode(h, h->len, p, SCAP_MAX_PARAMS, &n) < 0 || ni >= n)
			continue;
		const char *name = (const char *)p[ni].data;
		if (!begun && strcmp(name, "/tmp/kx-begin"))
			continue; /* the engine's own opens while it starts */
		begun = true;
		got++;
		if (getenv("KMOD_TOOL_DEBUG"))
			printf("  %s %s\n", scap_event_name(h->type), name);
		if (!strncmp(name, "/tmp/kx/", 8) || !strcmp(name, "/tmp/kx") || !strncmp(name, "/proc/", 6)) {
			printf("exclude: %s delivered %s %s\n", engine, scap_event_name(h->type), name);
			bad++;
		}
	}
	scap_capture__stats(c, &st);
	scap_capture__close(c);
	printf("exclude: %s %d delivered (want %d), %llu excluded (want %d)\n", engine, got, want,
	       (unsigned long long)st.n_excluded, excluded);
	return bad || got != want || st.n_excluded != (uint64_t)excluded ? 1 : 0;
}

/* ------------------------------------------------------------------------------------------ */
/* cycles                                                                                       */

static long meminfo_kb(const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':')
			v = atol(line + strlen(key) + 1);
	if (f)
		fclose(f);
	return v;
}

static long module_refcnt(void)
{
	char b[32] = "";
	int fd = open("/sys/module/pyscap/refcnt", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, b, sizeof(b) - 1) : -1;

	if (fd >= 0)
		close(fd);
	return n > 0 ? atol(b) : -1;
}

static int load_module(const char *ko, const char *params)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = syscall(SYS_finit_module, fd, params, 0);
	close(fd);
	return rc;
}

/*
 * N x (load the module, attach a consumer while the storm runs elsewhere, consume until events
 * arrive, try to unload: must be refused with the consumer attached, detach, check the counters
 * and that the module reference went back to 0, unload). Then: no vmalloc/slab growth.
 */
static int cycles(const char *ko, int n, const char *params)
{
	long vm0, vm1, slab0, slab1;
	struct scap_event_ref refs[256];

	if (load_module(ko, params) || syscall(SYS_delete_module, "pyscap", O_NONBLOCK)) {
		fprintf(stderr, "warm-up load/unload of %s: %s\n", ko, strerror(errno));
		return 1;
	}
	vm0 = meminfo_kb("VmallocUsed");
	slab0 = meminfo_kb("Slab");
	for (int i = 0; i < n; i++) {
		struct scap_stats st = { .sz = sizeof(st) };
		uint64_t got = 0, deadline;
		struct scap_capture *c;
		uint32_t k;
		long ref;

		if (load_module(ko, params)) {
			fprintf(stderr, "cycle %d: load: %s\n", i, strerror(errno));
			return 1;
		}
		c = open_engine("kmod", NULL, true);
		if (!c)
			return 1;
		deadline = mono_ns() + 5000000000ull;
		while (got < 100 && mono_ns() < deadline) {
			int rc = scap_capture__next_batch(c, refs, 256, &k);
			if (rc < 0) {
				fprintf(stderr, "cycle %d: next_batch: %s\n", i, scap_capture__geterr(c));
				return 1;
			}
			if (rc == 0)
				got += k;
		}
		ref = module_refcnt();
		if (syscall(SYS_delete_module, "pyscap", O_NONBLOCK) == 0) {
			fprintf(stderr, "cycle %d: the module unloaded with a consumer attached\n", i);
			return 1;
		}
		if (errno != EWOULDBLOCK && errno != EBUSY) {
			fprintf(stderr, "cycle %d: unload while attached: unexpected %s\n", i, strerror(errno));
			return 1;
		}
		scap_capture__stop(c);
		while (scap_capture__next_batch(c, refs, 256, &k) == 0)
			got += k;
		scap_capture__stats(c, &st);
		scap_capture__close(c);
		if (got < 100 || st.n_delivered != got || st.n_delivered + st.n_drops != st.n_evts || ref <= 0) {
			fprintf(stderr,
				"cycle %d: got %llu, delivered %llu + dropped %llu vs generated %llu, refcnt %ld\n", i,
				(unsigned long long)got, (unsigned long long)st.n_delivered,
				(unsigned long long)st.n_drops, (unsigned long long)st.n_evts, ref);
			return 1;
		}
		if (module_refcnt() != 0) {
			fprintf(stderr, "cycle %d: refcnt %ld after the consumer left\n", i, module_refcnt());
			return 1;
		}
		if (syscall(SYS_delete_module, "pyscap", O_NONBLOCK)) {
			fprintf(stderr, "cycle %d: unload after detach: %s\n", i, strerror(errno));
			return 1;
		}
		printf("cycle %d events %llu refcnt_attached %ld\n", i, (unsigned long long)got, ref);
	}
	vm1 = meminfo_kb("VmallocUsed");
	slab1 = meminfo_kb("Slab");
	printf("cycles=%d vmalloc_kb %ld -> %ld slab_kb %ld -> %ld\n", n, vm0, vm1, slab0, slab1);
	return 0;
}

/*
 * A capture of this process's getppid calls, stopped without reading: what the ring holds is
 * counted as unread, the rest as drops (delivered + drops + unread == generated). Prints
 * "undrained: generated G delivered D dropped X unread U".
 */
static int undrained(void)
{
	static bool ppm_sc[SCAP_SC_MAX];
	struct scap_stats st = { .sz = sizeof(st) };
	struct scap_capture *c;

	ppm_sc[scap_ppm_sc_from_name("getppid")] = true;
	c = open_engine("kmod", ppm_sc, false);
	if (!c)
		return 1;
	for (int i = 0; i < 500000; i++)
		syscall(SYS_getppid);
	scap_capture__stop(c);
	scap_capture__stats(c, &st);
	printf("undrained: generated %llu delivered %llu dropped %llu unread %llu\n", (unsigned long long)st.n_evts,
	       (unsigned long long)st.n_delivered, (unsigned long long)st.n_drops, (unsigned long long)st.n_unread);
	scap_capture__close(c);
	return st.n_delivered + st.n_drops + st.n_unread == st.n_evts && st.n_unread && st.n_drops ? 0 : 1;
}

/* One ioctl/mmap the driver must refuse: prints "NAME: errno E" and counts a mismatch. */
static int expect_errno(const char *name, long rc, int want)
{
	int got = rc < 0 ? errno : 0;

	printf("%s: errno %d%s\n", name, got, got == want ? "" : " (WRONG)");
	return got != want;
}

/*
 * Bad arguments to the device (as a consumer: /dev/pyscap0 opened): every ioctl with a bad
 * pointer, a value out of range, an unknown command, a setting that is too late, and mmaps of
 * the wrong size, offset or protection. Each is a clear errno, never an oops (the guest runs with
 * panic_on_warn). Then a normal capture must still work. Prints "badargs: N wrong".
 */
static int badargs(void)
{
	int fd = open("/dev/" PYSCAP_DEVICE_NAME "0", O_RDWR), bad = 0;
	void *bogus = (void *)16; /* an unmapped user address */
	struct pyscap_set set = { .what = SCAP_SYSCALL_NR_MAX, .value = 1 };
	struct pyscap_exclude_tgids tg = { .n = PYSCAP_MAX_EXCLUDED_TGIDS + 1 };
	struct pyscap_exclude_comms cm = { .n = PYSCAP_MAX_EXCLUDED_COMMS + 1 };
	uint32_t v32;
	long page = sysconf(_SC_PAGESIZE);
	void *m;

	if (fd < 0) {
		perror("open /dev/pyscap0");
		return 1;
	}
	bad += expect_errno("get_api_version(bad pointer)", ioctl(fd, PYSCAP_IOCTL_GET_API_VERSION, bogus), EFAULT);
	bad += expect_errno("get_buffer_bytes(bad pointer)", ioctl(fd, PYSCAP_IOCTL_GET_BUFFER_BYTES, bogus), EFAULT);
	bad += expect_errno("set_snaplen(bad pointer)", ioctl(fd, PYSCAP_IOCTL_SET_SNAPLEN, bogus), EFAULT);
	bad += expect_errno("set_syscall(bad pointer)", ioctl(fd, PYSCAP_IOCTL_SET_SYSCALL, bogus), EFAULT);
	bad += expect_errno("set_excluded_tgids(bad pointer)", ioctl(fd, PYSCAP_IOCTL_SET_EXCLUDED_TGIDS, bogus),
			    EFAULT);
	v32 = SCAP_MAX_PARAM_SIZE + 1;
	bad += expect_errno("set_snaplen(too large)", ioctl(fd, PYSCAP_IOCTL_SET_SNAPLEN, &v32), EINVAL);
	v32 = 3 * page;
	bad += expect_errno("set_buffer_bytes(not a power of 2)", ioctl(fd, PYSCAP_IOCTL_SET_BUFFER_BYTES, &v32),
			    EINVAL);
	v32 = 1u << 31;
	bad += expect_errno("set_buffer_bytes(2 GiB)", ioctl(fd, PYSCAP_IOCTL_SET_BUFFER_BYTES, &v32), EINVAL);
	v32 = 16;
	bad += expect_errno("set_buffer_bytes(16 bytes)", ioctl(fd, PYSCAP_IOCTL_SET_BUFFER_BYTES, &v32), EINVAL);
	bad += expect_errno("set_syscall(unknown number)", ioctl(fd, PYSCAP_IOCTL_SET_SYSCALL, &set), EINVAL);
	set.what = PYSCAP_TP_MAX;
	bad += expect_errno("set_tp(unknown tracepoint)", ioctl(fd, PYSCAP_IOCTL_SET_TP, &set), EINVAL);
	bad += expect_errno("set_excluded_tgids(too many)", ioctl(fd, PYSCAP_IOCTL_SET_EXCLUDED_TGIDS, &tg), E2BIG);
	bad += expect_errno("set_excluded_comms(too many)", ioctl(fd, PYSCAP_IOCTL_SET_EXCLUDED_COMMS, &cm), E2BIG);
	bad += expect_errno("unknown command", ioctl(fd, _IO(PYSCAP_IOCTL_MAGIC, 99), 0), ENOTTY);
	bad += expect_errno("another driver's command", ioctl(fd, _IOR('T', 1, uint32_t), &v32), ENOTTY);
	if (ioctl(fd, PYSCAP_IOCTL_GET_BUFFER_BYTES, &v32) < 0) {
		perror("get_buffer_bytes");
		return 1;
	}
	m = mmap(NULL, 3 * page, PROT_READ, MAP_SHARED, fd, 0);
	bad += expect_errno("mmap(wrong size)", m == MAP_FAILED ? -1 : 0, EINVAL);
	m = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, page);
	bad += expect_errno("mmap(offset)", m == MAP_FAILED ? -1 : 0, EINVAL);
	m = mmap(NULL, 2ul * v32, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	bad += expect_errno("mmap(data writable)", m == MAP_FAILED ? -1 : 0, EPERM);
	m = mmap(NULL, 2ul * v32, PROT_READ, MAP_SHARED, fd, 0);
	bad += expect_errno("mmap(data)", m == MAP_FAILED ? -1 : 0, 0);
	if (m != MAP_FAILED) {
		bad += expect_errno("mprotect(data writable)", mprotect(m, page, PROT_READ | PROT_WRITE), EACCES);
		v32 *= 2;
		bad += expect_errno("set_buffer_bytes(after mmap)", ioctl(fd, PYSCAP_IOCTL_SET_BUFFER_BYTES, &v32),
				    EBUSY);
		munmap(m, v32);
	}
	close(fd);
	printf("badargs: %d wrong\n", bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "consume"))
		return consume(argv[2], atof(argv[3]), false);
	if (argc == 3 && !strcmp(argv[1], "storm"))
		return storm(atof(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "bench"))
		return bench(argv[2], atol(argv[3]));
	if (argc == 2 && !strcmp(argv[1], "cross"))
		return cross(argv[0]);
	if (argc == 3 && !strcmp(argv[1], "cross32"))
		return cross_with(workload32, argv[2], "cross32");
	if (argc == 3 && !strcmp(argv[1], "exclude"))
		return exclude(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "cycles"))
		return cycles(argv[2], atoi(argv[3]), argc > 4 ? argv[4] : "");
	if (argc == 2 && !strcmp(argv[1], "twice")) {
		/* a second kmod capture in the same process must be refused, the first one unharmed */
		struct scap_capture *a = open_engine("kmod", NULL, true), *b;
		const struct scap_evt_hdr *h;

		if (!a)
			return 1;
		b = open_engine("kmod", NULL, true);
		if (b) {
			fprintf(stderr, "a second kmod capture opened in the same process\n");
			return 1;
		}
		for (int i = 0; i < 1000 && scap_capture__next(a, &h, NULL, NULL) != 0; i++)
			syscall(SYS_getppid);
		printf("first capture still delivers: %s\n", scap_capture__next(a, &h, NULL, NULL) >= 0 ? "yes" : "no");
		scap_capture__close(a);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "badargs"))
		return badargs();
	if (argc == 2 && !strcmp(argv[1], "undrained"))
		return undrained();
	if (argc >= 2 && !strcmp(argv[1], "noop"))
		return 0;
	fprintf(stderr, "usage: kmod_tool consume ENGINE SECONDS | storm SECONDS | bench ENGINE|none N | cross\n");
	return 2;
}
