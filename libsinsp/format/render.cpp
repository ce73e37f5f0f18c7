// SPDX-License-Identifier: Apache-2.0
// Rendering of event parameters the way upstream's evt.args shows them (docs/upstream-facts.md §8.8).
#include "format/render.h"

#include <arpa/inet.h>

#include <charconv>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "format/names.h"
#include "inspector_impl.h"

namespace sinsp
{

namespace
{

void append_fmt(std::string &out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void append_fmt(std::string &out, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		out.append(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void append_ip(std::string &out, int family, const uint8_t *ip)
{
	char buf[INET6_ADDRSTRLEN] = "";
	inet_ntop(family, ip, buf, sizeof(buf));
	out += buf;
}

void append_i64(std::string &out, int64_t v)
{
	char buf[24];
	auto r = std::to_chars(buf, buf + sizeof(buf), v);
	out.append(buf, r.ptr - buf);
}

void append_u64(std::string &out, uint64_t v, int base = 10)
{
	char buf[24];
	auto r = std::to_chars(buf, buf + sizeof(buf), v, base);
	if (base == 16)
		for (char *c = buf; c < r.ptr; c++)
			if (*c >= 'a')
				*c = (char)(*c - 'a' + 'A');
	out.append(buf, r.ptr - buf);
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

void append_unsigned(std::string &out, uint64_t v, int fmt)
{
	if (fmt == SCAP_PF_HEX)
		append_u64(out, v, 16);
	else if (fmt == SCAP_PF_OCT)
		append_fmt(out, "%#" PRIo64, v);
	else
		append_u64(out, v);
}

void append_flags(std::string &out, uint64_t v, const scap_flag_name *tbl, int fmt, bool exact)
{
	// flags show their value in decimal (upstream: "4097(O_RDONLY|O_CLOEXEC)"); modes in octal
	append_unsigned(out, v, fmt == SCAP_PF_OCT ? fmt : SCAP_PF_DEC);
	if (!tbl)
		return;
	std::string names;
	if (exact) {
		for (const scap_flag_name *f = tbl; f->name; f++)
			if (f->value == v) {
				names = f->name;
				break;
			}
	} else if (v == 0) {
		for (const scap_flag_name *f = tbl; f->name; f++)
			if (f->value == 0) {
				names = f->name;
				break;
			}
	} else {
		uint64_t rem = v;
		for (const scap_flag_name *f = tbl; f->name; f++) {
			if (f->value != 0 && (rem & f->value) == f->value) {
				if (!names.empty())
					names += '|';
				names += f->name;
				rem &= ~(uint64_t)f->value;
			}
		}
	}
	if (!names.empty()) {
		out += '(';
		out += names;
		out += ')';
	}
}

// at most limit characters shown (0: all), "..." included, as the inspector's buffer limit says
void append_buffer(std::string &out, const uint8_t *d, uint32_t len, size_t limit)
{
	bool cut = limit && len > limit;
	size_t n = cut ? (limit > 3 ? limit - 3 : 0) : len;
	for (size_t i = 0; i < n; i++)
		out += printable_or_dot(d[i]);
	if (cut)
		out += "...";
}

// ":port" of an address: a service name with sysdig's -R (for the event's fd's protocol)
void append_port(std::string &out, const event &e, uint16_t port)
{
	out += ':';
	if (e.insp && e.insp->resolve_ports)
		out += port_name(port, e.fdi ? e.fdi->l4 : (uint8_t)SCAP_L4_UNKNOWN, true);
	else
		append_fmt(out, "%u", port);
}

inline size_t buffer_limit(const event &e)
{
	return e.insp ? e.insp->buffer_limit : SINSP_BUFFER_LIMIT_DEFAULT;
}

// sysdig -A: the printable bytes only, after a newline; a CR becomes a newline, and a newline
// right after a CR (or first) is dropped, so that CRLF text reads as lines (upstream's rules)
void append_buffer_eols(std::string &out, const uint8_t *d, uint32_t len)
{
	out += '\n';
	for (uint32_t i = 0; i < len; i++) {
		if (is_printable(d[i]))
			out += (char)d[i];
		else if (d[i] == '\r')
			out += '\n';
		else if (d[i] == '\n' && i > 0 && d[i - 1] != '\r')
			out += '\n';
	}
}

// sysdig -x / -X: rows of 16 bytes, "\n\t0xOFFS:" and eight big-endian 16-bit words (an odd
// last byte alone), with -X padded and followed by the row's printable bytes; a newline after the
// last row
void append_buffer_hex(std::string &out, const uint8_t *d, uint32_t len, bool ascii)
{
	char b[16];
	for (uint32_t row = 0; row < len; row += 16) {
		snprintf(b, sizeof(b), "\n\t0x%.4x:", row);
		out += b;
		uint32_t words = 0;
		for (uint32_t i = row; i < row + 16 && i < len; i += 2, words++) {
			if (i + 1 < len)
				snprintf(b, sizeof(b), " %.2x%.2x", d[i], d[i + 1]);
			else
				snprintf(b, sizeof(b), " %.2x", d[i]);
			out += b;
		}
		if (!ascii)
			continue;
		out.append((8 - words) * 5, ' ');
		out += "  ";
		for (uint32_t i = row; i < row + 16 && i < len; i++)
			out += printable_or_dot(d[i]);
	}
	out += '\n';
}

// sysdig -b: standard base64, padded
void append_buffer_base64(std::string &out, const uint8_t *d, uint32_t len)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (uint32_t i = 0; i < len; i += 3) {
		uint32_t n = (uint32_t)d[i] << 16 | (i + 1 < len ? (uint32_t)d[i + 1] << 8 : 0) |
			     (i + 2 < len ? d[i + 2] : 0);
		out += tab[n >> 18 & 63];
		out += tab[n >> 12 & 63];
		out += i + 1 < len ? tab[n >> 6 & 63] : '=';
		out += i + 2 < len ? tab[n & 63] : '=';
	}
}

// A data buffer (PT_BYTEBUF) in the inspector's buffer format (sysdig's -A, -x, -X, -b)
void append_bytebuf(std::string &out, const event &e, const uint8_t *d, uint32_t len)
{
	switch (e.insp ? e.insp->buffer_format : SINSP_BUFFER_DOTS) {
	case SINSP_BUFFER_EOLS: append_buffer_eols(out, d, len); break;
	case SINSP_BUFFER_HEX: append_buffer_hex(out, d, len, false); break;
	case SINSP_BUFFER_HEXASCII: append_buffer_hex(out, d, len, true); break;
	case SINSP_BUFFER_BASE64: append_buffer_base64(out, d, len); break;
	default: append_buffer(out, d, len, buffer_limit(e)); break;
	}
}

} // namespace

void append_fd(std::string &out, const event &e, int64_t fd)
{
	if (fd < 0) {
		if (fd == -100) {
			out += "-100(AT_FDCWD)";
			return;
		}
		const char *en = errno_name_of_res(fd);
		append_i64(out, fd);
		if (en) {
			out += '(';
			out += en;
			out += ')';
		}
		return;
	}
	append_i64(out, fd);
	const fdinfo *f = e.tinfo ? e.tinfo->fds->find(fd) : nullptr;
	if (!f)
		return;
	out += "(<";
	out += fd_typechar(f->type);
	bool servsock = f->type == SCAP_FD_IPV4_SERVSOCK || f->type == SCAP_FD_IPV6_SERVSOCK;
	if (f->is_ip() && (f->has_tuple || servsock)) {
		switch (f->l4) {
		case SCAP_L4_TCP: out += 't'; break;
		case SCAP_L4_UDP: out += 'u'; break;
		case SCAP_L4_ICMP: out += 'i'; break;
		case SCAP_L4_RAW: out += 'r'; break;
		default: break;
		}
	}
	out += '>';
	out += f->name;
	out += ')';
}

std::string resolve_path_param(const event &e, uint32_t i)
{
	std::string p = e.as_str((int)i);
	if (p.empty() || p[0] == '/' || !e.tinfo)
		return p;
	int dirfd_idx = scap_event_param_dirfd(e.type, i);
	if (dirfd_idx >= 0 && e.has(dirfd_idx)) {
		int64_t dirfd = e.as_int(dirfd_idx);
		if (dirfd != -100) {
			const fdinfo *d = e.tinfo->fds->find(dirfd);
			return d ? path_join(d->name, p) : p;
		}
	}
	return path_join(e.insp->cwd_of(e.tinfo), p);
}

void append_param_value(std::string &out, const event &e, uint32_t i)
{
	const scap_param &p = e.params[i];
	int type = scap_event_param_type(e.type, i);
	int fmt = scap_event_param_format(e.type, i);
	const uint8_t *d = (const uint8_t *)p.data;
	if (p.len == 0) {
		if (type == SCAP_PT_SOCKADDR || type == SCAP_PT_SOCKTUPLE)
			out += "NULL";
		else if (type != SCAP_PT_BYTEBUF && type != SCAP_PT_CHARBUF && type != SCAP_PT_FSPATH &&
			 type != SCAP_PT_FSRELPATH)
			out += "<NA>";
		return;
	}
	switch (type) {
	case SCAP_PT_INT8:
	case SCAP_PT_INT16:
	case SCAP_PT_INT32:
	case SCAP_PT_INT64:
		if (fmt == SCAP_PF_HEX)
			append_fmt(out, "%" PRIX64, e.as_uint((int)i));
		else
			append_i64(out, e.as_int((int)i));
		break;
	case SCAP_PT_UINT8:
	case SCAP_PT_UINT16:
	case SCAP_PT_UINT32:
	case SCAP_PT_UINT64:
	case SCAP_PT_UID:
	case SCAP_PT_GID:
	case SCAP_PT_PORT:
	case SCAP_PT_L4PROTO:
	case SCAP_PT_SOCKFAMILY:
	case SCAP_PT_BOOL:
	case SCAP_PT_SIGSET:
	case SCAP_PT_RELTIME:
	case SCAP_PT_ABSTIME:
	case SCAP_PT_FD32:
	case SCAP_PT_PID32: append_unsigned(out, e.as_uint((int)i), fmt); break;
	case SCAP_PT_ERRNO: {
		int64_t v = e.as_int((int)i);
		if (v < 0) {
			append_i64(out, v);
			const char *en = errno_name_of_res(v);
			if (en) {
				out += '(';
				out += en;
				out += ')';
			}
		} else {
			append_unsigned(out, (uint64_t)v, fmt);
		}
		break;
	}
	case SCAP_PT_FD: append_fd(out, e, e.as_int((int)i)); break;
	case SCAP_PT_PID: {
		int64_t v = e.as_int((int)i);
		append_i64(out, v);
		const threadinfo *t = v > 0 ? e.insp->threads.find(v) : nullptr;
		if (t && !t->comm.empty()) {
			out += '(';
			out += t->comm;
			out += ')';
		}
		break;
	}
	case SCAP_PT_FLAGS8:
	case SCAP_PT_FLAGS16:
	case SCAP_PT_FLAGS32:
	case SCAP_PT_MODE: append_flags(out, e.as_uint((int)i), scap_event_param_flags(e.type, i), fmt, false); break;
	case SCAP_PT_ENUMFLAGS8:
	case SCAP_PT_ENUMFLAGS16:
	case SCAP_PT_ENUMFLAGS32:
		append_flags(out, e.as_uint((int)i), scap_event_param_flags(e.type, i), fmt, true);
		break;
	case SCAP_PT_SIGTYPE: {
		uint64_t v = e.as_uint((int)i);
		append_fmt(out, "%" PRIu64, v);
		const char *sn = signal_name(v);
		if (sn) {
			out += '(';
			out += sn;
			out += ')';
		}
		break;
	}
	case SCAP_PT_SYSCALLID: {
		uint64_t v = e.as_uint((int)i);
		append_fmt(out, "%" PRIu64, v);
		const char *sn = scap_ppm_sc_name((uint32_t)v);
		if (sn && *sn) {
			out += '(';
			out += sn;
			out += ')';
		}
		break;
	}
	case SCAP_PT_CHARBUF: out += event::decode_str(p); break;
	case SCAP_PT_FSPATH:
	case SCAP_PT_FSRELPATH: {
		std::string raw = event::decode_str(p);
		out += raw;
		if (!raw.empty() && raw[0] != '/' && e.tinfo) {
			out += '(';
			out += resolve_path_param(e, i);
			out += ')';
		}
		break;
	}
	case SCAP_PT_BYTEBUF: append_bytebuf(out, e, d, p.len); break;
	case SCAP_PT_CHARBUFARRAY: append_buffer(out, d, p.len, buffer_limit(e)); break;
	case SCAP_PT_SOCKADDR:
		if (d[0] == 2 && p.len >= 7) {
			append_ip(out, AF_INET, d + 1);
			append_port(out, e, rd16(d + 5));
		} else if (d[0] == 10 && p.len >= 19) {
			append_ip(out, AF_INET6, d + 1);
			append_port(out, e, rd16(d + 17));
		} else if (d[0] == 1) {
			out += event::decode_str({ d + 1, p.len - 1 });
		} else {
			append_fmt(out, "family %u", d[0]);
		}
		break;
	case SCAP_PT_SOCKTUPLE:
		if (d[0] == 2 && p.len >= 13) {
			append_ip(out, AF_INET, d + 1);
			append_port(out, e, rd16(d + 5));
			out += "->";
			append_ip(out, AF_INET, d + 7);
			append_port(out, e, rd16(d + 11));
		} else if (d[0] == 10 && p.len >= 37) {
			append_ip(out, AF_INET6, d + 1);
			append_port(out, e, rd16(d + 17));
			out += "->";
			append_ip(out, AF_INET6, d + 19);
			append_port(out, e, rd16(d + 35));
		} else if (d[0] == 1 && p.len >= 17) {
			append_fmt(out, "%" PRIx64 "->%" PRIx64 " ", rd64(d + 1), rd64(d + 9));
			out += event::decode_str({ d + 17, p.len - 17 });
		} else {
			append_fmt(out, "family %u", d[0]);
		}
		break;
	case SCAP_PT_FDLIST: {
		if (p.len < 2)
			break;
		uint16_t n = rd16(d);
		for (uint32_t k = 0; k < n && 2u + k * 10u + 10u <= p.len; k++) {
			int64_t fd;
			int16_t fl;
			memcpy(&fd, d + 2 + k * 10, 8);
			memcpy(&fl, d + 2 + k * 10 + 8, 2);
			if (k)
				out += ' ';
			const fdinfo *f = e.tinfo ? e.tinfo->fds->find(fd) : nullptr;
			append_fmt(out, "%" PRId64 ":", fd);
			if (f)
				out += fd_typechar(f->type);
			append_fmt(out, "%x", (unsigned)(uint16_t)fl);
		}
		break;
	}
	case SCAP_PT_IPV4ADDR: append_ip(out, AF_INET, d); break;
	case SCAP_PT_IPV6ADDR:
		if (p.len >= 16)
			append_ip(out, AF_INET6, d);
		break;
	case SCAP_PT_DOUBLE: {
		double v;
		memcpy(&v, d, sizeof(v) <= p.len ? sizeof(v) : p.len);
		append_fmt(out, "%lf", v);
		break;
	}
	case SCAP_PT_DYN: {
		// selector byte, then the value; the selector tables are per event (docs/upstream-facts.md §1.6)
		uint8_t sel = d[0];
		scap_param v = { d + 1, p.len - 1 };
		const char *ename = e.info().name;
		if (!strcmp(ename, "setsockopt") || !strcmp(ename, "getsockopt")) {
			if (sel == 1) {
				int64_t x = event::decode_int(v);
				append_fmt(out, "%" PRId64, x);
				const char *en = errno_name_of_res(x);
				if (en)
					append_fmt(out, "(%s)", en);
			} else if (sel == 2 || sel == 3 || sel == 4) {
				append_fmt(out, "%" PRIu64, event::decode_uint(v));
			} else {
				append_buffer(out, d + 1, p.len - 1, buffer_limit(e));
			}
		} else if (!strcmp(ename, "keyctl") && sel == 1) {
			out += event::decode_str(v);
		} else if (!strcmp(ename, "ptrace") && sel == 1) {
			uint64_t s = event::decode_uint(v);
			append_fmt(out, "%" PRIu64, s);
			if (const char *sn = signal_name(s))
				append_fmt(out, "(%s)", sn);
		} else if (!strcmp(ename, "ptrace")) {
			append_fmt(out, "%" PRIX64, event::decode_uint(v));
		} else if (!strcmp(ename, "bpf") && sel == 0) {
			append_fd(out, e, event::decode_int(v));
		} else {
			append_fmt(out, "%" PRId64, event::decode_int(v));
		}
		break;
	}
	default: append_buffer(out, d, p.len, buffer_limit(e)); break;
	}
}

void append_args(std::string &out, const event &e)
{
	if (e.type == SCAP_EVT_SYSCALL_E || e.type == SCAP_EVT_SYSCALL_X)
		return; // generic events show no arguments (their name is the syscall)
	for (uint32_t i = 0; i < e.nparams; i++) {
		const char *n = scap_event_param_name(e.type, i);
		out += n ? n : "?";
		out += '=';
		append_param_value(out, e, i);
		out += ' ';
	}
}

void json_escape(std::string &out, std::string_view s)
{
	out += '"';
	// fast path: copy runs that need no escaping at once
	size_t start = 0, n = s.size();
	const unsigned char *p = (const unsigned char *)s.data();
	size_t k = 0;
	while (k < n) {
		unsigned char c = p[k];
		if (c >= 0x20 && c != '"' && c != '\\') {
			k++;
			continue;
		}
		out.append(s, start, k - start);
		start = k;
		break;
	}
	if (k == n) {
		out.append(s, start, n - start);
		out += '"';
		return;
	}
	for (unsigned char c : s.substr(start)) {
		switch (c) {
		case '"': out += "\\\""; break;
		case '\\': out += "\\\\"; break;
		case '\n': out += "\\n"; break;
		case '\r': out += "\\r"; break;
		case '\t': out += "\\t"; break;
		default:
			if (c < 0x20) {
				char buf[8];
				snprintf(buf, sizeof(buf), "\\u%04x", c);
				out += buf;
			} else {
				out += (char)c;
			}
		}
	}
	out += '"';
}

} // namespace sinsp
