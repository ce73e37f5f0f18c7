/* SPDX-License-Identifier: Apache-2.0 */
/* Process lifecycle: execve/execveat (success from sched_process_exec, failures from sys_exit),
 * fork/clone/clone3 (parent and child events), procexit. */
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "driver_test.h"

static size_t slurp(const char *path, char *buf, size_t max)
{
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		return 0;
	while (n < max && (r = read(fd, buf + n, max - n)) > 0)
		n += r;
	close(fd);
	return n;
}

/* "Key:\t<hex>" of /proc/self/status */
static uint64_t status_hex(const char *key)
{
	static char buf[8192];
	size_t n = slurp("/proc/self/status", buf, sizeof(buf) - 1);
	char *p;

	buf[n] = 0;
	p = strstr(buf, key);
	return p ? strtoull(p + strlen(key) + 1, NULL, 16) : 0;
}

static uint32_t self_tty_nr(void)
{
	char buf[1024], *p;
	size_t n = slurp("/proc/self/stat", buf, sizeof(buf) - 1);
	int field = 2;

	buf[n] = 0;
	p = strrchr(buf, ')'); /* fields after comm: state(3) ppid(4) pgrp(5) session(6) tty_nr(7) */
	for (p = p + 2; *p && field < 6; p++)
		if (*p == ' ')
			field++;
	return strtoul(p, NULL, 10);
}

static uint32_t self_loginuid(void)
{
	char buf[32] = "";
	if (!slurp("/proc/self/loginuid", buf, sizeof(buf) - 1))
		return UINT32_MAX;
	return strtoul(buf, NULL, 10);
}

/* "cpuset=/p\0cpu=/p\0cpuacct=/p\0io=/p\0memory=/p\0" as the kernel sees this process. */
static size_t expected_cgroups(char *out, size_t max)
{
	static const char *names[] = { "cpuset", "cpu", "cpuacct", "io", "memory" };
	char buf[4096], *line, *save = NULL;
	char v1[5][512], v2[512] = "";
	size_t n = slurp("/proc/self/cgroup", buf, sizeof(buf) - 1), len = 0;

	buf[n] = 0;
	for (int i = 0; i < 5; i++)
		v1[i][0] = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = 0;
		if (c1[1] == 0) {
			snprintf(v2, sizeof(v2), "%s", c2 + 1);
			continue;
		}
		for (int i = 0; i < 5; i++) {
			const char *want = i == 3 ? "blkio" : names[i];
			char ctl[256], *t, *s2 = NULL;
			snprintf(ctl, sizeof(ctl), "%s", c1 + 1);
			for (t = strtok_r(ctl, ",", &s2); t; t = strtok_r(NULL, ",", &s2))
				if (!strcmp(t, want) || !strcmp(t, names[i]))
					snprintf(v1[i], sizeof(v1[i]), "%s", c2 + 1);
		}
	}
	for (int i = 0; i < 5; i++) {
		char path[2600];
		if (v1[i][0]) {
			snprintf(path, sizeof(path), "%s", v1[i]);
		} else if (v2[0]) {
			/* cgroup v2: the css sits at the deepest ancestor whose parent enables the controller */
			char cur[512], ctl[1024], file[700];
			snprintf(cur, sizeof(cur), "%s", v2);
			for (;;) {
				char *slash = strrchr(cur, '/');
				size_t m;
				if (!slash || !strcmp(cur, "/"))
					break;
				snprintf(file, sizeof(file), "/sys/fs/cgroup%.*s/cgroup.subtree_control",
					 (int)(slash == cur ? 1 : slash - cur), slash == cur ? "/" : cur);
				m = slurp(file, ctl, sizeof(ctl) - 1);
				ctl[m] = 0;
				if (strstr(ctl, names[i]))
					break;
				if (slash == cur)
					cur[1] = 0;
				else
					*slash = 0;
			}
			snprintf(path, sizeof(path), "%s", cur);
		} else {
			snprintf(path, sizeof(path), "/");
		}
		len += snprintf(out + len, max - len, "%s=%s", names[i], path) + 1;
	}
	return len;
}

static int check_common(const struct ev *e, const char *exe, const char *args, size_t args_len, pid_t tid, pid_t pid,
			pid_t ptid, const char *cwd, const char *comm, const char *file, int line)
{
	struct rlimit rl;
	char cg[4096];
	size_t cgl = expected_cgroups(cg, sizeof(cg));
	uint32_t vsz, rss, swp;
	uint64_t minflt;

	getrlimit(RLIMIT_NOFILE, &rl);
	if (check_str(e, 1, exe, file, line) || check_bytes(e, 2, args, args_len, file, line) ||
	    check_i64(e, 3, tid, file, line) || check_i64(e, 4, pid, file, line) || check_i64(e, 5, ptid, file, line) ||
	    check_str(e, 6, cwd, file, line) || check_u64(e, 7, rl.rlim_cur, file, line) ||
	    check_str(e, 13, comm, file, line) || check_bytes(e, 14, cg, cgl, file, line))
		return 1;
	/* page faults and memory sizes change by the microsecond: checked for plausibility */
	if (e->p[8].len != 8 || e->p[9].len != 8)
		return fail(file, line, "pgft lengths");
	memcpy(&minflt, e->p[9].data, 8);
	memcpy(&vsz, e->p[10].data, 4);
	memcpy(&rss, e->p[11].data, 4);
	memcpy(&swp, e->p[12].data, 4);
	if (minflt > (1ull << 40) || !vsz || rss > vsz || e->p[10].len != 4 || e->p[11].len != 4 || e->p[12].len != 4)
		return fail(file, line, "implausible pgft_min %llu vm_size %u vm_rss %u", (unsigned long long)minflt,
			    vsz, rss);
	if (swp > vsz)
		return fail(file, line, "vm_swap %u > vm_size %u", swp, vsz);
	return 0;
}

static uint64_t ts_ns(struct timespec t)
{
	return t.tv_sec * 1000000000ull + t.tv_nsec;
}

static int check_exec_rest(const struct ev *e, const char *env, size_t env_len, const char *exe_path, uint64_t cap_inh,
			   uint64_t cap_prm, uint64_t cap_eff, const char *file, int line)
{
	struct stat st;
	char real[PATH_MAX];

	if (stat(exe_path, &st) || !realpath(exe_path, real))
		return fail(file, line, "stat %s: %s", exe_path, strerror(errno));
	return check_bytes(e, 15, env, env_len, file, line) || check_u32(e, 16, self_tty_nr(), file, line) ||
	       check_i64(e, 17, getpgrp(), file, line) || check_u32(e, 18, self_loginuid(), file, line) ||
	       check_u32(e, 19, geteuid() == 0 ? SCAP_EXECVE_FLAGS_EXE_WRITABLE : 0, file, line) ||
	       check_u64(e, 20, cap_inh, file, line) || check_u64(e, 21, cap_prm, file, line) ||
	       check_u64(e, 22, cap_eff, file, line) || check_u64(e, 23, st.st_ino, file, line) ||
	       check_u64(e, 24, ts_ns(st.st_ctim), file, line) || check_u64(e, 25, ts_ns(st.st_mtim), file, line) ||
	       check_u32(e, 26, geteuid(), file, line) || check_str(e, 27, real, file, line) ||
	       check_i64(e, 28, getpgrp(), file, line) || check_u32(e, 29, getegid(), file, line);
}

static char g_cwd[PATH_MAX];
static char g_args[8192], g_env[8192];
static size_t g_args_len, g_env_len;
static const char *g_exe0;

static void self_cmdline(void)
{
	static char cmd[8192];
	size_t n = slurp("/proc/self/cmdline", cmd, sizeof(cmd));
	size_t first = strlen(cmd) + 1;

	g_exe0 = cmd;
	g_args_len = n > first ? n - first : 0;
	if (g_args_len > 4096)
		g_args_len = 4096;
	memcpy(g_args, cmd + first, g_args_len);
	g_env_len = slurp("/proc/self/environ", g_env, sizeof(g_env));
	if (g_env_len > 4096)
		g_env_len = 4096;
	if (!getcwd(g_cwd, sizeof(g_cwd)))
		g_cwd[0] = 0;
}

static int t_execve(void)
{
	int sc[] = { SCAP_SC_EXECVE, SCAP_SC_EXECVEAT, -1 };
	char dir[128];
	pid_t child, tid = gettid_();
	struct ev e;
	uint64_t bnd = status_hex("CapBnd:"), inh = status_hex("CapInh:");
	char *argv[] = { "truebin", "a", "bb", NULL };
	char *envp[] = { "X=1", "Y=22", NULL };

	snprintf(dir, sizeof(dir), "/tmp/drvtest.%d", getpid());
	mkdir(dir, 0755);
	self_cmdline();
	if (cap_open(sc, NULL))
		return 1;
	child = fork();
	if (child == 0) {
		if (chdir(dir) == 0)
			syscall(SYS_execve, "/bin/true", argv, envp);
		_exit(127);
	}
	waitpid(child, NULL, 0);
	FIND(SCAP_EVT_EXECVE_X, child, &e);
	P_N(&e, 31);
	P_I64(&e, 0, 0);
	if (check_common(&e, "truebin", "a\0bb", 5, child, child, getpid(), dir, "true", __FILE__, __LINE__))
		return 1;
	if (check_exec_rest(&e, "X=1\0Y=22", 9, "/bin/true", inh, bnd | inh, bnd | inh, __FILE__, __LINE__))
		return 1;
	P_STR(&e, 30, "/bin/true");
	ev_free(&e);

	/* execveat succeeds as an execve event; the kernel names the file /dev/fd/N/true */
	{
		int dfd = open("/bin", O_RDONLY | O_DIRECTORY);
		char fname[64];
		snprintf(fname, sizeof(fname), "/dev/fd/%d/true", dfd);
		child = fork();
		if (child == 0) {
			syscall(SYS_execveat, dfd, "true", argv, envp, 0);
			_exit(127);
		}
		waitpid(child, NULL, 0);
		close(dfd);
		FIND(SCAP_EVT_EXECVE_X, child, &e);
		P_N(&e, 31);
		P_I64(&e, 0, 0);
		P_STR(&e, 13, "true");
		P_STR(&e, 30, fname);
		ev_free(&e);
	}

	/* failures come from sys_exit with the caller's (unchanged) data */
	CHECK(syscall(SYS_execve, "/nonexistent/prog", argv, envp) == -1 && errno == ENOENT);
	FIND(SCAP_EVT_EXECVE_X, tid, &e);
	P_N(&e, 31);
	P_I64(&e, 0, -ENOENT);
	if (check_common(&e, g_exe0, g_args, g_args_len, tid, getpid(), getppid(), g_cwd, g_comm, __FILE__, __LINE__))
		return 1;
	if (check_exec_rest(&e, g_env, g_env_len, "/proc/self/exe", status_hex("CapInh:"), status_hex("CapPrm:"),
			    status_hex("CapEff:"), __FILE__, __LINE__))
		return 1;
	P_STR(&e, 30, "/nonexistent/prog");
	ev_free(&e);
	CHECK(syscall(SYS_execveat, AT_FDCWD, "/nonexistent/prog", argv, envp, 0) == -1 && errno == ENOENT);
	FIND(SCAP_EVT_EXECVEAT_X, tid, &e);
	P_N(&e, 30);
	P_I64(&e, 0, -ENOENT);
	if (check_common(&e, g_exe0, g_args, g_args_len, tid, getpid(), getppid(), g_cwd, g_comm, __FILE__, __LINE__))
		return 1;
	if (check_exec_rest(&e, g_env, g_env_len, "/proc/self/exe", status_hex("CapInh:"), status_hex("CapPrm:"),
			    status_hex("CapEff:"), __FILE__, __LINE__))
		return 1;
	ev_free(&e);
	return 0;
}

static uint64_t init_start_ns(void)
{
	char buf[1024], *p;
	size_t n = slurp("/proc/1/stat", buf, sizeof(buf) - 1);
	int field = 2;
	struct timespec rt, bt;

	buf[n] = 0;
	p = strrchr(buf, ')') + 2;
	for (; *p && field < 21; p++)
		if (*p == ' ')
			field++;
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	return strtoull(p, NULL, 10) * (1000000000ull / sysconf(_SC_CLK_TCK)) + ts_ns(rt) - ts_ns(bt);
}

static int check_clone_tail(const struct ev *e, uint32_t flags, pid_t tid, pid_t pid, const char *file, int line)
{
	uint64_t start, want = init_start_ns();
	uint64_t tick = 1000000000ull / sysconf(_SC_CLK_TCK);

	if (check_u32(e, 15, flags, file, line) || check_u32(e, 16, geteuid(), file, line) ||
	    check_u32(e, 17, getegid(), file, line) || check_i64(e, 18, tid, file, line) ||
	    check_i64(e, 19, pid, file, line))
		return 1;
	/* /proc only has clock ticks: the ns value must fall in the same tick (+- clock skew) */
	memcpy(&start, e->p[20].data, 8);
	if (e->p[20].len != 8 || start + 2 * tick < want || start > want + 2 * tick)
		return fail(file, line, "pidns_init_start_ts %llu, /proc/1 says %llu (+- %llu)",
			    (unsigned long long)start, (unsigned long long)want, (unsigned long long)tick);
	return 0;
}

static int fork_case(int sc, uint16_t type, uint32_t ppm_flags)
{
	int set[] = { sc, -1 };
	pid_t tid = gettid_(), child;
	struct clone_args ca = { .exit_signal = SIGCHLD };
	struct ev e, ce;

	self_cmdline();
	if (cap_open(set, NULL))
		return 1;
	if (sc == SCAP_SC_FORK)
		child = syscall(SYS_fork);
	else if (sc == SCAP_SC_CLONE)
		child = syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);
	else
		child = syscall(SYS_clone3, &ca, sizeof(ca));
	if (child == 0)
		syscall(SYS_exit_group, 0);
	CHECK_SYS(child > 0);
	waitpid(child, NULL, 0);
	/* the child's event may come first (it can run and exit before the parent returns) */
	if (cap_find2(type, tid, child, &e))
		FAIL("no %s event from tid %d or its child %d", scap_event_name(type), (int)tid, (int)child);
	if (e.hdr.tid == (uint64_t)child) {
		ce = e;
		FIND(type, tid, &e);
	} else {
		FIND(type, child, &ce);
	}
	P_N(&e, 21);
	P_I64(&e, 0, child);
	if (check_common(&e, g_exe0, g_args, g_args_len, tid, getpid(), getppid(), g_cwd, g_comm, __FILE__, __LINE__) ||
	    check_clone_tail(&e, ppm_flags, tid, getpid(), __FILE__, __LINE__))
		return 1;
	ev_free(&e);
	e = ce;
	P_N(&e, 21);
	P_I64(&e, 0, 0);
	if (check_common(&e, g_exe0, g_args, g_args_len, child, child, tid, g_cwd, g_comm, __FILE__, __LINE__) ||
	    check_clone_tail(&e, ppm_flags, child, child, __FILE__, __LINE__))
		return 1;
	ev_free(&e);
	return 0;
}

static int t_fork(void)
{
	return fork_case(SCAP_SC_FORK, SCAP_EVT_FORK_X, 0);
}

static int t_clone3(void)
{
	return fork_case(SCAP_SC_CLONE3, SCAP_EVT_CLONE3_X, 0);
}

static int t_clone(void)
{
	pid_t tid = gettid_();
	struct ev e;

	if (fork_case(SCAP_SC_CLONE, SCAP_EVT_CLONE_X, SCAP_CLONE_FLAGS_CLONE_FILES))
		return 1;
	/* CLONE_SIGHAND without CLONE_VM is invalid */
	CHECK(syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0) == -1 && errno == EINVAL);
	FIND(SCAP_EVT_CLONE_X, tid, &e);
	P_I64(&e, 0, -EINVAL);
	if (check_common(&e, g_exe0, g_args, g_args_len, tid, getpid(), getppid(), g_cwd, g_comm, __FILE__, __LINE__) ||
	    check_clone_tail(&e, SCAP_CLONE_FLAGS_CLONE_SIGHAND, tid, getpid(), __FILE__, __LINE__))
		return 1;
	ev_free(&e);
	return 0;
}

static int t_procexit(void)
{
	int sc[] = { SCAP_SC_SCHED_PROCESS_EXIT, -1 };
	pid_t child;
	struct ev e;

	if (cap_open(sc, NULL))
		return 1;
	/* as a child subreaper, we adopt the exiting child's children */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	child = fork();
	if (child == 0)
		_exit(3);
	waitpid(child, NULL, 0);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	FIND(SCAP_EVT_PROCEXIT_E, child, &e);
	P_N(&e, 5);
	P_I64(&e, 0, 3 << 8);
	P_I64(&e, 1, 3);
	P_U8(&e, 2, 0);
	P_U8(&e, 3, 0);
	P_I64(&e, 4, getpid());
	ev_free(&e);
	/* killed by a signal; no subreaper: the pid namespace's init adopts */
	child = fork();
	if (child == 0) {
		for (;;)
			pause();
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	FIND(SCAP_EVT_PROCEXIT_E, child, &e);
	P_I64(&e, 0, SIGKILL);
	P_I64(&e, 1, 0);
	P_U8(&e, 2, SIGKILL);
	P_U8(&e, 3, 0);
	P_I64(&e, 4, 1);
	ev_free(&e);
	return 0;
}

const struct test_case proc_cases[] = {
	{ "execve_execveat", t_execve }, { "fork", t_fork },	     { "clone", t_clone },
	{ "clone3", t_clone3 },		 { "procexit", t_procexit }, { NULL, NULL },
};
