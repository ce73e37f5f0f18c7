/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The libsinsp side of the fuzz targets: read a capture through an inspector (state parsing of
 * every event), format each event (the default line; every field as JSON for the first few),
 * read the thread and fd of each event through the C API, and export the state at the end.
 */
#ifndef PYSCAP_FUZZ_SINSP_H
#define PYSCAP_FUZZ_SINSP_H

#include <errno.h>

#include "fuzz_common.h"
#include "sinsp/filter.h"
#include "sinsp/sinsp.h"

/* ---- a strict JSON syntax check (the JSON formatter's output must parse) ---- */

static inline const char *fz_json_value(const char *p, int depth);

static inline const char *fz_json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static inline const char *fz_json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (;;) {
		unsigned char c = (unsigned char)*p++;

		if (c == '"')
			return p;
		if (c < 0x20) /* control characters must be escaped; NUL ends the text */
			return NULL;
		if (c != '\\')
			continue;
		c = (unsigned char)*p++;
		if (c == 'u') {
			for (int i = 0; i < 4; i++, p++)
				if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))
					return NULL;
		} else if (!strchr("\"\\/bfnrt", c) || !c) {
			return NULL;
		}
	}
}

static inline const char *fz_json_number(const char *p)
{
	const char *d;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return NULL;
	if (*p == '.') {
		d = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == d)
			return NULL;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		d = p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == d)
			return NULL;
	}
	return p;
}

static inline const char *fz_json_value(const char *p, int depth)
{
	char close;

	p = fz_json_ws(p);
	if (depth > 64)
		return NULL;
	if (*p == '"')
		return fz_json_string(p);
	if (*p == '{' || *p == '[') {
		close = *p == '{' ? '}' : ']';
		p = fz_json_ws(p + 1);
		if (*p == close)
			return p + 1;
		for (;;) {
			if (close == '}') {
				p = fz_json_string(fz_json_ws(p));
				if (!p)
					return NULL;
				p = fz_json_ws(p);
				if (*p++ != ':')
					return NULL;
			}
			p = fz_json_value(p, depth + 1);
			if (!p)
				return NULL;
			p = fz_json_ws(p);
			if (*p == close)
				return p + 1;
			if (*p++ != ',')
				return NULL;
		}
	}
	if (!strncmp(p, "true", 4))
		return p + 4;
	if (!strncmp(p, "false", 5))
		return p + 5;
	if (!strncmp(p, "null", 4))
		return p + 4;
	return fz_json_number(p);
}

/* 1 if s is one JSON object and nothing else. */
static inline int fz_json_object(const char *s)
{
	const char *end;

	s = fz_json_ws(s);
	if (*s != '{')
		return 0;
	end = fz_json_value(s, 0);
	return end && !*fz_json_ws(end);
}

/* Fields that take an argument, for the every-field format (each is checked before use). */
static const char *const fz_arg_fields[] = {
	"proc.aname[1]",    "proc.aname[3]",	 "proc.apid[2]",     "proc.aexe[1]",	 "proc.aexepath[1]",
	"proc.acmdline[1]", "proc.args[0]",	 "proc.args[1]",     "proc.env[HOME]",	 "proc.env[PATH]",
	"evt.arg.fd",	    "evt.arg.res",	 "evt.arg.name",     "evt.arg[0]",	 "evt.arg[1]",
	"evt.arg[5]",	    "evt.rawarg.res",	 "evt.rawarg.fd",    "evt.rawarg.flags", "evt.rawarg.size",
	"evt.type.is.open", "thread.cgroup.cpu", "fd.types[1]",	     "evt.arg.data",	 "evt.rawarg.data",
	"evt.arg.addr",	    "evt.arg.tuple",	 "evt.rawarg.tuple", "evt.arg.filename", "evt.arg.path",
};

static struct sinsp_formatter *fz_fmt_line; /* SINSP_DEFAULT_FORMAT */
static struct sinsp_formatter *fz_fmt_all;  /* every field, JSON */

/* The every-field format: each field that can be printed, and the argument fields above. */
static inline char *fz_all_fields_format(void)
{
	size_t cap = 1 << 16, len = 0;
	char *s = malloc(cap);
	uint32_t i, n = sinsp_fields__count();

	FZ_CHECK(s, "out of memory");
	s[len++] = '*'; /* a line also when fields are missing */
	s[len] = 0;
	for (i = 0; i < n + sizeof(fz_arg_fields) / sizeof(fz_arg_fields[0]); i++) {
		struct sinsp_field_info fi = { .sz = sizeof(fi) };
		const char *name;

		if (i < n) {
			FZ_CHECK(sinsp_fields__get(i, &fi) == 0 && fi.name, "field %u", i);
			if (fi.flags & (SINSP_FIELD_ARG_REQUIRED | SINSP_FIELD_FILTER_ONLY))
				continue;
			name = fi.name;
		} else {
			name = fz_arg_fields[i - n];
			if (sinsp_fields__check(name) != 0)
				continue;
		}
		FZ_CHECK(len + strlen(name) + 3 < cap, "the every-field format is too long");
		len += (size_t)snprintf(s + len, cap - len, "%s%%%s", len > 1 ? " " : "", name);
	}
	return s;
}

static inline void fz_sinsp_init(void)
{
	char *all;

	if (fz_fmt_line)
		return;
	fz_fmt_line = sinsp_formatter__create(SINSP_DEFAULT_FORMAT, SINSP_FORMAT_TEXT);
	FZ_CHECK(fz_fmt_line, "default format: %s", sinsp_last_error());
	all = fz_all_fields_format();
	fz_fmt_all = sinsp_formatter__create(all, SINSP_FORMAT_JSON);
	FZ_CHECK(fz_fmt_all, "every-field format: %s", sinsp_last_error());
	free(all);
}

static inline void fz_walk_fd(const struct sinsp_fd *f)
{
	uint8_t sip[16], dip[16];
	uint16_t sport, dport;

	if (!f)
		return;
	fz_touch_str(sinsp_fd__name(f));
	fz_touch_str(sinsp_fd__name_raw(f));
	fz_touch_str(sinsp_fd__typestr(f));
	fz_sink += (uint64_t)sinsp_fd__num(f) + sinsp_fd__type(f) + (uint64_t)sinsp_fd__typechar(f) +
		   sinsp_fd__openflags(f) + sinsp_fd__flags(f) + sinsp_fd__ino(f) + sinsp_fd__l4proto(f);
	if (sinsp_fd__tuple(f, sip, &sport, dip, &dport) == 0)
		fz_touch_mem(sip, 16), fz_touch_mem(dip, 16), fz_sink += sport + dport;
}

static inline void fz_walk_thread(struct sinsp_inspector *insp, const struct sinsp_thread *t)
{
	uint32_t i, n;

	if (!t)
		return;
	fz_touch_str(sinsp_thread__comm(t));
	fz_touch_str(sinsp_thread__exe(t));
	fz_touch_str(sinsp_thread__exepath(t));
	fz_touch_str(sinsp_thread__cwd(t));
	fz_touch_str(sinsp_thread__root(t));
	fz_touch_str(sinsp_thread__container_id(t));
	fz_touch_str(sinsp_thread__container_runtime(t));
	n = sinsp_thread__nargs(t);
	for (i = 0; i <= n; i++) /* one past the end: NULL */
		fz_touch_str(sinsp_thread__arg(t, i));
	n = sinsp_thread__nenv(t);
	for (i = 0; i <= n; i++)
		fz_touch_str(sinsp_thread__env(t, i));
	n = sinsp_thread__nchildren(t);
	for (i = 0; i < n; i++)
		fz_sink += (uint64_t)sinsp_thread__child(t, i);
	n = sinsp_thread__nfds(t);
	for (i = 0; i < n && i < 64; i++)
		fz_walk_fd(sinsp_thread__fd_at(t, i));
	fz_touch_str(sinsp_inspector__user_name(insp, sinsp_thread__uid(t)));
	fz_touch_str(sinsp_inspector__group_name(insp, sinsp_thread__gid(t)));
	fz_sink += (uint64_t)sinsp_thread__pid(t) + (uint64_t)sinsp_thread__ptid(t) + sinsp_thread__cap(t, 1) +
		   sinsp_thread__dead(t);
}

/* Format one event as a line into buffers of two sizes (the same text, a truncated copy). */
static inline void fz_format_line(struct sinsp_formatter *f, const struct sinsp_event *e)
{
	char big[4096], small[16];
	int n = sinsp_formatter__format(f, e, big, sizeof(big));
	int m = sinsp_formatter__format(f, e, small, sizeof(small));

	FZ_CHECK(n == m, "the same event formats to %d and %d bytes", n, m);
	if (n == -ENODATA)
		return;
	FZ_CHECK(n >= 0, "format: %d", n);
	FZ_CHECK(strlen(big) == ((size_t)n < sizeof(big) ? (size_t)n : sizeof(big) - 1), "format: length %d", n);
	FZ_CHECK(strlen(small) == ((size_t)n < sizeof(small) ? (size_t)n : sizeof(small) - 1) &&
			 !strncmp(small, big, sizeof(small) - 1),
		 "format: the truncated copy differs");
}

static inline void fz_walk_event(struct sinsp_inspector *insp, const struct sinsp_event *e, int all_fields)
{
	const struct scap_evt_hdr *h = sinsp_event__hdr(e);

	FZ_CHECK(h && scap_event_decode(h, fz_evt_len(h), NULL, 0, NULL) == 0,
		 "the inspector returned an event that does not decode");
	fz_touch_str(sinsp_event__name(e));
	fz_sink += sinsp_event__num(e) + sinsp_event__cpu(e) + sinsp_event__type(e) + sinsp_event__ts(e) +
		   (uint64_t)sinsp_event__tid(e) + (uint64_t)sinsp_event__fdnum(e);
	fz_walk_thread(insp, sinsp_event__thread(e));
	fz_walk_fd(sinsp_event__fd(e));
	fz_format_line(fz_fmt_line, e);
	if (all_fields) {
		const char *j = sinsp_formatter__format_str(fz_fmt_all, e);

		FZ_CHECK(j && fz_json_object(j), "the every-field JSON of event %llu is not one JSON object:\n%s",
			 (unsigned long long)sinsp_event__num(e), j ? j : "(null)");
	}
}

typedef void (*fz_event_check)(const struct scap_evt_hdr *e);

struct fz_inspected {
	uint32_t n;	       /* events returned */
	int end;	       /* 0 (max_events reached), SCAP_STATUS_EOF or the negative errno of the read */
	struct scap_stats sst; /* the capture's statistics at the end */
};

/*
 * Read cap (taken over) through an inspector: at most max_events events, the first all_fields of
 * them formatted with every field, each event's header given to check (if not NULL); then the
 * statistics and the exported state.
 */
static inline struct fz_inspected fz_inspect(struct scap_capture *cap, uint32_t max_events, uint32_t all_fields,
					     fz_event_check check)
{
	SINSP_OPTS(sinsp_opts, o, .live = -1, .max_threads = 4096);
	struct sinsp_stats st = { .sz = sizeof(st) };
	struct fz_inspected r = { .sst = { .sz = sizeof(r.sst) } };
	const struct sinsp_event *e;
	struct sinsp_inspector *insp;
	struct scap_platform *exp;
	int rc = 0;

	fz_sinsp_init();
	insp = sinsp_inspector__open(cap, &o);
	FZ_CHECK(insp, "sinsp_inspector__open: %s", sinsp_last_error());
	while (r.n < max_events && (rc = sinsp_inspector__next(insp, &e)) == 0) {
		fz_walk_event(insp, e, r.n < all_fields);
		if (check)
			check(sinsp_event__hdr(e));
		r.n++;
	}
	FZ_CHECK(rc == 0 || rc == SCAP_STATUS_EOF || rc < 0, "inspector next: %d", rc);
	if (rc < 0) /* an error repeats */
		FZ_CHECK(sinsp_inspector__next(insp, &e) == rc, "inspector next after an error");
	r.end = rc;
	FZ_CHECK(sinsp_inspector__stats(insp, &st) == 0 && sinsp_inspector__scap_stats(insp, &r.sst) == 0, "stats");
	FZ_CHECK(st.n_returned == r.n, "inspector stats: %llu returned, %u read", (unsigned long long)st.n_returned,
		 r.n);
	FZ_CHECK(r.sst.n_delivered >= st.n_events, "the inspector read %llu events, the capture delivered %llu",
		 (unsigned long long)st.n_events, (unsigned long long)r.sst.n_delivered);
	exp = scap_platform__new();
	FZ_CHECK(exp, "out of memory");
	FZ_CHECK(sinsp_inspector__export_platform(insp, exp) == 0, "export: %s", sinsp_last_error());
	fz_walk_platform(exp);
	scap_platform__free(exp);
	sinsp_inspector__close(insp);
	return r;
}

/* ---- fixed events: one inspector per event, stopped at it ---- */

struct fz_fixed {
	struct sinsp_inspector *insp;
	const struct sinsp_event *evt; /* valid as long as next() is not called on insp */
};

/* Which events: the first of each name and direction (1 exit, 0 enter) in each capture (paths
 * relative to the repository). */
static const struct {
	const char *file, *name;
	int exit;
} fz_fixed_picks[] = {
	{ "pyscap/data/sample.scap", "execve", 1 },
	{ "pyscap/data/sample.scap", "openat", 1 },
	{ "pyscap/data/sample.scap", "connect", 1 },
	{ "pyscap/data/sample.scap", "read", 1 },
	{ "pyscap/data/sample.scap", "clone", 1 },
	{ "pyscap/data/sample.scap", "procexit", 0 },
	{ "pyscap/data/sample.scap", "dup2", 1 },
	{ "tests/data/captures/curl_google.scap", "connect", 1 },
	{ "tests/data/captures/curl_google.scap", "switch", 0 },
	{ "tests/data/captures/curl_google.scap", "sendto", 1 },
	{ "tests/data/captures/single_ipv6_conn.scap", "accept", 1 },
	{ "tests/data/captures/single_ipv6_conn.scap", "write", 1 },
};
#define FZ_NFIXED (sizeof(fz_fixed_picks) / sizeof(fz_fixed_picks[0]))

static struct fz_fixed fz_fixed[FZ_NFIXED];

/* The repository's captures: PYSCAP_FUZZ_DATA (a CMake definition; the environment variable of
 * the same name overrides it). */
static inline void fz_fixed_init(void)
{
	const char *root = getenv("PYSCAP_FUZZ_DATA");
	char path[4096];

	if (!root || !*root)
		root = PYSCAP_FUZZ_DATA;
	for (size_t i = 0; i < FZ_NFIXED; i++) {
		SINSP_OPTS(sinsp_opts, o, .live = -1);
		struct scap_capture *cap;
		const struct sinsp_event *e;

		snprintf(path, sizeof(path), "%s/%s", root, fz_fixed_picks[i].file);
		cap = scap_capture__open_file(path, NULL);
		FZ_CHECK(cap, "the fixed events come from %s: %s (set PYSCAP_FUZZ_DATA to the repository)", path,
			 scap_last_error());
		fz_fixed[i].insp = sinsp_inspector__open(cap, &o);
		FZ_CHECK(fz_fixed[i].insp, "inspector: %s", sinsp_last_error());
		while (sinsp_inspector__next(fz_fixed[i].insp, &e) == 0)
			if (!strcmp(sinsp_event__name(e), fz_fixed_picks[i].name) &&
			    (sinsp_event__type(e) & 1) == fz_fixed_picks[i].exit) {
				fz_fixed[i].evt = e;
				break;
			}
		FZ_CHECK(fz_fixed[i].evt, "no %s %s event in %s", fz_fixed_picks[i].name,
			 fz_fixed_picks[i].exit ? "exit" : "enter", path);
	}
}

#endif
