/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parsing of the .scap metadata blocks (machine info, process list V1..V9, fd list V1/V2,
 * interface list V1/V2, user list V1/V2) into a platform. Every read is bounds-checked
 * against its entry and its block; errors name the byte offset and the field expected.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_internal.h"
#include "meta.h"
#include "internal.h"

/* A bounds-checked cursor over one block body (or one entry of it). */
struct cur {
	const uint8_t *p;
	const uint8_t *end;
	const uint8_t *base; /* body start, at file offset base_off */
	uint64_t base_off;
	const char *block; /* block name for messages */
	char *err;
	size_t errlen;
	int failed;
};

static uint64_t cur_off(const struct cur *c)
{
	return c->base_off + (uint64_t)(c->p - c->base);
}

static int need(struct cur *c, size_t n, const char *what)
{
	if (c->failed)
		return -1;
	if ((size_t)(c->end - c->p) < n) {
		snprintf(c->err, c->errlen,
			 "at byte offset %" PRIu64 ": expected %s (%zu bytes) in the %s, but only %zu bytes remain",
			 cur_off(c), what, n, c->block, (size_t)(c->end - c->p));
		c->failed = 1;
		return -1;
	}
	return 0;
}

static uint8_t u8(struct cur *c, const char *what)
{
	uint8_t v;

	if (need(c, 1, what))
		return 0;
	v = *c->p;
	c->p += 1;
	return v;
}

static uint16_t u16(struct cur *c, const char *what)
{
	uint16_t v;

	if (need(c, 2, what))
		return 0;
	v = scap_rd16(c->p);
	c->p += 2;
	return v;
}

static uint32_t u32(struct cur *c, const char *what)
{
	uint32_t v;

	if (need(c, 4, what))
		return 0;
	v = scap_rd32(c->p);
	c->p += 4;
	return v;
}

static uint64_t u64(struct cur *c, const char *what)
{
	uint64_t v;

	if (need(c, 8, what))
		return 0;
	v = scap_rd64(c->p);
	c->p += 8;
	return v;
}

static void bytes(struct cur *c, void *out, size_t n, const char *what)
{
	if (need(c, n, what)) {
		memset(out, 0, n);
		return;
	}
	memcpy(out, c->p, n);
	c->p += n;
}

/* u16 length + bytes -> malloc'd NUL-terminated copy; *len gets the byte count. */
static char *str(struct cur *c, const char *what, uint32_t *len)
{
	uint16_t n = u16(c, what);
	char *s;

	if (c->failed || need(c, n, what))
		return NULL;
	s = scap_memdup0(c->p, n);
	if (!s) {
		snprintf(c->err, c->errlen, "out of memory reading %s", what);
		c->failed = 1;
		return NULL;
	}
	c->p += n;
	if (len)
		*len = n;
	return s;
}

static int fail_oom(struct cur *c)
{
	snprintf(c->err, c->errlen, "out of memory reading the %s", c->block);
	return -ENOMEM;
}

/* ------------------------------------------------------------------------------ machine info */

static int parse_mi(struct scap_platform *p, struct cur *c)
{
	struct scap_machine_info mi;

	memset(&mi, 0, sizeof(mi));
	mi.sz = sizeof(mi);
	mi.num_cpus = u32(c, "num_cpus");
	mi.memory_size_bytes = u64(c, "memory_size_bytes");
	mi.max_pid = u64(c, "max_pid");
	bytes(c, mi.hostname, sizeof(mi.hostname), "hostname");
	if (c->failed)
		return -EINVAL;
	mi.hostname[sizeof(mi.hostname) - 1] = 0;
	/* Later fields were appended over time: read what the block has. */
	if (c->end - c->p >= 8)
		mi.boot_ts_epoch = u64(c, "boot_ts_epoch");
	if (c->end - c->p >= 8)
		mi.flags = u64(c, "flags");
	p->mi = mi;
	return 0;
}

/* ------------------------------------------------------------------------------ process list */

static void free_ti(struct scap_thread_info *t)
{
	free((char *)t->comm);
	free((char *)t->exe);
	free((char *)t->exepath);
	free((char *)t->args);
	free((char *)t->cwd);
	free((char *)t->env);
	free((char *)t->cgroups);
	free((char *)t->root);
}

static int fill_empty_strings(struct scap_thread_info *t)
{
	const char **f[] = { &t->comm, &t->exe, &t->exepath, &t->args, &t->cwd, &t->env, &t->cgroups, &t->root };
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!*f[i] && !(*f[i] = scap_memdup0("", 0)))
			return -ENOMEM;
	return 0;
}

/* One entry of a PL block of version v (1..9). c is bounded by the entry for v9. */
static void parse_thread(struct cur *c, int v, struct scap_thread_info *t)
{
	t->tid = u64(c, "tid");
	t->pid = u64(c, "pid");
	t->ptid = u64(c, "ptid");
	if (v >= 6)
		t->sid = u64(c, "sid");
	if (v >= 8)
		t->vpgid = u64(c, "vpgid");
	t->comm = str(c, "comm", NULL);
	t->exe = str(c, "exe", NULL);
	if (v >= 7)
		t->exepath = str(c, "exepath", NULL);
	t->args = str(c, "args", &t->args_len);
	t->cwd = str(c, "cwd", NULL);
	t->fdlimit = u64(c, "fdlimit");
	t->flags = u32(c, "flags");
	t->uid = u32(c, "uid");
	t->gid = u32(c, "gid");
	if (v >= 2) {
		t->vmsize_kb = u32(c, "vmsize_kb");
		t->vmrss_kb = u32(c, "vmrss_kb");
		t->vmswap_kb = u32(c, "vmswap_kb");
		t->pfmajor = u64(c, "pfmajor");
		t->pfminor = u64(c, "pfminor");
	}
	if (v >= 3)
		t->env = str(c, "env", &t->env_len);
	if (v >= 4) {
		t->vtid = (int64_t)u64(c, "vtid");
		t->vpid = (int64_t)u64(c, "vpid");
		t->cgroups = str(c, "cgroups", &t->cgroups_len);
	}
	if (v >= 5)
		t->root = str(c, "root", NULL);
	if (v < 9 || c->failed)
		return;
		/* V9: trailing fields, each read only if the entry still holds it. Producers before
	 * libs 0.10 lacked pidns_init_start_ts and tty (inserted later in the middle): they
	 * leave at most 29 bytes here (loginuid, exe_writable and the three capability sets). */
#define HAS(n) ((size_t)(c->end - c->p) >= (n))
	if (!HAS(30)) {
		/* pre-0.10 layout */
	} else {
		t->pidns_init_start_ts = u64(c, "pidns_init_start_ts");
		t->tty = u32(c, "tty");
	}
	if (HAS(4))
		t->loginuid = u32(c, "loginuid");
	if (HAS(1))
		t->exe_writable = u8(c, "exe_writable");
	if (HAS(8))
		t->cap_inheritable = u64(c, "cap_inheritable");
	if (HAS(8))
		t->cap_permitted = u64(c, "cap_permitted");
	if (HAS(8))
		t->cap_effective = u64(c, "cap_effective");
	if (HAS(1))
		t->exe_upper_layer = u8(c, "exe_upper_layer");
	if (HAS(8))
		t->exe_ino = u64(c, "exe_ino");
	if (HAS(8))
		t->exe_ino_ctime = u64(c, "exe_ino_ctime");
	if (HAS(8))
		t->exe_ino_mtime = u64(c, "exe_ino_mtime");
	if (HAS(1))
		t->exe_from_memfd = u8(c, "exe_from_memfd");
	if (HAS(1))
		t->exe_lower_layer = u8(c, "exe_lower_layer");
	if (HAS(8))
		t->pgid = (int64_t)u64(c, "pgid");
#undef HAS
}

static int parse_pl(struct scap_platform *p, struct cur *c, int v)
{
	while (c->end - c->p >= 4) {
		struct scap_thread_info t;
		struct cur e = *c;
		int rc;

		memset(&t, 0, sizeof(t));
		if (v == 9) {
			uint64_t at = cur_off(c);
			uint32_t elen = u32(c, "process entry length");

			if (elen < 4 + 40 || elen - 4 > (size_t)(c->end - c->p)) {
				snprintf(c->err, c->errlen,
					 "at byte offset %" PRIu64
					 ": expected a process entry length between 44 and %zu, found %u",
					 at, (size_t)(c->end - c->p) + 4, elen);
				return -EINVAL;
			}
			e = *c;
			e.end = c->p + (elen - 4);
			parse_thread(&e, v, &t);
			c->p = e.end;
		} else {
			parse_thread(&e, v, &t);
			c->p = e.p;
		}
		if (e.failed) {
			c->failed = 1;
			free_ti(&t);
			return -EINVAL;
		}
		if (fill_empty_strings(&t) < 0) {
			free_ti(&t);
			return fail_oom(c);
		}
		rc = platform_add_thread_owned(p, &t);
		if (rc < 0)
			return fail_oom(c);
	}
	return 0;
}

/* ------------------------------------------------------------------------------ fd list */

static void parse_fd_data(struct cur *c, struct scap_fd_info *f, int v2)
{
	switch (f->type) {
	case SCAP_FD_IPV4_SOCK:
		bytes(c, f->sip, 4, "source ipv4 address");
		bytes(c, f->dip, 4, "destination ipv4 address");
		f->sport = u16(c, "source port");
		f->dport = u16(c, "destination port");
		f->l4proto = u8(c, "l4 protocol");
		break;
	case SCAP_FD_IPV4_SERVSOCK:
		bytes(c, f->sip, 4, "server ipv4 address");
		f->sport = u16(c, "server port");
		f->l4proto = u8(c, "l4 protocol");
		break;
	case SCAP_FD_IPV6_SOCK:
		bytes(c, f->sip, 16, "source ipv6 address");
		bytes(c, f->dip, 16, "destination ipv6 address");
		f->sport = u16(c, "source port");
		f->dport = u16(c, "destination port");
		f->l4proto = u8(c, "l4 protocol");
		break;
	case SCAP_FD_IPV6_SERVSOCK:
		bytes(c, f->sip, 16, "server ipv6 address");
		f->sport = u16(c, "server port");
		f->l4proto = u8(c, "l4 protocol");
		break;
	case SCAP_FD_UNIX_SOCK:
		f->unix_source = u64(c, "unix socket source");
		f->unix_dest = u64(c, "unix socket destination");
		f->name = str(c, "unix socket path", NULL);
		break;
	case SCAP_FD_FILE_V2:
		f->open_flags = u32(c, "open flags");
		f->name = str(c, "file name", NULL);
		if (v2 && c->end - c->p >= 4)
			f->dev = u32(c, "dev");
		break;
	default: f->name = str(c, "fd name", NULL); break;
	}
}

static int parse_fdl(struct scap_platform *p, struct cur *c, int v2)
{
	uint64_t tid = u64(c, "thread id of the fd list");
	int64_t idx;

	if (c->failed)
		return -EINVAL;
	idx = platform_find(p, tid);
	if (idx < 0) {
		/* An fd list for a thread the process list lacks: keep the fds under a bare thread. */
		struct scap_thread_info t;

		memset(&t, 0, sizeof(t));
		t.tid = tid;
		t.pid = tid;
		if (fill_empty_strings(&t) < 0) {
			free_ti(&t);
			return fail_oom(c);
		}
		idx = platform_add_thread_owned(p, &t);
		if (idx < 0)
			return fail_oom(c);
	}
	while (c->end - c->p >= 4) {
		struct scap_fd_info f;
		struct cur e = *c;

		memset(&f, 0, sizeof(f));
		if (v2) {
			uint64_t at = cur_off(c);
			uint32_t elen = u32(c, "fd entry length");

			if (elen < 4 + 17 || elen - 4 > (size_t)(c->end - c->p)) {
				snprintf(c->err, c->errlen,
					 "at byte offset %" PRIu64
					 ": expected an fd entry length between 21 and %zu, found %u",
					 at, (size_t)(c->end - c->p) + 4, elen);
				return -EINVAL;
			}
			e = *c;
			e.end = c->p + (elen - 4);
		}
		f.fd = (int64_t)u64(&e, "fd number");
		f.ino = u64(&e, "inode");
		f.type = u8(&e, "fd type");
		if (!e.failed && f.type >= SCAP_FD_TYPE_MAX) {
			char name[32];

			if (!v2) {
				snprintf(c->err, c->errlen,
					 "at byte offset %" PRIu64 ": expected an fd type below %d, found %u",
					 cur_off(&e) - 1, SCAP_FD_TYPE_MAX, f.type);
				return -EINVAL;
			}
			snprintf(name, sizeof(name), "unknown-type:[%u]", f.type);
			f.type = SCAP_FD_UNSUPPORTED;
			f.name = scap_memdup0(name, strlen(name));
			if (!f.name)
				return fail_oom(c);
		} else {
			parse_fd_data(&e, &f, v2);
		}
		if (e.failed) {
			free((char *)f.name);
			c->failed = 1;
			return -EINVAL;
		}
		c->p = v2 ? e.end : e.p;
		if (!f.name && !(f.name = scap_memdup0("", 0)))
			return fail_oom(c);
		if (platform_add_fd_owned(p, (uint32_t)idx, &f) < 0)
			return fail_oom(c);
	}
	return 0;
}

/* ------------------------------------------------------------------------------ interfaces */

static int parse_il(struct scap_platform *p, struct cur *c, int v2)
{
	while (c->end - c->p >= 4) {
		struct scap_iface_info i;
		struct cur e = *c;
		uint16_t type, namelen;
		uint64_t at = cur_off(c);

		memset(&i, 0, sizeof(i));
		if (v2) {
			uint32_t elen = u32(c, "interface entry length");

			if (elen > (size_t)(c->end - c->p)) {
				snprintf(c->err, c->errlen,
					 "at byte offset %" PRIu64
					 ": expected an interface entry of at most %zu bytes, found %u",
					 at, (size_t)(c->end - c->p), elen);
				return -EINVAL;
			}
			e = *c;
			e.end = c->p + elen;
		}
		type = u16(&e, "interface type");
		namelen = u16(&e, "interface name length");
		if (e.failed) {
			c->failed = 1;
			return -EINVAL;
		}
		switch (type) {
		case 1: /* IPV4 */
		case 3: /* IPV4 without link speed */
			bytes(&e, i.addr, 4, "ipv4 address");
			bytes(&e, i.netmask, 4, "ipv4 netmask");
			bytes(&e, i.bcast, 4, "ipv4 broadcast");
			if (type == 1)
				i.linkspeed = u64(&e, "link speed");
			i.type = SCAP_IFACE_IPV4;
			break;
		case 2: /* IPV6 */
		case 4: /* IPV6 without link speed */
			bytes(&e, i.addr, 16, "ipv6 address");
			bytes(&e, i.netmask, 16, "ipv6 netmask");
			bytes(&e, i.bcast, 16, "ipv6 broadcast");
			if (type == 2)
				i.linkspeed = u64(&e, "link speed");
			i.type = SCAP_IFACE_IPV6;
			break;
		default:
			snprintf(c->err, c->errlen,
				 "at byte offset %" PRIu64 ": expected an interface type 1..4, found %u",
				 at + (v2 ? 4 : 0), type);
			return -EINVAL;
		}
		if (!e.failed && !need(&e, namelen, "interface name")) {
			i.name = scap_memdup0(e.p, namelen);
			e.p += namelen;
			if (!i.name)
				return fail_oom(c);
		}
		if (e.failed) {
			c->failed = 1;
			return -EINVAL;
		}
		c->p = v2 ? e.end : e.p;
		if (platform_add_iface_owned(p, &i) < 0)
			return fail_oom(c);
	}
	return 0;
}

/* ------------------------------------------------------------------------------ users, groups */

static int parse_ul(struct scap_platform *p, struct cur *c, int v2)
{
	while (c->end - c->p >= 4) {
		struct cur e = *c;
		uint64_t at = cur_off(c);
		uint8_t kind;

		if (v2) {
			uint32_t elen = u32(c, "user entry length");

			if (elen < 5 || elen - 4 > (size_t)(c->end - c->p)) {
				snprintf(c->err, c->errlen,
					 "at byte offset %" PRIu64
					 ": expected a user entry length between 5 and %zu, found %u",
					 at, (size_t)(c->end - c->p) + 4, elen);
				return -EINVAL;
			}
			e = *c;
			e.end = c->p + (elen - 4);
		}
		kind = u8(&e, "user/group kind");
		if (e.failed) {
			c->failed = 1;
			return -EINVAL;
		}
		if (kind == 0) {
			struct scap_user_info u;

			memset(&u, 0, sizeof(u));
			u.uid = u32(&e, "uid");
			u.gid = u32(&e, "gid");
			u.name = str(&e, "user name", NULL);
			u.homedir = str(&e, "home directory", NULL);
			u.shell = str(&e, "shell", NULL);
			if (e.failed) {
				free((char *)u.name);
				free((char *)u.homedir);
				free((char *)u.shell);
				c->failed = 1;
				return -EINVAL;
			}
			if (platform_add_user_owned(p, &u) < 0)
				return fail_oom(c);
		} else if (kind == 1) {
			struct scap_group_info g;

			memset(&g, 0, sizeof(g));
			g.gid = u32(&e, "gid");
			g.name = str(&e, "group name", NULL);
			if (e.failed) {
				free((char *)g.name);
				c->failed = 1;
				return -EINVAL;
			}
			if (platform_add_group_owned(p, &g) < 0)
				return fail_oom(c);
		} else {
			snprintf(c->err, c->errlen,
				 "at byte offset %" PRIu64 ": expected a user/group kind 0 or 1, found %u",
				 cur_off(&e) - 1, kind);
			return -EINVAL;
		}
		c->p = v2 ? e.end : e.p;
	}
	return 0;
}

/* ------------------------------------------------------------------------------ dispatch */

int scap_meta_block_kind(uint32_t btype)
{
	switch (btype) {
	case BT_MI:
	case BT_MI_LEGACY:
	case BT_PL_V1:
	case BT_PL_V1_LEGACY:
	case BT_PL_V2:
	case BT_PL_V2_LEGACY:
	case BT_PL_V3:
	case BT_PL_V3_LEGACY:
	case BT_PL_V4:
	case BT_PL_V5:
	case BT_PL_V6:
	case BT_PL_V7:
	case BT_PL_V8:
	case BT_PL_V9:
	case BT_FDL_V1:
	case BT_FDL_V1_LEGACY:
	case BT_FDL_V2:
	case BT_IL_V1:
	case BT_IL_V1_LEGACY:
	case BT_IL_V2:
	case BT_UL_V1:
	case BT_UL_V1_LEGACY:
	case BT_UL_V2: return 1;
	default: return 0;
	}
}

int scap_meta_parse(struct scap_platform *p, uint32_t btype, const uint8_t *body, size_t len, uint64_t body_off,
		    char *err, size_t errlen)
{
	struct cur c = {
		.p = body, .end = body + len, .base = body, .base_off = body_off, .err = err, .errlen = errlen
	};
	int rc;

	switch (btype) {
	case BT_MI:
	case BT_MI_LEGACY:
		c.block = "machine info block";
		rc = parse_mi(p, &c);
		break;
	case BT_PL_V1:
	case BT_PL_V1_LEGACY:
	case BT_PL_V2:
	case BT_PL_V2_LEGACY:
	case BT_PL_V3:
	case BT_PL_V3_LEGACY:
	case BT_PL_V4:
	case BT_PL_V5:
	case BT_PL_V6:
	case BT_PL_V7:
	case BT_PL_V8:
	case BT_PL_V9: {
		int v = btype == BT_PL_V1 || btype == BT_PL_V1_LEGACY	? 1
			: btype == BT_PL_V2 || btype == BT_PL_V2_LEGACY ? 2
			: btype == BT_PL_V3 || btype == BT_PL_V3_LEGACY ? 3
									: (int)(btype - BT_PL_V4) + 4;
		c.block = "process list block";
		rc = parse_pl(p, &c, v);
		break;
	}
	case BT_FDL_V1:
	case BT_FDL_V1_LEGACY:
	case BT_FDL_V2:
		c.block = "fd list block";
		rc = parse_fdl(p, &c, btype == BT_FDL_V2);
		break;
	case BT_IL_V1:
	case BT_IL_V1_LEGACY:
	case BT_IL_V2:
		c.block = "interface list block";
		rc = parse_il(p, &c, btype == BT_IL_V2);
		break;
	case BT_UL_V1:
	case BT_UL_V1_LEGACY:
	case BT_UL_V2:
		c.block = "user list block";
		rc = parse_ul(p, &c, btype == BT_UL_V2);
		break;
	default: return 0;
	}
	if (rc == 0 && c.failed)
		rc = -EINVAL;
	return rc;
}
