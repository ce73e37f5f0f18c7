/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/filter/rules_check: drives the ruleset C API (sinsp/ruleset.h) from a script, for the
 * tests (tests/test_rules_capi.py runs it from the normal and the ASan/UBSan build and compares).
 * Each line of the script is a command, its fields separated by tabs:
 *
 *   list NAME [ITEM...]                 sinsp_ruleset__add_list
 *   macro NAME TEXT                     sinsp_ruleset__add_macro
 *   rule NAME PRIORITY COND OUTPUT [TAG,TAG...] [disabled]
 *   enable PATTERN 0|1 / tag TAG 0|1 / id ID 0|1 / minprio N
 *   info                                every rule's sinsp_rule_info
 *   used macro|list NAME                sinsp_ruleset__is_used
 *   eval CAPTURE text|json|first        every event of a capture: the matches and their alerts
 *   next CAPTURE                        sinsp_ruleset__next over a capture
 *   loop CAPTURE text|json|first OUT    a sinsp_loop with the ruleset, alerts to the file OUT
 *
 * Everything it does is printed on stdout, one line each.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scap/capture.h"
#include "scap/scap.h"
#include "sinsp/inspector.h"
#include "sinsp/loop.h"
#include "sinsp/ruleset.h"
#include "sinsp/sinsp.h"

#define MAX_FIELDS 64

static struct sinsp_ruleset *rs;

static void first_line(const char *msg)
{
	const char *nl = strchr(msg, '\n');
	printf("%.*s\n", nl ? (int)(nl - msg) : (int)strlen(msg), msg);
}

static struct sinsp_inspector *open_capture(const char *path)
{
	struct scap_capture *cap = scap_capture__open_file(path, NULL);
	if (!cap) {
		printf("cannot open %s: %s\n", path, scap_last_error());
		return NULL;
	}
	struct sinsp_opts o;
	memset(&o, 0, sizeof(o));
	o.sz = sizeof(o);
	o.live = -1;
	struct sinsp_inspector *insp = sinsp_inspector__open(cap, &o);
	if (!insp)
		printf("inspector: %s\n", sinsp_last_error());
	return insp;
}

static void do_rule(char **f, int n)
{
	if (n < 5) {
		printf("bad rule line\n");
		return;
	}
	const char *tags[MAX_FIELDS];
	uint32_t ntags = 0;
	char *t = n > 5 ? f[5] : NULL, *save = NULL;
	for (char *tok = t ? strtok_r(t, ",", &save) : NULL; tok && ntags < MAX_FIELDS;
	     tok = strtok_r(NULL, ",", &save))
		tags[ntags++] = tok;
	struct sinsp_rule_opts o;
	memset(&o, 0, sizeof(o));
	o.sz = sizeof(o);
	o.name = f[1];
	o.priority = (uint32_t)atoi(f[2]);
	o.condition = f[3];
	o.output = f[4];
	o.tags = tags;
	o.n_tags = ntags;
	o.disabled = n > 6 && !strcmp(f[6], "disabled");
	struct sinsp_rule_error err;
	memset(&err, 0, sizeof(err));
	err.sz = sizeof(err);
	int id = sinsp_ruleset__add_rule(rs, &o, &err);
	if (id >= 0) {
		printf("rule %s id=%d\n", f[1], id);
		return;
	}
	printf("rule %s error %d where=%d pos=%d: ", f[1], id, err.where, err.pos);
	first_line(sinsp_last_error());
}

static void do_info(void)
{
	uint32_t n = sinsp_ruleset__count(rs);
	for (uint32_t i = 0; i < n; i++) {
		struct sinsp_rule_info in;
		memset(&in, 0, sizeof(in));
		in.sz = sizeof(in);
		if (sinsp_ruleset__rule(rs, i, &in) < 0) {
			printf("info %u: %s\n", i, sinsp_last_error());
			continue;
		}
		printf("info %u %s prio=%s enabled=%d active=%d all=%d n=%u types=%s except=%s tags=", i, in.name,
		       sinsp_priority_name(in.priority), in.enabled, in.active, in.all_evttypes, in.n_evttypes,
		       in.evttypes, in.evttypes_except);
		for (uint32_t k = 0; k < in.n_tags; k++)
			printf("%s%s", k ? "," : "", in.tags[k]);
		printf(" matches=%llu evaluated=%llu\n", (unsigned long long)in.n_matches,
		       (unsigned long long)in.n_evaluated);
	}
}

static int mode_of(const char *m)
{
	return !strcmp(m, "json") ? SINSP_ALERT_JSON : SINSP_ALERT_TEXT;
}

static void do_eval(const char *path, const char *mode)
{
	struct sinsp_inspector *insp = open_capture(path);
	if (!insp)
		return;
	uint32_t ids[8]; /* small on purpose: more matches than room are counted, the first 8 kept */
	const struct sinsp_event *evt;
	int rc;
	uint32_t flags = !strcmp(mode, "first") ? SINSP_RULESET_FIRST : 0;
	while ((rc = sinsp_inspector__next(insp, &evt)) == 0) {
		int n = sinsp_ruleset__eval(rs, evt, flags, ids, 8);
		for (int i = 0; i < n && i < 8; i++) {
			char small[16];
			int len = sinsp_ruleset__alert(rs, ids[i], evt, mode_of(mode), small, sizeof(small));
			const char *a = sinsp_ruleset__alert_str(rs, ids[i], evt, mode_of(mode));
			if (len < 0 || !a || (size_t)len != strlen(a) || strncmp(small, a, sizeof(small) - 1) != 0)
				printf("alert mismatch\n");
			printf("%llu %u %s\n", (unsigned long long)sinsp_event__num(evt), ids[i], a ? a : "(null)");
		}
	}
	printf("eval end rc=%d\n", rc);
	struct sinsp_ruleset_stats st;
	memset(&st, 0, sizeof(st));
	st.sz = sizeof(st);
	sinsp_ruleset__stats(rs, &st);
	printf("stats events=%llu evaluated=%llu matches=%llu\n", (unsigned long long)st.n_events,
	       (unsigned long long)st.n_evaluated, (unsigned long long)st.n_matches);
	sinsp_inspector__close(insp);
}

static void do_next(const char *path)
{
	struct sinsp_inspector *insp = open_capture(path);
	if (!insp)
		return;
	uint32_t ids[64], n;
	const struct sinsp_event *evt;
	int rc;
	while ((rc = sinsp_ruleset__next(rs, insp, 0, &evt, ids, 64, &n)) == 0) {
		printf("next %llu", (unsigned long long)sinsp_event__num(evt));
		for (uint32_t i = 0; i < n && i < 64; i++)
			printf(" %u", ids[i]);
		printf("\n");
	}
	printf("next end rc=%d\n", rc);
	sinsp_inspector__close(insp);
}

static void do_loop(const char *path, const char *mode, const char *out)
{
	struct sinsp_inspector *insp = open_capture(path);
	if (!insp)
		return;
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	struct sinsp_loop_opts o;
	memset(&o, 0, sizeof(o));
	o.sz = sizeof(o);
	o.ruleset = rs;
	o.alert_fd = fd;
	o.alert_mode = (uint32_t)mode_of(mode);
	o.first_match = !strcmp(mode, "first");
	struct sinsp_loop *l = sinsp_loop__create(insp, &o);
	if (!l) {
		printf("loop: %s\n", sinsp_last_error());
	} else {
		int rc;
		while ((rc = sinsp_loop__run(l, 10)) == SINSP_LOOP_MORE)
			;
		struct sinsp_loop_stats st;
		memset(&st, 0, sizeof(st));
		st.sz = sizeof(st);
		sinsp_loop__stats(l, &st);
		printf("loop rc=%d events=%llu alerts=%llu close=%d\n", rc, (unsigned long long)st.n_events,
		       (unsigned long long)st.n_alerts, sinsp_loop__close(l));
	}
	close(fd);
	sinsp_inspector__close(insp);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: rules_check SCRIPT\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	struct sinsp_ruleset_opts ro;
	memset(&ro, 0, sizeof(ro));
	ro.sz = sizeof(ro);
	ro.hostname = "testhost";
	rs = sinsp_ruleset__create(&ro);
	if (!rs) {
		fprintf(stderr, "create: %s\n", sinsp_last_error());
		return 1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (!len)
			continue;
		char *fields[MAX_FIELDS];
		int n = 0;
		for (char *p = line; n < MAX_FIELDS;) {
			fields[n++] = p;
			char *tab = strchr(p, '\t');
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		const char *cmd = fields[0];
		if (!strcmp(cmd, "list")) {
			int rc = sinsp_ruleset__add_list(rs, n > 1 ? fields[1] : NULL, (const char *const *)fields + 2,
							 (uint32_t)(n > 2 ? n - 2 : 0));
			printf("list %s %d\n", n > 1 ? fields[1] : "-", rc);
		} else if (!strcmp(cmd, "macro") && n >= 3) {
			int pos = -2;
			int rc = sinsp_ruleset__add_macro(rs, fields[1], fields[2], &pos);
			printf("macro %s %d pos=%d", fields[1], rc, pos);
			if (rc < 0) {
				printf(": ");
				first_line(sinsp_last_error());
			} else {
				printf("\n");
			}
		} else if (!strcmp(cmd, "rule")) {
			do_rule(fields, n);
		} else if (!strcmp(cmd, "enable") && n >= 3) {
			printf("enable %s %d\n", fields[1], sinsp_ruleset__enable(rs, fields[1], atoi(fields[2])));
		} else if (!strcmp(cmd, "tag") && n >= 3) {
			printf("tag %s %d\n", fields[1], sinsp_ruleset__enable_tag(rs, fields[1], atoi(fields[2])));
		} else if (!strcmp(cmd, "id") && n >= 3) {
			printf("id %s %d\n", fields[1],
			       sinsp_ruleset__enable_id(rs, (uint32_t)atoi(fields[1]), atoi(fields[2])));
		} else if (!strcmp(cmd, "minprio") && n >= 2) {
			printf("minprio %s %d\n", fields[1],
			       sinsp_ruleset__set_min_priority(rs, (uint32_t)atoi(fields[1])));
		} else if (!strcmp(cmd, "info")) {
			do_info();
		} else if (!strcmp(cmd, "used") && n >= 3) {
			printf("used %s %s %d\n", fields[1], fields[2],
			       sinsp_ruleset__is_used(rs, fields[2], !strcmp(fields[1], "list")));
		} else if (!strcmp(cmd, "eval") && n >= 3) {
			do_eval(fields[1], fields[2]);
		} else if (!strcmp(cmd, "next") && n >= 2) {
			do_next(fields[1]);
		} else if (!strcmp(cmd, "loop") && n >= 4) {
			do_loop(fields[1], fields[2], fields[3]);
		} else {
			printf("unknown command %s\n", cmd);
		}
	}
	free(line);
	fclose(f);
	/* the argument checks */
	printf("null %d %d %d %d\n", sinsp_ruleset__add_list(NULL, "x", NULL, 0), sinsp_ruleset__find(rs, "no such"),
	       sinsp_ruleset__eval(rs, NULL, 0, NULL, 0), sinsp_ruleset__rule(rs, 100000, NULL));
	sinsp_ruleset__free(rs);
	sinsp_ruleset__free(NULL);
	return 0;
}
