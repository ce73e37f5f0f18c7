/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_filter: the filter language (libsinsp/filter/: parser, compiler, evaluation) through the C
 * API of sinsp/filter.h.
 *
 * The input is the filter text, then optionally NUL-separated definitions that join the fixed
 * macros and lists below (a later definition of a name replaces an earlier one):
 *   "m:NAME=TEXT"      a macro
 *   "l:NAME=a,b,c"     a list (items split at ',')
 * Checks, for every input:
 *   - sinsp_filter__check_syntax() accepts exactly what sinsp_filter__canonical() accepts, and
 *     whatever compiles; a rejection comes with an error position inside the text;
 *   - the canonical text is a fixed point (its canonical form is itself), and compiles exactly
 *     when the text does;
 *   - a compiled filter (the text's and the canonical text's) gives the same verdict on each of
 *     the fixed events (fuzz_sinsp.h: real events of the repository's captures, with their state),
 *     and the same verdict when run twice.
 * The filters are compiled against the first fixed event's inspector and run on every fixed
 * event: libsinsp's field registry is one for all inspectors (fields/fields.cpp), so a filter
 * does not depend on the inspector it was compiled for.
 */
#include "fuzz_sinsp.h"

#define MAX_DEFS 16

static const char *const fixed_macro_names[] = {
	"open_write",  "open_read",   "spawned_process", "never_true",
	"always_true", "shell_procs", "outbound",	 "sensitive",
};
static const char *const fixed_macro_texts[] = {
	"evt.type in (open, openat, openat2) and evt.is_open_write=true and fd.typechar='f' and fd.num>=0",
	"evt.type in (open, openat, openat2) and evt.is_open_read=true and fd.typechar='f' and fd.num>=0",
	"evt.type in (execve, execveat) and evt.dir=<",
	"evt.num=0",
	"evt.num>=0",
	"proc.name in (shell_binaries)",
	"evt.type=connect and evt.dir=< and (fd.typechar=4 or fd.typechar=6) and not fd.snet in (private_nets)",
	"fd.name in (sensitive_files) or fd.directory pmatch (sensitive_dirs)",
};
static const char *const fixed_list_names[] = { "shell_binaries", "sensitive_files", "sensitive_dirs", "private_nets",
						"empty" };
static const uint32_t fixed_list_sizes[] = { 5, 3, 2, 3, 0 };
static const char *const fixed_list_items[] = {
	"bash", "sh",	      "zsh",	    "dash",	      "ksh",	   "/etc/shadow", "/etc/sudoers", "/etc/passwd",
	"/etc", "/root/.ssh", "10.0.0.0/8", "192.168.0.0/16", "fe80::/10",
};

struct defs {
	const char *macro_names[8 + MAX_DEFS], *macro_texts[8 + MAX_DEFS];
	const char *list_names[5 + MAX_DEFS];
	uint32_t list_offsets[5 + MAX_DEFS + 1];
	const char *list_items[64 + 13];
	uint32_t n_macros, n_lists, n_items;
	char *buf; /* the definitions' text, split in place */
};

static void add_list(struct defs *d, const char *name, const char *const *items, uint32_t n)
{
	d->list_names[d->n_lists] = name;
	d->list_offsets[d->n_lists] = d->n_items;
	for (uint32_t i = 0; i < n && d->n_items < sizeof(d->list_items) / sizeof(d->list_items[0]); i++)
		d->list_items[d->n_items++] = items[i];
	d->n_lists++;
	d->list_offsets[d->n_lists] = d->n_items;
}

/* The fixed macros and lists, then those of the input (parts after the first NUL). */
static void parse_defs(struct defs *d, char *text, size_t len)
{
	uint32_t i, off = 0, ndefs = 0;
	char *p = text + strlen(text) + 1, *end = text + len;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < 8; i++) {
		d->macro_names[d->n_macros] = fixed_macro_names[i];
		d->macro_texts[d->n_macros++] = fixed_macro_texts[i];
	}
	for (i = 0; i < 5; i++) {
		add_list(d, fixed_list_names[i], fixed_list_items + off, fixed_list_sizes[i]);
		off += fixed_list_sizes[i];
	}
	for (; p < end && ndefs < MAX_DEFS; p += strlen(p) + 1, ndefs++) {
		char *eq = strchr(p, '=');
		const char *items[64];
		uint32_t n = 0;
		char *q;

		if (!eq || eq - p < 3 || p[1] != ':' || (p[0] != 'm' && p[0] != 'l'))
			continue;
		*eq = 0;
		if (p[0] == 'm') {
			d->macro_names[d->n_macros] = p + 2;
			d->macro_texts[d->n_macros++] = eq + 1;
			continue;
		}
		for (q = eq + 1; n < 64; q++) {
			items[n++] = q;
			q = strchr(q, ',');
			if (!q)
				break;
			*q = 0;
		}
		add_list(d, p + 2, items, n);
	}
}

static struct sinsp_filter *compile(const char *text, const struct defs *d, int *pos)
{
	struct sinsp_filter_opts o = {
		.sz = sizeof(o),
		.macro_names = d->macro_names,
		.macro_texts = d->macro_texts,
		.n_macros = d->n_macros,
		.list_names = d->list_names,
		.list_offsets = d->list_offsets,
		.list_items = d->list_items,
		.n_lists = d->n_lists,
	};
	struct sinsp_filter *f;

	*pos = -2;
	f = sinsp_filter__compile_opts(fz_fixed[0].insp, text, &o, pos);
	if (!f) {
		FZ_CHECK(errno == EINVAL, "compile: errno %d (%s)", errno, sinsp_last_error());
		FZ_CHECK(*pos >= 0 && (size_t)*pos <= strlen(text) + 1, "compile: error position %d in %zu bytes", *pos,
			 strlen(text));
		fz_touch_str(sinsp_last_error());
	}
	return f;
}

/* The verdicts of f on the fixed events, one bit each. */
static uint32_t verdicts(struct sinsp_filter *f)
{
	uint32_t v = 0;

	for (size_t i = 0; i < FZ_NFIXED; i++) {
		int a = sinsp_filter__matches(f, fz_fixed[i].evt);
		int b = sinsp_filter__matches(f, fz_fixed[i].evt);

		FZ_CHECK((a == 0 || a == 1) && a == b, "event %zu: matches %d, then %d", i, a, b);
		v |= (uint32_t)a << i;
	}
	return v;
}

/* sinsp_filter__canonical() into a malloc'd string (NULL if the text does not parse). */
static char *canonical(const char *text, int *pos)
{
	char small[8];
	int n = sinsp_filter__canonical(text, small, sizeof(small), pos);
	char *buf;

	if (n < 0) {
		FZ_CHECK(n == -EINVAL && *pos >= 0 && (size_t)*pos <= strlen(text) + 1, "canonical: %d, position %d", n,
			 *pos);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	FZ_CHECK(buf, "out of memory");
	FZ_CHECK(sinsp_filter__canonical(text, buf, (size_t)n + 1, pos) == n, "canonical: another length");
	FZ_CHECK(strlen(buf) == (size_t)n, "canonical: %zu bytes, %d said", strlen(buf), n);
	FZ_CHECK(!strncmp(small, buf, sizeof(small) - 1) && strlen(small) == (n < 8 ? (size_t)n : 7),
		 "canonical: the truncated copy differs");
	return buf;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_init_quiet();
	fz_fixed_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *canon, *canon2;
	struct sinsp_filter *f, *g;
	struct defs d;
	int pos, syntax, pos2;

	FZ_CHECK(text, "out of memory");
	memcpy(text, data, size);
	text[size] = 0;
	parse_defs(&d, text, size);

	syntax = sinsp_filter__check_syntax(text, &pos);
	FZ_CHECK(syntax == 0 || (syntax == -EINVAL && pos >= 0 && (size_t)pos <= strlen(text) + 1),
		 "check_syntax: %d, position %d", syntax, pos);
	canon = canonical(text, &pos2);
	FZ_CHECK(!canon == (syntax != 0), "check_syntax says %d, canonical %s", syntax, canon ? "parses" : "fails");
	f = compile(text, &d, &pos);
	FZ_CHECK(!f || syntax == 0, "compiles, but check_syntax rejects it");
	if (canon) {
		canon2 = canonical(canon, &pos2);
		FZ_CHECK(canon2 && !strcmp(canon, canon2), "the canonical form is not a fixed point:\n%s\n%s", canon,
			 canon2 ? canon2 : "(does not parse)");
		free(canon2);
		g = compile(canon, &d, &pos2);
		FZ_CHECK(!f == !g, "the text %s, its canonical form %s:\n%s", f ? "compiles" : "does not compile",
			 g ? "compiles" : "does not", canon);
		if (f && g) {
			uint32_t a = verdicts(f), b = verdicts(g);

			FZ_CHECK(a == b, "verdicts %#x, of the canonical form %#x:\n%s", a, b, canon);
		}
		sinsp_filter__free(g);
		free(canon);
	}
	sinsp_filter__free(f);
	free(text);
	return 0;
}
