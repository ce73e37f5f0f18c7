"""Parameter types, print formats, categories and event flags of the event schema.

The numeric values are part of the wire format and of the .scap file format, so they
follow upstream Falco libs exactly (docs/upstream-facts.md §1.4 and §1.7).
"""

# name -> (value, fixed size in bytes or None for variable length, default print format, doc)
PARAM_TYPES = {
    "NONE": (0, 0, "NA", "no value"),
    "INT8": (1, 1, "DEC", "signed 8-bit integer"),
    "INT16": (2, 2, "DEC", "signed 16-bit integer"),
    "INT32": (3, 4, "DEC", "signed 32-bit integer"),
    "INT64": (4, 8, "DEC", "signed 64-bit integer"),
    "UINT8": (5, 1, "DEC", "unsigned 8-bit integer"),
    "UINT16": (6, 2, "DEC", "unsigned 16-bit integer"),
    "UINT32": (7, 4, "DEC", "unsigned 32-bit integer"),
    "UINT64": (8, 8, "DEC", "unsigned 64-bit integer"),
    "CHARBUF": (9, None, "NA", "NUL-terminated string"),
    "BYTEBUF": (10, None, "NA", "raw bytes (I/O data truncated to snaplen; or NUL-separated string lists)"),
    "ERRNO": (11, 8, "DEC", "signed 64-bit result: negative errno on failure"),
    "SOCKADDR": (12, None, "NA", "socket address: family byte, then address"),
    "SOCKTUPLE": (13, None, "NA", "socket tuple: family byte, then source and destination"),
    "FD": (14, 8, "DEC", "signed 64-bit file descriptor (-100 is AT_FDCWD)"),
    "PID": (15, 8, "DEC", "signed 64-bit process or thread id"),
    "FDLIST": (16, None, "DEC", "u16 count, then (i64 fd, i16 poll flags) pairs"),
    "FSPATH": (17, None, "NA", "NUL-terminated absolute or cwd-relative path"),
    "SYSCALLID": (18, 2, "DEC", "16-bit system-independent syscall code (ppm_sc)"),
    "SIGTYPE": (19, 1, "DEC", "signal number"),
    "RELTIME": (20, 8, "DEC", "duration in nanoseconds"),
    "ABSTIME": (21, 8, "DEC", "nanoseconds since the epoch"),
    "PORT": (22, 2, "HEX", "port, host byte order"),
    "L4PROTO": (23, 1, "DEC", "layer-4 protocol"),
    "SOCKFAMILY": (24, 1, "DEC", "socket family"),
    "BOOL": (25, 4, "DEC", "32-bit boolean"),
    "IPV4ADDR": (26, 4, "HEX", "IPv4 address, network byte order"),
    "DYN": (27, None, "DEC", "1-byte selector, then a value whose type the selector gives"),
    "FLAGS8": (28, 1, "DEC", "8-bit mask of flag constants"),
    "FLAGS16": (29, 2, "HEX", "16-bit mask of flag constants"),
    "FLAGS32": (30, 4, "HEX", "32-bit mask of flag constants"),
    "UID": (31, 4, "DEC", "user id (0xFFFFFFFF: no value)"),
    "GID": (32, 4, "DEC", "group id (0xFFFFFFFF: no value)"),
    "DOUBLE": (33, 8, "DEC", "IEEE 754 double"),
    "SIGSET": (34, 4, "DEC", "low 32 bits of a signal set"),
    "CHARBUFARRAY": (35, None, "NA", "NUL-separated strings (iterator events)"),
    "CHARBUF_PAIR_ARRAY": (36, None, "NA", "pairs of strings (legacy, never produced)"),
    "IPV4NET": (37, None, "NA", "IPv4 network (filter values only)"),
    "IPV6ADDR": (38, 16, "HEX", "IPv6 address, network byte order"),
    "IPV6NET": (39, None, "NA", "IPv6 network (filter values only)"),
    "IPADDR": (40, None, "NA", "IPv4 or IPv6 address (filter values only)"),
    "IPNET": (41, None, "NA", "IPv4 or IPv6 network (filter values only)"),
    "MODE": (42, 4, "OCT", "file mode bits"),
    "FSRELPATH": (43, None, "NA", "NUL-terminated path relative to a dirfd parameter"),
    "ENUMFLAGS8": (44, 1, "DEC", "8-bit enumerated constant"),
    "ENUMFLAGS16": (45, 2, "DEC", "16-bit enumerated constant"),
    "ENUMFLAGS32": (46, 4, "DEC", "32-bit enumerated constant"),
    "FD32": (47, 4, "DEC", "signed 32-bit file descriptor (iterator events)"),
    "PID32": (48, 4, "DEC", "signed 32-bit pid (iterator events)"),
}

# name -> (value, short notation used in schema/events.py)
PRINT_FORMATS = {
    "NA": (0, "na"),
    "DEC": (1, "d"),
    "HEX": (2, "x"),
    "10_PADDED_DEC": (3, "pd"),
    "ID": (4, "id"),
    "DIR": (5, "dir"),
    "OCT": (6, "o"),
}

# Category: low bits = what the event is about; exactly one source bit is OR'ed in.
CATEGORIES = {
    "UNKNOWN": 0,
    "OTHER": 1,
    "FILE": 2,
    "NET": 3,
    "IPC": 4,
    "MEMORY": 5,
    "PROCESS": 6,
    "SLEEP": 7,
    "SYSTEM": 8,
    "SIGNAL": 9,
    "USER": 10,
    "TIME": 11,
    "PROCESSING": 12,
    "IO_READ": 32,
    "IO_WRITE": 33,
    "IO_OTHER": 34,
    "WAIT": 64,
    "SCHEDULER": 128,
    "INTERNAL": 256,
}
SOURCES = {"SYSCALL": 1 << 9, "TRACEPOINT": 1 << 10, "PLUGIN": 1 << 11, "METAEVENT": 1 << 12, "ITER": 1 << 13}

# name -> (value, short notation used in schema/events.py, doc)
EVENT_FLAGS = {
    "CREATES_FD": (1, "C", "creates a file descriptor"),
    "DESTROYS_FD": (2, "D", "destroys a file descriptor"),
    "USES_FD": (4, "U", "operates on a file descriptor"),
    "READS_FROM_FD": (8, "R", "reads data from a file descriptor"),
    "WRITES_TO_FD": (16, "W", "writes data to a file descriptor"),
    "MODIFIES_STATE": (32, "S", "changes process, thread or fd state: never filter it out before state parsing"),
    "UNUSED": (64, "n/a", "an unused slot of the table"),
    "WAITS": (128, "Wt", "waits"),
    "SKIPPARSERESET": (256, "Sk", "no last-event bookkeeping in the state engine"),
    "OLD_VERSION": (512, "OLD", "an old version, never produced by current drivers: kept to read old captures"),
    "LARGE_PAYLOAD": (2048, "L", "parameter lengths are u32 instead of u16"),
    "CONVERTER_MANAGED": (4096, "cv", "old captures of this event are rewritten by the converter"),
}

# Number of bytes of a fixed-size header on the wire (spec 1.1) and limits.
EVENT_HEADER_SIZE = 26
EVENT_HEADER_V1_SIZE = 22
MAX_PARAMS = 32
MAX_EVENT_NAME = 32
