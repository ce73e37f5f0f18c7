/* cffi declarations of libsinsp's public C API, kept close to libsinsp/include/sinsp/*.h. */

/* sinsp/sinsp.h */
const char *sinsp_version_string(void);
const char *sinsp_scap_version_string(void);
const char *sinsp_last_error(void);

/* sinsp/inspector.h */
struct sinsp_inspector;
struct sinsp_event;
struct sinsp_thread;
struct sinsp_fd;
struct sinsp_filter;
struct sinsp_container_opts;
struct sinsp_opts {
	size_t sz;
	int live;
	int64_t self_pid;
	bool debug;
	const char *const *suppress_comms;
	uint32_t n_suppress_comms;
	const int64_t *suppress_tids;
	uint32_t n_suppress_tids;
	uint32_t max_threads;
	const char *proc_root;
	const struct sinsp_container_opts *containers;
};
struct sinsp_inspector *sinsp_inspector__open(struct scap_capture *cap, const struct sinsp_opts *opts);
void sinsp_inspector__close(struct sinsp_inspector *insp);
struct scap_capture *sinsp_inspector__capture(struct sinsp_inspector *insp);
int sinsp_inspector__next(struct sinsp_inspector *insp, const struct sinsp_event **evt);
int sinsp_inspector__set_filter(struct sinsp_inspector *insp, struct sinsp_filter *filter);
int sinsp_inspector__set_time_output_mode(struct sinsp_inspector *insp, char mode);
int sinsp_inspector__set_buffer_format(struct sinsp_inspector *insp, int format);
int sinsp_inspector__set_buffer_limit(struct sinsp_inspector *insp, uint32_t limit);
int sinsp_inspector__set_port_resolution(struct sinsp_inspector *insp, bool enable);
struct sinsp_stats {
	size_t sz;
	uint64_t n_events;
	uint64_t n_returned;
	uint64_t n_filtered;
	uint64_t n_suppressed;
	uint64_t n_self;
	uint64_t n_threads;
	uint64_t n_fds;
	uint64_t n_threads_removed;
	uint64_t n_threads_dropped;
	uint64_t n_internal;
};
int sinsp_inspector__stats(struct sinsp_inspector *insp, struct sinsp_stats *st);
int sinsp_inspector__scap_stats(struct sinsp_inspector *insp, struct scap_stats *st);
int sinsp_inspector__suppress_comm(struct sinsp_inspector *insp, const char *comm);
int sinsp_inspector__suppress_tid(struct sinsp_inspector *insp, int64_t tid);

uint64_t sinsp_event__num(const struct sinsp_event *evt);
const struct scap_evt_hdr *sinsp_event__hdr(const struct sinsp_event *evt);
uint16_t sinsp_event__cpu(const struct sinsp_event *evt);
uint16_t sinsp_event__type(const struct sinsp_event *evt);
uint64_t sinsp_event__ts(const struct sinsp_event *evt);
int64_t sinsp_event__tid(const struct sinsp_event *evt);
const char *sinsp_event__name(const struct sinsp_event *evt);
const struct sinsp_thread *sinsp_event__thread(const struct sinsp_event *evt);
const struct sinsp_fd *sinsp_event__fd(const struct sinsp_event *evt);
int64_t sinsp_event__fdnum(const struct sinsp_event *evt);

const struct sinsp_thread *sinsp_inspector__thread(struct sinsp_inspector *insp, int64_t tid);
uint64_t sinsp_inspector__nthreads(struct sinsp_inspector *insp);
int64_t sinsp_thread__tid(const struct sinsp_thread *t);
int64_t sinsp_thread__pid(const struct sinsp_thread *t);
int64_t sinsp_thread__ptid(const struct sinsp_thread *t);
int64_t sinsp_thread__sid(const struct sinsp_thread *t);
int64_t sinsp_thread__pgid(const struct sinsp_thread *t);
int64_t sinsp_thread__vtid(const struct sinsp_thread *t);
int64_t sinsp_thread__vpid(const struct sinsp_thread *t);
const char *sinsp_thread__comm(const struct sinsp_thread *t);
const char *sinsp_thread__exe(const struct sinsp_thread *t);
const char *sinsp_thread__exepath(const struct sinsp_thread *t);
const char *sinsp_thread__cwd(const struct sinsp_thread *t);
const char *sinsp_thread__root(const struct sinsp_thread *t);
uint32_t sinsp_thread__nargs(const struct sinsp_thread *t);
const char *sinsp_thread__arg(const struct sinsp_thread *t, uint32_t i);
uint32_t sinsp_thread__nenv(const struct sinsp_thread *t);
const char *sinsp_thread__env(const struct sinsp_thread *t, uint32_t i);
uint32_t sinsp_thread__uid(const struct sinsp_thread *t);
uint32_t sinsp_thread__gid(const struct sinsp_thread *t);
uint32_t sinsp_thread__loginuid(const struct sinsp_thread *t);
bool sinsp_thread__dead(const struct sinsp_thread *t);
const char *sinsp_thread__container_id(const struct sinsp_thread *t);
uint32_t sinsp_thread__nchildren(const struct sinsp_thread *t);
int64_t sinsp_thread__child(const struct sinsp_thread *t, uint32_t i);
uint32_t sinsp_thread__nfds(const struct sinsp_thread *t);
const struct sinsp_fd *sinsp_thread__fd_at(const struct sinsp_thread *t, uint32_t i);
const struct sinsp_fd *sinsp_thread__fd(const struct sinsp_thread *t, int64_t fd);

int64_t sinsp_fd__num(const struct sinsp_fd *f);
uint32_t sinsp_fd__type(const struct sinsp_fd *f);
const char *sinsp_fd__typestr(const struct sinsp_fd *f);
char sinsp_fd__typechar(const struct sinsp_fd *f);
const char *sinsp_fd__name(const struct sinsp_fd *f);
uint32_t sinsp_fd__openflags(const struct sinsp_fd *f);
uint32_t sinsp_fd__flags(const struct sinsp_fd *f);
uint64_t sinsp_fd__ino(const struct sinsp_fd *f);

const char *sinsp_inspector__user_name(struct sinsp_inspector *insp, uint32_t uid);
const char *sinsp_inspector__group_name(struct sinsp_inspector *insp, uint32_t gid);

/* sinsp/filter.h */
struct sinsp_filter *sinsp_filter__compile(struct sinsp_inspector *insp, const char *text, int *err_pos);
void sinsp_filter__free(struct sinsp_filter *filter);
int sinsp_filter__check_syntax(const char *text, int *err_pos);

/* sinsp/format.h */
struct sinsp_field_info {
	size_t sz;
	const char *name;
	const char *cls;
	const char *desc;
	uint32_t type;
	uint32_t flags;
};
uint32_t sinsp_fields__count(void);
int sinsp_fields__get(uint32_t i, struct sinsp_field_info *info);
int sinsp_fields__check(const char *field);
struct sinsp_formatter;
struct sinsp_formatter *sinsp_formatter__create(const char *format, int mode);
struct sinsp_formatter *sinsp_formatter__compile(const char *format, int mode, int *err_pos);
void sinsp_formatter__free(struct sinsp_formatter *f);
int sinsp_formatter__format(struct sinsp_formatter *f, const struct sinsp_event *evt, char *buf, size_t size);
const char *sinsp_formatter__format_str(struct sinsp_formatter *f, const struct sinsp_event *evt);
struct sinsp_column {
	size_t sz;
	uint32_t type;
	uint32_t n;
	const uint8_t *present;
	const int64_t *i64;
	const uint64_t *u64;
	const double *f64;
	const uint32_t *offsets;
	const char *data;
	const uint32_t *codes;
	uint32_t ndict;
	const uint32_t *dict_offsets;
	const char *dict_data;
};
struct sinsp_extractor;
struct sinsp_extractor *sinsp_extractor__create(const char *const *fields, uint32_t nfields);
void sinsp_extractor__free(struct sinsp_extractor *x);
int sinsp_extractor__run(struct sinsp_extractor *x, struct sinsp_inspector *insp, uint32_t max, uint32_t *n);
int sinsp_extractor__column(struct sinsp_extractor *x, uint32_t i, struct sinsp_column *col);
int sinsp_extractor__set_dict(struct sinsp_extractor *x, uint32_t i, int on);
/* sinsp/loop.h */
struct sinsp_loop;
struct sinsp_ruleset;
struct sinsp_loop_opts {
	size_t sz;
	struct sinsp_formatter *formatter;
	int out_fd;
	bool line_buffered;
	const char *write_path;
	uint32_t compression;
	uint64_t rotate_bytes;
	uint64_t rotate_ns;
	uint64_t rotate_events;
	uint32_t rotate_files;
	uint32_t flush_ms;
	uint32_t flush_kb;
	uint64_t max_events;
	uint64_t max_span_ns;
	uint64_t duration_ns;
	bool summary;
	struct sinsp_ruleset *ruleset;
	int alert_fd;
	uint32_t alert_mode;
	bool first_match;
	bool fatfile;
};
struct sinsp_loop_stats {
	size_t sz;
	uint64_t n_events;
	uint64_t n_lines;
	uint64_t n_written;
	uint64_t n_files;
	uint64_t file_bytes;
	uint64_t n_flushes;
	uint64_t n_alerts;
	uint64_t n_state_only;
};
struct sinsp_loop *sinsp_loop__create(struct sinsp_inspector *insp, const struct sinsp_loop_opts *opts);
int sinsp_loop__run(struct sinsp_loop *l, uint32_t slice_ms);
void sinsp_loop__break(struct sinsp_loop *l);
int sinsp_loop__stats(const struct sinsp_loop *l, struct sinsp_loop_stats *st);
const char *sinsp_loop__file(const struct sinsp_loop *l);
int sinsp_loop__summary(struct sinsp_loop *l, uint32_t i, char *dir, const char **name, uint64_t *count);
int sinsp_loop__close(struct sinsp_loop *l);
int sinsp_inspector__export_platform(struct sinsp_inspector *insp, struct scap_platform *out);

/* sinsp/ruleset.h */
const char *sinsp_priority_name(uint32_t priority);
int sinsp_priority_from_name(const char *name);
struct sinsp_ruleset_opts {
	size_t sz;
	const char *hostname;
};
struct sinsp_ruleset *sinsp_ruleset__create(const struct sinsp_ruleset_opts *opts);
void sinsp_ruleset__free(struct sinsp_ruleset *rs);
int sinsp_ruleset__add_list(struct sinsp_ruleset *rs, const char *name, const char *const *items, uint32_t n);
int sinsp_ruleset__add_macro(struct sinsp_ruleset *rs, const char *name, const char *text, int *err_pos);
struct sinsp_rule_opts {
	size_t sz;
	const char *name;
	const char *condition;
	const char *output;
	const char *desc;
	const char *source;
	uint32_t priority;
	const char *const *tags;
	uint32_t n_tags;
	bool disabled;
};
struct sinsp_rule_error {
	size_t sz;
	int where;
	int pos;
};
int sinsp_ruleset__add_rule(struct sinsp_ruleset *rs, const struct sinsp_rule_opts *rule, struct sinsp_rule_error *err);
uint32_t sinsp_ruleset__count(const struct sinsp_ruleset *rs);
int sinsp_ruleset__find(const struct sinsp_ruleset *rs, const char *name);
struct sinsp_rule_info {
	size_t sz;
	const char *name;
	const char *condition;
	const char *output;
	const char *desc;
	const char *source;
	uint32_t priority;
	bool enabled;
	bool active;
	uint32_t n_tags;
	const char *const *tags;
	bool all_evttypes;
	uint32_t n_evttypes;
	const char *evttypes;
	const char *evttypes_except;
	uint64_t n_matches;
	uint64_t n_evaluated;
};
int sinsp_ruleset__rule(const struct sinsp_ruleset *rs, uint32_t id, struct sinsp_rule_info *info);
int sinsp_ruleset__enable(struct sinsp_ruleset *rs, const char *pattern, bool enabled);
int sinsp_ruleset__enable_tag(struct sinsp_ruleset *rs, const char *tag, bool enabled);
int sinsp_ruleset__enable_id(struct sinsp_ruleset *rs, uint32_t id, bool enabled);
int sinsp_ruleset__set_min_priority(struct sinsp_ruleset *rs, uint32_t priority);
int sinsp_ruleset__is_used(const struct sinsp_ruleset *rs, const char *name, int kind);
int sinsp_ruleset__eval(struct sinsp_ruleset *rs, const struct sinsp_event *evt, uint32_t flags, uint32_t *ids,
			uint32_t max);
int sinsp_ruleset__next(struct sinsp_ruleset *rs, struct sinsp_inspector *insp, uint32_t flags,
			const struct sinsp_event **evt, uint32_t *ids, uint32_t max, uint32_t *n);
int sinsp_ruleset__alert(struct sinsp_ruleset *rs, uint32_t id, const struct sinsp_event *evt, int mode, char *buf,
			 size_t size);
const char *sinsp_ruleset__alert_str(struct sinsp_ruleset *rs, uint32_t id, const struct sinsp_event *evt, int mode);
struct sinsp_ruleset_stats {
	size_t sz;
	uint64_t n_events;
	uint64_t n_evaluated;
	uint64_t n_matches;
};
int sinsp_ruleset__stats(const struct sinsp_ruleset *rs, struct sinsp_ruleset_stats *st);
int sinsp_ruleset__wait_names(struct sinsp_ruleset *rs, uint32_t timeout_ms);

/* sinsp/container.h */
struct sinsp_container_opts {
	size_t sz;
	const char *const *endpoints;
	uint32_t n_endpoints;
	uint32_t timeout_ms;
	uint32_t ttl_ms;
	uint32_t retry_ms;
	bool no_events;
	bool no_list;
	uint32_t label_max_len;
};
struct sinsp_container_stats {
	size_t sz;
	uint64_t n_containers;
	uint64_t n_lookups;
	uint64_t n_found;
	uint64_t n_not_found;
	uint64_t n_timeouts;
	uint64_t n_errors;
	uint64_t n_runtime_events;
	uint64_t n_pending;
	uint64_t n_expired;
	uint64_t n_file_events;
	uint32_t n_endpoints;
	uint32_t n_streams;
};
int sinsp_inspector__container_stats(struct sinsp_inspector *insp, struct sinsp_container_stats *st);
const char *sinsp_inspector__container_json(struct sinsp_inspector *insp, const char *id);
uint32_t sinsp_inspector__ncontainers(struct sinsp_inspector *insp);
const char *sinsp_inspector__container_id_at(struct sinsp_inspector *insp, uint32_t i);
int sinsp_inspector__add_container_json(struct sinsp_inspector *insp, const char *json);
int sinsp_container_from_cgroup(const char *path, char *id, size_t id_len, char *runtime, size_t runtime_len);
int sinsp_container_parse_docker(const char *inspect_json, const char *image_json, bool libpod, const char *type,
				 char *out, size_t out_len);
