// SPDX-License-Identifier: Apache-2.0
// The container manager of an inspector: the metadata cache (read by the fields on the inspector's
// thread, no lock), the runtime workers (one thread per runtime socket: lookups and the event
// stream), and the results they hand back, taken in by poll() at the start of every next().
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "container/info.h"
#include "container/runtime.h"
#include "sinsp/container.h"

struct scap_dumper;

namespace sinsp
{
struct threadinfo;
class inspector;
class event;
} // namespace sinsp

namespace sinsp::ctr
{

// threadinfo::container_category: upstream's thread categories for the health probe fields.
enum category : uint8_t { CAT_NONE = 0, CAT_CONTAINER = 1, CAT_HEALTHCHECK = 2, CAT_LIVENESS = 3, CAT_READINESS = 4 };

class manager
{
public:
	// opts NULL: no lookups (the cache still takes metadata from capture files).
	manager(const sinsp_container_opts *opts, const std::string &root);
	~manager();
	manager(const manager &) = delete;
	manager &operator=(const manager &) = delete;

	bool lookups() const
	{
		return !m_eps.empty();
	}
	// The inspector's thread: take in what the workers found (cheap when there is nothing).
	void poll()
	{
		if (m_has_results.load(std::memory_order_relaxed) || ++m_tick >= 64)
			poll_slow();
	}
	// The same at once, retries and refreshes included (the C API's queries).
	void poll_now()
	{
		poll_slow();
	}
	// A thread whose container the manager has not seen (t.container_noticed is false).
	void notice(threadinfo &t);
	// After the parsers: a clone or execve gives the new program its category (health probes).
	void after_parse(inspector &insp, event &e);
	const info *find(std::string_view id) const;
	// Metadata from elsewhere (a capture file's container event, the C API).
	bool add_json(std::string_view json, bool from_file);
	const std::string *json_of(std::string_view id);
	std::vector<std::string> ids() const;
	uint64_t version() const
	{
		return m_version;
	}
	int dump(scap_dumper *d, uint64_t ts, uint64_t &since);
	void stats(sinsp_container_stats &st) const;

private:
	struct entry {
		info_ptr c;
		std::string json; // c's, made on first use
		uint64_t version = 0;
		uint64_t fetched_ns = 0;
		uint64_t retry_at = 0;
		uint64_t removed_at = 0;
		std::string ask_id; // what the runtimes are asked (the whole id when known)
		std::string runtime;
		uint32_t pending = 0; // answers awaited
		uint32_t tries = 0;   // failed rounds in a row
		bool any_found = false, all_not_found = true;
	};
	struct endpoint {
		rt_kind kind;
		std::string path;
		std::unique_ptr<runtime_client> client;
		std::thread thread;
		std::mutex mu;
		std::deque<std::pair<std::string, bool>> queue; // id, asked by the manager
		int work_fd = -1;
	};
	struct result {
		size_t ep;
		std::string id;
		bool asked;
		bool removed;
		lookup_result r;
		bool partial = false; // a runtime event's own metadata, not a lookup
	};

	void poll_slow();
	void maintain(uint64_t now);
	void request(const std::string &key, entry &e);
	void take(result &r, uint64_t now);
	void worker(size_t i);
	void push(result &&r);
	void enqueue(endpoint &ep, const std::string &id, bool asked);
	static std::string key_of(std::string_view id);

	std::vector<std::unique_ptr<endpoint>> m_eps;
	int m_stop_fd = -1;
	std::atomic<bool> m_stopping{ false };
	uint64_t m_timeout_ns, m_ttl_ns, m_retry_ns;
	bool m_events, m_list;
	size_t m_label_max;

	std::unordered_map<std::string, entry> m_cache;
	uint64_t m_version = 0;
	uint32_t m_tick = 0;
	uint64_t m_last_maintain = 0;

	std::mutex m_res_mu;
	std::vector<result> m_results;
	std::atomic<bool> m_has_results{ false };

	// statistics (the workers count runtime events and streams)
	uint64_t n_lookups = 0, n_found = 0, n_not_found = 0, n_timeouts = 0, n_errors = 0, n_expired = 0;
	uint64_t n_file_events = 0;
	std::atomic<uint64_t> n_runtime_events{ 0 };
	std::atomic<uint32_t> n_streams{ 0 };
};

} // namespace sinsp::ctr
