// SPDX-License-Identifier: Apache-2.0
// The inspector: event pipeline (docs/upstream-facts.md §8.2) and the state parsers (§8.3-§8.5).
#pragma once

#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "event.h"
#include "filter_iface.h"
#include "state.h"

namespace sinsp
{

namespace ctr
{
class manager; // container/manager.h
}

class inspector
{
public:
	inspector(scap_capture *cap, const sinsp_opts &opts);
	~inspector();
	int next(event **out);

	scap_capture *cap;
	bool live = false;
	bool debug = false;
	// sysdig -F's fatfile mode (the loop's writer sets it): next() also returns the events the
	// filter removes that modify state, with event::state_only set, to be written as such
	bool fatfile = false;
	int64_t self_pid = 0;
	std::string proc_root = "/";
	thread_table threads;
	std::unordered_map<uint32_t, user_entry> users;
	std::unordered_map<uint32_t, group_entry> groups;
	std::set<std::string> suppress_comms;
	std::unordered_set<int64_t> suppress_tids;
	sinsp_filter *filter = nullptr;
	char time_output_mode = 'h';	       // evt.outputtime's text (sinsp_inspector__set_time_output_mode)
	int buffer_format = SINSP_BUFFER_DOTS; // data buffers' text (sinsp_inspector__set_buffer_format)
	uint32_t buffer_limit = SINSP_BUFFER_LIMIT_DEFAULT; // characters of a buffer shown (0: all)
	bool resolve_ports = false; // ports as service names in socket names and tuples (sysdig -R)
	sinsp_stats st = {};
	std::shared_ptr<ctr::manager> containers; // container metadata (sinsp/container.h)
	event evt;

	// state helpers used by the parsers and the fields
	threadinfo *get_thread(int64_t tid, bool create);
	threadinfo *main_thread(threadinfo *t);
	threadinfo *parent_thread(threadinfo *t);
	const std::string &cwd_of(threadinfo *t);
	void set_cwd(threadinfo *t, const std::string &cwd);
	fdinfo *add_fd(threadinfo *t, int64_t fd, fdinfo &&fi);
	void load_users_from_etc();
	std::unique_ptr<threadinfo> thread_from_proc(int64_t tid);
	// The state now as a platform (export.cpp): machine info and interfaces of the capture,
	// the live threads with their fds, users, groups. 0 or a negative errno.
	int export_platform(struct scap_platform *p);

private:
	void seed_from_platform(const struct scap_platform *pl);
	void seed_fd(fdtable &ft, const struct scap_fd_info &fi);
	void do_deferred();
	bool suppressed(event &e);
	void reset(event &e);
	void parse(event &e);
	// parsers
	void parse_open(event &e);
	void parse_close(event &e);
	void parse_close_range(event &e);
	void parse_socket(event &e);
	void parse_socketpair(event &e);
	void parse_bind(event &e);
	void parse_connect(event &e);
	void parse_accept(event &e);
	void parse_rw_tuple(event &e, bool outbound);
	void parse_shutdown(event &e);
	void parse_recvmsg_rights(event &e);
	void parse_memory(event &e);
	void parse_switch_time(event &e);
	void parse_getsockopt(event &e);
	void parse_pipe(event &e);
	void parse_dup(event &e);
	void parse_fcntl(event &e);
	void parse_simple_fd(event &e, fd_type type, const char *name);
	void parse_memfd(event &e);
	void parse_pidfd_open(event &e);
	void parse_pidfd_getfd(event &e);
	void parse_clone(event &e);
	void parse_execve(event &e);
	void parse_procexit(event &e);
	void parse_setuid(event &e, bool gid);
	void parse_capset(event &e);
	void parse_chdir(event &e);
	void parse_fchdir(event &e);
	void parse_chroot(event &e);
	void parse_setsid(event &e);
	void parse_setpgid(event &e);
	void parse_prctl(event &e);
	void parse_ns(event &e);
	void parse_user_group(event &e);

	std::vector<int64_t> m_threads_to_remove;
	std::vector<std::pair<std::shared_ptr<fdtable>, int64_t>> m_fds_to_remove;
	std::vector<uint64_t> m_last_switch_ts; // per CPU: the last context switch (thread.exectime)
	fdinfo m_tmp_fd;			// the event's view of a socket after a failed connect
	std::string m_path;			// parse_open's resolved name (its buffer is reused)
	std::vector<uint8_t> m_enter_copy;	// the enter event paired with the current exit
};

// Read a NUL-separated buffer into strings.
std::vector<std::string> split_nul(const void *data, size_t len);

void set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

} // namespace sinsp
