/* SPDX-License-Identifier: Apache-2.0 */
/* Serialization of a platform into the .scap header blocks (current block versions). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"

void sbuf_put(struct sbuf *b, const void *p, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n > b->cap) {
		size_t ncap = b->cap ? b->cap : 4096;
		uint8_t *d;

		while (ncap < b->len + n)
			ncap *= 2;
		d = realloc(b->data, ncap);
		if (!d) {
			b->oom = 1;
			return;
		}
		b->data = d;
		b->cap = ncap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void sbuf_free(struct sbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static void put8(struct sbuf *b, uint8_t v)
{
	sbuf_put(b, &v, 1);
}

static void put16(struct sbuf *b, uint16_t v)
{
	sbuf_put(b, &v, 2);
}

static void put32(struct sbuf *b, uint32_t v)
{
	sbuf_put(b, &v, 4);
}

static void put64(struct sbuf *b, uint64_t v)
{
	sbuf_put(b, &v, 8);
}

/* u16 length + bytes (longer strings are cut at 65535 bytes: the format's limit). */
static void putstr(struct sbuf *b, const char *s, size_t n)
{
	if (n > UINT16_MAX)
		n = UINT16_MAX;
	put16(b, (uint16_t)n);
	sbuf_put(b, s, n);
}

static void putcstr(struct sbuf *b, const char *s)
{
	putstr(b, s ? s : "", s ? strlen(s) : 0);
}

/* Start a block: returns the offset of its header; end_block() pads and writes the lengths. */
static size_t begin_block(struct sbuf *b, uint32_t type)
{
	size_t at = b->len;

	put32(b, type);
	put32(b, 0);
	return at;
}

static void end_block(struct sbuf *b, size_t at)
{
	static const uint8_t zero[4];
	size_t body = b->len - at - 8;
	uint32_t total;

	sbuf_put(b, zero, (4 - body % 4) % 4);
	total = (uint32_t)(b->len - at + 4);
	put32(b, total);
	if (!b->oom)
		memcpy(b->data + at + 4, &total, 4);
}

/* Patch a u32 entry length at entry offset `at`: (b->len - at) + adjust. */
static void patch_len(struct sbuf *b, size_t at, int adjust)
{
	uint32_t n = (uint32_t)((int64_t)(b->len - at) + adjust);

	if (!b->oom)
		memcpy(b->data + at, &n, 4);
}

static void write_thread(struct sbuf *b, const struct scap_thread_info *t)
{
	size_t at = b->len;

	put32(b, 0);
	put64(b, t->tid);
	put64(b, t->pid);
	put64(b, t->ptid);
	put64(b, t->sid);
	put64(b, t->vpgid);
	putcstr(b, t->comm);
	putcstr(b, t->exe);
	putcstr(b, t->exepath);
	putstr(b, t->args, t->args_len);
	putcstr(b, t->cwd);
	put64(b, t->fdlimit);
	put32(b, t->flags);
	put32(b, t->uid);
	put32(b, t->gid);
	put32(b, t->vmsize_kb);
	put32(b, t->vmrss_kb);
	put32(b, t->vmswap_kb);
	put64(b, t->pfmajor);
	put64(b, t->pfminor);
	putstr(b, t->env, t->env_len);
	put64(b, (uint64_t)t->vtid);
	put64(b, (uint64_t)t->vpid);
	putstr(b, t->cgroups, t->cgroups_len);
	putcstr(b, t->root);
	put64(b, t->pidns_init_start_ts);
	put32(b, t->tty);
	put32(b, t->loginuid);
	put8(b, t->exe_writable);
	put64(b, t->cap_inheritable);
	put64(b, t->cap_permitted);
	put64(b, t->cap_effective);
	put8(b, t->exe_upper_layer);
	put64(b, t->exe_ino);
	put64(b, t->exe_ino_ctime);
	put64(b, t->exe_ino_mtime);
	put8(b, t->exe_from_memfd);
	put8(b, t->exe_lower_layer);
	put64(b, (uint64_t)t->pgid);
	patch_len(b, at, 0); /* PL_V9 entry length includes itself */
}

static void write_fd(struct sbuf *b, const struct scap_fd_info *f)
{
	size_t at = b->len;

	put32(b, 0);
	put64(b, (uint64_t)f->fd);
	put64(b, f->ino);
	put8(b, (uint8_t)f->type);
	switch (f->type) {
	case SCAP_FD_IPV4_SOCK:
		sbuf_put(b, f->sip, 4);
		sbuf_put(b, f->dip, 4);
		put16(b, f->sport);
		put16(b, f->dport);
		put8(b, f->l4proto);
		break;
	case SCAP_FD_IPV4_SERVSOCK:
		sbuf_put(b, f->sip, 4);
		put16(b, f->sport);
		put8(b, f->l4proto);
		break;
	case SCAP_FD_IPV6_SOCK:
		sbuf_put(b, f->sip, 16);
		sbuf_put(b, f->dip, 16);
		put16(b, f->sport);
		put16(b, f->dport);
		put8(b, f->l4proto);
		break;
	case SCAP_FD_IPV6_SERVSOCK:
		sbuf_put(b, f->sip, 16);
		put16(b, f->sport);
		put8(b, f->l4proto);
		break;
	case SCAP_FD_UNIX_SOCK:
		put64(b, f->unix_source);
		put64(b, f->unix_dest);
		putcstr(b, f->name);
		break;
	case SCAP_FD_FILE_V2:
		put32(b, f->open_flags);
		putcstr(b, f->name);
		put32(b, f->dev);
		break;
	default: putcstr(b, f->name); break;
	}
	patch_len(b, at, 0); /* FDL_V2 entry length includes itself */
}

int scap_meta_write(struct sbuf *b, const struct scap_platform *p)
{
	size_t at;
	uint32_t i, j;

	/* Section header: magic, version 1.2, section length unknown (all ones). */
	at = begin_block(b, BT_SHB);
	put32(b, SHB_MAGIC);
	put16(b, 1);
	put16(b, 2);
	put64(b, UINT64_MAX);
	end_block(b, at);

	at = begin_block(b, BT_MI);
	put32(b, p->mi.num_cpus);
	put64(b, p->mi.memory_size_bytes);
	put64(b, p->mi.max_pid);
	sbuf_put(b, p->mi.hostname, sizeof(p->mi.hostname));
	put64(b, p->mi.boot_ts_epoch);
	put64(b, p->mi.flags);
	put64(b, 0); /* reserved3 */
	put64(b, 0); /* reserved4 */
	end_block(b, at);

	at = begin_block(b, BT_IL_V2);
	for (i = 0; i < p->nifaces; i++) {
		const struct scap_iface_info *f = &p->ifaces[i];
		size_t ea = b->len;
		size_t alen = f->type == SCAP_IFACE_IPV6 ? 16 : 4;
		size_t nlen = strlen(f->name);

		if (nlen > UINT16_MAX)
			nlen = UINT16_MAX;
		put32(b, 0);
		put16(b, f->type);
		put16(b, (uint16_t)nlen);
		sbuf_put(b, f->addr, alen);
		sbuf_put(b, f->netmask, alen);
		sbuf_put(b, f->bcast, alen);
		put64(b, f->linkspeed);
		sbuf_put(b, f->name, nlen);
		patch_len(b, ea, -4); /* IL_V2 entry length excludes itself */
	}
	end_block(b, at);

	at = begin_block(b, BT_UL_V2);
	for (i = 0; i < p->nusers; i++) {
		size_t ea = b->len;

		put32(b, 0);
		put8(b, 0);
		put32(b, p->users[i].uid);
		put32(b, p->users[i].gid);
		putcstr(b, p->users[i].name);
		putcstr(b, p->users[i].homedir);
		putcstr(b, p->users[i].shell);
		patch_len(b, ea, 0);
	}
	for (i = 0; i < p->ngroups; i++) {
		size_t ea = b->len;

		put32(b, 0);
		put8(b, 1);
		put32(b, p->groups[i].gid);
		putcstr(b, p->groups[i].name);
		patch_len(b, ea, 0);
	}
	end_block(b, at);

	at = begin_block(b, BT_PL_V9);
	for (i = 0; i < p->nthreads; i++)
		write_thread(b, &p->threads[i]);
	end_block(b, at);

	for (i = 0; i < p->nthreads; i++) {
		const struct scap_thread_info *t = &p->threads[i];

		at = begin_block(b, BT_FDL_V2);
		put64(b, t->tid);
		for (j = 0; j < t->nfds; j++)
			write_fd(b, &t->fds[j]);
		end_block(b, at);
	}
	return b->oom ? -ENOMEM : 0;
}
