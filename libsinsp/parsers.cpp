// SPDX-License-Identifier: Apache-2.0
// State parsers: how each event family changes threads and fd tables (docs/upstream-facts.md §8.3, §8.4).
#include <netdb.h>
#include <arpa/inet.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "inspector_impl.h"

namespace sinsp
{

namespace
{

constexpr int64_t AT_FDCWD_PPM = -100;
constexpr uint32_t PPM_O_CLOEXEC = SCAP_OPEN_FLAGS_O_CLOEXEC;

std::string ip_to_string(uint8_t family, const uint8_t *ip)
{
	char buf[INET6_ADDRSTRLEN] = "";
	inet_ntop(family == 10 ? AF_INET6 : AF_INET, ip, buf, sizeof(buf));
	return buf;
}

std::string hex_ptr(uint64_t v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%llx", (unsigned long long)v);
	return buf;
}

uint16_t rd16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}
uint64_t rd64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

fd_type socket_type(uint8_t family, bool server)
{
	switch (family) {
	case 2: return server ? SCAP_FD_IPV4_SERVSOCK : SCAP_FD_IPV4_SOCK;
	case 10: return server ? SCAP_FD_IPV6_SERVSOCK : SCAP_FD_IPV6_SOCK;
	case 1: return SCAP_FD_UNIX_SOCK;
	case 16: return SCAP_FD_NETLINK;
	default: return SCAP_FD_UNKNOWN;
	}
}

} // namespace

std::string port_name(uint16_t port, uint8_t l4, bool resolve)
{
	if (resolve) {
		// the service's name in the services database (/etc/services), for the fd's protocol
		// (any protocol when it is not known); the number when there is none
		const char *proto = l4 == SCAP_L4_TCP ? "tcp" : l4 == SCAP_L4_UDP ? "udp" : nullptr;
		struct servent se, *res = nullptr;
		char buf[1024];
		if (getservbyport_r(htons(port), proto, &se, buf, sizeof(buf), &res) == 0 && res && res->s_name)
			return res->s_name;
	}
	return std::to_string(port);
}

// The name of a socket fd from its endpoints.
std::string socket_name(const fdinfo &f, bool resolve_ports)
{
	if (f.family == 1)
		return hex_ptr(f.unix_src) + "->" + hex_ptr(f.unix_dst) + (f.name_raw.empty() ? "" : " " + f.name_raw);
	if (f.type == SCAP_FD_IPV4_SERVSOCK || f.type == SCAP_FD_IPV6_SERVSOCK)
		return ip_to_string(f.family, f.dip) + ":" + port_name(f.dport, f.l4, resolve_ports);
	return ip_to_string(f.family, f.sip) + ":" + port_name(f.sport, f.l4, resolve_ports) + "->" +
	       ip_to_string(f.family, f.dip) + ":" + port_name(f.dport, f.l4, resolve_ports);
}

// Apply a SOCKTUPLE parameter to a socket fd. outbound: src = local (client), dst = remote.
// Both directions put the client in sip/sport (inbound tuples have the remote client as src).
static bool apply_tuple(fdinfo &f, const scap_param &p, bool resolve)
{
	const uint8_t *d = (const uint8_t *)p.data;
	if (p.len == 0)
		return false;
	uint8_t fam = d[0];
	if (fam == 2 && p.len >= 13) {
		f.family = 2;
		memset(f.sip, 0, 16);
		memset(f.dip, 0, 16);
		memcpy(f.sip, d + 1, 4);
		f.sport = rd16(d + 5);
		memcpy(f.dip, d + 7, 4);
		f.dport = rd16(d + 11);
		f.type = SCAP_FD_IPV4_SOCK;
	} else if (fam == 10 && p.len >= 37) {
		f.family = 10;
		memcpy(f.sip, d + 1, 16);
		f.sport = rd16(d + 17);
		memcpy(f.dip, d + 19, 16);
		f.dport = rd16(d + 35);
		f.type = SCAP_FD_IPV6_SOCK;
	} else if (fam == 1 && p.len >= 17) {
		f.family = 1;
		f.unix_src = rd64(d + 1);
		f.unix_dst = rd64(d + 9);
		f.name_raw = event::decode_str({ d + 17, p.len - 17 });
		f.type = SCAP_FD_UNIX_SOCK;
	} else {
		return false;
	}
	f.has_tuple = true;
	f.name = socket_name(f, resolve);
	return true;
}

// Apply a SOCKADDR as the remote (server) endpoint, or as the bound address when bind=true.
static bool apply_sockaddr(fdinfo &f, const scap_param &p, bool bind, bool resolve)
{
	const uint8_t *d = (const uint8_t *)p.data;
	if (p.len == 0)
		return false;
	uint8_t fam = d[0];
	if (fam == 2 && p.len >= 7) {
		f.family = 2;
		memset(f.dip, 0, 16);
		memcpy(f.dip, d + 1, 4);
		f.dport = rd16(d + 5);
	} else if (fam == 10 && p.len >= 19) {
		f.family = 10;
		memcpy(f.dip, d + 1, 16);
		f.dport = rd16(d + 17);
	} else if (fam == 1) {
		f.family = 1;
		f.name_raw = event::decode_str({ d + 1, p.len - 1 });
		f.type = SCAP_FD_UNIX_SOCK;
		f.name = bind ? f.name_raw : socket_name(f, resolve);
		return true;
	} else {
		return false;
	}
	if (bind) {
		// a port makes it a server socket; binding port 0 only picks the local address of a client
		bool server = f.dport != 0;
		f.type = socket_type(f.family, true);
		f.name = socket_name(f, resolve);
		if (!server)
			f.type = socket_type(f.family, false);
	} else {
		// the remote end only (the local one is unknown): shown as 0.0.0.0:0->remote
		f.type = socket_type(f.family, false);
		f.has_tuple = true;
		f.name = socket_name(f, resolve);
	}
	return true;
}

void inspector::parse_open(event &e)
{
	int64_t fd;
	if (!e.is_exit() || !e.get_int(pn::FD, fd) || fd < 0 || !e.tinfo)
		return;
	const scap_param *np = e.get(pn::NAME);
	if (!np)
		np = e.get(pn::PATH);
	if (!np)
		np = e.enter_get("name");
	std::string_view name = np ? event::str_view(*np) : std::string_view();
	int64_t dirfd = AT_FDCWD_PPM;
	bool has_dirfd = e.get_int(pn::DIRFD, dirfd);
	if (!has_dirfd) {
		const scap_param *p = e.enter_get("dirfd");
		if (p) {
			dirfd = event::decode_int(*p);
			has_dirfd = true;
		}
	}
	// The resolved name. Most are absolute paths the kernel normalized already: copied from the
	// parameter straight into the table's entry below (no string in between).
	bool resolved = false;
	m_path.clear();
	if (!name.empty() && name[0] != '/') {
		const std::string *base;
		if (has_dirfd && dirfd != AT_FDCWD_PPM) {
			fdinfo *d = e.tinfo->fds->find(dirfd);
			static const std::string unknown = "<UNKNOWN>";
			base = d ? &d->name : &unknown;
		} else {
			base = &cwd_of(e.tinfo);
		}
		m_path = base->empty() ? path_normalize(std::string(name)) : path_join(*base, std::string(name));
		resolved = true;
	} else if (!name.empty() && !path_is_normal_abs(name)) {
		m_path = path_normalize(std::string(name));
		resolved = true;
	}
	uint64_t flags = 0;
	if (!e.get_uint(pn::FLAGS, flags)) {
		const scap_param *p = e.enter_get("flags");
		if (p)
			flags = event::decode_uint(*p);
	}
	// the entry, reset in place (a closed fd's node is reused, with its strings' buffers)
	fdinfo *fi = e.tinfo->fds->reset(fd);
	if (!fi)
		return; // the table is full
	fi->type = (flags & SCAP_OPEN_FLAGS_O_DIRECTORY) ? SCAP_FD_DIRECTORY : SCAP_FD_FILE;
	fi->openflags = (uint32_t)flags;
	if (e.type == SCAP_EVT_CREAT_X) {
		fi->openflags = SCAP_OPEN_FLAGS_O_CREAT | SCAP_OPEN_FLAGS_O_WRONLY | SCAP_OPEN_FLAGS_O_TRUNC;
		uint64_t cf = 0;
		if (e.get_uint("creat_flags", cf)) {
			if (cf & SCAP_CREAT_FLAGS_FD_UPPER_LAYER_CREAT)
				fi->flags |= FDF_OVERLAY_UPPER;
			if (cf & SCAP_CREAT_FLAGS_FD_LOWER_LAYER_CREAT)
				fi->flags |= FDF_OVERLAY_LOWER;
		}
	}
	if (flags & SCAP_OPEN_FLAGS_FD_UPPER_LAYER)
		fi->flags |= FDF_OVERLAY_UPPER;
	if (flags & SCAP_OPEN_FLAGS_FD_LOWER_LAYER)
		fi->flags |= FDF_OVERLAY_LOWER;
	// (clear() + append(): the entry's buffers are reused without assign()'s generic replace)
	fi->name_raw.append(name.data(), name.size());
	if (resolved)
		fi->name.swap(m_path);
	else
		fi->name.append(name.data(), name.size());
	uint64_t v;
	if (e.get_uint(pn::DEV, v))
		fi->dev = (uint32_t)v;
	if (e.get_uint(pn::INO, v))
		fi->ino = v;
	if (!e.fdi && e.fdnum == fd && (e.info().flags & SCAP_EF_MODIFIES_STATE))
		e.fdi = fi; // what next() looks up after the parse of a state event
}

void inspector::parse_close(event &e)
{
	int64_t res, fd;
	if (!e.is_exit() || !e.tinfo || !e.get_int(pn::RES, res) || res < 0)
		return;
	if (!e.get_int(pn::FD, fd))
		fd = e.fdnum;
	if (fd < 0)
		return;
	if (e.tinfo->fds->find(fd))
		m_fds_to_remove.emplace_back(e.tinfo->fds, fd);
}

void inspector::parse_close_range(event &e)
{
	int64_t res;
	uint64_t first, last, flags = 0;
	if (!e.tinfo || !e.get_int("res", res) || res < 0 || !e.get_uint("first", first) || !e.get_uint("last", last))
		return;
	e.get_uint("flags", flags);
	auto &fds = e.tinfo->fds->fds;
	for (auto it = fds.lower_bound((int64_t)first); it != fds.end() && (uint64_t)it->first <= last; ++it) {
		if (flags & SCAP_CLOSE_RANGE_FLAGS_CLOSE_RANGE_CLOEXEC)
			it->second.openflags |= PPM_O_CLOEXEC;
		else
			m_fds_to_remove.emplace_back(e.tinfo->fds, it->first);
	}
}

void inspector::parse_socket(event &e)
{
	int64_t fd;
	if (!e.tinfo || !e.get_int("fd", fd) || fd < 0)
		return;
	uint64_t domain = 0, type = 0, proto = 0, flags = 0;
	e.get_uint("domain", domain);
	e.get_uint("type", type);
	e.get_uint("proto", proto);
	e.get_uint("flags", flags);
	fdinfo fi;
	fi.family = (uint8_t)domain;
	fi.type = socket_type(fi.family, false);
	fi.openflags = (uint32_t)flags;
	if (fi.family == 2 || fi.family == 10) {
		switch (type & 0xf) {
		case 1: fi.l4 = SCAP_L4_TCP; break;
		case 2: fi.l4 = SCAP_L4_UDP; break;
		case 3: fi.l4 = (proto == 1 || proto == 58) ? SCAP_L4_ICMP : SCAP_L4_RAW; break;
		default: break;
		}
	}
	add_fd(e.tinfo, fd, std::move(fi));
}

void inspector::parse_socketpair(event &e)
{
	int64_t res, fd1, fd2;
	if (!e.tinfo || !e.get_int("res", res) || res < 0 || !e.get_int("fd1", fd1) || !e.get_int("fd2", fd2))
		return;
	uint64_t src = 0, peer = 0, domain = 1;
	e.get_uint("source", src);
	e.get_uint("peer", peer);
	e.get_uint("domain", domain);
	fdinfo a;
	a.family = (uint8_t)domain;
	a.type = socket_type(a.family, false);
	if (a.family == 1) {
		a.unix_src = src;
		a.unix_dst = peer;
		a.has_tuple = true;
		a.name = socket_name(a, resolve_ports);
	}
	fdinfo b = a;
	if (a.family == 1) {
		b.unix_src = peer;
		b.unix_dst = src;
		b.name = socket_name(b, resolve_ports);
	}
	add_fd(e.tinfo, fd1, std::move(a));
	add_fd(e.tinfo, fd2, std::move(b));
}

void inspector::parse_bind(event &e)
{
	int64_t res;
	if (!e.fdi || !e.get_int("res", res) || res < 0)
		return;
	const scap_param *addr = e.get("addr");
	if (!addr)
		return;
	apply_sockaddr(*e.fdi, *addr, true, resolve_ports);
}

void inspector::parse_connect(event &e)
{
	if (!e.is_exit() || !e.fdi)
		return;
	int64_t res = 0;
	e.get_int("res", res);
	bool failed = res < 0 && res != -EINPROGRESS;
	if (failed) {
		// the socket stays as it was; this event alone sees the address it tried
		e.fdi->flags |= FDF_CONN_FAILED;
		m_tmp_fd = *e.fdi;
		e.fdi = &m_tmp_fd;
	}
	fdinfo &f = *e.fdi;
	const scap_param *tuple = e.get("tuple");
	bool ok = tuple && apply_tuple(f, *tuple, resolve_ports);
	if (!ok) {
		const scap_param *addr = e.get("addr");
		if (!addr)
			addr = e.enter_get("addr");
		if (addr)
			apply_sockaddr(f, *addr, false, resolve_ports);
	}
	f.flags &= ~(FDF_CONNECTED | FDF_CONN_PENDING | FDF_CONN_FAILED | FDF_ROLE_SERVER);
	f.flags |= FDF_ROLE_CLIENT;
	if (res == 0)
		f.flags |= FDF_CONNECTED;
	else if (res == -EINPROGRESS)
		f.flags |= FDF_CONN_PENDING;
	else
		f.flags |= FDF_CONN_FAILED;
}

void inspector::parse_accept(event &e)
{
	int64_t fd;
	if (!e.tinfo || !e.get_int("fd", fd) || fd < 0)
		return;
	fdinfo fi;
	fi.flags = FDF_ROLE_SERVER | FDF_CONNECTED;
	const scap_param *tuple = e.get("tuple");
	if (!tuple || !apply_tuple(fi, *tuple, resolve_ports))
		fi.type = SCAP_FD_UNKNOWN;
	// the listening socket knows the protocol
	if (e.fdi && e.fdi != nullptr && e.fdi->is_ip())
		fi.l4 = e.fdi->l4;
	if (fi.l4 == SCAP_L4_UNKNOWN && (fi.family == 2 || fi.family == 10))
		fi.l4 = SCAP_L4_TCP;
	uint64_t flags = 0;
	if (e.get_uint("flags", flags) && (flags & 0x80000)) // SOCK_CLOEXEC (raw, as accept4 passes it)
		fi.openflags |= PPM_O_CLOEXEC;
	add_fd(e.tinfo, fd, std::move(fi));
}

void inspector::parse_rw_tuple(event &e, bool outbound)
{
	(void)outbound;
	int64_t res = 0;
	if (!e.fdi || !e.get_int("res", res) || res < 0)
		return;
	fdinfo &f = *e.fdi;
	const scap_param *tuple = e.get("tuple");
	if (!tuple || !f.is_socket())
		return;
	// Unconnected (UDP) sockets learn their endpoints from the data path; connected ones keep theirs.
	if (!f.has_tuple || f.l4 == SCAP_L4_UDP) {
		uint8_t l4 = f.l4;
		// inbound tuples have the remote end first: on a client socket the local end is the client
		uint8_t swapped[64];
		scap_param tp = *tuple;
		const uint8_t *d = (const uint8_t *)tuple->data;
		if (!outbound && (f.flags & FDF_ROLE_CLIENT) && (d[0] == 2 || d[0] == 10) &&
		    tuple->len == (d[0] == 2 ? 13u : 37u)) {
			uint32_t half = (tuple->len - 1) / 2;
			swapped[0] = d[0];
			memcpy(swapped + 1, d + 1 + half, half);
			memcpy(swapped + 1 + half, d + 1, half);
			tp.data = swapped;
		}
		if (apply_tuple(f, tp, resolve_ports)) {
			f.l4 = l4;
			if (!(f.flags & (FDF_ROLE_CLIENT | FDF_ROLE_SERVER)))
				f.flags |= outbound ? FDF_ROLE_CLIENT : FDF_ROLE_SERVER;
		}
	}
}

// recvmsg: fds passed with SCM_RIGHTS become fds of the receiver
void inspector::parse_recvmsg_rights(event &e)
{
	int64_t res;
	const scap_param *mc = e.get("msgcontrol");
	if (!e.tinfo || !mc || !e.get_int("res", res) || res < 0)
		return;
	const uint8_t *d = (const uint8_t *)mc->data;
	size_t off = 0;
	while (off + 16 <= mc->len) {
		uint64_t clen;
		int32_t level, type;
		memcpy(&clen, d + off, 8);
		memcpy(&level, d + off + 8, 4);
		memcpy(&type, d + off + 12, 4);
		if (clen < 16 || off + clen > mc->len)
			break;
		if (level == 1 && type == 1) { // SOL_SOCKET, SCM_RIGHTS
			for (size_t k = 16; k + 4 <= clen; k += 4) {
				int32_t fd;
				memcpy(&fd, d + off + k, 4);
				fdinfo fi;
				fi.type = SCAP_FD_UNKNOWN;
				if (live) {
					// the kernel knows what it is: read it like the initial scan does
					std::unique_ptr<threadinfo> probe =
						thread_from_proc(e.tinfo->pid >= 0 ? e.tinfo->pid : e.tid());
					if (probe)
						if (fdinfo *pf = probe->fds->find(fd))
							fi = *pf;
				}
				add_fd(e.tinfo, fd, std::move(fi));
			}
		}
		off += (clen + 7) & ~(uint64_t)7;
	}
}

// getsockopt(SO_ERROR) tells how a pending connect ended
void inspector::parse_getsockopt(event &e)
{
	int64_t res;
	uint64_t level, optname;
	const scap_param *val = e.get("val");
	if (!e.fdi || !val || !e.get_int("res", res) || res < 0 || !e.get_uint("level", level) ||
	    !e.get_uint("optname", optname))
		return;
	if (level != SCAP_SOCKOPT_LEVELS_SOL_SOCKET || optname != SCAP_SOCKOPT_OPTIONS_SO_ERROR || val->len < 9 ||
	    ((const uint8_t *)val->data)[0] != 1)
		return;
	int64_t err;
	memcpy(&err, (const uint8_t *)val->data + 1, 8);
	e.fdi->flags &= ~(FDF_CONN_PENDING | FDF_CONNECTED | FDF_CONN_FAILED);
	e.fdi->flags |= err == 0 ? FDF_CONNECTED : FDF_CONN_FAILED;
}

void inspector::parse_shutdown(event &e)
{
	int64_t res;
	if (e.fdi && e.get_int("res", res) && res == 0)
		e.fdi->flags &= ~FDF_CONNECTED;
}

void inspector::parse_pipe(event &e)
{
	int64_t res, fd1, fd2;
	if (!e.tinfo || !e.get_int("res", res) || res < 0 || !e.get_int("fd1", fd1) || !e.get_int("fd2", fd2))
		return;
	uint64_t ino = 0, flags = 0;
	e.get_uint("ino", ino);
	e.get_uint("flags", flags);
	fdinfo a;
	a.type = SCAP_FD_FIFO;
	a.ino = ino;
	a.openflags = (uint32_t)flags;
	fdinfo b = a;
	add_fd(e.tinfo, fd1, std::move(a));
	add_fd(e.tinfo, fd2, std::move(b));
}

void inspector::parse_dup(event &e)
{
	int64_t res, oldfd;
	if (!e.tinfo || !e.get_int("res", res) || res < 0)
		return;
	if (!e.get_int("oldfd", oldfd) && !e.get_int("fd", oldfd))
		return;
	fdinfo *src = e.tinfo->fds->find(oldfd);
	if (!src || res == oldfd)
		return;
	fdinfo copy = *src;
	copy.flags |= FDF_CLONED;
	copy.openflags &= ~PPM_O_CLOEXEC; // dup and dup2 clear close-on-exec on the new fd
	uint64_t flags = 0;
	if (e.type == SCAP_EVT_DUP3_X && e.get_uint("flags", flags) && (flags & PPM_O_CLOEXEC))
		copy.openflags |= PPM_O_CLOEXEC;
	add_fd(e.tinfo, res, std::move(copy));
}

void inspector::parse_fcntl(event &e)
{
	int64_t res;
	uint64_t cmd = 0, arg = 0;
	if (!e.tinfo || !e.fdi || !e.get_int("res", res) || res < 0 || !e.get_uint("cmd", cmd))
		return;
	e.get_uint("arg", arg);
	if (cmd == SCAP_FCNTL_COMMANDS_F_DUPFD || cmd == SCAP_FCNTL_COMMANDS_F_DUPFD_CLOEXEC) {
		fdinfo copy = *e.fdi;
		copy.flags |= FDF_CLONED;
		if (cmd == SCAP_FCNTL_COMMANDS_F_DUPFD_CLOEXEC)
			copy.openflags |= PPM_O_CLOEXEC;
		else
			copy.openflags &= ~PPM_O_CLOEXEC;
		add_fd(e.tinfo, res, std::move(copy));
	} else if (cmd == SCAP_FCNTL_COMMANDS_F_SETFD) {
		if (arg & 1) // FD_CLOEXEC
			e.fdi->openflags |= PPM_O_CLOEXEC;
		else
			e.fdi->openflags &= ~PPM_O_CLOEXEC;
	}
}

void inspector::parse_simple_fd(event &e, fd_type type, const char *name)
{
	if (!e.tinfo || e.nparams == 0)
		return;
	// the new fd is the first parameter (res, or fd for bpf)
	int64_t fd = e.as_int(0);
	if (!e.has(0) || fd < 0)
		return;
	uint64_t flags = 0;
	fdinfo fi;
	fi.type = type;
	fi.name = name;
	if (e.get_uint("flags", flags)) {
		// eventfd2/signalfd4/inotify_init1/userfaultfd carry open flags; epoll_create1 its own CLOEXEC bit
		if (e.type == SCAP_EVT_EPOLL_CREATE1_X)
			fi.openflags = (flags & SCAP_EPOLL_CREATE1_FLAGS_EPOLL_CLOEXEC) ? PPM_O_CLOEXEC : 0;
		else if (e.type != SCAP_EVT_IO_URING_SETUP_X && e.type != SCAP_EVT_TIMERFD_CREATE_X &&
			 e.type != SCAP_EVT_SIGNALFD_X && e.type != SCAP_EVT_EVENTFD_X &&
			 e.type != SCAP_EVT_INOTIFY_INIT_X)
			fi.openflags = (uint32_t)flags;
	}
	add_fd(e.tinfo, fd, std::move(fi));
}

void inspector::parse_memfd(event &e)
{
	int64_t fd;
	if (!e.tinfo || !e.get_int("fd", fd) || fd < 0)
		return;
	std::string name;
	e.get_str("name", name);
	uint64_t flags = 0;
	e.get_uint("flags", flags);
	fdinfo fi;
	fi.type = SCAP_FD_MEMFD;
	fi.name = "memfd:" + name;
	fi.name_raw = name;
	fi.openflags = (flags & SCAP_MEMFD_CREATE_FLAGS_MFD_CLOEXEC) ? PPM_O_CLOEXEC : 0;
	add_fd(e.tinfo, fd, std::move(fi));
}

void inspector::parse_pidfd_open(event &e)
{
	int64_t fd, pid = 0;
	if (!e.tinfo || !e.get_int("fd", fd) || fd < 0)
		return;
	e.get_int("pid", pid);
	fdinfo fi;
	fi.type = SCAP_FD_PIDFD;
	fi.pid = pid;
	fi.name = "pidfd:[" + std::to_string(pid) + "]";
	fi.openflags = PPM_O_CLOEXEC; // pidfds are always close-on-exec
	add_fd(e.tinfo, fd, std::move(fi));
}

void inspector::parse_pidfd_getfd(event &e)
{
	int64_t fd, pidfd, target;
	if (!e.tinfo || !e.get_int("fd", fd) || fd < 0 || !e.get_int("pid_fd", pidfd) ||
	    !e.get_int("target_fd", target))
		return;
	fdinfo *pf = e.tinfo->fds->find(pidfd);
	if (!pf || pf->type != SCAP_FD_PIDFD)
		return;
	threadinfo *other = get_thread(pf->pid, false);
	if (!other)
		return;
	fdinfo *src = other->fds->find(target);
	if (!src)
		return;
	fdinfo copy = *src;
	copy.openflags |= PPM_O_CLOEXEC;
	add_fd(e.tinfo, fd, std::move(copy));
}

static void fill_from_clone_params(threadinfo &t, const event &e)
{
	std::string s;
	if (e.get_str("comm", s))
		t.comm = s;
	if (e.get_str("exe", s))
		t.exe = s;
	if (const scap_param *p = e.get("args"))
		t.args = split_nul(p->data, p->len);
	if (e.get_str("cwd", s))
		t.cwd = s;
	int64_t v;
	uint64_t u;
	if (e.get_int("fdlimit", v))
		t.fdlimit = v;
	if (e.get_uint("uid", u))
		t.uid = (uint32_t)u;
	if (e.get_uint("gid", u))
		t.gid = (uint32_t)u;
	if (e.get_uint("pgft_maj", u))
		t.pfmajor = u;
	if (e.get_uint("pgft_min", u))
		t.pfminor = u;
	if (e.get_uint("vm_size", u))
		t.vmsize = (uint32_t)u;
	if (e.get_uint("vm_rss", u))
		t.vmrss = (uint32_t)u;
	if (e.get_uint("vm_swap", u))
		t.vmswap = (uint32_t)u;
	if (e.get_uint("pidns_init_start_ts", u))
		t.pidns_init_start_ts = u;
	if (const scap_param *p = e.get("cgroups")) {
		std::vector<std::pair<std::string, std::string>> cg;
		for (auto &entry : split_nul(p->data, p->len)) {
			size_t eq = entry.find('=');
			if (eq != std::string::npos)
				cg.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
		}
		t.set_cgroups_and_container(std::move(cg));
	}
}

static void inherit(threadinfo &child, const threadinfo &parent)
{
	child.comm = parent.comm;
	child.exe = parent.exe;
	child.exepath = parent.exepath;
	child.args = parent.args;
	child.env = parent.env;
	child.cwd = parent.cwd;
	child.root = parent.root;
	child.cgroups = parent.cgroups;
	child.container_id = parent.container_id;
	child.container_runtime = parent.container_runtime;
	child.uid = parent.uid;
	child.gid = parent.gid;
	child.loginuid = parent.loginuid;
	child.cap_permitted = parent.cap_permitted;
	child.cap_effective = parent.cap_effective;
	child.cap_inheritable = parent.cap_inheritable;
	child.exe_flags = parent.exe_flags;
	child.exe_ino = parent.exe_ino;
	child.exe_ino_ctime = parent.exe_ino_ctime;
	child.exe_ino_mtime = parent.exe_ino_mtime;
	child.sid = parent.sid;
	child.pgid = parent.pgid;
	child.vpgid = parent.vpgid;
	child.tty = parent.tty;
	child.fdlimit = parent.fdlimit;
	child.lastexec_ts = parent.lastexec_ts;
	child.pidns_init_start_ts = parent.pidns_init_start_ts;
}

void inspector::parse_clone(event &e)
{
	int64_t res;
	if (!e.is_exit() || !e.get_int("res", res) || res < 0)
		return;
	uint64_t flags = 0;
	e.get_uint("flags", flags);
	bool is_thread = flags & SCAP_CLONE_FLAGS_CLONE_THREAD;
	bool share_files = is_thread || (flags & SCAP_CLONE_FLAGS_CLONE_FILES);
	int64_t v;
	if (res > 0) {
		// caller side: the event's thread is the parent, res the child
		threadinfo *caller = e.tinfo;
		threadinfo *existing = threads.find(res);
		if (existing && !existing->incomplete && !existing->dead)
			return; // the child's own event came first
		auto child = std::make_unique<threadinfo>();
		child->tid = res;
		if (caller)
			inherit(*child, *caller);
		fill_from_clone_params(*child, e); // the caller's comm/exe/args/cwd/cgroups: inherited
		if (is_thread) {
			child->pid = caller ? caller->pid : (e.get_int("pid", v) ? v : res);
			child->ptid = caller ? caller->ptid : (e.get_int("ptid", v) ? v : -1);
		} else {
			child->pid = res;
			child->ptid = e.tid();
		}
		child->vtid = child->vpid = -1;
		if (caller && share_files)
			child->fds = caller->fds;
		else if (caller)
			child->fds = std::make_shared<fdtable>(*caller->fds);
		child->flags = (uint32_t)flags;
		child->clone_ts = e.ts();
		int64_t ptid = child->ptid;
		bool thread = is_thread;
		if (threads.add(std::move(child)) && !thread)
			threads.link_child(ptid, res);
		return;
	}
	// child side (res == 0): the event's thread is the child
	int64_t tid = e.tid(), pid = tid, ptid = -1;
	e.get_int("pid", pid);
	e.get_int("ptid", ptid);
	threadinfo *existing = threads.find(tid);
	if (existing && !existing->incomplete && !existing->dead) {
		// created by the parent's event: refresh what only the child knows
		if (e.get_int("vtid", v))
			existing->vtid = v;
		if (e.get_int("vpid", v))
			existing->vpid = v;
		// its own pid namespace's init (CLONE_NEWPID: not the parent's, which it inherited)
		if (uint64_t u; e.get_uint("pidns_init_start_ts", u))
			existing->pidns_init_start_ts = u;
		existing->pid = pid;
		return;
	}
	auto child = std::make_unique<threadinfo>();
	child->tid = tid;
	child->pid = pid;
	child->ptid = is_thread ? -1 : ptid;
	threadinfo *from = is_thread ? threads.find(pid) : threads.find(ptid);
	if (from) {
		inherit(*child, *from);
		if (is_thread)
			child->ptid = from->ptid;
		if (share_files)
			child->fds = from->fds;
		else
			child->fds = std::make_shared<fdtable>(*from->fds);
	} else if (is_thread) {
		child->ptid = ptid;
	}
	if (existing) // an incomplete entry made from earlier events: keep the fds it learned
		for (auto &kv : existing->fds->fds)
			child->fds->fds.emplace(kv.first, kv.second);
	fill_from_clone_params(*child, e);
	if (e.get_int("vtid", v))
		child->vtid = v;
	if (e.get_int("vpid", v))
		child->vpid = v;
	child->flags = (uint32_t)flags;
	child->clone_ts = e.ts();
	int64_t cptid = child->ptid;
	threadinfo *added = threads.add(std::move(child));
	if (added && !is_thread)
		threads.link_child(cptid, tid);
	e.tinfo = added;
}

void inspector::parse_execve(event &e)
{
	int64_t res;
	if (!e.is_exit() || !e.get_int("res", res) || res != 0)
		return;
	threadinfo *t = e.tinfo;
	if (!t)
		return;
	std::string s;
	int64_t v;
	uint64_t u;
	if (e.get_str("exe", s))
		t->exe = s;
	if (const scap_param *p = e.get("args"))
		t->args = split_nul(p->data, p->len);
	if (const scap_param *p = e.get("env"))
		t->env = split_nul(p->data, p->len);
	if (e.get_int("pid", v) && v != t->pid) {
		// an entry made from an unknown tid learns its process here
		threadinfo copy = *t;
		copy.pid = v;
		t = threads.add(std::make_unique<threadinfo>(std::move(copy)));
		e.tinfo = t;
		if (!t)
			return;
	}
	if (e.get_int("ptid", v) && v != t->ptid) {
		threads.unlink_child(t->ptid, t->tid);
		t->ptid = v;
		threads.link_child(v, t->tid);
	}
	if (e.get_str("cwd", s))
		set_cwd(t, s);
	fill_from_clone_params(*t, e);
	if (e.get_uint("tty", u))
		t->tty = (uint32_t)u;
	if (e.get_int("vpgid", v))
		t->vpgid = v;
	if (e.get_int("pgid", v))
		t->pgid = v;
	else if (t->vpgid >= 0 && t->pgid < 0)
		t->pgid = t->vpgid;
	if (e.get_uint("loginuid", u))
		t->loginuid = (uint32_t)u;
	if (e.get_uint("flags", u))
		t->exe_flags = (uint32_t)u;
	if (e.get_uint("cap_inheritable", u))
		t->cap_inheritable = u;
	if (e.get_uint("cap_permitted", u))
		t->cap_permitted = u;
	if (e.get_uint("cap_effective", u))
		t->cap_effective = u;
	if (e.get_uint("exe_ino", u))
		t->exe_ino = u;
	if (e.get_uint("exe_ino_ctime", u))
		t->exe_ino_ctime = u;
	if (e.get_uint("exe_ino_mtime", u))
		t->exe_ino_mtime = u;
	std::string trusted;
	if (e.get_str("trusted_exepath", trusted) && !trusted.empty()) {
		t->exepath = trusted;
	} else if (e.get_str("filename", s) && !s.empty()) {
		t->exepath = path_join(cwd_of(t), s);
	} else if (e.get_str("pathname", s) && !s.empty()) {
		int64_t dirfd = AT_FDCWD_PPM;
		e.get_int("dirfd", dirfd);
		fdinfo *d = dirfd != AT_FDCWD_PPM ? t->fds->find(dirfd) : nullptr;
		t->exepath = path_join(d ? d->name : cwd_of(t), s);
	} else {
		t->exepath = !t->exe.empty() && t->exe[0] == '/' ? t->exe : std::string(); // the old one is gone
	}
	t->lastexec_ts = e.ts();
	t->incomplete = false;
	// close-on-exec fds are gone
	auto &fds = t->fds->fds;
	for (auto it = fds.begin(); it != fds.end();) {
		if (it->second.openflags & PPM_O_CLOEXEC)
			it = fds.erase(it);
		else
			++it;
	}
}

void inspector::parse_procexit(event &e)
{
	threadinfo *t = e.tinfo;
	if (!t)
		return;
	t->dead = true;
	int64_t reaper = -1;
	e.get_int("reaper_tid", reaper);
	t->reaper_tid = reaper;
	// reparent the children
	int64_t new_parent = reaper > 0 ? reaper : 0;
	if (reaper <= 0 && reaper != 0)
		new_parent = 1;
	for (int64_t c : t->children) {
		threadinfo *ct = threads.find(c);
		if (ct && ct->ptid == t->tid) {
			ct->ptid = new_parent;
			threads.link_child(new_parent, c);
		}
	}
	t->children.clear();
	m_threads_to_remove.push_back(t->tid);
}

void inspector::parse_setuid(event &e, bool gid)
{
	int64_t res;
	if (!e.tinfo || !e.get_int("res", res) || res != 0)
		return;
	uint64_t v;
	const char *names[] = { gid ? "egid" : "euid", gid ? "gid" : "uid" };
	for (const char *n : names) {
		if (e.get_uint(n, v)) {
			if ((uint32_t)v != UINT32_MAX) {
				if (gid)
					e.tinfo->gid = (uint32_t)v;
				else
					e.tinfo->uid = (uint32_t)v;
			}
			return;
		}
	}
}

void inspector::parse_capset(event &e)
{
	int64_t res;
	if (!e.tinfo || !e.get_int("res", res) || res != 0)
		return;
	uint64_t v;
	if (e.get_uint("cap_inheritable", v))
		e.tinfo->cap_inheritable = v;
	if (e.get_uint("cap_permitted", v))
		e.tinfo->cap_permitted = v;
	if (e.get_uint("cap_effective", v))
		e.tinfo->cap_effective = v;
}

void inspector::parse_chdir(event &e)
{
	int64_t res;
	std::string path;
	if (!e.tinfo || !e.get_int("res", res) || res < 0 || !e.get_str("path", path))
		return;
	if (e.type == SCAP_EVT_GETCWD_X)
		set_cwd(e.tinfo, path);
	else
		set_cwd(e.tinfo, path_join(cwd_of(e.tinfo), path));
}

void inspector::parse_fchdir(event &e)
{
	int64_t res;
	if (!e.tinfo || !e.fdi || !e.get_int("res", res) || res < 0)
		return;
	set_cwd(e.tinfo, e.fdi->name);
}

void inspector::parse_chroot(event &e)
{
	int64_t res;
	std::string path;
	if (!e.tinfo || !e.get_int("res", res) || res < 0 || !e.get_str("path", path))
		return;
	e.tinfo->root = path_join(cwd_of(e.tinfo), path);
}

void inspector::parse_setsid(event &e)
{
	int64_t res;
	if (!e.tinfo || !e.get_int("res", res) || res <= 0)
		return;
	e.tinfo->sid = res;
	e.tinfo->vpgid = res;
	e.tinfo->pgid = res;
}

void inspector::parse_setpgid(event &e)
{
	int64_t res, pid = 0, pgid = 0;
	if (!e.tinfo || !e.get_int("res", res) || res != 0)
		return;
	e.get_int("pid", pid);
	e.get_int("pgid", pgid);
	threadinfo *target = pid == 0 ? e.tinfo : get_thread(pid, false);
	if (!target)
		return;
	if (pgid == 0)
		pgid = target->vpid > 0 ? target->vpid : target->pid;
	target->vpgid = pgid;
	if (target->vpid <= 0 || target->vpid == target->pid)
		target->pgid = pgid;
}

void inspector::parse_prctl(event &e)
{
	int64_t res;
	uint64_t option;
	std::string name;
	if (!e.tinfo || !e.get_int("res", res) || res < 0 || !e.get_uint("option", option))
		return;
	if (option == SCAP_PRCTL_OPTIONS_PR_SET_NAME && e.get_str("arg2_str", name))
		e.tinfo->comm = name;
}

void inspector::parse_ns(event &e)
{
	int64_t res;
	uint64_t flags = 0;
	if (!e.tinfo || !e.get_int("res", res) || res < 0)
		return;
	if (!e.get_uint("flags", flags))
		e.get_uint("nstype", flags);
	e.tinfo->flags |= (uint32_t)flags;
	if (flags & SCAP_CLONE_FLAGS_CLONE_NEWUSER) {
		// a new user namespace: the thread is (mapped to) root inside it
		e.tinfo->uid = 0;
		e.tinfo->gid = 0;
	}
}

void inspector::parse_user_group(event &e)
{
	uint64_t uid = 0, gid = 0;
	std::string name, home, shell, container;
	e.get_str("container_id", container);
	if (!container.empty())
		return; // container-local users are not tracked
	switch (e.info().kind) {
	case ekind::USERADDED:
		if (!e.get_uint("uid", uid))
			return;
		e.get_uint("gid", gid);
		e.get_str("name", name);
		e.get_str("home", home);
		e.get_str("shell", shell);
		users[(uint32_t)uid] = user_entry{ (uint32_t)uid, (uint32_t)gid, name, home, shell };
		break;
	case ekind::USERDELETED:
		if (e.get_uint("uid", uid))
			users.erase((uint32_t)uid);
		break;
	case ekind::GROUPADDED:
		if (!e.get_uint("gid", gid))
			return;
		e.get_str("name", name);
		groups[(uint32_t)gid] = group_entry{ (uint32_t)gid, name };
		break;
	case ekind::GROUPDELETED:
		if (e.get_uint("gid", gid))
			groups.erase((uint32_t)gid);
		break;
	default: break;
	}
}

// brk/mmap/mmap2/munmap exits and context switches: the process's memory counters after the call
// (the thread's and its leader's entries: the counters belong to the address space all threads
// share); a switch also carries the thread's page fault counts
// thread.exectime / thread.totexectime: the time since the previous context switch on this CPU is
// what the thread switched out (the event's thread) ran; the first switch of a CPU has no start.
void inspector::parse_switch_time(event &e)
{
	if (e.cpu >= m_last_switch_ts.size())
		m_last_switch_ts.resize((size_t)e.cpu + 1, 0);
	uint64_t &last = m_last_switch_ts[e.cpu];
	e.exectime = last ? e.ts() - last : 0;
	last = e.ts();
	if (e.tinfo)
		e.tinfo->totexectime += e.exectime;
}

void inspector::parse_memory(event &e)
{
	uint64_t u;
	threadinfo *m = main_thread(e.tinfo);
	if (e.get_uint("pgft_maj", u))
		e.tinfo->pfmajor = u;
	if (e.get_uint("pgft_min", u))
		e.tinfo->pfminor = u;
	if (e.get_uint("vm_size", u))
		e.tinfo->vmsize = m->vmsize = (uint32_t)u;
	if (e.get_uint("vm_rss", u))
		e.tinfo->vmrss = m->vmrss = (uint32_t)u;
	if (e.get_uint("vm_swap", u))
		e.tinfo->vmswap = m->vmswap = (uint32_t)u;
}

void inspector::parse(event &e)
{
	switch (e.info().kind) {
	case ekind::OPEN: parse_open(e); break;
	case ekind::CLOSE: parse_close(e); break;
	case ekind::CLOSE_RANGE: parse_close_range(e); break;
	case ekind::SOCKET:
		if (e.is_exit())
			parse_socket(e);
		break;
	case ekind::SOCKETPAIR: parse_socketpair(e); break;
	case ekind::BIND:
		if (e.is_exit())
			parse_bind(e);
		break;
	case ekind::CONNECT: parse_connect(e); break;
	case ekind::LISTEN:
		if (e.fdi && e.is_exit())
			e.fdi->flags |= FDF_ROLE_SERVER;
		break;
	case ekind::ACCEPT:
		if (e.is_exit())
			parse_accept(e);
		break;
	case ekind::SEND:
		if (e.is_exit())
			parse_rw_tuple(e, true);
		break;
	case ekind::RECV:
		if (e.is_exit())
			parse_rw_tuple(e, false);
		break;
	case ekind::RECVMSG:
		if (e.is_exit()) {
			parse_rw_tuple(e, false);
			parse_recvmsg_rights(e);
		}
		break;
	case ekind::SHUTDOWN: parse_shutdown(e); break;
	case ekind::GETSOCKOPT:
		if (e.is_exit())
			parse_getsockopt(e);
		break;
	case ekind::PIPE: parse_pipe(e); break;
	case ekind::DUP:
		if (e.is_exit())
			parse_dup(e);
		break;
	case ekind::FCNTL:
		if (e.is_exit())
			parse_fcntl(e);
		break;
	case ekind::MEMORY:
		if (e.is_exit() && e.tinfo)
			parse_memory(e);
		break;
	case ekind::SWITCH:
		parse_switch_time(e);
		if (e.tinfo)
			parse_memory(e);
		break;
	case ekind::EVENTFD: parse_simple_fd(e, SCAP_FD_EVENT, ""); break;
	case ekind::SIGNALFD: parse_simple_fd(e, SCAP_FD_SIGNALFD, ""); break;
	case ekind::TIMERFD: parse_simple_fd(e, SCAP_FD_TIMERFD, ""); break;
	case ekind::INOTIFY: parse_simple_fd(e, SCAP_FD_INOTIFY, ""); break;
	case ekind::EPOLL: parse_simple_fd(e, SCAP_FD_EVENTPOLL, ""); break;
	case ekind::USERFAULTFD: parse_simple_fd(e, SCAP_FD_USERFAULTFD, ""); break;
	case ekind::IOURING: parse_simple_fd(e, SCAP_FD_IOURING, ""); break;
	case ekind::BPF:
		if (e.is_exit())
			parse_simple_fd(e, SCAP_FD_BPF, "");
		break;
	case ekind::MEMFD: parse_memfd(e); break;
	case ekind::PIDFD_OPEN: parse_pidfd_open(e); break;
	case ekind::PIDFD_GETFD: parse_pidfd_getfd(e); break;
	case ekind::CLONE: parse_clone(e); break;
	case ekind::EXECVE: parse_execve(e); break;
	case ekind::PROCEXIT: parse_procexit(e); break;
	case ekind::SETUID: parse_setuid(e, false); break;
	case ekind::SETGID: parse_setuid(e, true); break;
	case ekind::CAPSET: parse_capset(e); break;
	case ekind::CHDIR:
	case ekind::GETCWD: parse_chdir(e); break;
	case ekind::FCHDIR: parse_fchdir(e); break;
	case ekind::CHROOT: parse_chroot(e); break;
	case ekind::SETSID: parse_setsid(e); break;
	case ekind::SETPGID: parse_setpgid(e); break;
	case ekind::PRCTL: parse_prctl(e); break;
	case ekind::UNSHARE:
	case ekind::SETNS: parse_ns(e); break;
	case ekind::USERADDED:
	case ekind::USERDELETED:
	case ekind::GROUPADDED:
	case ekind::GROUPDELETED: parse_user_group(e); break;
	case ekind::OTHER: break;
	}
}

} // namespace sinsp
