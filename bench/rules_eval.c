/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/rules_eval: a ruleset of Falco-style rules (sinsp/ruleset.h) evaluated on every event of a
 * capture file, beside the same conditions compiled as separate filters and run one by one on
 * every event (what a consumer without the event-type index does), and the inspector alone.
 * Public C API only. The rules use Falco's macros (open_read, open_write, spawned_process,
 * outbound) and lists; each family below is repeated with different constants.
 *
 *   rules_eval FILE.scap [NRULES [ruleset]]     (default 124 rules; "ruleset": that mode only)
 *
 * Prints one line per mode: events, rule matches, M events/s (CPU time and wall time), and the
 * rule evaluations per event; the two rule modes must find the same matches (exit 1 if not).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_inspector.h"
#include "sinsp/ruleset.h"

#define MAX_RULES 1024
#define TEXT	  512

static const char *const list_names[] = { "shell_binaries", "sensitive_file_names", "known_readers", "bench_ports" };
static const char *const list_items[] = {
	/* shell_binaries */ "ash",
	"bash",
	"csh",
	"ksh",
	"sh",
	"tcsh",
	"zsh",
	"dash",
	/* sensitive_file_names */ "/etc/shadow",
	"/etc/sudoers",
	"/etc/pam.conf",
	"/etc/security/pwquality.conf",
	/* known_readers */ "sshd",
	"sudo",
	"login",
	"passwd",
	"cron",
	"systemd",
	/* bench_ports */ "22",
	"2222",
	"8022",
};
static const uint32_t list_offsets[] = { 0, 8, 12, 18, 21 };

static const char *const macro_names[] = { "open_read", "open_write", "spawned_process", "outbound", "never_true" };
static const char *const macro_texts[] = {
	"(evt.type in (open,openat,openat2) and evt.is_open_read=true and fd.typechar='f' and fd.num>=0)",
	"(evt.type in (open,openat,openat2) and evt.is_open_write=true and fd.typechar='f' and fd.num>=0)",
	"(evt.type in (execve, execveat) and evt.dir=<)",
	"(((evt.type = connect and evt.dir=<) or (evt.type in (sendto,sendmsg) and evt.dir=< and fd.l4proto != tcp "
	"and fd.connected=false and fd.name_changed=true)) and (fd.typechar = 4 or fd.typechar = 6) and "
	"(fd.ip != \"0.0.0.0\" and fd.net != \"127.0.0.0/8\") and (evt.rawres >= 0 or evt.res = EINPROGRESS))",
	"(evt.num=0)",
};
#define N_MACROS (sizeof(macro_names) / sizeof(macro_names[0]))
#define N_LISTS	 (sizeof(list_names) / sizeof(list_names[0]))

static char conds[MAX_RULES][TEXT];
static char names[MAX_RULES][64];

/* The i-th condition: families of Falco-style rules, round robin. */
static void make_condition(int i, char *out)
{
	int k = i / 10;
	switch (i % 10) {
	case 0: /* the first one matches the storm's opens: every file it opens is /etc/hostname */
		if (k == 0)
			snprintf(out, TEXT,
				 "open_read and fd.name = /etc/hostname and not proc.name in (known_readers)");
		else
			snprintf(out, TEXT,
				 "open_read and fd.name = /etc/bench/file%d and not proc.name in (known_readers)", k);
		break;
	case 1:
		snprintf(out, TEXT, "open_write and fd.directory = /var/bench%d and not proc.name in (shell_binaries)",
			 k);
		break;
	case 2:
		snprintf(out, TEXT, "open_read and fd.name in (sensitive_file_names) and proc.name = reader%d", k);
		break;
	case 3:
		snprintf(out, TEXT, "spawned_process and proc.name = tool%d and proc.pname in (shell_binaries)", k);
		break;
	case 4: snprintf(out, TEXT, "outbound and fd.sport = %d and not never_true", 8000 + k); break;
	case 5:
		snprintf(out, TEXT, "evt.type in (read, write) and fd.name startswith /dev/bench%d and proc.name != x",
			 k);
		break;
	case 6: snprintf(out, TEXT, "evt.type = close and fd.name endswith .key%d", k); break;
	case 7:
		snprintf(out, TEXT, "evt.type in (unlink, unlinkat, rename) and evt.arg.name contains bench%d", k);
		break;
	case 8: snprintf(out, TEXT, "open_read and fd.filename = secret%d.txt and user.uid != 0", k); break;
	default: /* a rule no event type narrows (Falco warns about these) */
		snprintf(out, TEXT, "proc.name = nobody%d and user.uid = %d", k, 50000 + k);
		break;
	}
}

static int add_symbols(struct sinsp_ruleset *rs)
{
	for (size_t i = 0; i < N_LISTS; i++)
		if (sinsp_ruleset__add_list(rs, list_names[i], list_items + list_offsets[i],
					    list_offsets[i + 1] - list_offsets[i]) < 0)
			return -1;
	for (size_t i = 0; i < N_MACROS; i++)
		if (sinsp_ruleset__add_macro(rs, macro_names[i], macro_texts[i], NULL) < 0)
			return -1;
	return 0;
}

struct result {
	uint64_t events, matches, evaluations;
	double cpu, wall;
};

static void report(const char *mode, const struct result *r, int nrules)
{
	printf("%-34s %4d rules %9llu events %8llu matches %7.2f M events/s (CPU) %7.2f M events/s (wall) %7.2f "
	       "evaluations/event\n",
	       mode, nrules, (unsigned long long)r->events, (unsigned long long)r->matches,
	       (double)r->events / r->cpu / 1e6, (double)r->events / r->wall / 1e6,
	       r->events ? (double)r->evaluations / (double)r->events : 0.0);
}

enum mode { INSPECTOR_ONLY, RULESET, ONE_BY_ONE };

static int run(const char *path, int nrules, enum mode mode, struct result *r)
{
	struct sinsp_filter *unused;
	struct sinsp_inspector *insp = bench_open_file(path, NULL, &unused);
	struct sinsp_ruleset *rs = NULL;
	struct sinsp_filter *filters[MAX_RULES];
	uint32_t ids[MAX_RULES];
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if (!insp)
		return 1;
	if (mode == RULESET) {
		rs = sinsp_ruleset__create(NULL);
		if (!rs || add_symbols(rs) < 0) {
			fprintf(stderr, "ruleset: %s\n", sinsp_last_error());
			return 1;
		}
		for (int i = 0; i < nrules; i++) {
			struct sinsp_rule_opts o;
			memset(&o, 0, sizeof(o));
			o.sz = sizeof(o);
			o.name = names[i];
			o.condition = conds[i];
			o.output = "%proc.name %fd.name";
			o.priority = SINSP_PRIORITY_WARNING;
			if (sinsp_ruleset__add_rule(rs, &o, NULL) < 0) {
				fprintf(stderr, "rule %d: %s\n", i, sinsp_last_error());
				return 1;
			}
		}
	} else if (mode == ONE_BY_ONE) {
		struct sinsp_filter_opts fo;
		memset(&fo, 0, sizeof(fo));
		fo.sz = sizeof(fo);
		fo.macro_names = macro_names;
		fo.macro_texts = macro_texts;
		fo.n_macros = N_MACROS;
		fo.list_names = list_names;
		fo.list_offsets = list_offsets;
		fo.list_items = list_items;
		fo.n_lists = N_LISTS;
		for (int i = 0; i < nrules; i++) {
			int pos;
			filters[i] = sinsp_filter__compile_opts(insp, conds[i], &fo, &pos);
			if (!filters[i]) {
				fprintf(stderr, "filter %d: %s\n", i, sinsp_last_error());
				return 1;
			}
		}
	}
	double c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID), w0 = bench_now(CLOCK_MONOTONIC);
	const struct sinsp_event *evt;
	while ((rc = sinsp_inspector__next(insp, &evt)) == 0 || rc == SCAP_STATUS_TIMEOUT) {
		if (rc != 0)
			continue;
		if (mode == RULESET) {
			int n = sinsp_ruleset__eval(rs, evt, 0, ids, MAX_RULES);
			if (n < 0) {
				fprintf(stderr, "eval: %s\n", sinsp_last_error());
				return 1;
			}
			r->matches += (uint64_t)n;
		} else if (mode == ONE_BY_ONE) {
			for (int i = 0; i < nrules; i++)
				r->matches += (uint64_t)sinsp_filter__matches(filters[i], evt);
			r->evaluations += (uint64_t)nrules;
		}
	}
	double c1 = bench_now(CLOCK_PROCESS_CPUTIME_ID), w1 = bench_now(CLOCK_MONOTONIC);
	r->events = bench_events(insp);
	r->cpu = c1 - c0;
	r->wall = w1 - w0;
	if (rs) {
		struct sinsp_ruleset_stats st;
		memset(&st, 0, sizeof(st));
		st.sz = sizeof(st);
		sinsp_ruleset__stats(rs, &st);
		r->evaluations = st.n_evaluated;
		sinsp_ruleset__free(rs);
	}
	if (mode == ONE_BY_ONE)
		for (int i = 0; i < nrules; i++)
			sinsp_filter__free(filters[i]);
	sinsp_inspector__close(insp);
	return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: rules_eval FILE.scap [NRULES]\n");
		return 2;
	}
	int nrules = argc > 2 ? atoi(argv[2]) : 124;
	if (nrules < 1 || nrules > MAX_RULES) {
		fprintf(stderr, "rules_eval: NRULES must be 1..%d\n", MAX_RULES);
		return 2;
	}
	for (int i = 0; i < nrules; i++) {
		make_condition(i, conds[i]);
		snprintf(names[i], sizeof(names[i]), "bench rule %d", i);
	}
	struct result base, indexed, single;
	const char *only = argc > 3 ? argv[3] : ""; /* "ruleset": that mode alone (for profiles) */
	if (!strcmp(only, "ruleset")) {
		if (run(argv[1], nrules, RULESET, &indexed))
			return 1;
		report("ruleset (event-type index, C)", &indexed, nrules);
		return 0;
	}
	int bad = run(argv[1], nrules, INSPECTOR_ONLY, &base);
	bad |= run(argv[1], nrules, RULESET, &indexed);
	bad |= run(argv[1], nrules, ONE_BY_ONE, &single);
	if (bad)
		return 1;
	report("inspector only (no rules)", &base, 0);
	report("ruleset (event-type index, C)", &indexed, nrules);
	report("the same filters one by one", &single, nrules);
	if (indexed.matches != single.matches) {
		fprintf(stderr, "rules_eval: the ruleset matched %llu times, the filters %llu times\n",
			(unsigned long long)indexed.matches, (unsigned long long)single.matches);
		return 1;
	}
	return 0;
}
