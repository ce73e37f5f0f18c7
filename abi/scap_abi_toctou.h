/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * The syscalls whose enter event the drivers still produce (the TOCTOU ones: what the syscall
 * was asked to do, before it can be changed under it), as one X-macro for both drivers and
 * libscap: X(native x86_64 number, name, enter event).
 */
#ifndef SCAP_ABI_TOCTOU_H
#define SCAP_ABI_TOCTOU_H

#define SCAP_TOCTOU_SYSCALLS(X)             \
	X(2, open, SCAP_EVT_OPEN_E)         \
	X(85, creat, SCAP_EVT_CREAT_E)      \
	X(257, openat, SCAP_EVT_OPENAT_E)   \
	X(437, openat2, SCAP_EVT_OPENAT2_E) \
	X(42, connect, SCAP_EVT_CONNECT_E)

#endif /* SCAP_ABI_TOCTOU_H */
