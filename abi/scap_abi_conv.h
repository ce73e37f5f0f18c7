/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * Kernel values -> ppm values (the SCAP_* constants of scap_abi_events.h): the converters that the
 * CO-RE probe (bpf_core/) and the kernel module (driver/) share, so that the two drivers cannot
 * drift. Plain C over __u8..__u64 and long (vmlinux.h or <linux/types.h> provide them); x86_64 values.
 * The includer defines SCAP_CONV_INLINE (static __always_inline in BPF, static inline in the kmod).
 * scap_conv_NAME is NAME(...) in the fill sources of schema/events.py (schema/fill.py CONVERTERS
 * lists them, tests/test_schema.py checks that the two lists agree).
 */
#ifndef SCAP_ABI_CONV_H
#define SCAP_ABI_CONV_H

#include "scap_abi_events.h"

#ifndef SCAP_CONV_INLINE
#error "define SCAP_CONV_INLINE before including scap_abi_conv.h"
#endif

SCAP_CONV_INLINE __u32 scap_conv_open_flags(__u32 f)
{
	__u32 r = 0;

	switch (f & 3) {
	case 0: r = SCAP_OPEN_FLAGS_O_RDONLY; break;
	case 1: r = SCAP_OPEN_FLAGS_O_WRONLY; break;
	case 2: r = SCAP_OPEN_FLAGS_O_RDWR; break;
	}
	if (f & 0100)
		r |= SCAP_OPEN_FLAGS_O_CREAT;
	if (f & 02000)
		r |= SCAP_OPEN_FLAGS_O_APPEND;
	if (f & 010000)
		r |= SCAP_OPEN_FLAGS_O_DSYNC;
	if (f & 0200)
		r |= SCAP_OPEN_FLAGS_O_EXCL;
	if (f & 04000)
		r |= SCAP_OPEN_FLAGS_O_NONBLOCK;
	if ((f & 04010000) == 04010000)
		r |= SCAP_OPEN_FLAGS_O_SYNC;
	if (f & 01000)
		r |= SCAP_OPEN_FLAGS_O_TRUNC;
	if (f & 040000)
		r |= SCAP_OPEN_FLAGS_O_DIRECT;
	if ((f & 020200000) == 020200000)
		r |= SCAP_OPEN_FLAGS_O_TMPFILE;
	else if (f & 0200000)
		r |= SCAP_OPEN_FLAGS_O_DIRECTORY;
	if (f & 0100000)
		r |= SCAP_OPEN_FLAGS_O_LARGEFILE;
	if (f & 02000000)
		r |= SCAP_OPEN_FLAGS_O_CLOEXEC;
	return r;
}

SCAP_CONV_INLINE __u32 scap_conv_open_mode(__u32 flags, __u32 mode)
{
	return (flags & (0100 | 020000000)) ? mode : 0;
}

SCAP_CONV_INLINE __u32 scap_conv_mode(__u64 m)
{
	return m & 0177777;
}

SCAP_CONV_INLINE __u32 scap_conv_clone_flags(__u64 f)
{
	__u32 r = 0;

	if (f & 0x00000400)
		r |= SCAP_CLONE_FLAGS_CLONE_FILES;
	if (f & 0x00000200)
		r |= SCAP_CLONE_FLAGS_CLONE_FS;
	if (f & 0x80000000ULL)
		r |= SCAP_CLONE_FLAGS_CLONE_IO;
	if (f & 0x08000000)
		r |= SCAP_CLONE_FLAGS_CLONE_NEWIPC;
	if (f & 0x40000000)
		r |= SCAP_CLONE_FLAGS_CLONE_NEWNET;
	if (f & 0x00020000)
		r |= SCAP_CLONE_FLAGS_CLONE_NEWNS;
	if (f & 0x20000000)
		r |= SCAP_CLONE_FLAGS_CLONE_NEWPID;
	if (f & 0x04000000)
		r |= SCAP_CLONE_FLAGS_CLONE_NEWUTS;
	if (f & 0x00008000)
		r |= SCAP_CLONE_FLAGS_CLONE_PARENT;
	if (f & 0x00100000)
		r |= SCAP_CLONE_FLAGS_CLONE_PARENT_SETTID;
	if (f & 0x00002000)
		r |= SCAP_CLONE_FLAGS_CLONE_PTRACE;
	if (f & 0x00000800)
		r |= SCAP_CLONE_FLAGS_CLONE_SIGHAND;
	if (f & 0x00040000)
		r |= SCAP_CLONE_FLAGS_CLONE_SYSVSEM;
	if (f & 0x00010000)
		r |= SCAP_CLONE_FLAGS_CLONE_THREAD;
	if (f & 0x00800000)
		r |= SCAP_CLONE_FLAGS_CLONE_UNTRACED;
	if (f & 0x00000100)
		r |= SCAP_CLONE_FLAGS_CLONE_VM;
	if (f & 0x10000000)
		r |= SCAP_CLONE_FLAGS_CLONE_NEWUSER;
	if (f & 0x00200000)
		r |= SCAP_CLONE_FLAGS_CLONE_CHILD_CLEARTID;
	if (f & 0x01000000)
		r |= SCAP_CLONE_FLAGS_CLONE_CHILD_SETTID;
	if (f & 0x00080000)
		r |= SCAP_CLONE_FLAGS_CLONE_SETTLS;
	if (f & 0x00004000)
		r |= SCAP_CLONE_FLAGS_CLONE_VFORK;
	if (f & 0x02000000)
		r |= SCAP_CLONE_FLAGS_CLONE_NEWCGROUP;
	return r;
}

SCAP_CONV_INLINE __u32 scap_conv_prot_flags(__u64 p)
{
	__u32 r = 0;
	if (p & 1)
		r |= SCAP_PROT_FLAGS_PROT_READ;
	if (p & 2)
		r |= SCAP_PROT_FLAGS_PROT_WRITE;
	if (p & 4)
		r |= SCAP_PROT_FLAGS_PROT_EXEC;
	if (p & 8)
		r |= SCAP_PROT_FLAGS_PROT_SEM;
	if (p & 0x01000000)
		r |= SCAP_PROT_FLAGS_PROT_GROWSDOWN;
	if (p & 0x02000000)
		r |= SCAP_PROT_FLAGS_PROT_GROWSUP;
	return r;
}

SCAP_CONV_INLINE __u32 scap_conv_mmap_flags(__u64 f)
{
	__u32 r = 0;
	if (f & 0x01)
		r |= SCAP_MMAP_FLAGS_MAP_SHARED;
	if (f & 0x02)
		r |= SCAP_MMAP_FLAGS_MAP_PRIVATE;
	if (f & 0x10)
		r |= SCAP_MMAP_FLAGS_MAP_FIXED;
	if (f & 0x20)
		r |= SCAP_MMAP_FLAGS_MAP_ANONYMOUS;
	if (f & 0x40)
		r |= SCAP_MMAP_FLAGS_MAP_32BIT;
	if (f & 0x4000)
		r |= SCAP_MMAP_FLAGS_MAP_NORESERVE;
	if (f & 0x8000)
		r |= SCAP_MMAP_FLAGS_MAP_POPULATE;
	if (f & 0x10000)
		r |= SCAP_MMAP_FLAGS_MAP_NONBLOCK;
	if (f & 0x0100)
		r |= SCAP_MMAP_FLAGS_MAP_GROWSDOWN;
	if (f & 0x0800)
		r |= SCAP_MMAP_FLAGS_MAP_DENYWRITE;
	if (f & 0x1000)
		r |= SCAP_MMAP_FLAGS_MAP_EXECUTABLE;
	if (f & 0x2000)
		r |= SCAP_MMAP_FLAGS_MAP_LOCKED;
	return r;
}

SCAP_CONV_INLINE __u32 scap_conv_nb_cloexec(__u64 f)
{
	__u32 r = 0;
	if (f & 04000)
		r |= SCAP_OPEN_FLAGS_O_NONBLOCK;
	if (f & 02000000)
		r |= SCAP_OPEN_FLAGS_O_CLOEXEC;
	return r;
}

SCAP_CONV_INLINE __u16 scap_conv_poll(__u16 e)
{
	__u16 r = 0;
	if (e & 0x001)
		r |= 1; /* POLLIN */
	if (e & 0x002)
		r |= 2; /* POLLPRI */
	if (e & 0x004)
		r |= 4; /* POLLOUT */
	if (e & 0x2000)
		r |= 8; /* POLLRDHUP */
	if (e & 0x008)
		r |= 16; /* POLLERR */
	if (e & 0x010)
		r |= 32; /* POLLHUP */
	if (e & 0x020)
		r |= 64; /* POLLNVAL */
	if (e & 0x040)
		r |= 128; /* POLLRDNORM */
	if (e & 0x080)
		r |= 256; /* POLLRDBAND */
	if (e & 0x100)
		r |= 512; /* POLLWRNORM */
	if (e & 0x200)
		r |= 1024; /* POLLWRBAND */
	return r;
}

SCAP_CONV_INLINE __u16 scap_conv_ptrace_req(long r)
{
	switch (r) {
	case 0: return SCAP_PTRACE_REQUESTS_PTRACE_TRACEME;
	case 1: return SCAP_PTRACE_REQUESTS_PTRACE_PEEKTEXT;
	case 2: return SCAP_PTRACE_REQUESTS_PTRACE_PEEKDATA;
	case 3: return SCAP_PTRACE_REQUESTS_PTRACE_PEEKUSR;
	case 4: return SCAP_PTRACE_REQUESTS_PTRACE_POKETEXT;
	case 5: return SCAP_PTRACE_REQUESTS_PTRACE_POKEDATA;
	case 6: return SCAP_PTRACE_REQUESTS_PTRACE_POKEUSR;
	case 7: return SCAP_PTRACE_REQUESTS_PTRACE_CONT;
	case 8: return SCAP_PTRACE_REQUESTS_PTRACE_KILL;
	case 9: return SCAP_PTRACE_REQUESTS_PTRACE_SINGLESTEP;
	case 12: return SCAP_PTRACE_REQUESTS_PTRACE_GETREGS;
	case 13: return SCAP_PTRACE_REQUESTS_PTRACE_SETREGS;
	case 14: return SCAP_PTRACE_REQUESTS_PTRACE_GETFPREGS;
	case 15: return SCAP_PTRACE_REQUESTS_PTRACE_SETFPREGS;
	case 16: return SCAP_PTRACE_REQUESTS_PTRACE_ATTACH;
	case 17: return SCAP_PTRACE_REQUESTS_PTRACE_DETACH;
	case 18: return SCAP_PTRACE_REQUESTS_PTRACE_GETFPXREGS;
	case 19: return SCAP_PTRACE_REQUESTS_PTRACE_SETFPXREGS;
	case 21: return SCAP_PTRACE_REQUESTS_PTRACE_OLDSETOPTIONS;
	case 24: return SCAP_PTRACE_REQUESTS_PTRACE_SYSCALL;
	case 25: return SCAP_PTRACE_REQUESTS_PTRACE_GET_THREAD_AREA;
	case 26: return SCAP_PTRACE_REQUESTS_PTRACE_SET_THREAD_AREA;
	case 30: return SCAP_PTRACE_REQUESTS_PTRACE_ARCH_PRCTL;
	case 31: return SCAP_PTRACE_REQUESTS_PTRACE_SYSEMU;
	case 32: return SCAP_PTRACE_REQUESTS_PTRACE_SYSEMU_SINGLESTEP;
	case 33: return SCAP_PTRACE_REQUESTS_PTRACE_SINGLEBLOCK;
	case 0x4200: return SCAP_PTRACE_REQUESTS_PTRACE_SETOPTIONS;
	case 0x4201: return SCAP_PTRACE_REQUESTS_PTRACE_GETEVENTMSG;
	case 0x4202: return SCAP_PTRACE_REQUESTS_PTRACE_GETSIGINFO;
	case 0x4203: return SCAP_PTRACE_REQUESTS_PTRACE_SETSIGINFO;
	case 0x4204: return SCAP_PTRACE_REQUESTS_PTRACE_GETREGSET;
	case 0x4205: return SCAP_PTRACE_REQUESTS_PTRACE_SETREGSET;
	case 0x4206: return SCAP_PTRACE_REQUESTS_PTRACE_SEIZE;
	case 0x4207: return SCAP_PTRACE_REQUESTS_PTRACE_INTERRUPT;
	case 0x4208: return SCAP_PTRACE_REQUESTS_PTRACE_LISTEN;
	case 0x4209: return SCAP_PTRACE_REQUESTS_PTRACE_PEEKSIGINFO;
	case 0x420a: return SCAP_PTRACE_REQUESTS_PTRACE_GETSIGMASK;
	case 0x420b: return SCAP_PTRACE_REQUESTS_PTRACE_SETSIGMASK;
	}
	return SCAP_PTRACE_REQUESTS_PTRACE_UNKNOWN;
}

SCAP_CONV_INLINE __u16 scap_conv_quota_cmd(__u32 sub)
{
	switch (sub) {
	case 0x800001: return SCAP_QUOTACTL_CMDS_Q_SYNC;
	case 0x800002: return SCAP_QUOTACTL_CMDS_Q_QUOTAON;
	case 0x800003: return SCAP_QUOTACTL_CMDS_Q_QUOTAOFF;
	case 0x800004: return SCAP_QUOTACTL_CMDS_Q_GETFMT;
	case 0x800005: return SCAP_QUOTACTL_CMDS_Q_GETINFO;
	case 0x800006: return SCAP_QUOTACTL_CMDS_Q_SETINFO;
	case 0x800007: return SCAP_QUOTACTL_CMDS_Q_GETQUOTA;
	case 0x800008: return SCAP_QUOTACTL_CMDS_Q_SETQUOTA;
	case 0x5801: return SCAP_QUOTACTL_CMDS_Q_XQUOTAON;
	case 0x5802: return SCAP_QUOTACTL_CMDS_Q_XQUOTAOFF;
	case 0x5803: return SCAP_QUOTACTL_CMDS_Q_XGETQUOTA;
	case 0x5804: return SCAP_QUOTACTL_CMDS_Q_XSETQLIM;
	case 0x5805: return SCAP_QUOTACTL_CMDS_Q_XGETQSTAT;
	case 0x5806: return SCAP_QUOTACTL_CMDS_Q_XQUOTARM;
	case 0x5807: return SCAP_QUOTACTL_CMDS_Q_XQUOTASYNC;
	}
	return 0;
}

SCAP_CONV_INLINE __u16 scap_conv_semctl_cmd(long c)
{
	switch (c & ~0x100L /* IPC_64 */) {
	case 0: return SCAP_SEMCTL_COMMANDS_IPC_RMID;
	case 1: return SCAP_SEMCTL_COMMANDS_IPC_SET;
	case 2: return SCAP_SEMCTL_COMMANDS_IPC_STAT;
	case 3: return SCAP_SEMCTL_COMMANDS_IPC_INFO;
	case 11: return SCAP_SEMCTL_COMMANDS_GETPID;
	case 12: return SCAP_SEMCTL_COMMANDS_GETVAL;
	case 13: return SCAP_SEMCTL_COMMANDS_GETALL;
	case 14: return SCAP_SEMCTL_COMMANDS_GETNCNT;
	case 15: return SCAP_SEMCTL_COMMANDS_GETZCNT;
	case 16: return SCAP_SEMCTL_COMMANDS_SETVAL;
	case 17: return SCAP_SEMCTL_COMMANDS_SETALL;
	case 18: return SCAP_SEMCTL_COMMANDS_SEM_STAT;
	case 19: return SCAP_SEMCTL_COMMANDS_SEM_INFO;
	}
	return 0;
}

SCAP_CONV_INLINE __u8 scap_conv_fcntl_cmd(int cmd)
{
	switch (cmd) {
	case 0: return SCAP_FCNTL_COMMANDS_F_DUPFD;
	case 1: return SCAP_FCNTL_COMMANDS_F_GETFD;
	case 2: return SCAP_FCNTL_COMMANDS_F_SETFD;
	case 3: return SCAP_FCNTL_COMMANDS_F_GETFL;
	case 4: return SCAP_FCNTL_COMMANDS_F_SETFL;
	case 5: return SCAP_FCNTL_COMMANDS_F_GETLK;
	case 6: return SCAP_FCNTL_COMMANDS_F_SETLK;
	case 7: return SCAP_FCNTL_COMMANDS_F_SETLKW;
	case 8: return SCAP_FCNTL_COMMANDS_F_SETOWN;
	case 9: return SCAP_FCNTL_COMMANDS_F_GETOWN;
	case 10: return SCAP_FCNTL_COMMANDS_F_SETSIG;
	case 11: return SCAP_FCNTL_COMMANDS_F_GETSIG;
	case 15: return SCAP_FCNTL_COMMANDS_F_SETOWN_EX;
	case 16: return SCAP_FCNTL_COMMANDS_F_GETOWN_EX;
	case 36: return SCAP_FCNTL_COMMANDS_F_OFD_GETLK;
	case 37: return SCAP_FCNTL_COMMANDS_F_OFD_SETLK;
	case 38: return SCAP_FCNTL_COMMANDS_F_OFD_SETLKW;
	case 1024: return SCAP_FCNTL_COMMANDS_F_SETLEASE;
	case 1025: return SCAP_FCNTL_COMMANDS_F_GETLEASE;
	case 1026: return SCAP_FCNTL_COMMANDS_F_NOTIFY;
	case 1029: return SCAP_FCNTL_COMMANDS_F_CANCELLK;
	case 1030: return SCAP_FCNTL_COMMANDS_F_DUPFD_CLOEXEC;
	case 1031: return SCAP_FCNTL_COMMANDS_F_SETPIPE_SZ;
	case 1032: return SCAP_FCNTL_COMMANDS_F_GETPIPE_SZ;
	}
	return SCAP_FCNTL_COMMANDS_UNKNOWN;
}

SCAP_CONV_INLINE __u32 scap_conv_resolve(__u64 r)
{
	__u32 v = 0;
	if (r & 0x01)
		v |= SCAP_OPENAT2_RESOLVE_FLAGS_RESOLVE_NO_XDEV;
	if (r & 0x02)
		v |= SCAP_OPENAT2_RESOLVE_FLAGS_RESOLVE_NO_MAGICLINKS;
	if (r & 0x04)
		v |= SCAP_OPENAT2_RESOLVE_FLAGS_RESOLVE_NO_SYMLINKS;
	if (r & 0x08)
		v |= SCAP_OPENAT2_RESOLVE_FLAGS_RESOLVE_BENEATH;
	if (r & 0x10)
		v |= SCAP_OPENAT2_RESOLVE_FLAGS_RESOLVE_IN_ROOT;
	if (r & 0x20)
		v |= SCAP_OPENAT2_RESOLVE_FLAGS_RESOLVE_CACHED;
	return v;
}

SCAP_CONV_INLINE __u8 scap_conv_rlimit_res(long r)
{
	return (r >= 0 && r <= 15) ? r : SCAP_RLIMIT_RESOURCES_RLIMIT_UNKNOWN;
}

SCAP_CONV_INLINE __u16 scap_conv_sem_flg(__s16 f)
{
	__u16 r = 0;
	if (f & 04000)
		r |= SCAP_SEMOP_FLAGS_IPC_NOWAIT;
	if (f & 0x1000)
		r |= SCAP_SEMOP_FLAGS_SEM_UNDO;
	return r;
}

/* QFMT_VFS_OLD 1, QFMT_VFS_V0 2, QFMT_VFS_V1 4; any other format id is QFMT_NOT_USED. */
SCAP_CONV_INLINE __u8 scap_conv_quota_fmt(__u32 f)
{
	switch (f) {
	case 1: return SCAP_QUOTACTL_QUOTA_FMTS_QFMT_VFS_OLD;
	case 2: return SCAP_QUOTACTL_QUOTA_FMTS_QFMT_VFS_V0;
	case 4: return SCAP_QUOTACTL_QUOTA_FMTS_QFMT_VFS_V1;
	}
	return SCAP_QUOTACTL_QUOTA_FMTS_QFMT_NOT_USED;
}

SCAP_CONV_INLINE __u32 scap_conv_pf_flags(unsigned long err)
{
	__u32 r = 0;
	r |= (err & 1) ? SCAP_PF_FLAGS_PROTECTION_VIOLATION : SCAP_PF_FLAGS_PAGE_NOT_PRESENT;
	r |= (err & 2) ? SCAP_PF_FLAGS_WRITE_ACCESS : SCAP_PF_FLAGS_READ_ACCESS;
	r |= (err & 4) ? SCAP_PF_FLAGS_USER_FAULT : SCAP_PF_FLAGS_SUPERVISOR_FAULT;
	if (err & 8)
		r |= SCAP_PF_FLAGS_RESERVED_PAGE;
	if (err & 16)
		r |= SCAP_PF_FLAGS_INSTRUCTION_FETCH;
	return r;
}

/* ptrace: the requests whose data argument is a signal (CONT, SINGLESTEP, DETACH, SYSCALL, SYSEMU*). */
SCAP_CONV_INLINE __u32 scap_conv_ptrace_data_sig(long req)
{
	return req == 7 || req == 9 || req == 17 || req == 24 || req == 31 || req == 32;
}

SCAP_CONV_INLINE __u32 scap_conv_epoll_create1_flags(__u64 f)
{
	return (f & 02000000) ? SCAP_EPOLL_CREATE1_FLAGS_EPOLL_CLOEXEC : 0;
}

SCAP_CONV_INLINE __u32 scap_conv_pidfd_open_flags(__u64 f)
{
	return (f & 04000) ? SCAP_PIDFD_OPEN_FLAGS_PIDFD_NONBLOCK : 0;
}

/* AT_SYMLINK_NOFOLLOW 0x100, AT_EMPTY_PATH 0x1000 */
SCAP_CONV_INLINE __u32 scap_conv_fchownat_flags(__u32 f)
{
	__u32 r = 0;
	if (f & 0x100)
		r |= SCAP_FCHOWNAT_FLAGS_AT_SYMLINK_NOFOLLOW;
	if (f & 0x1000)
		r |= SCAP_FCHOWNAT_FLAGS_AT_EMPTY_PATH;
	return r;
}

/* O_TRUNC 01000, O_NONBLOCK 04000 */
SCAP_CONV_INLINE __u32 scap_conv_delete_module_flags(__u32 f)
{
	__u32 r = 0;
	if (f & 01000)
		r |= SCAP_DELETE_MODULE_FLAGS_O_TRUNC;
	if (f & 04000)
		r |= SCAP_DELETE_MODULE_FLAGS_O_NONBLOCK;
	return r;
}

/* IPC_CREAT 01000, IPC_EXCL 02000 */
SCAP_CONV_INLINE __u32 scap_conv_semget_flags(__u32 f)
{
	__u32 r = 0;
	if (f & 01000)
		r |= SCAP_SEMGET_FLAGS_IPC_CREAT;
	if (f & 02000)
		r |= SCAP_SEMGET_FLAGS_IPC_EXCL;
	return r;
}

/* IORING_SETUP_* (kernel bits 0..6) to the ppm bits, which skip bit 2 (IORING_SQ_NEED_WAKEUP). */
SCAP_CONV_INLINE __u32 scap_conv_io_uring_setup_flags(__u32 f)
{
	return (f & 3) | ((f & 0x7c) << 1);
}

/* mount flags: MS_MGC_VAL, the old magic in the high 16 bits, is dropped. */
SCAP_CONV_INLINE __u32 scap_conv_mount_flags(__u64 f)
{
	if ((f & 0xffff0000) == 0xC0ED0000)
		f &= 0xffff;
	return f;
}

/* SOL_SOCKET 1, SOL_TCP 6 */
SCAP_CONV_INLINE __u8 scap_conv_sockopt_level(int level)
{
	if (level == 1)
		return SCAP_SOCKOPT_LEVELS_SOL_SOCKET;
	if (level == 6)
		return SCAP_SOCKOPT_LEVELS_SOL_TCP;
	return SCAP_SOCKOPT_LEVELS_UNKNOWN;
}

/* SOL_SOCKET option numbers are the ppm ones for 1..53, except the gap 22..24 (SO_SECURITY_*). */
SCAP_CONV_INLINE __u8 scap_conv_sockopt_name(int level, int name)
{
	if (level != 1)
		return 0;
	if ((name >= 1 && name <= 21) || (name >= 25 && name <= 53))
		return name;
	return SCAP_SOCKOPT_OPTIONS_UNKNOWN;
}

#endif
