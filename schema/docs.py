"""One-sentence descriptions of every event of the pyscap wire format, keyed by event name.

schema/events.py declares the events (ids, categories, flags, parameters) and points here for their
doc strings; all versions of an event share one name and therefore one description. Syscall events
name their man page; "exit carries" lists the parameters of the current exit layout. Tracepoint, meta,
plugin and iterator events say where they come from. Standard library only (this module imports nothing).
"""

DOCS = {
    "syscall": (
        "Generic event for syscalls without a dedicated event: ID is the arch-independent ppm_sc code and "
        "nativeID the arch syscall number; the enter form (id 0) is old."
    ),
    "open": (
        "open(2): open a file by path; a live enter event (TOCTOU), the exit carries the new fd, the path, "
        "ppm-encoded flags, mode, device and inode."
    ),
    "close": (
        "close(2): close a file descriptor; the exit carries the result and the closed fd, which is "
        "removed from the thread's fd table."
    ),
    "read": (
        "read(2): read from an fd; the exit carries the byte count or -errno, the data read (truncated to "
        "snaplen), the fd and the requested size."
    ),
    "write": (
        "write(2): write to an fd; the exit carries the byte count or -errno, the data written (truncated "
        "to snaplen), the fd and the requested size."
    ),
    "brk": (
        "brk(2): move the program break; the exit carries the new break, the process memory sizes "
        "(vm_size, vm_rss, vm_swap) and the requested address."
    ),
    "execve": (
        "execve(2): run a program; success is reported from the sched_process_exec tracepoint (as execve "
        "even for execveat), failure from sys_exit; the exit carries the new process state."
    ),
    "clone": (
        "clone(2): create a process or thread; parent (res = child tid) and child (res = 0) both emit an "
        "exit with exe, args, ids, cgroups, ppm clone flags and namespace ids."
    ),
    "procexit": (
        "Thread exit from the sched_process_exit tracepoint (enter slot only): wait status, exit code, "
        "signal, core flag and the tid of the reaper that adopts the children."
    ),
    "socket": (
        "socket(2): create a socket; the exit carries the new fd, the ppm address family, the type, the "
        "protocol and the fd flags."
    ),
    "bind": ("bind(2): assign a local address to a socket; the exit carries the result, the bound address and the fd."),
    "connect": (
        "connect(2): connect a socket; a live enter event (TOCTOU) holds the user address read at entry, "
        "the exit the authoritative kernel socket tuple, fd and address."
    ),
    "listen": "listen(2): mark a socket as passive; the exit carries the result, the fd and the backlog.",
    "accept": (
        "accept(2): accept a connection; the exit carries the new fd, the socket tuple (src = remote, dst "
        "= local) and the listen queue fill percentage, length and maximum."
    ),
    "accept4": (
        "accept4(2): accept a connection with flags; like accept, with the flags argument appended to the exit event."
    ),
    "send": (
        "send(2): send on a connected socket; the exit carries the byte count or -errno, the data "
        "(snaplen-truncated), fd, size and socket tuple (src = local)."
    ),
    "sendto": (
        "sendto(2): send a message, optionally to a given address; the exit carries the byte count, data "
        "(snaplen-truncated), fd, size and socket tuple (src = local)."
    ),
    "recv": (
        "recv(2): receive from a connected socket; the exit carries the byte count or -errno, the data "
        "(snaplen-truncated), fd, size and socket tuple (src = remote)."
    ),
    "recvfrom": (
        "recvfrom(2): receive a message and its sender; the exit carries the byte count, data "
        "(snaplen-truncated), socket tuple (src = remote), fd and size."
    ),
    "shutdown": (
        "shutdown(2): shut down one or both directions of a socket; the exit carries the result, the fd "
        "and the ppm-encoded how value."
    ),
    "getsockname": "getsockname(2): get the local address of a socket; a dedicated event without parameters.",
    "getpeername": (
        "getpeername(2): get the remote address of a connected socket; a dedicated event without parameters."
    ),
    "socketpair": (
        "socketpair(2): create a pair of connected sockets; the exit carries both fds, the kernel socket "
        "pointers of source and peer, and the domain, type and protocol."
    ),
    "setsockopt": (
        "setsockopt(2): set a socket option; the exit carries the result, fd, ppm level and option name, "
        "the value (its type depends on the option) and its length."
    ),
    "getsockopt": (
        "getsockopt(2): read a socket option; the exit carries the result, fd, ppm level and option name, "
        "the returned value (type depends on the option) and its length."
    ),
    "sendmsg": (
        "sendmsg(2): send a message on a socket; the exit carries the byte count, data "
        "(snaplen-truncated), fd, size and socket tuple (src = local)."
    ),
    "sendmmsg": (
        "sendmmsg(2): send several messages in one call; the exit carries the result, fd, size, data and socket tuple."
    ),
    "recvmsg": (
        "recvmsg(2): receive a message from a socket; the exit carries the byte count, size, data, socket "
        "tuple (src = remote), ancillary data (msgcontrol) and fd."
    ),
    "recvmmsg": (
        "recvmmsg(2): receive several messages in one call; the exit carries the result, fd, size, data, "
        "socket tuple and ancillary data (msgcontrol)."
    ),
    "creat": (
        "creat(2): create or truncate a file for writing; a live enter event (TOCTOU), the exit carries "
        "fd, path, mode, device, inode and overlayfs creat_flags."
    ),
    "pipe": "pipe(2): create a pipe; the exit carries the result, the read and write fds and the pipe inode.",
    "eventfd": (
        "eventfd(2): create an event-notification fd; the exit carries the new fd, the initial counter "
        "value and the flags."
    ),
    "futex": (
        "futex(2): fast user-space locking primitive; the exit carries the result, the futex address, the "
        "ppm operation and the value argument."
    ),
    "stat": "stat(2): get file status by path, following symlinks; the exit carries the result and the path.",
    "lstat": (
        "lstat(2): get file status by path without following a final symlink; the exit carries the result and the path."
    ),
    "fstat": "fstat(2): get the status of an open fd; the exit carries the result and the fd.",
    "stat64": "stat64: the 32-bit ABI variant of stat(2); the exit carries the result and the path.",
    "lstat64": "lstat64: the 32-bit ABI variant of lstat(2); the exit carries the result and the path.",
    "fstat64": "fstat64: the 32-bit ABI variant of fstat(2); the exit carries only the result.",
    "epoll_wait": (
        "epoll_wait(2): wait for events on an epoll fd; the exit carries the result (number of ready fds "
        "or -errno) and maxevents."
    ),
    "poll": (
        "poll(2): wait for events on a set of fds; the exit carries the result, the fd list with ppm poll "
        "flags (at most 16 entries) and the timeout."
    ),
    "select": "select(2): synchronous I/O multiplexing; the exit carries only the result.",
    "lseek": (
        "lseek(2): reposition the offset of an fd; the exit carries the new offset or -errno, the fd, the "
        "requested offset and the ppm whence value."
    ),
    "llseek": (
        "_llseek(2): the 64-bit-offset seek of 32-bit ABIs; the exit carries the result, the fd, the "
        "requested offset and the ppm whence value."
    ),
    "ioctl": (
        "ioctl(2): device-specific control operation on an fd; the exit carries the result, the fd, the "
        "request code and the argument."
    ),
    "getcwd": ("getcwd(2): get the current working directory; the exit carries the result and the returned path."),
    "chdir": (
        "chdir(2): change the working directory by path; the exit carries the result and the path, which "
        "becomes the thread's cwd."
    ),
    "fchdir": (
        "fchdir(2): change the working directory to an open directory fd; the exit carries the result and the fd."
    ),
    "mkdir": "mkdir(2): create a directory; the exit carries the result, the path and the mode.",
    "rmdir": "rmdir(2): remove an empty directory; the exit carries the result and the path.",
    "openat": (
        "openat(2): open a file relative to a directory fd; a live enter event (TOCTOU), the exit carries "
        "fd, dirfd, the dirfd-relative path, flags, mode, device and inode."
    ),
    "link": "link(2): create a hard link; the exit carries the result, the existing path and the new path.",
    "linkat": (
        "linkat(2): create a hard link relative to directory fds; the exit carries the result, both "
        "dirfds, both paths and the ppm flags."
    ),
    "unlink": "unlink(2): remove a name from the filesystem; the exit carries the result and the path.",
    "unlinkat": (
        "unlinkat(2): remove a name (or a directory with AT_REMOVEDIR) relative to a directory fd; the "
        "exit carries the result, dirfd, path and flags."
    ),
    "pread": (
        "pread(2) (pread64): read at a given offset; the exit carries the byte count or -errno, the data "
        "(snaplen-truncated), the fd, the size and the position."
    ),
    "pwrite": (
        "pwrite(2) (pwrite64): write at a given offset; the exit carries the byte count or -errno, the "
        "data (snaplen-truncated), the fd, the size and the position."
    ),
    "readv": (
        "readv(2): scatter read into several buffers; the exit carries the byte count, the total size, the "
        "data (snaplen-truncated) and the fd."
    ),
    "writev": (
        "writev(2): gather write from several buffers; the exit carries the byte count, the data "
        "(snaplen-truncated), the fd and the total size."
    ),
    "preadv": (
        "preadv(2): scatter read at a given offset; the exit carries the byte count, size, data "
        "(snaplen-truncated), fd and position."
    ),
    "pwritev": (
        "pwritev(2): gather write at a given offset; the exit carries the byte count, data "
        "(snaplen-truncated), fd, size and position."
    ),
    "dup": "dup(2): duplicate an fd onto the lowest free number; the exit carries the new fd and the old fd.",
    "signalfd": (
        "signalfd(2): create or update an fd that receives signals; the exit carries the resulting fd, the "
        "fd argument, the signal mask and the flags."
    ),
    "kill": (
        "kill(2): send a signal to a process or process group; the exit carries the result, the target pid "
        "and the signal."
    ),
    "tkill": ("tkill(2): send a signal to one thread; the exit carries the result, the target tid and the signal."),
    "tgkill": (
        "tgkill(2): send a signal to a thread of a given thread group; the exit carries the result, the "
        "tgid, the tid and the signal."
    ),
    "nanosleep": (
        "nanosleep(2): high-resolution sleep; the exit carries the result and the requested interval in nanoseconds."
    ),
    "timerfd_create": (
        "timerfd_create(2): create a timer that notifies through an fd; the exit carries the new fd, the "
        "clock id and the flags."
    ),
    "inotify_init": ("inotify_init(2): create an inotify instance; the exit carries the new fd and a flags value."),
    "getrlimit": (
        "getrlimit(2): read a resource limit; the exit carries the result, the soft and hard limits and "
        "the ppm resource."
    ),
    "setrlimit": (
        "setrlimit(2): set a resource limit; the exit carries the result, the soft and hard limits and the "
        "ppm resource."
    ),
    "prlimit": (
        "prlimit(2) (prlimit64): get and/or set a resource limit of any process; the exit carries the "
        "result, new and old soft/hard limits, the pid and the resource."
    ),
    "switch": (
        "Context switch from the sched_switch tracepoint (enter slot only): the next pid plus page-fault "
        "counters and memory sizes (vm_size, vm_rss, vm_swap)."
    ),
    "drop": (
        "Meta event of sampling (dropping) mode: the enter form marks the start of a window in which "
        "events are dropped, the exit form its end; both carry the ratio."
    ),
    "fcntl": (
        "fcntl(2): manipulate an fd; the exit carries the result (a new fd for the F_DUPFD commands), the "
        "fd, the ppm command and the argument."
    ),
    "mmap": (
        "mmap(2): map a file or anonymous memory; the exit carries the address or -errno, process memory "
        "sizes, and the address, length, prot, flags, fd and offset arguments."
    ),
    "mmap2": (
        "mmap2(2): the 32-bit ABI mmap whose offset is given in pages; same layout as mmap with pgoffset "
        "instead of offset."
    ),
    "munmap": (
        "munmap(2): unmap a memory range; the exit carries the result, the process memory sizes, the "
        "address and the length."
    ),
    "splice": (
        "splice(2): move data between an fd and a pipe inside the kernel; the exit carries the result, "
        "both fds, the size and the ppm flags."
    ),
    "ptrace": (
        "ptrace(2): trace or control another process; the exit carries the result, addr and data (their "
        "type depends on the request), the ppm request and the target pid."
    ),
    "rename": "rename(2): rename or move a file; the exit carries the result, the old path and the new path.",
    "renameat": (
        "renameat(2): rename relative to directory fds; the exit carries the result, both dirfds and both paths."
    ),
    "renameat2": (
        "renameat2(2): renameat with flags such as RENAME_NOREPLACE or RENAME_EXCHANGE; the exit carries "
        "the result, both dirfds, both paths and the ppm flags."
    ),
    "symlink": (
        "symlink(2): create a symbolic link; the exit carries the result, the link target (stored as "
        "given, not resolved) and the link path."
    ),
    "symlinkat": (
        "symlinkat(2): create a symbolic link relative to a directory fd; the exit carries the result, the "
        "target, the dirfd and the link path."
    ),
    "fork": ("fork(2): create a child process; same exit layout as clone, emitted by both the parent and the child."),
    "vfork": (
        "vfork(2): create a child that borrows the parent's memory until it execs or exits; same exit "
        "layout as clone, emitted by parent and child."
    ),
    "sendfile": (
        "sendfile(2): copy data between fds inside the kernel; the exit carries the result, the updated "
        "offset, the output fd, the input fd and the size."
    ),
    "quotactl": (
        "quotactl(2): manipulate disk quotas; the exit carries the result, device, quota file, block/inode "
        "limits, usage and grace times, and the ppm cmd, type, id and format."
    ),
    "setresuid": (
        "setresuid(2): set the real, effective and saved user ids; the exit carries the result and the three uids."
    ),
    "setresgid": (
        "setresgid(2): set the real, effective and saved group ids; the exit carries the result and the three gids."
    ),
    "scapevent": (
        "Internal scap meta event (formerly called sysdigevent) carrying an event type and a 64-bit payload."
    ),
    "setuid": "setuid(2): set the user id; the exit carries the result and the requested uid.",
    "setgid": "setgid(2): set the group id; the exit carries the result and the requested gid.",
    "getuid": "getuid(2): get the real user id; the exit carries only the returned uid.",
    "geteuid": "geteuid(2): get the effective user id; the exit carries only the returned euid.",
    "getgid": "getgid(2): get the real group id; the exit carries only the returned gid.",
    "getegid": "getegid(2): get the effective group id; the exit carries only the returned egid.",
    "getresuid": (
        "getresuid(2): get the real, effective and saved user ids; the exit carries the result and the three uids."
    ),
    "getresgid": (
        "getresgid(2): get the real, effective and saved group ids; the exit carries the result and the three gids."
    ),
    "container": (
        "Container metadata meta event; the current form is a JSON document (large payload) and older "
        "forms are converted to it on read; live metadata now comes from the container plugin."
    ),
    "signaldeliver": (
        "Signal delivery from the signal_deliver tracepoint (enter slot only): the sender pid, the "
        "destination pid and the signal number."
    ),
    "procinfo": "Periodic meta event with the user and system CPU time of the current thread.",
    "getdents": "getdents(2): read directory entries; the exit carries the result and the directory fd.",
    "getdents64": (
        "getdents64(2): read directory entries in the 64-bit format; the exit carries the result and the directory fd."
    ),
    "setns": (
        "setns(2): join the namespace referred to by an fd; the exit carries the result, the fd and the "
        "ppm namespace type (CLONE_NEW* bits)."
    ),
    "flock": (
        "flock(2): apply or remove an advisory lock on an open file; the exit carries the result, the fd "
        "and the ppm operation."
    ),
    "cpu_hotplug": (
        "Meta event telling that the driver saw a CPU hot-plug change (e.g. events from a CPU without a "
        "ring buffer); emitted on CPU 0 with the cpu number and the action."
    ),
    "semop": (
        "semop(2): operate on System V semaphores; the exit carries the result, the number of operations, "
        "the first two sembuf entries and the semaphore set id."
    ),
    "semctl": (
        "semctl(2): System V semaphore control; the exit carries the result, the set id, the semaphore "
        "number, the ppm command and the value."
    ),
    "ppoll": (
        "ppoll(2): poll with a nanosecond timeout and a signal mask; the exit carries the result, the fd "
        "list with ppm poll flags, the timeout and the mask."
    ),
    "mount": (
        "mount(2): mount a filesystem; the exit carries the result, the source device, the target "
        "directory, the filesystem type and the ppm mount flags."
    ),
    "umount": (
        "umount(2): unmount a filesystem (the old form without flags); the exit carries the result and the mount point."
    ),
    "k8s": (
        "Legacy Kubernetes metadata meta event holding JSON; no longer produced, kept only so old captures can be read."
    ),
    "semget": (
        "semget(2): get a System V semaphore set; the exit carries the result (the set id), the key, the "
        "number of semaphores and the ppm flags."
    ),
    "access": (
        "access(2): check the caller's permissions for a path; the exit carries the result, the path and "
        "the ppm access mode."
    ),
    "chroot": "chroot(2): change the root directory; the exit carries the result and the new root path.",
    "tracer": (
        "Legacy tracer (span) meta event with an id, tags and key/value arguments; no longer produced, "
        "kept only so old captures can be read."
    ),
    "mesos": (
        "Legacy Mesos metadata meta event holding JSON; no longer produced, kept only so old captures can be read."
    ),
    "setsid": "setsid(2): create a new session; the exit carries the result (the new session id or -errno).",
    "notification": (
        "Meta event carrying a notification (an id and a description) injected into the event stream from user space."
    ),
    "infra": (
        "Meta event describing an infrastructure event (source, name, description and scope), injected from user space."
    ),
    "unshare": (
        "unshare(2): detach parts of the execution context, such as namespaces; the exit carries the "
        "result and the ppm clone flags."
    ),
    "page_fault": (
        "Page fault from the page_fault_user/page_fault_kernel tracepoints (x86 only, enter slot only): "
        "the faulting address, the instruction pointer and ppm error flags."
    ),
    "setpgid": ("setpgid(2): set the process group of a process; the exit carries the result, the pid and the pgid."),
    "bpf": (
        "bpf(2): operate on eBPF maps and programs; the exit carries the new fd or -errno and the ppm "
        "command (ids 296/297 are an older form)."
    ),
    "seccomp": (
        "seccomp(2): operate on the seccomp state of the thread; the exit carries the result, the "
        "operation and the flags."
    ),
    "mkdirat": (
        "mkdirat(2): create a directory relative to a directory fd; the exit carries the result, the "
        "dirfd, the path and the mode."
    ),
    "fchmodat": (
        "fchmodat(2): change mode bits relative to a directory fd; the exit carries the result, the dirfd, "
        "the path and the mode."
    ),
    "chmod": (
        "chmod(2): change the mode bits of a file by path; the exit carries the result, the path and the new mode."
    ),
    "fchmod": ("fchmod(2): change the mode bits of an open fd; the exit carries the result, the fd and the new mode."),
    "userfaultfd": (
        "userfaultfd(2): create an fd for handling page faults in user space; the exit carries the result "
        "(the new fd) and the ppm flags."
    ),
    "pluginevent": (
        "Event produced by a source plugin: the plugin id and an opaque, plugin-defined payload (large "
        "payload, 32-bit parameter lengths)."
    ),
    "openat2": (
        "openat2(2): openat with a resolve mask; a live enter event (TOCTOU), the exit carries fd, dirfd, "
        "path, flags, mode, resolve flags, device and inode."
    ),
    "mprotect": (
        "mprotect(2): change the protection of a memory range; the exit carries the result, the address, "
        "the length and the ppm prot flags."
    ),
    "execveat": (
        "execveat(2): run a program named relative to a dirfd; failures come from sys_exit as execveat, "
        "while successes are reported as execve from sched_process_exec."
    ),
    "copy_file_range": (
        "copy_file_range(2): copy a range between files inside the kernel; the exit carries the result, "
        "the output fd and offset, the input fd and offset, and the length."
    ),
    "clone3": (
        "clone3(2): create a process or thread from a clone_args struct; same exit layout as clone, "
        "emitted by both the parent and the child."
    ),
    "open_by_handle_at": (
        "open_by_handle_at(2): open a file through a file handle; the exit carries the new fd, the mount "
        "fd, the ppm flags, the resolved path, the device and the inode."
    ),
    "io_uring_setup": (
        "io_uring_setup(2): create an io_uring instance; the exit carries the result (fd), entries, SQ/CQ "
        "sizes, ppm setup flags, SQ thread cpu and idle, and features."
    ),
    "io_uring_enter": (
        "io_uring_enter(2): submit and/or wait for io_uring operations; the exit carries the result, fd, "
        "to_submit, min_complete, ppm flags and the signal mask."
    ),
    "io_uring_register": (
        "io_uring_register(2): register resources with an io_uring; the exit carries the result, the fd, "
        "the ppm opcode, the argument and the argument count."
    ),
    "mlock": ("mlock(2): lock a memory range into RAM; the exit carries the result, the address and the length."),
    "munlock": "munlock(2): unlock a memory range; the exit carries the result, the address and the length.",
    "mlockall": ("mlockall(2): lock the whole address space into RAM; the exit carries the result and the ppm flags."),
    "munlockall": "munlockall(2): unlock the whole address space; the exit carries only the result.",
    "capset": (
        "capset(2): set thread capabilities; the exit carries the result and the inheritable, permitted "
        "and effective capability sets."
    ),
    "useradded": (
        "Meta event recording a user added to libsinsp's user table (e.g. a container user) so captures "
        "can rebuild it: uid, gid, name, home, shell and container id."
    ),
    "userdeleted": (
        "Meta event recording a user removed from libsinsp's user table: uid, gid, name, home, shell and container id."
    ),
    "groupadded": (
        "Meta event recording a group added to libsinsp's group table so captures can rebuild it: gid, "
        "name and container id."
    ),
    "groupdeleted": ("Meta event recording a group removed from libsinsp's group table: gid, name and container id."),
    "dup2": (
        "dup2(2): duplicate an fd onto a chosen number, closing that one first if open; the exit carries "
        "the result, the old fd and the new fd."
    ),
    "dup3": (
        "dup3(2): like dup2 but with flags (O_CLOEXEC); the exit carries the result, the old fd, the new "
        "fd and the ppm flags."
    ),
    "mlock2": (
        "mlock2(2): lock a memory range with flags such as MLOCK_ONFAULT; the exit carries the result, the "
        "address, the length and the ppm flags."
    ),
    "fsconfig": (
        "fsconfig(2): configure a filesystem context of the new mount API; the exit carries the result, "
        "fd, ppm command, key, value (as bytes or as a string) and aux."
    ),
    "epoll_create": (
        "epoll_create(2): create an epoll instance; the exit carries the result (the new fd) and the size hint."
    ),
    "epoll_create1": (
        "epoll_create1(2): create an epoll instance with flags; the exit carries the result (the new fd) "
        "and the ppm flags."
    ),
    "chown": (
        "chown(2): change the owner and group of a file by path, following symlinks; the exit carries the "
        "result, the path, the uid and the gid."
    ),
    "lchown": (
        "lchown(2): change the owner and group of a path without following a final symlink; the exit "
        "carries the result, the path, the uid and the gid."
    ),
    "fchown": (
        "fchown(2): change the owner and group of an open fd; the exit carries the result, the fd, the uid and the gid."
    ),
    "fchownat": (
        "fchownat(2): change owner and group relative to a directory fd; the exit carries the result, the "
        "dirfd, the path, the uid, the gid and the ppm flags."
    ),
    "pipe2": (
        "pipe2(2): create a pipe with flags; the exit carries the result, both fds, the pipe inode and the ppm flags."
    ),
    "inotify_init1": (
        "inotify_init1(2): create an inotify instance with flags; the exit carries the new fd and the ppm flags."
    ),
    "eventfd2": (
        "eventfd2, the flag-taking form of eventfd(2); the exit carries the new fd, the ppm flags and the "
        "initial counter value."
    ),
    "signalfd4": (
        "signalfd4, the flag-taking form of signalfd(2); the exit carries the resulting fd, the ppm flags, "
        "the fd argument and the signal mask."
    ),
    "umount2": (
        "umount2(2): unmount a filesystem with flags; the exit carries the result, the mount point and the "
        "ppm unmount flags."
    ),
    "prctl": (
        "prctl(2): operations on a process or thread; the exit carries the result, the ppm option and the "
        "second argument as a string (e.g. a name) or as an integer."
    ),
    "asyncevent": (
        "Asynchronous meta event produced outside the syscall stream, e.g. by a plugin: the plugin id, an "
        "event name and opaque data (large payload)."
    ),
    "memfd_create": (
        "memfd_create(2): create an anonymous memory-backed file; the exit carries the new fd, the name "
        "and the ppm flags."
    ),
    "pidfd_getfd": (
        "pidfd_getfd(2): copy an fd of another process through its pidfd; the exit carries the new fd, the "
        "pidfd, the target fd and the flags."
    ),
    "pidfd_open": (
        "pidfd_open(2): get an fd that refers to a process; the exit carries the new fd, the pid and the ppm flags."
    ),
    "init_module": (
        "init_module(2): load a kernel module from a memory image; the exit carries the result, the image "
        "bytes (truncated), its length and the module parameters."
    ),
    "finit_module": (
        "finit_module(2): load a kernel module from an fd; the exit carries the result, the fd, the module "
        "parameters and the ppm flags."
    ),
    "delete_module": (
        "delete_module(2): unload a kernel module; the exit carries the result, the module name and the ppm flags."
    ),
    "mknod": (
        "mknod(2): create a filesystem node (device, FIFO, socket or file); the exit carries the result, "
        "the path, the ppm mode and the device number."
    ),
    "mknodat": (
        "mknodat(2): mknod relative to a directory fd; the exit carries the result, the dirfd, the path, "
        "the ppm mode and the device number."
    ),
    "newfstatat": (
        "newfstatat, the syscall behind fstatat(2): get file status relative to a directory fd; the exit "
        "carries the result, the dirfd, the path and the ppm flags."
    ),
    "process_vm_readv": (
        "process_vm_readv(2): read the memory of another process; the exit carries the result (bytes "
        "read), the pid and the data."
    ),
    "process_vm_writev": (
        "process_vm_writev(2): write the memory of another process; the exit carries the result (bytes "
        "written), the pid and the data."
    ),
    "setreuid": ("setreuid(2): set the real and effective user ids; the exit carries the result and both uids."),
    "setregid": ("setregid(2): set the real and effective group ids; the exit carries the result and both gids."),
    "task": (
        "Iterator event for the initial process table scan (BPF task iterator instead of /proc, not the "
        "live stream): one task with its ids, comm, argv, exe, env, creds, cgroups and more."
    ),
    "task_file_pipe": (
        "Iterator event for the initial fd table scan, not the live stream: a pipe fd of a task with its "
        "path and inode."
    ),
    "task_file_memfd": (
        "Iterator event for the initial fd table scan, not the live stream: a memfd fd of a task with its "
        "path and inode."
    ),
    "task_file_regular": (
        "Iterator event for the initial fd table scan, not the live stream: a regular file fd with its "
        "path, ppm open flags, mount id and inode."
    ),
    "task_file_directory": (
        "Iterator event for the initial fd table scan, not the live stream: a directory fd of a task with "
        "its path and inode."
    ),
    "task_file_socket_inet": (
        "Iterator event for the initial fd table scan, not the live stream: an IPv4 socket fd with type, "
        "protocol, local and remote address and port, and inode."
    ),
    "task_file_socket_inet6": (
        "Iterator event for the initial fd table scan, not the live stream: an IPv6 socket fd with type, "
        "protocol, local and remote address and port, and inode."
    ),
    "task_file_socket_unix": (
        "Iterator event for the initial fd table scan, not the live stream: a unix socket fd with type, "
        "protocol, kernel socket pointer, sun_path and inode."
    ),
    "task_file_socket_netlink": (
        "Iterator event for the initial fd table scan, not the live stream: a netlink socket fd with its "
        "type, protocol and inode."
    ),
    "task_file_anon_inode": (
        "Iterator event for the initial fd table scan, not the live stream: an anon-inode fd (eventfd, "
        "epoll, signalfd, timerfd, bpf, ...) with its type, path and inode."
    ),
    "close_range": (
        "close_range(2): close (or mark close-on-exec) every fd in a range; an exit-only event with the "
        "result, the first and last fd and the ppm flags."
    ),
    "keyctl": (
        "keyctl(2): manipulate the kernel key management facility; an exit-only event with the result, the "
        "ppm operation and arguments 2 to 5 (integer or string)."
    ),
}
