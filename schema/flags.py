"""Flag and enum tables of event parameters: (constant name, ppm value), in rendering order.

Values are the ppm encoding used on the wire (spec: upstream-facts.md 1.4), not raw kernel values.
An event parameter names its table as `{table}` in schema/events.py.
"""

FLAG_TABLES = {
    "open_flags": [
        ("O_LARGEFILE", 2048), ("O_DIRECTORY", 1024), ("O_DIRECT", 512), ("O_TRUNC", 256), ("O_SYNC", 128),
        ("O_NONBLOCK", 64), ("O_EXCL", 32), ("O_DSYNC", 16), ("O_APPEND", 8), ("O_CREAT", 4), ("O_RDWR", 3),
        ("O_WRONLY", 2), ("O_RDONLY", 1), ("O_CLOEXEC", 4096), ("O_NONE", 0), ("O_TMPFILE", 8192),
        ("O_F_CREATED", 16384), ("FD_UPPER_LAYER", 32768), ("FD_LOWER_LAYER", 65536),
    ],
    "clone_flags": [
        ("CLONE_FILES", 1), ("CLONE_FS", 2), ("CLONE_IO", 4), ("CLONE_NEWIPC", 8), ("CLONE_NEWNET", 16),
        ("CLONE_NEWNS", 32), ("CLONE_NEWPID", 64), ("CLONE_NEWUTS", 128), ("CLONE_PARENT", 256),
        ("CLONE_PARENT_SETTID", 512), ("CLONE_PTRACE", 1024), ("CLONE_SIGHAND", 2048),
        ("CLONE_SYSVSEM", 4096), ("CLONE_THREAD", 8192), ("CLONE_UNTRACED", 16384), ("CLONE_VM", 32768),
        ("CLONE_INVERTED", 65536), ("NAME_CHANGED", 131072), ("CLOSED", 262144), ("CLONE_NEWUSER", 1048576),
        ("CLONE_CHILD_CLEARTID", 8388608), ("CLONE_CHILD_SETTID", 16777216), ("CLONE_SETTLS", 33554432),
        ("CLONE_STOPPED", 67108864), ("CLONE_VFORK", 134217728), ("CLONE_NEWCGROUP", 268435456),
        ("CLONE_CHILD_IN_PIDNS", 536870912),
    ],
    "socket_families": [
        ("AF_NFC", 39), ("AF_ALG", 38), ("AF_CAIF", 37), ("AF_IEEE802154", 36), ("AF_PHONET", 35),
        ("AF_ISDN", 34), ("AF_RXRPC", 33), ("AF_IUCV", 32), ("AF_BLUETOOTH", 31), ("AF_TIPC", 30),
        ("AF_CAN", 29), ("AF_LLC", 26), ("AF_WANPIPE", 25), ("AF_PPPOX", 24), ("AF_IRDA", 23), ("AF_SNA", 22),
        ("AF_RDS", 21), ("AF_ATMSVC", 20), ("AF_ECONET", 19), ("AF_ASH", 18), ("AF_PACKET", 17),
        ("AF_ROUTE", 16), ("AF_NETLINK", 16), ("AF_KEY", 15), ("AF_SECURITY", 14), ("AF_NETBEUI", 13),
        ("AF_DECnet", 12), ("AF_ROSE", 11), ("AF_INET6", 10), ("AF_X25", 9), ("AF_ATMPVC", 8),
        ("AF_BRIDGE", 7), ("AF_NETROM", 6), ("AF_APPLETALK", 5), ("AF_IPX", 4), ("AF_AX25", 3),
        ("AF_INET", 2), ("AF_LOCAL", 1), ("AF_UNIX", 1), ("AF_UNSPEC", 0),
    ],
    "shutdown_how": [
        ("SHUT_UNKNOWN", 65535), ("SHUT_RDWR", 2), ("SHUT_WR", 1), ("SHUT_RD", 0),
    ],
    "sockopt_levels": [
        ("SOL_SOCKET", 1), ("SOL_TCP", 2), ("UNKNOWN", 0),
    ],
    "sockopt_options": [
        ("SO_COOKIE", 53), ("SO_MEMINFO", 52), ("SO_PEERGROUPS", 51), ("SO_ATTACH_BPF", 50),
        ("SO_INCOMING_CPU", 49), ("SO_BPF_EXTENSIONS", 48), ("SO_MAX_PACING_RATE", 47), ("SO_BUSY_POLL", 46),
        ("SO_SELECT_ERR_QUEUE", 45), ("SO_LOCK_FILTER", 44), ("SO_NOFCS", 43), ("SO_PEEK_OFF", 42),
        ("SO_WIFI_STATUS", 41), ("SO_RXQ_OVFL", 40), ("SO_DOMAIN", 39), ("SO_PROTOCOL", 38),
        ("SO_TIMESTAMPING", 37), ("SO_MARK", 36), ("SO_TIMESTAMPNS", 35), ("SO_PASSSEC", 34),
        ("SO_PEERSEC", 31), ("SO_ACCEPTCONN", 30), ("SO_TIMESTAMP", 29), ("SO_PEERNAME", 28),
        ("SO_DETACH_FILTER", 27), ("SO_ATTACH_FILTER", 26), ("SO_BINDTODEVICE", 25),
        ("SO_SECURITY_ENCRYPTION_NETWORK", 24), ("SO_SECURITY_ENCRYPTION_TRANSPORT", 23),
        ("SO_SECURITY_AUTHENTICATION", 22), ("SO_SNDTIMEO", 21), ("SO_RCVTIMEO", 20), ("SO_SNDLOWAT", 19),
        ("SO_RCVLOWAT", 18), ("SO_PEERCRED", 17), ("SO_PASSCRED", 16), ("SO_REUSEPORT", 15),
        ("SO_BSDCOMPAT", 14), ("SO_LINGER", 13), ("SO_PRIORITY", 12), ("SO_NO_CHECK", 11),
        ("SO_OOBINLINE", 10), ("SO_KEEPALIVE", 9), ("SO_RCVBUFFORCE", 33), ("SO_SNDBUFFORCE", 32),
        ("SO_RCVBUF", 8), ("SO_SNDBUF", 7), ("SO_BROADCAST", 6), ("SO_DONTROUTE", 5), ("SO_ERROR", 4),
        ("SO_TYPE", 3), ("SO_REUSEADDR", 2), ("SO_DEBUG", 1), ("UNKNOWN", 0),
    ],
    "creat_flags": [
        ("FD_UPPER_LAYER_CREAT", 1), ("FD_LOWER_LAYER_CREAT", 2),
    ],
    "futex_operations": [
        ("FUTEX_CLOCK_REALTIME", 256), ("FUTEX_PRIVATE_FLAG", 128), ("FUTEX_CMP_REQUEUE_PI", 12),
        ("FUTEX_WAIT_REQUEUE_PI", 11), ("FUTEX_WAKE_BITSET", 10), ("FUTEX_WAIT_BITSET", 9),
        ("FUTEX_TRYLOCK_PI", 8), ("FUTEX_UNLOCK_PI", 7), ("FUTEX_LOCK_PI", 6), ("FUTEX_WAKE_OP", 5),
        ("FUTEX_CMP_REQUEUE", 4), ("FUTEX_REQUEUE", 3), ("FUTEX_FD", 2), ("FUTEX_WAKE", 1), ("FUTEX_WAIT", 0),
    ],
    "lseek_whence": [
        ("SEEK_END", 2), ("SEEK_CUR", 1), ("SEEK_SET", 0),
    ],
    "rlimit_resources": [
        ("RLIMIT_UNKNOWN", 255), ("RLIMIT_RTTIME", 15), ("RLIMIT_RTPRIO", 14), ("RLIMIT_NICE", 13),
        ("RLIMIT_MSGQUEUE", 12), ("RLIMIT_SIGPENDING", 11), ("RLIMIT_LOCKS", 10), ("RLIMIT_AS", 9),
        ("RLIMIT_MEMLOCK", 8), ("RLIMIT_NOFILE", 7), ("RLIMIT_NPROC", 6), ("RLIMIT_RSS", 5),
        ("RLIMIT_CORE", 4), ("RLIMIT_STACK", 3), ("RLIMIT_DATA", 2), ("RLIMIT_FSIZE", 1), ("RLIMIT_CPU", 0),
    ],
    "fcntl_commands": [
        ("F_GETPIPE_SZ", 29), ("F_SETPIPE_SZ", 28), ("F_NOTIFY", 27), ("F_DUPFD_CLOEXEC", 26),
        ("F_CANCELLK", 25), ("F_GETLEASE", 24), ("F_SETLEASE", 23), ("F_GETOWN_EX", 22), ("F_SETOWN_EX", 21),
        ("F_SETLKW64", 19), ("F_SETLK64", 18), ("F_GETLK64", 17), ("F_GETSIG", 15), ("F_SETSIG", 13),
        ("F_GETOWN", 12), ("F_SETOWN", 10), ("F_SETLKW", 9), ("F_SETLK", 8), ("F_GETLK", 6), ("F_SETFL", 5),
        ("F_GETFL", 4), ("F_SETFD", 3), ("F_GETFD", 2), ("F_DUPFD", 1), ("F_OFD_GETLK", 30),
        ("F_OFD_SETLK", 31), ("F_OFD_SETLKW", 32), ("UNKNOWN", 0),
    ],
    "prot_flags": [
        ("PROT_READ", 1), ("PROT_WRITE", 2), ("PROT_EXEC", 4), ("PROT_SEM", 8), ("PROT_GROWSDOWN", 16),
        ("PROT_GROWSUP", 32), ("PROT_SAO", 64), ("PROT_NONE", 0),
    ],
    "mmap_flags": [
        ("MAP_SHARED", 1), ("MAP_PRIVATE", 2), ("MAP_FIXED", 4), ("MAP_ANONYMOUS", 8), ("MAP_32BIT", 16),
        ("MAP_RENAME", 32), ("MAP_NORESERVE", 64), ("MAP_POPULATE", 128), ("MAP_NONBLOCK", 256),
        ("MAP_GROWSDOWN", 512), ("MAP_DENYWRITE", 1024), ("MAP_EXECUTABLE", 2048), ("MAP_INHERIT", 4096),
        ("MAP_FILE", 8192), ("MAP_LOCKED", 16384),
    ],
    "splice_flags": [
        ("SPLICE_F_MOVE", 1), ("SPLICE_F_NONBLOCK", 2), ("SPLICE_F_MORE", 4), ("SPLICE_F_GIFT", 8),
    ],
    "ptrace_requests": [
        ("PTRACE_SINGLEBLOCK", 38), ("PTRACE_SYSEMU_SINGLESTEP", 37), ("PTRACE_SYSEMU", 36),
        ("PTRACE_ARCH_PRCTL", 35), ("PTRACE_SET_THREAD_AREA", 34), ("PTRACE_GET_THREAD_AREA", 33),
        ("PTRACE_OLDSETOPTIONS", 32), ("PTRACE_SETFPXREGS", 31), ("PTRACE_GETFPXREGS", 30),
        ("PTRACE_SETFPREGS", 29), ("PTRACE_GETFPREGS", 28), ("PTRACE_SETREGS", 27), ("PTRACE_GETREGS", 26),
        ("PTRACE_SETSIGMASK", 25), ("PTRACE_GETSIGMASK", 24), ("PTRACE_PEEKSIGINFO", 23),
        ("PTRACE_LISTEN", 22), ("PTRACE_INTERRUPT", 21), ("PTRACE_SEIZE", 20), ("PTRACE_SETREGSET", 19),
        ("PTRACE_GETREGSET", 18), ("PTRACE_SETSIGINFO", 17), ("PTRACE_GETSIGINFO", 16),
        ("PTRACE_GETEVENTMSG", 15), ("PTRACE_SETOPTIONS", 14), ("PTRACE_SYSCALL", 13), ("PTRACE_DETACH", 12),
        ("PTRACE_ATTACH", 11), ("PTRACE_SINGLESTEP", 10), ("PTRACE_KILL", 9), ("PTRACE_CONT", 8),
        ("PTRACE_POKEUSR", 7), ("PTRACE_POKEDATA", 6), ("PTRACE_POKETEXT", 5), ("PTRACE_PEEKUSR", 4),
        ("PTRACE_PEEKDATA", 3), ("PTRACE_PEEKTEXT", 2), ("PTRACE_TRACEME", 1), ("PTRACE_UNKNOWN", 0),
    ],
    "quotactl_cmds": [
        ("Q_QUOTAON", 1), ("Q_QUOTAOFF", 2), ("Q_GETFMT", 4), ("Q_GETINFO", 8), ("Q_SETINFO", 16),
        ("Q_GETQUOTA", 32), ("Q_SETQUOTA", 64), ("Q_SYNC", 128), ("Q_XQUOTAON", 256), ("Q_XQUOTAOFF", 512),
        ("Q_XGETQUOTA", 1024), ("Q_XSETQLIM", 2048), ("Q_XGETQSTAT", 4096), ("Q_XQUOTARM", 8192),
        ("Q_XQUOTASYNC", 16384),
    ],
    "quotactl_types": [
        ("USRQUOTA", 1), ("GRPQUOTA", 2),
    ],
    "quotactl_quota_fmts": [
        ("QFMT_NOT_USED", 1), ("QFMT_VFS_OLD", 2), ("QFMT_VFS_V0", 4), ("QFMT_VFS_V1", 8),
    ],
    "quotactl_dqi_flags": [
        ("DQF_NONE", 1), ("V1_DQF_RSQUASH", 2),
    ],
    "flock_flags": [
        ("LOCK_SH", 1), ("LOCK_EX", 2), ("LOCK_NB", 4), ("LOCK_UN", 8), ("LOCK_NONE", 0),
    ],
    "semop_flags": [
        ("IPC_NOWAIT", 1), ("SEM_UNDO", 2),
    ],
    "semctl_commands": [
        ("IPC_STAT", 1), ("IPC_SET", 2), ("IPC_RMID", 4), ("IPC_INFO", 8), ("SEM_INFO", 16), ("SEM_STAT", 32),
        ("GETALL", 64), ("GETNCNT", 128), ("GETPID", 256), ("GETVAL", 512), ("GETZCNT", 1024),
        ("SETALL", 2048), ("SETVAL", 4096),
    ],
    "mount_flags": [
        ("RDONLY", 1), ("NOSUID", 2), ("NODEV", 4), ("NOEXEC", 8), ("SYNCHRONOUS", 16), ("REMOUNT", 32),
        ("MANDLOCK", 64), ("DIRSYNC", 128), ("NOATIME", 1024), ("NODIRATIME", 2048), ("BIND", 4096),
        ("MOVE", 8192), ("REC", 16384), ("SILENT", 32768), ("POSIXACL", 65536), ("UNBINDABLE", 131072),
        ("PRIVATE", 262144), ("SLAVE", 524288), ("SHARED", 1048576), ("RELATIME", 2097152),
        ("KERNMOUNT", 4194304), ("I_VERSION", 8388608), ("STRICTATIME", 16777216), ("LAZYTIME", 33554432),
        ("NOSEC", 268435456), ("BORN", 536870912), ("ACTIVE", 1073741824), ("NOUSER", 2147483648),
    ],
    "umount_flags": [
        ("FORCE", 1), ("DETACH", 2), ("EXPIRE", 4), ("NOFOLLOW", 8),
    ],
    "semget_flags": [
        ("IPC_EXCL", 16384), ("IPC_CREAT", 8192),
    ],
    "access_flags": [
        ("F_OK", 0), ("R_OK", 4), ("W_OK", 2), ("X_OK", 1),
    ],
    "pf_flags": [
        ("PROTECTION_VIOLATION", 1), ("PAGE_NOT_PRESENT", 2), ("WRITE_ACCESS", 4), ("READ_ACCESS", 8),
        ("USER_FAULT", 16), ("SUPERVISOR_FAULT", 32), ("RESERVED_PAGE", 64), ("INSTRUCTION_FETCH", 128),
    ],
    "execve_flags": [
        ("EXE_WRITABLE", 1), ("EXE_UPPER_LAYER", 2), ("EXE_FROM_MEMFD", 4), ("EXE_LOWER_LAYER", 8),
    ],
    "unlinkat_flags": [
        ("AT_REMOVEDIR", 512),
    ],
    "linkat_flags": [
        ("AT_SYMLINK_FOLLOW", 1024), ("AT_EMPTY_PATH", 4096),
    ],
    "chmod_mode": [
        ("S_IXOTH", 1), ("S_IWOTH", 2), ("S_IROTH", 4), ("S_IXGRP", 8), ("S_IWGRP", 16), ("S_IRGRP", 32),
        ("S_IXUSR", 64), ("S_IWUSR", 128), ("S_IRUSR", 256), ("S_ISVTX", 512), ("S_ISGID", 1024),
        ("S_ISUID", 2048),
    ],
    "renameat2_flags": [
        ("RENAME_NOREPLACE", 1), ("RENAME_EXCHANGE", 2), ("RENAME_WHITEOUT", 4),
    ],
    "openat2_resolve_flags": [
        ("RESOLVE_BENEATH", 1), ("RESOLVE_IN_ROOT", 2), ("RESOLVE_NO_MAGICLINKS", 4),
        ("RESOLVE_NO_SYMLINKS", 8), ("RESOLVE_NO_XDEV", 16), ("RESOLVE_CACHED", 32),
    ],
    "execveat_flags": [
        ("AT_EMPTY_PATH", 1), ("AT_SYMLINK_NOFOLLOW", 2),
    ],
    "io_uring_setup_flags": [
        ("IORING_SETUP_IOPOLL", 1), ("IORING_SETUP_SQPOLL", 2), ("IORING_SQ_NEED_WAKEUP", 4),
        ("IORING_SETUP_SQ_AFF", 8), ("IORING_SETUP_CQSIZE", 16), ("IORING_SETUP_CLAMP", 32),
        ("IORING_SETUP_ATTACH_RW", 64), ("IORING_SETUP_R_DISABLED", 128),
    ],
    "io_uring_setup_feats": [
        ("IORING_FEAT_SINGLE_MMAP", 1), ("IORING_FEAT_NODROP", 2), ("IORING_FEAT_SUBMIT_STABLE", 4),
        ("IORING_FEAT_RW_CUR_POS", 8), ("IORING_FEAT_CUR_PERSONALITY", 16), ("IORING_FEAT_FAST_POLL", 32),
        ("IORING_FEAT_POLL_32BITS", 64), ("IORING_FEAT_SQPOLL_NONFIXED", 128),
        ("IORING_FEAT_ENTER_EXT_ARG", 256), ("IORING_FEAT_NATIVE_WORKERS", 512),
        ("IORING_FEAT_RSRC_TAGS", 1024),
    ],
    "io_uring_enter_flags": [
        ("IORING_ENTER_GETEVENTS", 1), ("IORING_ENTER_SQ_WAKEUP", 2), ("IORING_ENTER_SQ_WAIT", 4),
        ("IORING_ENTER_EXT_ARG", 8),
    ],
    "io_uring_register_opcodes": [
        ("IORING_REGISTER_BUFFERS", 0), ("IORING_UNREGISTER_BUFFERS", 1), ("IORING_REGISTER_FILES", 2),
        ("IORING_UNREGISTER_FILES", 3), ("IORING_REGISTER_EVENTFD", 4), ("IORING_UNREGISTER_EVENTFD", 5),
        ("IORING_REGISTER_FILES_UPDATE", 6), ("IORING_REGISTER_EVENTFD_ASYNC", 7),
        ("IORING_REGISTER_PROBE", 8), ("IORING_REGISTER_PERSONALITY", 9),
        ("IORING_UNREGISTER_PERSONALITY", 10), ("IORING_REGISTER_RESTRICTIONS", 11),
        ("IORING_REGISTER_ENABLE_RINGS", 12), ("IORING_REGISTER_FILES2", 13),
        ("IORING_REGISTER_FILES_UPDATE2", 14), ("IORING_REGISTER_BUFFERS2", 15),
        ("IORING_REGISTER_BUFFERS_UPDATE", 16), ("IORING_REGISTER_IOWQ_AFF", 17),
        ("IORING_UNREGISTER_IOWQ_AFF", 18), ("IORING_REGISTER_IOWQ_MAX_WORKERS", 19),
        ("IORING_REGISTER_RING_FDS", 20), ("IORING_UNREGISTER_RING_FDS", 21),
    ],
    "mlockall_flags": [
        ("MCL_CURRENT", 1), ("MCL_FUTURE", 2), ("MCL_ONFAULT", 4),
    ],
    "bpf_commands": [
        ("BPF_MAP_CREATE", 0), ("BPF_MAP_LOOKUP_ELEM", 1), ("BPF_MAP_UPDATE_ELEM", 2),
        ("BPF_MAP_DELETE_ELEM", 3), ("BPF_MAP_GET_NEXT_KEY", 4), ("BPF_PROG_LOAD", 5), ("BPF_OBJ_PIN", 6),
        ("BPF_OBJ_GET", 7), ("BPF_PROG_ATTACH", 8), ("BPF_PROG_DETACH", 9), ("BPF_PROG_TEST_RUN", 10),
        ("BPF_PROG_RUN", 10), ("BPF_PROG_GET_NEXT_ID", 11), ("BPF_MAP_GET_NEXT_ID", 12),
        ("BPF_PROG_GET_FD_BY_ID", 13), ("BPF_MAP_GET_FD_BY_ID", 14), ("BPF_OBJ_GET_INFO_BY_FD", 15),
        ("BPF_PROG_QUERY", 16), ("BPF_RAW_TRACEPOINT_OPEN", 17), ("BPF_BTF_LOAD", 18),
        ("BPF_BTF_GET_FD_BY_ID", 19), ("BPF_TASK_FD_QUERY", 20), ("BPF_MAP_LOOKUP_AND_DELETE_ELEM", 21),
        ("BPF_MAP_FREEZE", 22), ("BPF_BTF_GET_NEXT_ID", 23), ("BPF_MAP_LOOKUP_BATCH", 24),
        ("BPF_MAP_LOOKUP_AND_DELETE_BATCH", 25), ("BPF_MAP_UPDATE_BATCH", 26), ("BPF_MAP_DELETE_BATCH", 27),
        ("BPF_LINK_CREATE", 28), ("BPF_LINK_UPDATE", 29), ("BPF_LINK_GET_FD_BY_ID", 30),
        ("BPF_LINK_GET_NEXT_ID", 31), ("BPF_ENABLE_STATS", 32), ("BPF_ITER_CREATE", 33),
        ("BPF_LINK_DETACH", 34), ("BPF_PROG_BIND_MAP", 35),
    ],
    "mlock2_flags": [
        ("MLOCK_ONFAULT", 1),
    ],
    "fsconfig_cmds": [
        ("FSCONFIG_SET_FLAG", 0), ("FSCONFIG_SET_STRING", 1), ("FSCONFIG_SET_BINARY", 2),
        ("FSCONFIG_SET_PATH", 3), ("FSCONFIG_SET_PATH_EMPTY", 4), ("FSCONFIG_SET_FD", 5),
        ("FSCONFIG_CMD_CREATE", 6), ("FSCONFIG_CMD_RECONFIGURE", 7),
    ],
    "epoll_create1_flags": [
        ("EPOLL_CLOEXEC", 1),
    ],
    "fchownat_flags": [
        ("AT_SYMLINK_NOFOLLOW", 1024), ("AT_EMPTY_PATH", 4096),
    ],
    "prctl_options": [
        ("PR_GET_DUMPABLE", 3), ("PR_SET_DUMPABLE", 4), ("PR_GET_KEEPCAPS", 7), ("PR_SET_KEEPCAPS", 8),
        ("PR_SET_NAME", 15), ("PR_GET_NAME", 16), ("PR_GET_SECCOMP", 21), ("PR_SET_SECCOMP", 22),
        ("PR_CAPBSET_READ", 23), ("PR_CAPBSET_DROP", 24), ("PR_GET_SECUREBITS", 27),
        ("PR_SET_SECUREBITS", 28), ("PR_MCE_KILL", 33), ("PR_MCE_KILL", 33), ("PR_SET_MM", 35),
        ("PR_SET_CHILD_SUBREAPER", 36), ("PR_GET_CHILD_SUBREAPER", 37), ("PR_SET_NO_NEW_PRIVS", 38),
        ("PR_GET_NO_NEW_PRIVS", 39), ("PR_GET_TID_ADDRESS", 40), ("PR_SET_THP_DISABLE", 41),
        ("PR_GET_THP_DISABLE", 42), ("PR_CAP_AMBIENT", 47),
    ],
    "memfd_create_flags": [
        ("MFD_CLOEXEC", 1), ("MFD_ALLOW_SEALING", 2), ("MFD_HUGETLB", 4),
    ],
    "pidfd_open_flags": [
        ("PIDFD_NONBLOCK", 1),
    ],
    "finit_module_flags": [
        ("MODULE_INIT_IGNORE_MODVERSIONS", 1), ("MODULE_INIT_IGNORE_VERMAGIC", 2),
        ("MODULE_INIT_COMPRESSED_FILE", 4),
    ],
    "mknod_mode": [
        ("S_IXOTH", 1), ("S_IWOTH", 2), ("S_IROTH", 4), ("S_IXGRP", 8), ("S_IWGRP", 16), ("S_IRGRP", 32),
        ("S_IXUSR", 64), ("S_IWUSR", 128), ("S_IRUSR", 256), ("S_ISVTX", 512), ("S_ISGID", 1024),
        ("S_ISUID", 2048), ("S_IFREG", 32768), ("S_IFCHR", 8192), ("S_IFBLK", 24576), ("S_IFIFO", 4096),
        ("S_IFSOCK", 49152),
    ],
    "newfstatat_flags": [
        ("AT_EMPTY_PATH", 4096), ("AT_NO_AUTOMOUNT", 2048), ("AT_SYMLINK_NOFOLLOW", 256),
    ],
    "delete_module_flags": [
        ("O_NONBLOCK", 2), ("O_TRUNC", 1),
    ],
    "anon_inode_fd_types": [
        ("ANON_INODE_FD_TYPE_UNKNOWN", 0), ("ANON_INODE_FD_TYPE_EVENTFD", 1),
        ("ANON_INODE_FD_TYPE_EVENTPOLL", 2), ("ANON_INODE_FD_TYPE_INOTIFY", 3),
        ("ANON_INODE_FD_TYPE_SIGNALFD", 4), ("ANON_INODE_FD_TYPE_TIMERFD", 5),
        ("ANON_INODE_FD_TYPE_IO_URING", 6), ("ANON_INODE_FD_TYPE_USERFAULTFD", 7),
        ("ANON_INODE_FD_TYPE_PIDFD", 8), ("ANON_INODE_FD_TYPE_BPF_MAP", 9),
        ("ANON_INODE_FD_TYPE_BPF_PROG", 10), ("ANON_INODE_FD_TYPE_BPF_LINK", 11),
        ("ANON_INODE_FD_TYPE_BPF_ITER", 12), ("ANON_INODE_FD_TYPE_PERF_EVENT", 13),
    ],
    "close_range_flags": [
        ("CLOSE_RANGE_UNSHARE", 2), ("CLOSE_RANGE_CLOEXEC", 4),
    ],
    "keyctl_operations": [
        ("KEYCTL_GET_KEYRING_ID", 0), ("KEYCTL_JOIN_SESSION_KEYRING", 1), ("KEYCTL_UPDATE", 2),
        ("KEYCTL_REVOKE", 3), ("KEYCTL_CHOWN", 4), ("KEYCTL_SETPERM", 5), ("KEYCTL_DESCRIBE", 6),
        ("KEYCTL_CLEAR", 7), ("KEYCTL_LINK", 8), ("KEYCTL_UNLINK", 9), ("KEYCTL_SEARCH", 10),
        ("KEYCTL_READ", 11), ("KEYCTL_INSTANTIATE", 12), ("KEYCTL_NEGATE", 13),
        ("KEYCTL_SET_REQKEY_KEYRING", 14), ("KEYCTL_SET_TIMEOUT", 15), ("KEYCTL_ASSUME_AUTHORITY", 16),
        ("KEYCTL_GET_SECURITY", 17), ("KEYCTL_SESSION_TO_PARENT", 18), ("KEYCTL_REJECT", 19),
        ("KEYCTL_INSTANTIATE_IOV", 20), ("KEYCTL_INVALIDATE", 21), ("KEYCTL_GET_PERSISTENT", 22),
        ("KEYCTL_DH_COMPUTE", 23), ("KEYCTL_PKEY_QUERY", 24), ("KEYCTL_PKEY_ENCRYPT", 25),
        ("KEYCTL_PKEY_DECRYPT", 26), ("KEYCTL_PKEY_SIGN", 27), ("KEYCTL_PKEY_VERIFY", 28),
        ("KEYCTL_RESTRICT_KEYRING", 29), ("KEYCTL_MOVE", 30), ("KEYCTL_CAPABILITIES", 31),
        ("KEYCTL_WATCH_KEY", 32),
    ],
}
