// SPDX-License-Identifier: Apache-2.0
// The fd: the event's file descriptor (names, types, endpoints, DNS names).
#include "fields/registry_impl.h"

#include <netdb.h>

#include <mutex>

namespace
{
// The service name of a TCP/UDP port in /etc/services ("" if none), looked up once per port.
const std::string &service_name(uint16_t port, uint8_t l4)
{
	static std::mutex mu;
	static std::unordered_map<uint32_t, std::string> cache;
	const char *proto = l4 == SCAP_L4_TCP ? "tcp" : l4 == SCAP_L4_UDP ? "udp" : nullptr;
	static const std::string none;
	if (!proto)
		return none;
	uint32_t key = (uint32_t)port << 8 | l4;
	std::lock_guard<std::mutex> lock(mu);
	auto it = cache.find(key);
	if (it != cache.end())
		return it->second;
	struct servent se, *res = nullptr;
	char buf[1024];
	std::string name;
	if (getservbyport_r(htons(port), proto, &se, buf, sizeof(buf), &res) == 0 && res && res->s_name)
		name = res->s_name;
	return cache.emplace(key, std::move(name)).first->second;
}
} // namespace

namespace sinsp
{
namespace fields_detail
{

void registry_impl::add_fd_fields()
{
	[[maybe_unused]] const uint32_t A = FF_ARG_ALLOWED, R = FF_ARG_REQUIRED, F = FF_FILTER_ONLY, P = FF_PRINT_ONLY,
					D = FF_DEPRECATED, L = FF_LIST;
	using ev [[maybe_unused]] = const event &;
	using bd [[maybe_unused]] = const bound &;

	// ---------------- fd ----------------
	const char *FD = "fd";
	add("fd.num", ftype::INT64, 0, FD, "fd number", [](ev e, bd, vals &o) { return e.fdi && I64(o, e.fdnum); });
	add("fd.type", ftype::STRING, 0, FD, "fd type: file, directory, ipv4, ipv6, unix, pipe, ...",
	    [](ev e, bd, vals &o) { return e.fdi && S(o, fd_typestr(e.fdi->type)); });
	add("fd.typechar", ftype::STRING, 0, FD, "fd type as one character",
	    [](ev e, bd, vals &o) { return e.fdi && S(o, std::string(1, fd_typechar(e.fdi->type))); });
	add("fd.name", ftype::STRING, 0, FD, "fd name: path, tuple, ...", [](ev e, bd, vals &o) {
		if (e.fdi)
			return S(o, e.fdi->name);
		// fd events whose fd is unknown (failed, or opened before the capture): upstream gives the
		// path a failed open tried, and an empty name for the others
		const type_info &ti = e.info();
		if (!e.is_exit() || !(ti.flags & (SCAP_EF_CREATES_FD | SCAP_EF_USES_FD | SCAP_EF_DESTROYS_FD)))
			return false;
		if (ti.kind == ekind::OPEN) {
			for (uint32_t i = 0; i < e.nparams; i++) {
				int t = scap_event_param_type(e.type, i);
				if ((t == SCAP_PT_FSPATH || t == SCAP_PT_FSRELPATH) && e.has((int)i))
					return S(o, resolve_path_param(e, i));
			}
			if (const scap_param *p = e.enter_get("name"))
				return S(o, e.tinfo ? path_join(e.insp->cwd_of(e.tinfo), event::decode_str(*p))
						    : event::decode_str(*p));
		}
		return S(o, "");
	});
	add("fd.nameraw", ftype::STRING, 0, FD, "fd name as the syscall gave it",
	    [](ev e, bd, vals &o) { return e.fdi && S(o, e.fdi->name_raw.empty() ? e.fdi->name : e.fdi->name_raw); });
	add("fd.directory", ftype::STRING, 0, FD, "directory of a file fd", [](ev e, bd, vals &o) {
		if (!e.fdi)
			return false;
		if (e.fdi->type == SCAP_FD_DIRECTORY)
			return S(o, e.fdi->name);
		if (e.fdi->type != SCAP_FD_FILE)
			return false;
		size_t s = e.fdi->name.rfind('/');
		return s != std::string::npos && S(o, s == 0 ? "/" : e.fdi->name.substr(0, s));
	});
	add("fd.filename", ftype::STRING, 0, FD, "file name (no directory) of a file fd", [](ev e, bd, vals &o) {
		if (!e.fdi || e.fdi->type != SCAP_FD_FILE)
			return false;
		size_t s = e.fdi->name.rfind('/');
		return S(o, s == std::string::npos ? e.fdi->name : e.fdi->name.substr(s + 1));
	});
	auto ipf = [](ep which) {
		return [which](ev e, bd, vals &o) {
			const uint8_t *ip;
			uint16_t port;
			return endpoint(e.fdi, which, &ip, &port) && IP(o, e.fdi->family, ip);
		};
	};
	auto portf = [](ep which) {
		return [which](ev e, bd, vals &o) {
			const uint8_t *ip;
			uint16_t port;
			return endpoint(e.fdi, which, &ip, &port) && U64(o, port, ftype::PORT);
		};
	};
	auto netf = [](ep which) {
		return [which](ev e, bd, vals &o) {
			const uint8_t *ip;
			uint16_t port;
			return endpoint(e.fdi, which, &ip, &port) && IP(o, e.fdi->family, ip, ftype::IPNET);
		};
	};
	add("fd.ip", ftype::IPADDR, F | L, FD, "client or server address (filters only)", [](ev e, bd, vals &o) {
		const uint8_t *ip;
		uint16_t port;
		bool any = false;
		if (endpoint(e.fdi, ep::CLIENT, &ip, &port))
			any = IP(o, e.fdi->family, ip);
		if (endpoint(e.fdi, ep::SERVER, &ip, &port))
			any = IP(o, e.fdi->family, ip);
		return any;
	});
	add("fd.cip", ftype::IPADDR, 0, FD, "client address", ipf(ep::CLIENT));
	add("fd.sip", ftype::IPADDR, 0, FD, "server address", ipf(ep::SERVER));
	add("fd.lip", ftype::IPADDR, 0, FD, "local address", ipf(ep::LOCAL));
	add("fd.rip", ftype::IPADDR, 0, FD, "remote address", ipf(ep::REMOTE));
	auto no_value = [](ev, bd, vals &) { return false; }; // dns_ref extracts these
	add("fd.cip.name", ftype::STRING, 0, FD, "domain name of the client address (names filters compare with)",
	    no_value);
	m_fields.back().dns = (int)ep::CLIENT;
	add("fd.sip.name", ftype::STRING, 0, FD, "domain name of the server address (names filters compare with)",
	    no_value);
	m_fields.back().dns = (int)ep::SERVER;
	add("fd.lip.name", ftype::STRING, 0, FD, "domain name of the local address (names filters compare with)",
	    no_value);
	m_fields.back().dns = (int)ep::LOCAL;
	add("fd.rip.name", ftype::STRING, 0, FD, "domain name of the remote address (names filters compare with)",
	    no_value);
	m_fields.back().dns = (int)ep::REMOTE;
	add("fd.port", ftype::PORT, F | L, FD, "client or server port (filters only)", [](ev e, bd, vals &o) {
		const uint8_t *ip;
		uint16_t port;
		bool any = false;
		if (endpoint(e.fdi, ep::CLIENT, &ip, &port))
			any = U64(o, port, ftype::PORT);
		if (endpoint(e.fdi, ep::SERVER, &ip, &port))
			any = U64(o, port, ftype::PORT);
		return any;
	});
	add("fd.cport", ftype::PORT, 0, FD, "client port", portf(ep::CLIENT));
	add("fd.sport", ftype::PORT, 0, FD, "server port", portf(ep::SERVER));
	add("fd.lport", ftype::PORT, 0, FD, "local port", portf(ep::LOCAL));
	add("fd.rport", ftype::PORT, 0, FD, "remote port", portf(ep::REMOTE));
	add("fd.net", ftype::IPNET, F | L, FD, "client or server address against a CIDR (filters only)",
	    [](ev e, bd, vals &o) {
		    const uint8_t *ip;
		    uint16_t port;
		    bool any = false;
		    if (endpoint(e.fdi, ep::CLIENT, &ip, &port))
			    any = IP(o, e.fdi->family, ip, ftype::IPNET);
		    if (endpoint(e.fdi, ep::SERVER, &ip, &port))
			    any = IP(o, e.fdi->family, ip, ftype::IPNET);
		    return any;
	    });
	add("fd.cnet", ftype::IPNET, F, FD, "client address against a CIDR", netf(ep::CLIENT));
	add("fd.snet", ftype::IPNET, F, FD, "server address against a CIDR", netf(ep::SERVER));
	add("fd.lnet", ftype::IPNET, F, FD, "local address against a CIDR", netf(ep::LOCAL));
	add("fd.rnet", ftype::IPNET, F, FD, "remote address against a CIDR", netf(ep::REMOTE));
	// upstream: any fd has one; those of no IP protocol (files, pipes, unix sockets) the string "<NA>"
	// (so `fd.l4proto exists` holds for every event with an fd, as in sysdig)
	add("fd.l4proto", ftype::STRING, 0, FD, "IP protocol: tcp, udp, icmp, raw; <NA> for other fds",
	    [](ev e, bd, vals &o) {
		    if (!e.fdi)
			    return false;
		    const char *n = e.fdi->is_ip() ? l4_name(e.fdi->l4) : nullptr;
		    return S(o, n ? n : "<NA>");
	    });
	// The protocol of an endpoint's port, as sysdig prints it without -R: the port number (as a
	// string); fd.proto (filters) also matches the service's name in /etc/services (http, domain).
	auto protof = [](ep which) {
		return [which](ev e, bd, vals &o) {
			const uint8_t *ip;
			uint16_t port;
			return endpoint(e.fdi, which, &ip, &port) && S(o, std::to_string(port));
		};
	};
	add("fd.proto", ftype::STRING, F | L, FD,
	    "client or server protocol: port number or service name (filters only)", [](ev e, bd, vals &o) {
		    const uint8_t *ip;
		    uint16_t port;
		    bool any = false;
		    for (ep which : { ep::CLIENT, ep::SERVER }) {
			    if (!endpoint(e.fdi, which, &ip, &port))
				    continue;
			    any = S(o, std::to_string(port));
			    const std::string &name = service_name(port, e.fdi->l4);
			    if (!name.empty())
				    S(o, name);
		    }
		    return any;
	    });
	add("fd.cproto", ftype::STRING, 0, FD, "client protocol (its port, as a string)", protof(ep::CLIENT));
	add("fd.sproto", ftype::STRING, 0, FD, "server protocol (its port, as a string)", protof(ep::SERVER));
	add("fd.lproto", ftype::STRING, 0, FD, "local protocol (its port, as a string)", protof(ep::LOCAL));
	add("fd.rproto", ftype::STRING, 0, FD, "remote protocol (its port, as a string)", protof(ep::REMOTE));
	add("fd.sockfamily", ftype::STRING, 0, FD, "socket family: ip or unix", [](ev e, bd, vals &o) {
		if (!e.fdi)
			return false;
		if (e.fdi->is_ip())
			return S(o, "ip");
		if (e.fdi->type == SCAP_FD_UNIX_SOCK)
			return S(o, "unix");
		return false;
	});
	add("fd.is_server", ftype::BOOL, 0, FD, "true if the process is the server of the connection",
	    [](ev e, bd, vals &o) {
		    return e.fdi && e.fdi->is_socket() && B(o, (e.fdi->flags & FDF_ROLE_SERVER) || is_servsock(e.fdi));
	    });
	add("fd.connected", ftype::BOOL, 0, FD, "true for connected sockets",
	    [](ev e, bd, vals &o) { return e.fdi && e.fdi->is_socket() && B(o, e.fdi->flags & FDF_CONNECTED); });
	add("fd.name_changed", ftype::BOOL, 0, FD, "true when this event changed the fd name",
	    [](ev e, bd, vals &o) { return e.fdi && B(o, !e.fdi->oldname.empty() && e.fdi->oldname != e.fdi->name); });
	add("fd.uid", ftype::STRING, 0, FD, "unique fd id: tid and fd number",
	    [](ev e, bd, vals &o) { return e.fdi && S(o, std::to_string(e.tid()) + std::to_string(e.fdnum)); });
	add("fd.containername", ftype::STRING, 0, FD, "container id and fd name",
	    [](ev e, bd, vals &o) { return e.fdi && e.tinfo && S(o, e.tinfo->container_id + ":" + e.fdi->name); });
	add("fd.containerdirectory", ftype::STRING, 0, FD, "container id and fd directory", [](ev e, bd, vals &o) {
		if (!e.fdi || !e.tinfo || e.fdi->type != SCAP_FD_FILE)
			return false;
		size_t s = e.fdi->name.rfind('/');
		return s != std::string::npos &&
		       S(o, e.tinfo->container_id + ":" + (s == 0 ? std::string("/") : e.fdi->name.substr(0, s)));
	});
	add("fd.dev", ftype::UINT64, 0, FD, "device number of a file fd",
	    [](ev e, bd, vals &o) { return e.fdi && U64(o, e.fdi->dev); });
	add("fd.dev.major", ftype::UINT64, 0, FD, "major device number",
	    [](ev e, bd, vals &o) { return e.fdi && U64(o, e.fdi->dev >> 20); });
	add("fd.dev.minor", ftype::UINT64, 0, FD, "minor device number",
	    [](ev e, bd, vals &o) { return e.fdi && U64(o, e.fdi->dev & 0xfffff); });
	add("fd.ino", ftype::INT64, 0, FD, "inode number",
	    [](ev e, bd, vals &o) { return e.fdi && I64(o, (int64_t)e.fdi->ino); });
	add("fd.is_upper_layer", ftype::BOOL, 0, FD, "file in an overlayfs upper layer",
	    [](ev e, bd, vals &o) { return e.fdi && B(o, e.fdi->flags & FDF_OVERLAY_UPPER); });
	add("fd.is_lower_layer", ftype::BOOL, 0, FD, "file in an overlayfs lower layer",
	    [](ev e, bd, vals &o) { return e.fdi && B(o, e.fdi->flags & FDF_OVERLAY_LOWER); });
	add("fd.types", ftype::STRING, A | L, FD, "types of all fds of the process; fd.types[N] of fd N",
	    [](ev e, bd b, vals &o) {
		    threadinfo *t = TI(e);
		    if (!t)
			    return false;
		    if (b.has_arg) {
			    fdinfo *f = t->fds->find(b.num);
			    return f && S(o, fd_typestr(f->type));
		    }
		    std::vector<std::string> seen;
		    for (auto &kv : t->fds->fds) {
			    std::string ty = fd_typestr(kv.second.type);
			    if (std::find(seen.begin(), seen.end(), ty) == seen.end())
				    seen.push_back(ty);
		    }
		    for (auto &s : seen)
			    S(o, s);
		    return !seen.empty();
	    });
}

} // namespace fields_detail
} // namespace sinsp
