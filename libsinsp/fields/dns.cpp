// SPDX-License-Identifier: Apache-2.0
// Watched domain names and their addresses (fields/dns.h).
#include "fields/dns.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

namespace sinsp::dns
{

namespace
{

using clock = std::chrono::steady_clock;

constexpr int BASE_REFRESH_S = 10;
constexpr int MAX_REFRESH_S = 320;

struct addr {
	uint8_t family = 0; // 4 or 6
	uint8_t bytes[16] = {};
	bool operator<(const addr &o) const
	{
		return family != o.family ? family < o.family : std::memcmp(bytes, o.bytes, 16) < 0;
	}
	bool operator==(const addr &o) const
	{
		return family == o.family && std::memcmp(bytes, o.bytes, 16) == 0;
	}
};

struct entry {
	std::vector<addr> addrs; // sorted
	bool resolved = false;	 // the first resolution was done (successful or not)
	int interval_s = BASE_REFRESH_S;
	clock::time_point due{};
};

std::vector<addr> resolve(const std::string &name)
{
	std::vector<addr> out;
	struct addrinfo hints;
	std::memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	struct addrinfo *res = nullptr;
	if (getaddrinfo(name.c_str(), nullptr, &hints, &res) != 0)
		return out;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		addr a;
		if (ai->ai_family == AF_INET) {
			a.family = 4;
			std::memcpy(a.bytes, &reinterpret_cast<const sockaddr_in *>(ai->ai_addr)->sin_addr, 4);
		} else if (ai->ai_family == AF_INET6) {
			a.family = 6;
			std::memcpy(a.bytes, &reinterpret_cast<const sockaddr_in6 *>(ai->ai_addr)->sin6_addr, 16);
		} else {
			continue;
		}
		out.push_back(a);
	}
	freeaddrinfo(res);
	std::sort(out.begin(), out.end());
	out.erase(std::unique(out.begin(), out.end()), out.end());
	return out;
}

class resolver
{
public:
	void watch(const std::string &name)
	{
		std::lock_guard<std::mutex> g(m_lock);
		if (m_names.count(name))
			return;
		m_names[name] = entry{};
		if (!m_started) {
			m_started = true;
			std::thread(&resolver::run, this).detach(); // lives as long as the process
		}
		m_wake.notify_all();
	}

	bool resolves_to(const std::string &name, const addr &a)
	{
		std::lock_guard<std::mutex> g(m_lock);
		auto it = m_names.find(name);
		return it != m_names.end() && std::binary_search(it->second.addrs.begin(), it->second.addrs.end(), a);
	}

	void names_of(const addr &a, std::vector<std::string> &out)
	{
		std::lock_guard<std::mutex> g(m_lock);
		for (const auto &kv : m_names)
			if (std::binary_search(kv.second.addrs.begin(), kv.second.addrs.end(), a))
				out.push_back(kv.first); // a std::map: sorted
	}

	uint32_t wait_first(uint32_t timeout_ms)
	{
		std::unique_lock<std::mutex> g(m_lock);
		auto pending = [this] {
			uint32_t n = 0;
			for (const auto &kv : m_names)
				n += kv.second.resolved ? 0 : 1;
			return n;
		};
		m_done.wait_for(g, std::chrono::milliseconds(timeout_ms), [&] { return pending() == 0; });
		return pending();
	}

private:
	void run()
	{
		std::unique_lock<std::mutex> g(m_lock);
		for (;;) {
			// the first name that is due (never resolved ones are due at once)
			auto now = clock::now();
			std::string name;
			clock::time_point next = clock::time_point::max();
			for (const auto &kv : m_names) {
				if (!kv.second.resolved || kv.second.due <= now) {
					name = kv.first;
					break;
				}
				next = std::min(next, kv.second.due);
			}
			if (name.empty()) {
				if (next == clock::time_point::max())
					m_wake.wait(g);
				else
					m_wake.wait_until(g, next);
				continue;
			}
			g.unlock();
			std::vector<addr> addrs = resolve(name);
			g.lock();
			entry &e = m_names[name];
			if (e.resolved && addrs == e.addrs)
				e.interval_s = std::min(e.interval_s * 2, MAX_REFRESH_S);
			else
				e.interval_s = BASE_REFRESH_S;
			e.addrs = std::move(addrs);
			e.resolved = true;
			e.due = clock::now() + std::chrono::seconds(e.interval_s);
			m_done.notify_all();
		}
	}

	std::mutex m_lock;
	std::condition_variable m_wake, m_done;
	std::map<std::string, entry> m_names;
	bool m_started = false;
};

resolver &the_resolver()
{
	static resolver *r = new resolver; // never destroyed: its thread may run until exit
	return *r;
}

addr make_addr(uint8_t family, const uint8_t *bytes)
{
	addr a;
	a.family = family;
	std::memcpy(a.bytes, bytes, family == 6 ? 16 : 4);
	return a;
}

} // namespace

void watch(const std::string &name)
{
	if (!name.empty())
		the_resolver().watch(name);
}

bool resolves_to(const std::string &name, uint8_t family, const uint8_t *bytes)
{
	return the_resolver().resolves_to(name, make_addr(family, bytes));
}

void names_of(uint8_t family, const uint8_t *bytes, std::vector<std::string> &out)
{
	the_resolver().names_of(make_addr(family, bytes), out);
}

uint32_t wait_first(uint32_t timeout_ms)
{
	return the_resolver().wait_first(timeout_ms);
}

} // namespace sinsp::dns
