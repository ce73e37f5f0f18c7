/* SPDX-License-Identifier: Apache-2.0 */
/*
 * /proc/<pid>/cgroup -> the "subsys=path" list of the PL_V9 entry.
 *
 * cgroup v1 lines "3:cpu,cpuacct:/a/b" give one entry per controller ("cpu=/a/b",
 * "cpuacct=/a/b"; named hierarchies as "name=systemd=/a"). The v2 line "0::/a/b" has no
 * controller list: as upstream does, walk from /a/b up to the root of the unified hierarchy,
 * reading cgroup.controllers at each level, and give each controller the deepest cgroup where
 * it is available — the v1 layout the unified tree is equivalent to. Without a v2 hierarchy
 * (or with an empty one, as on hybrid systems) the v2 line is skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc_int.h"

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

/* "cpuset cpu io\n" -> "cpuset\0cpu\0io\0\0" (malloc'd). */
static char *split_ctrls(const char *line)
{
	size_t n = strlen(line);
	char *out = malloc(n + 2), *o = out;
	const char *p = line;

	if (!out)
		return NULL;
	while (*p) {
		size_t len;

		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		len = strcspn(p, " \n\t");
		if (!len)
			break;
		memcpy(o, p, len);
		o += len;
		*o++ = 0;
		p += len;
	}
	*o = 0;
	return out;
}

static char *read_ctrls(const char *dir)
{
	char path[PROC_MAX_PATH + 32];
	char buf[1024];
	FILE *f;

	if (!proc_path(path, sizeof(path), "%s/cgroup.controllers", dir))
		return NULL;
	f = fopen(path, "re");
	if (!f)
		return NULL;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return split_ctrls(buf);
}

static void probe_v2(struct proc_scan *s)
{
	static const char *const where[] = { "fs/cgroup", "fs/cgroup/unified" };
	struct proc_cgroups *cg = &s->cg;
	char dir[PROC_MAX_PATH];
	size_t i;

	cg->v2_probed = true;
	cg->v2_mount[0] = 0;
	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		char *ctrls;

		if (!proc_path(dir, sizeof(dir), "%s/%s", s->sys_root, where[i]))
			continue;
		ctrls = read_ctrls(dir);
		if (!ctrls)
			continue;
		free(cg->root_ctrls);
		cg->root_ctrls = ctrls;
		memcpy(cg->v2_mount, dir, sizeof(cg->v2_mount));
		if (ctrls[0])
			break; /* a hierarchy with controllers: the one to use */
	}
}

/* Controllers available in the v2 cgroup rel ("/" or "/a/b"), cached for the scan. */
static const char *ctrls_of(struct proc_scan *s, const char *rel)
{
	struct proc_cgroups *cg = &s->cg;
	char dir[PROC_MAX_PATH * 2];
	uint32_t h, i;
	char *ctrls;

	if (cg->cache_cap) {
		h = hash_str(rel) & (cg->cache_cap - 1);
		for (i = h; cg->cache[i].path; i = (i + 1) & (cg->cache_cap - 1))
			if (!strcmp(cg->cache[i].path, rel))
				return cg->cache[i].ctrls;
	}
	if (!proc_path(dir, sizeof(dir), "%s%s", cg->v2_mount, strcmp(rel, "/") ? rel : ""))
		return NULL;
	ctrls = read_ctrls(dir);
	if (!ctrls)
		return NULL;
	if (cg->cache_n * 2 + 2 > cg->cache_cap) {
		uint32_t ncap = cg->cache_cap ? cg->cache_cap * 2 : 64, j;
		struct proc_cg_cache_ent *n = calloc(ncap, sizeof(*n));

		if (!n) {
			free(ctrls);
			return NULL;
		}
		for (j = 0; j < cg->cache_cap; j++) {
			if (!cg->cache[j].path)
				continue;
			for (i = hash_str(cg->cache[j].path) & (ncap - 1); n[i].path; i = (i + 1) & (ncap - 1))
				;
			n[i] = cg->cache[j];
		}
		free(cg->cache);
		cg->cache = n;
		cg->cache_cap = ncap;
	}
	for (i = hash_str(rel) & (cg->cache_cap - 1); cg->cache[i].path; i = (i + 1) & (cg->cache_cap - 1))
		;
	cg->cache[i].path = strdup(rel);
	if (!cg->cache[i].path) {
		free(ctrls);
		return NULL;
	}
	cg->cache[i].ctrls = ctrls;
	cg->cache_n++;
	return ctrls;
}

static bool in_list(const char *list, const char *name)
{
	for (; *list; list += strlen(list) + 1)
		if (!strcmp(list, name))
			return true;
	return false;
}

static bool append(struct proc_thread *t, const char *subsys, const char *path)
{
	size_t need = strlen(subsys) + 1 + strlen(path) + 1;

	if (t->cgroups_len + need > sizeof(t->cgroups))
		return false;
	sprintf(t->cgroups + t->cgroups_len, "%s=%s", subsys, path);
	t->cgroups_len += (uint32_t)need;
	return true;
}

static void resolve_v2(struct proc_scan *s, const char *path, struct proc_thread *t)
{
	char cur[PROC_MAX_PATH];
	char found[1024];
	size_t found_len = 0;

	if (path[0] != '/')
		return;
	proc_strlcpy(cur, path, strlen(path), sizeof(cur));
	found[0] = 0;
	for (;;) {
		const char *ctrls = ctrls_of(s, cur), *c;
		bool all = true;
		char *q;

		if (!ctrls)
			return;
		for (c = ctrls; *c; c += strlen(c) + 1) {
			size_t len = strlen(c);

			if (in_list(found, c))
				continue;
			if (!append(t, c, cur))
				return;
			if (found_len + len + 2 <= sizeof(found)) {
				memcpy(found + found_len, c, len + 1);
				found_len += len + 1;
				found[found_len] = 0;
			}
		}
		if (!strcmp(cur, "/"))
			return;
		for (c = s->cg.root_ctrls; *c; c += strlen(c) + 1)
			if (!in_list(found, c))
				all = false;
		if (all)
			return;
		q = strrchr(cur, '/');
		if (q == cur)
			q[1] = 0;
		else
			*q = 0;
	}
}

void proc_read_cgroups(struct proc_scan *s, int dfd, struct proc_thread *t)
{
	char buf[8192];
	char *line;
	ssize_t n;

	t->cgroups_len = 0;
	t->cgroups[0] = 0;
	n = proc_read_at(dfd, "cgroup", buf, sizeof(buf));
	if (n < 0) {
		if (n != -ENOENT && n != -EACCES && !proc_err_gone((int)n))
			t->partial = true;
		return;
	}
	for (line = buf; line && *line;) {
		char *nl = strchr(line, '\n'), *subsys, *path, *tok, *save;

		if (nl)
			*nl = 0;
		subsys = strchr(line, ':');
		path = subsys ? strchr(subsys + 1, ':') : NULL;
		if (!path)
			goto next;
		*subsys++ = 0;
		*path++ = 0;
		if (!*subsys) {
			/* v2 ("0::/path"); other empty lists are unmounted v1 controllers: skipped */
			if (strcmp(line, "0"))
				goto next;
			if (!s->cg.v2_probed)
				probe_v2(s);
			if (s->cg.v2_mount[0])
				resolve_v2(s, path, t);
			goto next;
		}
		for (tok = strtok_r(subsys, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			if (!append(t, tok, path))
				return;
	next:
		line = nl ? nl + 1 : NULL;
	}
}

void proc_cgroups_free(struct proc_scan *s)
{
	uint32_t i;

	for (i = 0; i < s->cg.cache_cap; i++) {
		free(s->cg.cache[i].path);
		free(s->cg.cache[i].ctrls);
	}
	free(s->cg.cache);
	free(s->cg.root_ctrls);
	memset(&s->cg, 0, sizeof(s->cg));
}
