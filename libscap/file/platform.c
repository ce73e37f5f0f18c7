/* SPDX-License-Identifier: Apache-2.0 */
/* The platform store: machine info, interfaces, users, groups, threads and their fds. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/opts.h"
#include "file_internal.h"
#include "internal.h"

char *scap_memdup0(const void *src, size_t len)
{
	char *s = malloc(len + 1);

	if (!s)
		return NULL;
	if (len)
		memcpy(s, src, len);
	s[len] = 0;
	return s;
}

static int grow(void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
	uint32_t ncap;
	void *n;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > UINT32_MAX / 2)
			return -ENOMEM;
		ncap *= 2;
	}
	n = realloc(*arr, (size_t)ncap * elem);
	if (!n)
		return -ENOMEM;
	*arr = n;
	*cap = ncap;
	return 0;
}

struct scap_platform *scap_platform__new(void)
{
	struct scap_platform *p = calloc(1, sizeof(*p));

	if (!p) {
		scap_fail(ENOMEM, "out of memory allocating a platform");
		errno = ENOMEM;
		return NULL;
	}
	p->mi.sz = sizeof(p->mi);
	return p;
}

static void free_thread(struct scap_thread_info *t)
{
	uint32_t i;

	free((char *)t->comm);
	free((char *)t->exe);
	free((char *)t->exepath);
	free((char *)t->args);
	free((char *)t->cwd);
	free((char *)t->env);
	free((char *)t->cgroups);
	free((char *)t->root);
	for (i = 0; i < t->nfds; i++)
		free((char *)t->fds[i].name);
	free((void *)t->fds);
}

void scap_platform__clear(struct scap_platform *p)
{
	uint32_t i;

	if (!p)
		return;
	for (i = 0; i < p->nthreads; i++)
		free_thread(&p->threads[i]);
	for (i = 0; i < p->nifaces; i++)
		free((char *)p->ifaces[i].name);
	for (i = 0; i < p->nusers; i++) {
		free((char *)p->users[i].name);
		free((char *)p->users[i].homedir);
		free((char *)p->users[i].shell);
	}
	for (i = 0; i < p->ngroups; i++)
		free((char *)p->groups[i].name);
	p->nthreads = p->nifaces = p->nusers = p->ngroups = 0;
	memset(&p->mi, 0, sizeof(p->mi));
	p->mi.sz = sizeof(p->mi);
	p->index_dirty = true;
}

void scap_platform__free(struct scap_platform *p)
{
	if (!p)
		return;
	scap_platform__clear(p);
	free(p->threads);
	free(p->fd_cap);
	free(p->index);
	free(p->ifaces);
	free(p->users);
	free(p->groups);
	free(p);
}

const struct scap_machine_info *scap_platform__machine(const struct scap_platform *p)
{
	return &p->mi;
}

uint32_t scap_platform__nthreads(const struct scap_platform *p)
{
	return p->nthreads;
}

const struct scap_thread_info *scap_platform__thread(const struct scap_platform *p, uint32_t idx)
{
	return idx < p->nthreads ? &p->threads[idx] : NULL;
}

static inline uint32_t hash_tid(uint64_t tid)
{
	tid ^= tid >> 33;
	tid *= 0xff51afd7ed558ccdULL;
	tid ^= tid >> 33;
	return (uint32_t)tid;
}

static int rebuild_index(struct scap_platform *p)
{
	uint32_t cap = 16, i;

	while (cap < p->nthreads * 4u + 1)
		cap *= 2;
	if (cap != p->index_cap) {
		struct tid_slot *n = realloc(p->index, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		p->index = n;
		p->index_cap = cap;
	}
	memset(p->index, 0, cap * sizeof(*p->index));
	for (i = 0; i < p->nthreads; i++) {
		uint32_t h = hash_tid(p->threads[i].tid) & (cap - 1);

		while (p->index[h].idx1)
			h = (h + 1) & (cap - 1);
		p->index[h].tid = p->threads[i].tid;
		p->index[h].idx1 = i + 1;
	}
	p->index_dirty = false;
	return 0;
}

int64_t platform_find(struct scap_platform *p, uint64_t tid)
{
	uint32_t h;

	if (p->index_dirty || !p->index) {
		if (rebuild_index(p) < 0) {
			uint32_t i;

			for (i = 0; i < p->nthreads; i++)
				if (p->threads[i].tid == tid)
					return i;
			return -1;
		}
	}
	h = hash_tid(tid) & (p->index_cap - 1);
	while (p->index[h].idx1) {
		if (p->index[h].tid == tid)
			return p->index[h].idx1 - 1;
		h = (h + 1) & (p->index_cap - 1);
	}
	return -1;
}

const struct scap_thread_info *scap_platform__thread_by_tid(const struct scap_platform *p, uint64_t tid)
{
	/* The index is a cache: building it does not change what the platform holds. */
	int64_t i = platform_find((struct scap_platform *)p, tid);

	return i < 0 ? NULL : &p->threads[i];
}

uint32_t scap_platform__nifaces(const struct scap_platform *p)
{
	return p->nifaces;
}

const struct scap_iface_info *scap_platform__iface(const struct scap_platform *p, uint32_t idx)
{
	return idx < p->nifaces ? &p->ifaces[idx] : NULL;
}

uint32_t scap_platform__nusers(const struct scap_platform *p)
{
	return p->nusers;
}

const struct scap_user_info *scap_platform__user(const struct scap_platform *p, uint32_t idx)
{
	return idx < p->nusers ? &p->users[idx] : NULL;
}

uint32_t scap_platform__ngroups(const struct scap_platform *p)
{
	return p->ngroups;
}

const struct scap_group_info *scap_platform__group(const struct scap_platform *p, uint32_t idx)
{
	return idx < p->ngroups ? &p->groups[idx] : NULL;
}

/* ------------------------------------------------------------------------------ filling */

int platform_add_thread_owned(struct scap_platform *p, struct scap_thread_info *ti)
{
	int64_t old = platform_find(p, ti->tid);
	uint32_t idx;

	ti->sz = sizeof(*ti);
	if (old >= 0) {
		struct scap_thread_info *t = &p->threads[old];

		ti->nfds = t->nfds;
		ti->fds = t->fds;
		t->nfds = 0;
		t->fds = NULL;
		free_thread(t);
		*t = *ti;
		return (int)old;
	}
	if (grow((void **)&p->threads, &p->threads_cap, p->nthreads + 1, sizeof(*p->threads)) < 0 ||
	    grow((void **)&p->fd_cap, &p->fd_cap_cap, p->nthreads + 1, sizeof(*p->fd_cap)) < 0) {
		free_thread(ti);
		return scap_fail(ENOMEM, "out of memory adding a thread");
	}
	idx = p->nthreads++;
	ti->nfds = 0;
	ti->fds = NULL;
	p->threads[idx] = *ti;
	p->fd_cap[idx] = 0;
	/* Keep the tid index current (a rebuild per add would make filling quadratic). */
	if (!p->index_dirty && p->index && p->nthreads * 2u + 1 <= p->index_cap) {
		uint32_t h = hash_tid(ti->tid) & (p->index_cap - 1);

		while (p->index[h].idx1)
			h = (h + 1) & (p->index_cap - 1);
		p->index[h].tid = ti->tid;
		p->index[h].idx1 = idx + 1;
	} else {
		p->index_dirty = true;
	}
	return (int)idx;
}

int platform_add_fd_owned(struct scap_platform *p, uint32_t idx, struct scap_fd_info *fi)
{
	struct scap_thread_info *t = &p->threads[idx];
	struct scap_fd_info *fds = (struct scap_fd_info *)t->fds;

	fi->sz = sizeof(*fi);
	if (grow((void **)&fds, &p->fd_cap[idx], t->nfds + 1, sizeof(*fds)) < 0) {
		free((char *)fi->name);
		return scap_fail(ENOMEM, "out of memory adding an fd");
	}
	fds[t->nfds++] = *fi;
	t->fds = fds;
	return 0;
}

int platform_add_iface_owned(struct scap_platform *p, struct scap_iface_info *ii)
{
	ii->sz = sizeof(*ii);
	if (grow((void **)&p->ifaces, &p->ifaces_cap, p->nifaces + 1, sizeof(*ii)) < 0) {
		free((char *)ii->name);
		return scap_fail(ENOMEM, "out of memory adding an interface");
	}
	p->ifaces[p->nifaces++] = *ii;
	return 0;
}

int platform_add_user_owned(struct scap_platform *p, struct scap_user_info *ui)
{
	ui->sz = sizeof(*ui);
	if (grow((void **)&p->users, &p->users_cap, p->nusers + 1, sizeof(*ui)) < 0) {
		free((char *)ui->name);
		free((char *)ui->homedir);
		free((char *)ui->shell);
		return scap_fail(ENOMEM, "out of memory adding a user");
	}
	p->users[p->nusers++] = *ui;
	return 0;
}

int platform_add_group_owned(struct scap_platform *p, struct scap_group_info *gi)
{
	gi->sz = sizeof(*gi);
	if (grow((void **)&p->groups, &p->groups_cap, p->ngroups + 1, sizeof(*gi)) < 0) {
		free((char *)gi->name);
		return scap_fail(ENOMEM, "out of memory adding a group");
	}
	p->groups[p->ngroups++] = *gi;
	return 0;
}

/* Copy the caller's struct (its sz bytes; the rest zero) into a full-size local one. */
/* A caller's size-prefixed struct, by the rule of every options struct (common/opts.h). */
static int copy_user(void *out, size_t out_sz, const void *user, const char *what)
{
	char why[160];
	int rc = scap_sized_copy(out, out_sz, user, why, sizeof(why));

	return rc < 0 ? scap_fail(-rc, "%s: %s", what, why) : 0;
}

static char *dupstr(const char *s)
{
	return scap_memdup0(s ? s : "", s ? strlen(s) : 0);
}

static char *dupbuf(const char *s, uint32_t len)
{
	return scap_memdup0(s ? s : "", s ? len : 0);
}

int scap_platform__set_machine(struct scap_platform *p, const struct scap_machine_info *mi)
{
	struct scap_machine_info m;
	int rc;

	if (!p || !mi)
		return scap_fail(EINVAL, "set_machine: no platform or no machine info");
	if ((rc = copy_user(&m, sizeof(m), mi, "set_machine")) < 0)
		return rc;
	p->mi = m;
	p->mi.sz = sizeof(p->mi);
	p->mi.hostname[sizeof(p->mi.hostname) - 1] = 0;
	return 0;
}

int scap_platform__add_thread(struct scap_platform *p, const struct scap_thread_info *user)
{
	struct scap_thread_info t;
	int rc;

	if (!p || !user)
		return scap_fail(EINVAL, "add_thread: no platform or no thread");
	if ((rc = copy_user(&t, sizeof(t), user, "add_thread")) < 0)
		return rc;
	t.comm = dupstr(t.comm);
	t.exe = dupstr(t.exe);
	t.exepath = dupstr(t.exepath);
	t.args = dupbuf(t.args, t.args_len);
	t.cwd = dupstr(t.cwd);
	t.env = dupbuf(t.env, t.env_len);
	t.cgroups = dupbuf(t.cgroups, t.cgroups_len);
	t.root = dupstr(t.root);
	t.nfds = 0;
	t.fds = NULL;
	if (!t.comm || !t.exe || !t.exepath || !t.args || !t.cwd || !t.env || !t.cgroups || !t.root) {
		free_thread(&t);
		return scap_fail(ENOMEM, "out of memory adding a thread");
	}
	rc = platform_add_thread_owned(p, &t);
	return rc < 0 ? rc : 0;
}

int scap_platform__add_fd(struct scap_platform *p, uint64_t tid, const struct scap_fd_info *user)
{
	struct scap_fd_info f;
	int64_t idx;
	int rc;

	if (!p || !user)
		return scap_fail(EINVAL, "add_fd: no platform or no fd");
	idx = platform_find(p, tid);
	if (idx < 0)
		return scap_fail(ENOENT, "add_fd: no thread %llu in the platform", (unsigned long long)tid);
	if ((rc = copy_user(&f, sizeof(f), user, "add_fd")) < 0)
		return rc;
	f.name = dupstr(f.name);
	if (!f.name)
		return scap_fail(ENOMEM, "out of memory adding an fd");
	return platform_add_fd_owned(p, (uint32_t)idx, &f);
}

int scap_platform__add_iface(struct scap_platform *p, const struct scap_iface_info *user)
{
	struct scap_iface_info i;
	int rc;

	if (!p || !user)
		return scap_fail(EINVAL, "add_iface: no platform or no interface");
	if ((rc = copy_user(&i, sizeof(i), user, "add_iface")) < 0)
		return rc;
	if (i.type != SCAP_IFACE_IPV4 && i.type != SCAP_IFACE_IPV6)
		return scap_fail(EINVAL, "add_iface: unknown interface type %u", i.type);
	i.name = dupstr(i.name);
	if (!i.name)
		return scap_fail(ENOMEM, "out of memory adding an interface");
	return platform_add_iface_owned(p, &i);
}

int scap_platform__add_user(struct scap_platform *p, const struct scap_user_info *user)
{
	struct scap_user_info u;
	int rc;

	if (!p || !user)
		return scap_fail(EINVAL, "add_user: no platform or no user");
	if ((rc = copy_user(&u, sizeof(u), user, "add_user")) < 0)
		return rc;
	u.name = dupstr(u.name);
	u.homedir = dupstr(u.homedir);
	u.shell = dupstr(u.shell);
	if (!u.name || !u.homedir || !u.shell) {
		free((char *)u.name);
		free((char *)u.homedir);
		free((char *)u.shell);
		return scap_fail(ENOMEM, "out of memory adding a user");
	}
	return platform_add_user_owned(p, &u);
}

int scap_platform__add_group(struct scap_platform *p, const struct scap_group_info *user)
{
	struct scap_group_info g;
	int rc;

	if (!p || !user)
		return scap_fail(EINVAL, "add_group: no platform or no group");
	if ((rc = copy_user(&g, sizeof(g), user, "add_group")) < 0)
		return rc;
	g.name = dupstr(g.name);
	if (!g.name)
		return scap_fail(ENOMEM, "out of memory adding a group");
	return platform_add_group_owned(p, &g);
}

struct scap_platform *scap_platform__copy(const struct scap_platform *src)
{
	struct scap_platform *p = scap_platform__new();
	uint32_t i, j;
	int rc = 0;

	if (!p)
		return NULL;
	p->mi = src->mi;
	for (i = 0; i < src->nthreads && rc >= 0; i++) {
		const struct scap_thread_info *t = &src->threads[i];

		rc = scap_platform__add_thread(p, t);
		for (j = 0; j < t->nfds && rc >= 0; j++)
			rc = scap_platform__add_fd(p, t->tid, &t->fds[j]);
	}
	for (i = 0; i < src->nifaces && rc >= 0; i++)
		rc = scap_platform__add_iface(p, &src->ifaces[i]);
	for (i = 0; i < src->nusers && rc >= 0; i++)
		rc = scap_platform__add_user(p, &src->users[i]);
	for (i = 0; i < src->ngroups && rc >= 0; i++)
		rc = scap_platform__add_group(p, &src->groups[i]);
	if (rc < 0) {
		scap_platform__free(p);
		errno = -rc;
		return NULL;
	}
	return p;
}
