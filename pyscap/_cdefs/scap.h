/* cffi declarations of libscap's public API, kept close to libscap/include/scap/*.h.
 * Plain header text: no macros, no includes, no attributes. */

/* scap/common.h */
const char *scap_version_string(void);
uint32_t scap_version(void);
const char *scap_last_error(void);

/* struct scap_evt_hdr: scap_abi.h (a packed struct: declared with packed=True) */

/* scap/event.h */
struct scap_param {
	const void *data;
	uint32_t len;
};
struct scap_flag_name {
	const char *name;
	uint32_t value;
};
int scap_event_decode(const void *evt, size_t size, struct scap_param *params, uint32_t max, uint32_t *nparams);
int scap_event_encode(void *buf, size_t bufsize, size_t *len, uint64_t ts, uint64_t tid, uint16_t type,
		      uint32_t nparams, const struct scap_param *params);
uint32_t scap_event_table_size(void);
const char *scap_event_name(uint16_t type);
int scap_event_category(uint16_t type);
int scap_event_flags(uint16_t type);
int scap_event_nparams(uint16_t type);
const char *scap_event_param_name(uint16_t type, uint32_t idx);
int scap_event_param_type(uint16_t type, uint32_t idx);
int scap_event_param_format(uint16_t type, uint32_t idx);
int scap_event_param_dirfd(uint16_t type, uint32_t idx);
const struct scap_flag_name *scap_event_param_flags(uint16_t type, uint32_t idx);
int scap_param_type_size(uint32_t param_type);
const char *scap_ppm_sc_name(uint32_t code);
int scap_ppm_sc_from_name(const char *name);
int scap_native_to_ppm_sc(uint32_t nr);
int scap_native_to_exit_event(uint32_t nr);

/* scap/capture.h */
struct scap_capture;
struct scap_test_opts {
	size_t sz;
	const void *events;
	size_t size;
	uint16_t cpu;
};
struct scap_event_ref {
	const struct scap_evt_hdr *evt;
	uint16_t cpu;
	uint32_t flags;
};
struct scap_stats {
	size_t sz;
	uint64_t n_evts;
	uint64_t n_delivered;
	uint64_t n_drops;
	uint64_t n_drops_buffer;
	uint64_t n_drops_max_event_size;
	uint64_t n_drops_category[10];
	uint64_t n_skipped;
	uint64_t n_converted;
	uint64_t n_unread;
	uint64_t n_excluded;
};
struct scap_capture *scap_capture__open_test(const struct scap_test_opts *opts);
void scap_capture__close(struct scap_capture *cap);
const char *scap_capture__engine(const struct scap_capture *cap);
int scap_capture__progress(const struct scap_capture *cap, double *pct);
int scap_capture__start(struct scap_capture *cap);
int scap_capture__stop(struct scap_capture *cap);
int scap_capture__next(struct scap_capture *cap, const struct scap_evt_hdr **evt, uint16_t *cpu, uint32_t *flags);
int scap_capture__next_batch(struct scap_capture *cap, struct scap_event_ref *out, uint32_t max, uint32_t *n);
int scap_capture__set_snaplen(struct scap_capture *cap, uint32_t snaplen);
int scap_capture__set_ppm_sc(struct scap_capture *cap, uint32_t ppm_sc, bool enabled);
int scap_capture__set_drop_failed(struct scap_capture *cap, bool enabled);
int scap_capture__stats(struct scap_capture *cap, struct scap_stats *stats);
const char *scap_capture__geterr(const struct scap_capture *cap);

struct scap_live_opts {
	size_t sz;
	const char *engine;
	uint32_t buffer_bytes;
	uint32_t snaplen;
	const bool *ppm_sc;
	const int32_t *exclude_tgids;
	uint32_t n_exclude_tgids;
	const char *const *exclude_comms;
	uint32_t n_exclude_comms;
	bool exclude_self;
	bool drop_failed;
	bool no_proc_scan;
	uint32_t max_wait_us;
	bool immediate;
	const char *const *exclude_paths;
	uint32_t n_exclude_paths;
};
struct scap_file_opts {
	size_t sz;
	bool no_convert;
};
struct scap_capture *scap_capture__open_live(const struct scap_live_opts *opts);
struct scap_capture *scap_capture__open_file(const char *path, const struct scap_file_opts *opts);

/* scap/platform.h */
struct scap_platform;
struct scap_machine_info {
	size_t sz;
	uint32_t num_cpus;
	uint64_t memory_size_bytes;
	uint64_t max_pid;
	char hostname[128];
	uint64_t boot_ts_epoch;
	uint64_t flags;
};
const struct scap_platform *scap_capture__platform(const struct scap_capture *cap);
const struct scap_machine_info *scap_platform__machine(const struct scap_platform *p);
uint32_t scap_platform__nthreads(const struct scap_platform *p);

/* scap/file.h */
struct scap_dumper;
struct scap_dumper_opts {
	size_t sz;
	uint32_t compression;
	const struct scap_platform *platform;
};
struct scap_dumper *scap_dumper__open(const char *path, const struct scap_dumper_opts *opts);
int scap_dumper__write(struct scap_dumper *d, const struct scap_evt_hdr *evt, uint16_t cpu, uint32_t flags);
int scap_dumper__write_decoded(struct scap_dumper *d, const struct scap_evt_hdr *evt, uint16_t cpu, uint32_t flags);
int scap_dumper__flush(struct scap_dumper *d);
uint64_t scap_dumper__offset(const struct scap_dumper *d);
const char *scap_dumper__geterr(const struct scap_dumper *d);
int scap_dumper__close(struct scap_dumper *d);
