// SPDX-License-Identifier: Apache-2.0
// The fdlist: the fds of poll-like events.
#include "fields/registry_impl.h"

namespace sinsp
{
namespace fields_detail
{

void registry_impl::add_fdlist_fields()
{
	[[maybe_unused]] const uint32_t A = FF_ARG_ALLOWED, R = FF_ARG_REQUIRED, F = FF_FILTER_ONLY, P = FF_PRINT_ONLY,
					D = FF_DEPRECATED, L = FF_LIST;
	using ev [[maybe_unused]] = const event &;
	using bd [[maybe_unused]] = const bound &;

	// ---------------- fdlist ----------------
	const char *FL = "fdlist";
	auto fl = [](int what) {
		return [what](ev e, bd, vals &o) {
			std::vector<int64_t> fds;
			if (!fdlist(e, fds) || fds.empty())
				return false;
			std::string s;
			for (int64_t fd : fds) {
				fdinfo *f = e.tinfo ? e.tinfo->fds->find(fd) : nullptr;
				std::string item;
				const uint8_t *ip;
				uint16_t port;
				char buf[INET6_ADDRSTRLEN] = "";
				switch (what) {
				case 0: item = std::to_string(fd); break;
				case 1: item = f ? f->name : "<NA>"; break;
				case 2:
				case 3:
					if (!endpoint(f, what == 2 ? ep::CLIENT : ep::SERVER, &ip, &port))
						continue;
					inet_ntop(f->family == 10 ? AF_INET6 : AF_INET, ip, buf, sizeof(buf));
					item = buf;
					break;
				default:
					if (!endpoint(f, what == 4 ? ep::CLIENT : ep::SERVER, &ip, &port))
						continue;
					item = std::to_string(port);
					break;
				}
				if (!s.empty())
					s += ',';
				s += item;
			}
			return !s.empty() && S(o, s);
		};
	};
	add("fdlist.nums", ftype::STRING, 0, FL, "fd numbers of poll-like events, comma-separated", fl(0));
	add("fdlist.names", ftype::STRING, 0, FL, "fd names of poll-like events", fl(1));
	add("fdlist.cips", ftype::STRING, 0, FL, "client addresses of poll-like events", fl(2));
	add("fdlist.sips", ftype::STRING, 0, FL, "server addresses of poll-like events", fl(3));
	add("fdlist.cports", ftype::STRING, 0, FL, "client ports of poll-like events", fl(4));
	add("fdlist.sports", ftype::STRING, 0, FL, "server ports of poll-like events", fl(5));
}

} // namespace fields_detail
} // namespace sinsp
