/* SPDX-License-Identifier: Apache-2.0 */
/* Modules, bpf, keys, io_uring, process_vm_*, SysV semaphores, fsconfig, quotactl; the off-by-default
 * tracepoints (switch, signaldeliver, page_fault); fd/net syscalls not covered elsewhere. */
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/mount.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/quota.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <linux/futex.h>
#include <time.h>

#include "driver_test.h"

/* The return value as the event carries it: -errno on failure. */
#define RES(call)                             \
	({                                    \
		long __r = (call);            \
		__r < 0 ? -(long)errno : __r; \
	})

/* DYN: selector 0 = INT64, 1 = CHARBUF. */
static uint32_t dyn_i64(uint8_t *out, int64_t v)
{
	out[0] = 0;
	memcpy(out + 1, &v, 8);
	return 9;
}

static uint32_t dyn_str(uint8_t *out, const char *s)
{
	out[0] = 1;
	strcpy((char *)out + 1, s);
	return 2 + strlen(s);
}

/* The next event of type from tid whose first parameter (res) is res. */
static int find_res(uint16_t type, pid_t tid, int64_t res, struct ev *e)
{
	for (int i = 0; i < 64; i++) {
		int64_t v;
		if (cap_find(type, tid, e))
			return -1;
		memcpy(&v, e->p[0].data, 8);
		if (e->p[0].len == 8 && v == res)
			return 0;
		ev_free(e);
	}
	return -1;
}

static int t_modules_bpf_keys(void)
{
	int sc[] = {
		SCAP_SC_BPF, SCAP_SC_INIT_MODULE, SCAP_SC_FINIT_MODULE, SCAP_SC_DELETE_MODULE, SCAP_SC_KEYCTL, -1
	};
	pid_t tid = gettid_();
	union bpf_attr attr;
	uint8_t img[16] = "\x7f"
			  "ELFpyscap-junk";
	uint8_t d[64];
	struct ev e;
	long r, ring;
	int fd = open("/dev/null", O_RDONLY);

	if (cap_open(sc, NULL))
		return 1;
	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	r = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
	CHECK_SYS(r >= 0);
	/* the library's own bpf() calls (attaching the programs of the new set) come first */
	if (find_res(SCAP_EVT_BPF_X, tid, r, &e))
		FAIL("no bpf event with fd %ld", r);
	P_N(&e, 2);
	P_I64(&e, 0, r);
	P_U32(&e, 1, SCAP_BPF_COMMANDS_BPF_MAP_CREATE);
	ev_free(&e);
	close(r);
	CHECK(syscall(SYS_bpf, 9999, &attr, sizeof(attr)) == -1 && errno == EINVAL);
	if (find_res(SCAP_EVT_BPF_X, tid, -EINVAL, &e))
		FAIL("no bpf event with res -EINVAL");
	P_I64(&e, 0, -EINVAL);
	P_U32(&e, 1, 9999);
	ev_free(&e);

	/* module syscalls fail here (junk image, /dev/null, no such module); the result is whatever
	 * the kernel says (ENOEXEC, ENOSYS without module support, ...) */
	r = RES(syscall(SYS_init_module, img, sizeof(img), "x=1"));
	CHECK(r < 0);
	FIND(SCAP_EVT_INIT_MODULE_X, tid, &e);
	P_N(&e, 4);
	P_I64(&e, 0, r);
	P_BYTES(&e, 1, img, sizeof(img));
	P_U64(&e, 2, sizeof(img));
	P_STR(&e, 3, "x=1");
	ev_free(&e);
	r = RES(syscall(SYS_finit_module, fd, "y=2", 3));
	CHECK(r < 0);
	FIND(SCAP_EVT_FINIT_MODULE_X, tid, &e);
	P_N(&e, 4);
	P_I64(&e, 0, r);
	P_I64(&e, 1, fd);
	P_STR(&e, 2, "y=2");
	P_U32(&e, 3,
	      SCAP_FINIT_MODULE_FLAGS_MODULE_INIT_IGNORE_MODVERSIONS |
		      SCAP_FINIT_MODULE_FLAGS_MODULE_INIT_IGNORE_VERMAGIC);
	ev_free(&e);
	r = RES(syscall(SYS_delete_module, "pyscap_no_such_module", O_NONBLOCK | O_TRUNC));
	CHECK(r < 0);
	FIND(SCAP_EVT_DELETE_MODULE_X, tid, &e);
	P_N(&e, 3);
	P_I64(&e, 0, r);
	P_STR(&e, 1, "pyscap_no_such_module");
	P_U32(&e, 2, SCAP_DELETE_MODULE_FLAGS_O_NONBLOCK | SCAP_DELETE_MODULE_FLAGS_O_TRUNC);
	ev_free(&e);

	/* keyctl: integers, then the two strings of KEYCTL_SEARCH */
	ring = RES(syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, (long)KEY_SPEC_PROCESS_KEYRING, 1L, 0L, 0L));
	FIND(SCAP_EVT_KEYCTL_X, tid, &e);
	P_N(&e, 6);
	P_I64(&e, 0, ring);
	P_U32(&e, 1, SCAP_KEYCTL_OPERATIONS_KEYCTL_GET_KEYRING_ID);
	P_BYTES(&e, 2, d, dyn_i64(d, KEY_SPEC_PROCESS_KEYRING));
	P_BYTES(&e, 3, d, dyn_i64(d, 1));
	P_BYTES(&e, 4, d, dyn_i64(d, 0));
	P_BYTES(&e, 5, d, dyn_i64(d, 0));
	ev_free(&e);
	r = RES(syscall(SYS_keyctl, KEYCTL_SEARCH, (long)KEY_SPEC_PROCESS_KEYRING, "user", "pyscap-no-key", 0L));
	CHECK(r < 0);
	FIND(SCAP_EVT_KEYCTL_X, tid, &e);
	P_I64(&e, 0, r);
	P_U32(&e, 1, SCAP_KEYCTL_OPERATIONS_KEYCTL_SEARCH);
	P_BYTES(&e, 2, d, dyn_i64(d, KEY_SPEC_PROCESS_KEYRING));
	P_BYTES(&e, 3, d, dyn_str(d, "user"));
	P_BYTES(&e, 4, d, dyn_str(d, "pyscap-no-key"));
	P_BYTES(&e, 5, d, dyn_i64(d, 0));
	ev_free(&e);
	close(fd);
	return 0;
}

static int t_io_uring(void)
{
	int sc[] = { SCAP_SC_IO_URING_SETUP, SCAP_SC_IO_URING_ENTER, SCAP_SC_IO_URING_REGISTER, -1 };
	pid_t tid = gettid_();
	struct io_uring_params p;
	sigset_t ss;
	struct ev e;
	long ring, r;
	int efd;

	if (cap_open(sc, NULL))
		return 1;
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CLAMP;
	ring = RES(syscall(SYS_io_uring_setup, 4, &p));
	FIND(SCAP_EVT_IO_URING_SETUP_X, tid, &e);
	P_N(&e, 8);
	P_I64(&e, 0, ring);
	P_U32(&e, 1, 4);
	P_U32(&e, 2, p.sq_entries);
	P_U32(&e, 3, p.cq_entries);
	P_U32(&e, 4, SCAP_IO_URING_SETUP_FLAGS_IORING_SETUP_CLAMP);
	P_U32(&e, 5, p.sq_thread_cpu);
	P_U32(&e, 6, p.sq_thread_idle);
	P_U32(&e, 7, p.features & 0x7ff);
	ev_free(&e);
	if (ring < 0)
		FAIL("io_uring_setup: %s (io_uring disabled?)", strerror(-ring));
	CHECK(p.sq_entries == 4 && p.features & IORING_FEAT_SINGLE_MMAP);
	memset(&p, 0, sizeof(p));
	CHECK(syscall(SYS_io_uring_setup, 0, &p) == -1 && errno == EINVAL);
	FIND(SCAP_EVT_IO_URING_SETUP_X, tid, &e);
	P_I64(&e, 0, -EINVAL);
	P_U32(&e, 1, 0);
	P_U32(&e, 2, 0);
	P_U32(&e, 4, 0);
	P_U32(&e, 7, 0);
	ev_free(&e);

	sigemptyset(&ss);
	sigaddset(&ss, SIGUSR1);
	sigaddset(&ss, SIGTERM);
	CHECK_SYS(syscall(SYS_io_uring_enter, ring, 0, 0, IORING_ENTER_GETEVENTS, &ss, 8) == 0);
	FIND(SCAP_EVT_IO_URING_ENTER_X, tid, &e);
	P_N(&e, 6);
	P_I64(&e, 0, 0);
	P_I64(&e, 1, ring);
	P_U32(&e, 2, 0);
	P_U32(&e, 3, 0);
	P_U32(&e, 4, SCAP_IO_URING_ENTER_FLAGS_IORING_ENTER_GETEVENTS);
	P_U32(&e, 5, (1u << (SIGUSR1 - 1)) | (1u << (SIGTERM - 1)));
	ev_free(&e);
	CHECK(syscall(SYS_io_uring_enter, 9999, 1, 2, 0, NULL, 0) == -1 && errno == EBADF);
	FIND(SCAP_EVT_IO_URING_ENTER_X, tid, &e);
	P_I64(&e, 0, -EBADF);
	P_I64(&e, 1, 9999);
	P_U32(&e, 2, 1);
	P_U32(&e, 3, 2);
	P_U32(&e, 4, 0);
	P_U32(&e, 5, 0);
	ev_free(&e);

	efd = syscall(SYS_eventfd2, 0, 0);
	CHECK_SYS(efd >= 0);
	CHECK_SYS(syscall(SYS_io_uring_register, ring, IORING_REGISTER_EVENTFD, &efd, 1) == 0);
	FIND(SCAP_EVT_IO_URING_REGISTER_X, tid, &e);
	P_N(&e, 5);
	P_I64(&e, 0, 0);
	P_I64(&e, 1, ring);
	P_U16(&e, 2, SCAP_IO_URING_REGISTER_OPCODES_IORING_REGISTER_EVENTFD);
	P_U64(&e, 3, (uintptr_t)&efd);
	P_U32(&e, 4, 1);
	ev_free(&e);
	r = RES(syscall(SYS_io_uring_register, ring, IORING_UNREGISTER_BUFFERS, NULL, 0));
	CHECK(r < 0);
	FIND(SCAP_EVT_IO_URING_REGISTER_X, tid, &e);
	P_I64(&e, 0, r);
	P_I64(&e, 1, ring);
	P_U16(&e, 2, SCAP_IO_URING_REGISTER_OPCODES_IORING_UNREGISTER_BUFFERS);
	P_U64(&e, 3, 0);
	P_U32(&e, 4, 0);
	ev_free(&e);
	close(efd);
	close(ring);
	return 0;
}

static int t_process_vm(void)
{
	int sc[] = { SCAP_SC_PROCESS_VM_READV, SCAP_SC_PROCESS_VM_WRITEV, -1 };
	pid_t tid = gettid_();
	char src[] = "hello, process_vm", dst[32] = "", out[] = "world";
	struct iovec l = { dst, 5 }, rm = { src, 5 };
	struct iovec l2[2] = { { dst, 3 }, { dst + 3, 4 } }, rm2 = { src, 7 };
	struct ev e;

	if (cap_open(sc, NULL))
		return 1;
	CHECK_SYS(syscall(SYS_process_vm_readv, getpid(), &l, 1, &rm, 1, 0) == 5);
	FIND(SCAP_EVT_PROCESS_VM_READV_X, tid, &e);
	P_N(&e, 3);
	P_I64(&e, 0, 5);
	P_I64(&e, 1, getpid());
	P_BYTES(&e, 2, "hello", 5);
	ev_free(&e);
	CHECK_SYS(syscall(SYS_process_vm_readv, getpid(), l2, 2, &rm2, 1, 0) == 7);
	FIND(SCAP_EVT_PROCESS_VM_READV_X, tid, &e);
	P_I64(&e, 0, 7);
	P_BYTES(&e, 2, "hello, ", 7);
	ev_free(&e);
	l.iov_base = out;
	rm.iov_base = dst;
	CHECK_SYS(syscall(SYS_process_vm_writev, getpid(), &l, 1, &rm, 1, 0) == 5);
	CHECK(memcmp(dst, "world", 5) == 0);
	FIND(SCAP_EVT_PROCESS_VM_WRITEV_X, tid, &e);
	P_N(&e, 3);
	P_I64(&e, 0, 5);
	P_I64(&e, 1, getpid());
	P_BYTES(&e, 2, "world", 5);
	ev_free(&e);
	CHECK(syscall(SYS_process_vm_writev, 0x3ffffff0, &l, 1, &rm, 1, 0) == -1 && errno == ESRCH);
	FIND(SCAP_EVT_PROCESS_VM_WRITEV_X, tid, &e);
	P_I64(&e, 0, -ESRCH);
	P_I64(&e, 1, 0x3ffffff0);
	P_EMPTY(&e, 2);
	ev_free(&e);
	CHECK(syscall(SYS_process_vm_readv, 0x3ffffff0, &l, 1, &rm, 1, 0) == -1 && errno == ESRCH);
	FIND(SCAP_EVT_PROCESS_VM_READV_X, tid, &e);
	P_I64(&e, 0, -ESRCH);
	P_I64(&e, 1, 0x3ffffff0);
	P_EMPTY(&e, 2);
	ev_free(&e);
	return 0;
}

static int t_sysv_sem(void)
{
	int sc[] = { SCAP_SC_SEMGET, SCAP_SC_SEMOP, SCAP_SC_SEMCTL, -1 };
	pid_t tid = gettid_();
	struct sembuf ops[2] = { { 1, -1, IPC_NOWAIT }, { 0, 2, SEM_UNDO } };
	struct ev e;
	long id;

	if (cap_open(sc, NULL))
		return 1;
	id = syscall(SYS_semget, IPC_PRIVATE, 2, IPC_CREAT | 0600);
	CHECK_SYS(id >= 0);
	FIND(SCAP_EVT_SEMGET_X, tid, &e);
	P_N(&e, 4);
	P_I64(&e, 0, id);
	P_U32(&e, 1, IPC_PRIVATE);
	P_U32(&e, 2, 2);
	P_U32(&e, 3, SCAP_SEMGET_FLAGS_IPC_CREAT);
	ev_free(&e);
	CHECK(syscall(SYS_semget, 0x7079, 1, IPC_CREAT | IPC_EXCL | 0600) >= 0 || errno == EEXIST);
	FIND(SCAP_EVT_SEMGET_X, tid, &e);
	P_U32(&e, 1, 0x7079);
	P_U32(&e, 2, 1);
	P_U32(&e, 3, SCAP_SEMGET_FLAGS_IPC_CREAT | SCAP_SEMGET_FLAGS_IPC_EXCL);
	ev_free(&e);
	CHECK_SYS(syscall(SYS_semctl, syscall(SYS_semget, 0x7079, 0, 0), 0, IPC_RMID, 0) == 0);
	FIND(SCAP_EVT_SEMGET_X, tid, &e); /* the lookup above */
	P_U32(&e, 1, 0x7079);
	P_U32(&e, 2, 0);
	P_U32(&e, 3, 0);
	ev_free(&e);
	FIND(SCAP_EVT_SEMCTL_X, tid, &e);
	P_I64(&e, 0, 0);
	P_U16(&e, 3, SCAP_SEMCTL_COMMANDS_IPC_RMID);
	ev_free(&e);
	CHECK(syscall(SYS_semget, IPC_PRIVATE, -1, 0) == -1 && errno == EINVAL);
	FIND(SCAP_EVT_SEMGET_X, tid, &e);
	P_I64(&e, 0, -EINVAL);
	P_U32(&e, 1, 0);
	P_U32(&e, 2, -1);
	P_U32(&e, 3, 0);
	ev_free(&e);

	CHECK_SYS(syscall(SYS_semctl, id, 1, SETVAL, 3) == 0);
	FIND(SCAP_EVT_SEMCTL_X, tid, &e);
	P_N(&e, 5);
	P_I64(&e, 0, 0);
	P_U32(&e, 1, id);
	P_U32(&e, 2, 1);
	P_U16(&e, 3, SCAP_SEMCTL_COMMANDS_SETVAL);
	P_U32(&e, 4, 3);
	ev_free(&e);
	CHECK_SYS(syscall(SYS_semctl, id, 1, GETVAL, 0) == 3);
	FIND(SCAP_EVT_SEMCTL_X, tid, &e);
	P_I64(&e, 0, 3);
	P_U16(&e, 3, SCAP_SEMCTL_COMMANDS_GETVAL);
	P_U32(&e, 4, 0);
	ev_free(&e);

	CHECK_SYS(syscall(SYS_semop, id, ops, 2) == 0);
	FIND(SCAP_EVT_SEMOP_X, tid, &e);
	P_N(&e, 9);
	P_I64(&e, 0, 0);
	P_U32(&e, 1, 2);
	P_U16(&e, 2, 1);
	P_U16(&e, 3, (uint16_t)-1);
	P_U16(&e, 4, SCAP_SEMOP_FLAGS_IPC_NOWAIT);
	P_U16(&e, 5, 0);
	P_U16(&e, 6, 2);
	P_U16(&e, 7, SCAP_SEMOP_FLAGS_SEM_UNDO);
	P_U32(&e, 8, id);
	ev_free(&e);
	CHECK_SYS(syscall(SYS_semctl, id, 0, IPC_RMID, 0) == 0);
	FIND(SCAP_EVT_SEMCTL_X, tid, &e);
	P_I64(&e, 0, 0);
	P_U32(&e, 1, id);
	P_U32(&e, 2, 0);
	P_U16(&e, 3, SCAP_SEMCTL_COMMANDS_IPC_RMID);
	P_U32(&e, 4, 0);
	ev_free(&e);
	CHECK(syscall(SYS_semop, id, ops, 1) == -1 && errno == EINVAL);
	FIND(SCAP_EVT_SEMOP_X, tid, &e);
	P_I64(&e, 0, -EINVAL);
	P_U32(&e, 1, 1);
	P_U16(&e, 2, 1);
	P_U16(&e, 3, (uint16_t)-1);
	P_U16(&e, 4, SCAP_SEMOP_FLAGS_IPC_NOWAIT);
	P_U16(&e, 5, 0);
	P_U16(&e, 6, 0);
	P_U16(&e, 7, 0);
	P_U32(&e, 8, id);
	ev_free(&e);
	CHECK(syscall(SYS_semctl, id, 0, SETVAL, 1) == -1 && errno == EINVAL);
	FIND(SCAP_EVT_SEMCTL_X, tid, &e);
	P_I64(&e, 0, -EINVAL);
	P_U16(&e, 3, SCAP_SEMCTL_COMMANDS_SETVAL);
	P_U32(&e, 4, 1);
	ev_free(&e);
	return 0;
}

static int t_fsconfig(void)
{
	int sc[] = { SCAP_SC_FSCONFIG, -1 };
	pid_t tid = gettid_();
	struct ev e;
	long fd, r;

	if (cap_open(sc, NULL))
		return 1;
	fd = syscall(SYS_fsopen, "tmpfs", 0);
	CHECK_SYS(fd >= 0);
	CHECK_SYS(syscall(SYS_fsconfig, fd, FSCONFIG_SET_STRING, "size", "1m", 0) == 0);
	FIND(SCAP_EVT_FSCONFIG_X, tid, &e);
	P_N(&e, 7);
	P_I64(&e, 0, 0);
	P_I64(&e, 1, fd);
	P_U32(&e, 2, SCAP_FSCONFIG_CMDS_FSCONFIG_SET_STRING);
	P_STR(&e, 3, "size");
	P_EMPTY(&e, 4);
	P_STR(&e, 5, "1m");
	P_U32(&e, 6, 0);
	ev_free(&e);
	CHECK(syscall(SYS_fsconfig, fd, FSCONFIG_SET_FLAG, "pyscap_no_such_flag", NULL, 0) == -1 && errno == EINVAL);
	FIND(SCAP_EVT_FSCONFIG_X, tid, &e);
	P_I64(&e, 0, -EINVAL);
	P_U32(&e, 2, SCAP_FSCONFIG_CMDS_FSCONFIG_SET_FLAG);
	P_STR(&e, 3, "pyscap_no_such_flag");
	P_EMPTY(&e, 4);
	P_EMPTY(&e, 5);
	P_U32(&e, 6, 0);
	ev_free(&e);
	r = RES(syscall(SYS_fsconfig, fd, FSCONFIG_SET_BINARY, "bin", "\x01\x02\x03", 3));
	CHECK(r < 0);
	FIND(SCAP_EVT_FSCONFIG_X, tid, &e);
	P_I64(&e, 0, r);
	P_U32(&e, 2, SCAP_FSCONFIG_CMDS_FSCONFIG_SET_BINARY);
	P_STR(&e, 3, "bin");
	P_BYTES(&e, 4, "\x01\x02\x03", 3);
	P_EMPTY(&e, 5);
	P_U32(&e, 6, 3);
	ev_free(&e);
	CHECK_SYS(syscall(SYS_fsconfig, fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0);
	FIND(SCAP_EVT_FSCONFIG_X, tid, &e);
	P_I64(&e, 0, 0);
	P_I64(&e, 1, fd);
	P_U32(&e, 2, SCAP_FSCONFIG_CMDS_FSCONFIG_CMD_CREATE);
	P_EMPTY(&e, 3);
	P_EMPTY(&e, 4);
	P_EMPTY(&e, 5);
	P_U32(&e, 6, 0);
	ev_free(&e);
	close(fd);
	return 0;
}

static int t_quotactl(void)
{
	int sc[] = { SCAP_SC_QUOTACTL, -1 };
	pid_t tid = gettid_();
	const char *nodev = "/dev/pyscap-no-such-device";
	struct dqblk dq = { .dqb_bhardlimit = 11,
			    .dqb_bsoftlimit = 12,
			    .dqb_curspace = 13,
			    .dqb_ihardlimit = 14,
			    .dqb_isoftlimit = 15,
			    .dqb_curinodes = 16,
			    .dqb_btime = 17,
			    .dqb_itime = 18,
			    .dqb_valid = QIF_ALL };
	struct dqinfo di = { .dqi_bgrace = 21, .dqi_igrace = 22, .dqi_flags = 1, .dqi_valid = IIF_ALL };
	struct ev e;
	long r;

	if (cap_open(sc, NULL))
		return 1;
	/* Q_SYNC of every filesystem: succeeds (ENOSYS without quota support) */
	r = RES(syscall(SYS_quotactl, QCMD(Q_SYNC, USRQUOTA), NULL, 0, NULL));
	FIND(SCAP_EVT_QUOTACTL_X, tid, &e);
	P_N(&e, 18);
	P_I64(&e, 0, r);
	P_EMPTY(&e, 1);
	P_EMPTY(&e, 2);
	for (int i = 3; i <= 11; i++)
		P_U64(&e, i, 0);
	P_U8(&e, 12, 0);
	P_U8(&e, 13, 0);
	P_U16(&e, 14, SCAP_QUOTACTL_CMDS_Q_SYNC);
	P_U8(&e, 15, SCAP_QUOTACTL_TYPES_USRQUOTA);
	P_U32(&e, 16, 0);
	P_U8(&e, 17, 0);
	ev_free(&e);
	r = RES(syscall(SYS_quotactl, QCMD(Q_SETQUOTA, GRPQUOTA), nodev, 1234, &dq));
	CHECK(r < 0);
	FIND(SCAP_EVT_QUOTACTL_X, tid, &e);
	P_I64(&e, 0, r);
	P_STR(&e, 1, nodev);
	P_EMPTY(&e, 2);
	P_U64(&e, 3, 11);
	P_U64(&e, 4, 12);
	P_U64(&e, 5, 13);
	P_U64(&e, 6, 14);
	P_U64(&e, 7, 15);
	P_U64(&e, 8, 17);
	P_U64(&e, 9, 18);
	P_U64(&e, 10, 0);
	P_U64(&e, 11, 0);
	P_U8(&e, 12, 0);
	P_U8(&e, 13, 0);
	P_U16(&e, 14, SCAP_QUOTACTL_CMDS_Q_SETQUOTA);
	P_U8(&e, 15, SCAP_QUOTACTL_TYPES_GRPQUOTA);
	P_U32(&e, 16, 1234);
	P_U8(&e, 17, 0);
	ev_free(&e);
	r = RES(syscall(SYS_quotactl, QCMD(Q_GETQUOTA, USRQUOTA), nodev, 7, &dq));
	CHECK(r < 0);
	FIND(SCAP_EVT_QUOTACTL_X, tid, &e);
	P_I64(&e, 0, r);
	P_U64(&e, 3, 0);
	P_U64(&e, 9, 0);
	P_U16(&e, 14, SCAP_QUOTACTL_CMDS_Q_GETQUOTA);
	P_U32(&e, 16, 7);
	ev_free(&e);
	r = RES(syscall(SYS_quotactl, QCMD(Q_SETINFO, USRQUOTA), nodev, 0, &di));
	CHECK(r < 0);
	FIND(SCAP_EVT_QUOTACTL_X, tid, &e);
	P_I64(&e, 0, r);
	P_U64(&e, 3, 0);
	P_U64(&e, 10, 21);
	P_U64(&e, 11, 22);
	P_U8(&e, 12, SCAP_QUOTACTL_DQI_FLAGS_V1_DQF_RSQUASH);
	P_U16(&e, 14, SCAP_QUOTACTL_CMDS_Q_SETINFO);
	ev_free(&e);
	r = RES(syscall(SYS_quotactl, QCMD(Q_QUOTAON, USRQUOTA), nodev, 2 /* QFMT_VFS_V0 */, "/aquota.user"));
	CHECK(r < 0);
	FIND(SCAP_EVT_QUOTACTL_X, tid, &e);
	P_I64(&e, 0, r);
	P_STR(&e, 1, nodev);
	P_STR(&e, 2, "/aquota.user");
	P_U16(&e, 14, SCAP_QUOTACTL_CMDS_Q_QUOTAON);
	P_U32(&e, 16, 2);
	P_U8(&e, 17, SCAP_QUOTACTL_QUOTA_FMTS_QFMT_VFS_V0);
	ev_free(&e);
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Tracepoints that are off by default                                                         */

/* VmSize / VmRSS / VmSwap (KiB) of this process, read without allocating. */
static void vm_kib(uint32_t *size, uint32_t *rss, uint32_t *swap)
{
	char b[4096];
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = read(fd, b, sizeof(b) - 1);
	char *p;

	close(fd);
	b[n > 0 ? n : 0] = 0;
	*size = (p = strstr(b, "VmSize:")) ? strtoul(p + 7, NULL, 10) : 0;
	*rss = (p = strstr(b, "VmRSS:")) ? strtoul(p + 6, NULL, 10) : 0;
	*swap = (p = strstr(b, "VmSwap:")) ? strtoul(p + 7, NULL, 10) : 0;
}

static int t_sched_switch(void)
{
	int sc[] = { SCAP_SC_SCHED_SWITCH, -1 };
	pid_t tid = gettid_();
	struct timespec ts = { 0, 2000000 };
	struct rusage ru0, ru1;
	uint32_t size0, rss0, swap0, size1, rss1, swap1, v;
	struct ev e;

	if (cap_open(sc, NULL))
		return 1;
	cap_drain();
	vm_kib(&size0, &rss0, &swap0);
	getrusage(RUSAGE_THREAD, &ru0);
	syscall(SYS_nanosleep, &ts, NULL); /* switches this thread out */
	getrusage(RUSAGE_THREAD, &ru1);
	vm_kib(&size1, &rss1, &swap1);
	FIND(SCAP_EVT_SWITCH_E, tid, &e);
	P_N(&e, 6);
	{
		int64_t next;
		uint64_t maj, min;
		memcpy(&next, e.p[0].data, 8);
		memcpy(&maj, e.p[1].data, 8);
		memcpy(&min, e.p[2].data, 8);
		CHECK(e.p[0].len == 8 && next != tid && next >= 0);
		CHECK(e.p[1].len == 8 && maj >= (uint64_t)ru0.ru_majflt && maj <= (uint64_t)ru1.ru_majflt);
		CHECK(e.p[2].len == 8 && min >= (uint64_t)ru0.ru_minflt && min <= (uint64_t)ru1.ru_minflt);
	}
	/* the memory counters at the switch, between what /proc showed before and after (RSS also
	 * moves with the library's own threads: 1 MiB of slack) */
#define BETWEEN(i, lo, hi, slack)                                                                           \
	do {                                                                                                \
		CHECK(e.p[i].len == 4);                                                                     \
		memcpy(&v, e.p[i].data, 4);                                                                 \
		if (v + (slack) < ((lo) < (hi) ? (lo) : (hi)) || v > ((lo) > (hi) ? (lo) : (hi)) + (slack)) \
			FAIL("switch param %d = %u, not within [%u, %u] +- %u", i, v, lo, hi, slack);       \
	} while (0)
	BETWEEN(3, size0, size1, 0);
	BETWEEN(4, rss0, rss1, 1024);
	BETWEEN(5, swap0, swap1, 0);
#undef BETWEEN
	ev_free(&e);
	return 0;
}

static volatile sig_atomic_t g_got;
static void on_usr1(int s)
{
	g_got = s;
}

static int t_signal_deliver(void)
{
	int sc[] = { SCAP_SC_SIGNAL_DELIVER, -1 };
	pid_t tid = gettid_();
	struct sigaction sa = { .sa_handler = on_usr1 }, old;
	struct ev e;

	if (cap_open(sc, NULL))
		return 1;
	sigaction(SIGUSR1, &sa, &old);
	g_got = 0;
	CHECK_SYS(syscall(SYS_tgkill, getpid(), tid, SIGUSR1) == 0);
	CHECK(g_got == SIGUSR1);
	sigaction(SIGUSR1, &old, NULL);
	FIND(SCAP_EVT_SIGNALDELIVER_E, tid, &e);
	P_N(&e, 3);
	P_I64(&e, 0, getpid());
	P_I64(&e, 1, tid);
	P_U8(&e, 2, SIGUSR1);
	ev_free(&e);
	return 0;
}

static int t_page_fault(void)
{
	int sc[] = { SCAP_SC_PAGE_FAULT_USER, -1 };
	pid_t tid = gettid_();
	volatile char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct ev e;

	CHECK_SYS(m != MAP_FAILED);
	if (cap_open(sc, NULL))
		return 1;
	m[8] = 1; /* first touch of the page: a user write fault on a page not present */
	for (int i = 0; i < 2000; i++) {
		uint64_t addr, ip;
		FIND(SCAP_EVT_PAGE_FAULT_E, tid, &e);
		P_N(&e, 3);
		memcpy(&addr, e.p[0].data, 8);
		if (addr != (uintptr_t)m + 8) {
			ev_free(&e);
			continue;
		}
		memcpy(&ip, e.p[1].data, 8);
		CHECK(ip >= (uintptr_t)t_page_fault && ip < (uintptr_t)t_page_fault + 4096);
		P_U32(&e, 2, SCAP_PF_FLAGS_PAGE_NOT_PRESENT | SCAP_PF_FLAGS_WRITE_ACCESS | SCAP_PF_FLAGS_USER_FAULT);
		ev_free(&e);
		munmap((void *)m, 4096);
		return 0;
	}
	FAIL("no page_fault event at %p", (void *)(m + 8));
}

/* The library's default set: every syscall, but none of switch / signaldeliver / page_fault;
 * each can be switched on at run time. */
static int t_tracepoints_off_by_default(void)
{
	struct cap_opts o = { .default_set = true };
	struct sigaction sa = { .sa_handler = on_usr1 }, old;
	struct timespec ts = { 0, 2000000 };
	pid_t tid = gettid_();
	volatile char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct ev e;

	CHECK_SYS(m != MAP_FAILED);
	if (cap_open(NULL, &o))
		return 1;
	sigaction(SIGUSR1, &sa, &old);
	syscall(SYS_nanosleep, &ts, NULL);
	syscall(SYS_tgkill, getpid(), tid, SIGUSR1);
	m[0] = 1;
	syscall(SYS_getppid);
	/* syscalls are in the default set: the generic events of rt_sigaction ..., then getppid */
	for (;;) {
		uint16_t id;
		FIND(SCAP_EVT_SYSCALL_X, tid, &e);
		memcpy(&id, e.p[0].data, 2);
		ev_free(&e);
		if (id == SCAP_SC_GETPPID)
			break;
	}
	if (cap_expect_none(SCAP_EVT_SWITCH_E, tid) || cap_expect_none(SCAP_EVT_SIGNALDELIVER_E, tid) ||
	    cap_expect_none(SCAP_EVT_PAGE_FAULT_E, tid))
		FAIL("a tracepoint that is off by default produced an event");
	CHECK(scap_capture__set_ppm_sc(g_cap, SCAP_SC_SCHED_SWITCH, true) == 0);
	CHECK(scap_capture__set_ppm_sc(g_cap, SCAP_SC_SIGNAL_DELIVER, true) == 0);
	CHECK(scap_capture__set_ppm_sc(g_cap, SCAP_SC_PAGE_FAULT_USER, true) == 0);
	syscall(SYS_tgkill, getpid(), tid, SIGUSR1);
	FIND(SCAP_EVT_SIGNALDELIVER_E, tid, &e);
	P_U8(&e, 2, SIGUSR1);
	ev_free(&e);
	munmap((void *)m, 4096); /* a new page: its first touch faults */
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_SYS(m != MAP_FAILED);
	m[0] = 1;
	FIND(SCAP_EVT_PAGE_FAULT_E, tid, &e);
	ev_free(&e);
	syscall(SYS_nanosleep, &ts, NULL);
	FIND(SCAP_EVT_SWITCH_E, tid, &e);
	ev_free(&e);
	sigaction(SIGUSR1, &old, NULL);
	munmap((void *)m, 4096);
	cap_close();
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* fd and net syscalls not covered by the other suites                                         */

static int t_fd_misc(void)
{
	int sc[] = { SCAP_SC_EVENTFD,	 SCAP_SC_SIGNALFD,    SCAP_SC_INOTIFY_INIT,
		     SCAP_SC_EPOLL_WAIT, SCAP_SC_SELECT,      SCAP_SC_FUTEX,
		     SCAP_SC_GETDENTS,	 SCAP_SC_PIDFD_GETFD, -1 };
	pid_t tid = gettid_();
	struct timeval tv = { 0, 0 };
	struct epoll_event ev;
	uint32_t fut = 5;
	sigset_t m;
	fd_set rs;
	struct ev e;
	long r, pfd;
	int d = open("/", O_RDONLY | O_DIRECTORY), ep;
	char buf[4096];

	if (cap_open(sc, NULL))
		return 1;
	r = syscall(SYS_eventfd, 9);
	CHECK_SYS(r >= 0);
	FIND(SCAP_EVT_EVENTFD_X, tid, &e);
	P_N(&e, 3);
	P_I64(&e, 0, r);
	P_U64(&e, 1, 9);
	P_U32(&e, 2, 0);
	ev_free(&e);
	close(r);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	r = syscall(SYS_signalfd, -1, &m, 8);
	CHECK_SYS(r >= 0);
	FIND(SCAP_EVT_SIGNALFD_X, tid, &e);
	P_N(&e, 4);
	P_I64(&e, 0, r);
	P_I64(&e, 1, -1);
	P_U32(&e, 2, 1u << (SIGUSR2 - 1));
	P_U8(&e, 3, 0);
	ev_free(&e);
	close(r);
	CHECK(syscall(SYS_signalfd, 9999, &m, 8) == -1 && errno == EBADF);
	FIND(SCAP_EVT_SIGNALFD_X, tid, &e);
	P_I64(&e, 0, -EBADF);
	P_I64(&e, 1, 9999);
	P_U32(&e, 2, 1u << (SIGUSR2 - 1));
	ev_free(&e);
	r = syscall(SYS_inotify_init);
	CHECK_SYS(r >= 0);
	FIND(SCAP_EVT_INOTIFY_INIT_X, tid, &e);
	P_N(&e, 2);
	P_I64(&e, 0, r);
	P_U8(&e, 1, 0);
	ev_free(&e);
	close(r);

	ep = epoll_create1(0);
	r = syscall(SYS_epoll_wait, ep, &ev, 7, 0);
	CHECK(r == 0);
	FIND(SCAP_EVT_EPOLL_WAIT_X, tid, &e);
	P_N(&e, 2);
	P_I64(&e, 0, 0);
	P_I64(&e, 1, 7);
	ev_free(&e);
	CHECK(syscall(SYS_epoll_wait, ep, &ev, 0, 0) == -1 && errno == EINVAL);
	FIND(SCAP_EVT_EPOLL_WAIT_X, tid, &e);
	P_I64(&e, 0, -EINVAL);
	P_I64(&e, 1, 0);
	ev_free(&e);
	close(ep);

	FD_ZERO(&rs);
	FD_SET(d, &rs);
	CHECK(syscall(SYS_select, d + 1, &rs, NULL, NULL, &tv) == 1);
	FIND(SCAP_EVT_SELECT_1_X, tid, &e);
	P_N(&e, 1);
	P_I64(&e, 0, 1);
	ev_free(&e);
	CHECK(syscall(SYS_select, -1, NULL, NULL, NULL, &tv) == -1 && errno == EINVAL);
	FIND(SCAP_EVT_SELECT_1_X, tid, &e);
	P_I64(&e, 0, -EINVAL);
	ev_free(&e);

	CHECK(syscall(SYS_futex, &fut, FUTEX_WAKE_PRIVATE, 3, NULL, NULL, 0) == 0);
	FIND(SCAP_EVT_FUTEX_X, tid, &e);
	P_N(&e, 4);
	P_I64(&e, 0, 0);
	P_U64(&e, 1, (uintptr_t)&fut);
	P_U16(&e, 2, SCAP_FUTEX_OPERATIONS_FUTEX_WAKE | SCAP_FUTEX_OPERATIONS_FUTEX_PRIVATE_FLAG);
	P_U64(&e, 3, 3);
	ev_free(&e);
	CHECK(syscall(SYS_futex, &fut, FUTEX_WAIT, 4, NULL, NULL, 0) == -1 && errno == EAGAIN);
	FIND(SCAP_EVT_FUTEX_X, tid, &e);
	P_I64(&e, 0, -EAGAIN);
	P_U16(&e, 2, SCAP_FUTEX_OPERATIONS_FUTEX_WAIT);
	P_U64(&e, 3, 4);
	ev_free(&e);

	r = syscall(SYS_getdents, d, buf, sizeof(buf));
	CHECK_SYS(r > 0);
	FIND(SCAP_EVT_GETDENTS_X, tid, &e);
	P_N(&e, 2);
	P_I64(&e, 0, r);
	P_I64(&e, 1, d);
	ev_free(&e);
	CHECK(syscall(SYS_getdents, 9999, buf, sizeof(buf)) == -1 && errno == EBADF);
	FIND(SCAP_EVT_GETDENTS_X, tid, &e);
	P_I64(&e, 0, -EBADF);
	P_I64(&e, 1, 9999);
	ev_free(&e);

	pfd = syscall(SYS_pidfd_open, getpid(), 0);
	CHECK_SYS(pfd >= 0);
	r = syscall(SYS_pidfd_getfd, pfd, d, 0);
	CHECK_SYS(r >= 0);
	FIND(SCAP_EVT_PIDFD_GETFD_X, tid, &e);
	P_N(&e, 4);
	P_I64(&e, 0, r);
	P_I64(&e, 1, pfd);
	P_I64(&e, 2, d);
	P_U32(&e, 3, 0);
	ev_free(&e);
	close(r);
	CHECK(syscall(SYS_pidfd_getfd, pfd, 9999, 0) == -1 && errno == EBADF);
	FIND(SCAP_EVT_PIDFD_GETFD_X, tid, &e);
	P_I64(&e, 0, -EBADF);
	P_I64(&e, 1, pfd);
	P_I64(&e, 2, 9999);
	P_U32(&e, 3, 0);
	ev_free(&e);
	close(pfd);
	close(d);
	return 0;
}

static int t_net_misc(void)
{
	int sc[] = { SCAP_SC_GETSOCKNAME, SCAP_SC_GETPEERNAME, SCAP_SC_SENDMMSG, SCAP_SC_RECVMMSG, -1 };
	pid_t tid = gettid_();
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) }, sa, ra;
	socklen_t l = sizeof(sa);
	char rbuf[64];
	struct iovec siov[2] = { { "ping-", 5 }, { "pong", 4 } }, riov = { rbuf, sizeof(rbuf) };
	struct mmsghdr sm, rm;
	uint8_t tup[64];
	struct ev e;
	int s = socket(AF_INET, SOCK_DGRAM, 0), r = socket(AF_INET, SOCK_DGRAM, 0);

	CHECK_SYS(s >= 0 && r >= 0);
	CHECK_SYS(bind(r, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK_SYS(getsockname(r, (struct sockaddr *)&ra, &l) == 0);
	CHECK_SYS(connect(s, (struct sockaddr *)&ra, sizeof(ra)) == 0);
	l = sizeof(sa);
	CHECK_SYS(getsockname(s, (struct sockaddr *)&sa, &l) == 0);
	if (cap_open(sc, NULL))
		return 1;
	l = sizeof(sa);
	CHECK_SYS(syscall(SYS_getsockname, s, &sa, &l) == 0);
	FIND(SCAP_EVT_GETSOCKNAME_X, tid, &e);
	P_N(&e, 0);
	ev_free(&e);
	l = sizeof(sa);
	CHECK(syscall(SYS_getpeername, r, &sa, &l) == -1 && errno == ENOTCONN);
	FIND(SCAP_EVT_GETPEERNAME_X, tid, &e);
	P_N(&e, 0);
	ev_free(&e);

	memset(&sm, 0, sizeof(sm));
	sm.msg_hdr.msg_iov = siov;
	sm.msg_hdr.msg_iovlen = 2;
	CHECK_SYS(syscall(SYS_sendmmsg, s, &sm, 1, 0) == 1);
	FIND(SCAP_EVT_SENDMMSG_X, tid, &e);
	P_N(&e, 5);
	P_I64(&e, 0, 1);
	P_I64(&e, 1, s);
	P_U32(&e, 2, 9);
	P_BYTES(&e, 3, "ping-pong", 9);
	P_BYTES(&e, 4, tup,
		enc_tuple4(tup, sa.sin_addr.s_addr, ntohs(sa.sin_port), ra.sin_addr.s_addr, ntohs(ra.sin_port)));
	ev_free(&e);
	memset(&rm, 0, sizeof(rm));
	rm.msg_hdr.msg_iov = &riov;
	rm.msg_hdr.msg_iovlen = 1;
	CHECK_SYS(syscall(SYS_recvmmsg, r, &rm, 1, 0, NULL) == 1);
	FIND(SCAP_EVT_RECVMMSG_X, tid, &e);
	P_N(&e, 6);
	P_I64(&e, 0, 1);
	P_I64(&e, 1, r);
	P_U32(&e, 2, 9);
	P_BYTES(&e, 3, "ping-pong", 9);
	/* inbound, unconnected receiver, no msg_name: src = remote = 0.0.0.0:0, dst = the local end */
	P_BYTES(&e, 4, tup, enc_tuple4(tup, 0, 0, ra.sin_addr.s_addr, ntohs(ra.sin_port)));
	P_EMPTY(&e, 5);
	ev_free(&e);
	CHECK(syscall(SYS_recvmmsg, r, &rm, 1, MSG_DONTWAIT, NULL) == -1 && errno == EAGAIN);
	FIND(SCAP_EVT_RECVMMSG_X, tid, &e);
	P_I64(&e, 0, -EAGAIN);
	P_I64(&e, 1, r);
	P_U32(&e, 2, 0);
	P_EMPTY(&e, 3);
	P_EMPTY(&e, 4);
	P_EMPTY(&e, 5);
	ev_free(&e);
	CHECK(syscall(SYS_sendmmsg, 9999, &sm, 1, 0) == -1 && errno == EBADF);
	FIND(SCAP_EVT_SENDMMSG_X, tid, &e);
	P_I64(&e, 0, -EBADF);
	P_I64(&e, 1, 9999);
	P_U32(&e, 2, 9);
	P_BYTES(&e, 3, "ping-pong", 9);
	P_EMPTY(&e, 4);
	ev_free(&e);
	close(s);
	close(r);
	return 0;
}

static int t_open_by_handle_at(void)
{
	int sc[] = { SCAP_SC_OPEN_BY_HANDLE_AT, -1 };
	pid_t tid = gettid_();
	char path[64];
	struct {
		struct file_handle h;
		unsigned char b[128];
	} fh;
	struct stat st;
	struct ev e;
	int mount_id, dirfd, fd;
	long r;

	snprintf(path, sizeof(path), "/tmp/drvtest.%d.handle", getpid());
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	CHECK_SYS(fd >= 0);
	close(fd);
	fh.h.handle_bytes = sizeof(fh.b);
	CHECK_SYS(name_to_handle_at(AT_FDCWD, path, &fh.h, &mount_id, 0) == 0);
	dirfd = open("/tmp", O_RDONLY | O_DIRECTORY);
	if (cap_open(sc, NULL))
		return 1;
	r = syscall(SYS_open_by_handle_at, dirfd, &fh.h, O_RDWR | O_CLOEXEC);
	CHECK_SYS(r >= 0);
	CHECK_SYS(fstat(r, &st) == 0);
	FIND(SCAP_EVT_OPEN_BY_HANDLE_AT_X, tid, &e);
	P_N(&e, 6);
	P_I64(&e, 0, r);
	P_I64(&e, 1, dirfd);
	P_U32(&e, 2, SCAP_OPEN_FLAGS_O_RDWR | SCAP_OPEN_FLAGS_O_CLOEXEC);
	P_STR(&e, 3, path);
	P_U32(&e, 4, st.st_dev);
	P_U64(&e, 5, st.st_ino);
	ev_free(&e);
	close(r);
	unlink(path);
	/* the file is gone: ESTALE, no path, no dev/ino */
	CHECK(syscall(SYS_open_by_handle_at, dirfd, &fh.h, O_RDONLY) == -1 && errno == ESTALE);
	FIND(SCAP_EVT_OPEN_BY_HANDLE_AT_X, tid, &e);
	P_I64(&e, 0, -ESTALE);
	P_I64(&e, 1, dirfd);
	P_U32(&e, 2, SCAP_OPEN_FLAGS_O_RDONLY);
	P_EMPTY(&e, 3);
	P_U32(&e, 4, 0);
	P_U64(&e, 5, 0);
	ev_free(&e);
	close(dirfd);
	return 0;
}

/* Syscalls without a dedicated event: the generic event with the ppm_sc code and the native number. */
static int t_generic_many(void)
{
	int sc[] = { SCAP_SC_GETPID, SCAP_SC_SCHED_YIELD, SCAP_SC_UMASK,   SCAP_SC_GETPGRP,
		     SCAP_SC_GETTID, SCAP_SC_UNAME,	  SCAP_SC_MADVISE, -1 };
	static const struct {
		int ppm_sc;
		long nr;
	} want[] = {
		{ SCAP_SC_GETPID, SYS_getpid },	  { SCAP_SC_SCHED_YIELD, SYS_sched_yield },
		{ SCAP_SC_UMASK, SYS_umask },	  { SCAP_SC_GETPGRP, SYS_getpgrp },
		{ SCAP_SC_GETTID, SYS_gettid },	  { SCAP_SC_UNAME, SYS_uname },
		{ SCAP_SC_MADVISE, SYS_madvise },
	};
	pid_t tid = gettid_();
	struct utsname u;
	mode_t old;
	struct ev e;

	if (cap_open(sc, NULL))
		return 1;
	syscall(SYS_getpid);
	syscall(SYS_sched_yield);
	old = syscall(SYS_umask, 022);
	syscall(SYS_getpgrp);
	syscall(SYS_gettid);
	syscall(SYS_uname, &u);
	CHECK(syscall(SYS_madvise, (void *)1, 4096, MADV_NORMAL) == -1 && errno == EINVAL); /* failed: still generic */
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		FIND(SCAP_EVT_SYSCALL_X, tid, &e);
		P_N(&e, 2);
		P_U16(&e, 0, want[i].ppm_sc);
		P_U16(&e, 1, want[i].nr);
		CHECK(e.hdr.len == 26 + 4 + 4);
		ev_free(&e);
	}
	umask(old);
	return 0;
}

const struct test_case sys_cases[] = {
	{ "generic_many", t_generic_many },
	{ "open_by_handle_at", t_open_by_handle_at },
	{ "bpf_modules_keyctl", t_modules_bpf_keys },
	{ "io_uring", t_io_uring },
	{ "process_vm_readv_writev", t_process_vm },
	{ "semget_semop_semctl", t_sysv_sem },
	{ "fsconfig", t_fsconfig },
	{ "quotactl", t_quotactl },
	{ "sched_switch", t_sched_switch },
	{ "signal_deliver", t_signal_deliver },
	{ "page_fault", t_page_fault },
	{ "tracepoints_off_by_default", t_tracepoints_off_by_default },
	{ "eventfd_signalfd_inotify_init_epoll_wait_select_futex_getdents_pidfd_getfd", t_fd_misc },
	{ "getsockname_getpeername_sendmmsg_recvmmsg", t_net_misc },
	{ NULL, NULL },
};
