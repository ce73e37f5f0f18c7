// SPDX-License-Identifier: Apache-2.0
// The protobuf wire format and the gRPC-over-HTTP/2 client of container/grpc.h (RFC 9113 framing,
// RFC 7541 literal header fields, the gRPC length-prefixed messages).
#include "container/grpc.h"

#include <cstring>

namespace sinsp::ctr
{

bool pb_reader::varint(uint64_t &v)
{
	v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (m_p >= m_end) {
			m_ok = false;
			return false;
		}
		uint8_t b = *m_p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return true;
	}
	m_ok = false;
	return false;
}

bool pb_reader::next(uint32_t &field, uint32_t &wire_type)
{
	if (!m_ok || m_p >= m_end)
		return false;
	uint64_t key;
	if (!varint(key))
		return false;
	field = (uint32_t)(key >> 3);
	wire_type = (uint32_t)(key & 7);
	if (field == 0) {
		m_ok = false;
		return false;
	}
	return true;
}

bool pb_reader::bytes(std::string_view &v)
{
	uint64_t n;
	if (!varint(n))
		return false;
	if (n > (uint64_t)(m_end - m_p)) {
		m_ok = false;
		return false;
	}
	v = std::string_view((const char *)m_p, (size_t)n);
	m_p += n;
	return true;
}

bool pb_reader::skip(uint32_t wt)
{
	uint64_t v;
	std::string_view s;
	switch (wt) {
	case 0: return varint(v);
	case 1:
		if (m_end - m_p < 8)
			break;
		m_p += 8;
		return true;
	case 2: return bytes(s);
	case 5:
		if (m_end - m_p < 4)
			break;
		m_p += 4;
		return true;
	default: break;
	}
	m_ok = false;
	return false;
}

void pb_writer::raw_varint(uint64_t v)
{
	while (v >= 0x80) {
		m_out += (char)(0x80 | (v & 0x7f));
		v >>= 7;
	}
	m_out += (char)v;
}

void pb_writer::varint(uint32_t field, uint64_t v)
{
	raw_varint((uint64_t)field << 3);
	raw_varint(v);
}

void pb_writer::bytes(uint32_t field, std::string_view v)
{
	raw_varint((uint64_t)field << 3 | 2);
	raw_varint(v.size());
	m_out.append(v.data(), v.size());
}

bool pb_map_entry(std::string_view entry, std::string &key, std::string &value)
{
	pb_reader r(entry);
	uint32_t f, wt;
	key.clear();
	value.clear();
	while (r.next(f, wt)) {
		std::string_view s;
		if ((f == 1 || f == 2) && wt == 2) {
			if (!r.bytes(s))
				return false;
			(f == 1 ? key : value).assign(s.data(), s.size());
		} else if (!r.skip(wt)) {
			return false;
		}
	}
	return r.ok();
}

// ---- HTTP/2 ----

namespace
{

enum : uint8_t { F_DATA = 0, F_HEADERS = 1, F_RST_STREAM = 3, F_SETTINGS = 4, F_PING = 6, F_GOAWAY = 7, F_WINDOW = 8 };
enum : uint8_t { FL_END_STREAM = 1, FL_ACK = 1, FL_END_HEADERS = 4, FL_PADDED = 8, FL_PRIORITY = 0x20 };
constexpr uint32_t MAX_WINDOW = 0x7fffffff;
constexpr size_t MAX_FRAME = 1u << 24;
constexpr size_t MAX_MESSAGE = 16u << 20;

// HPACK integer with an N-bit prefix (first byte's high bits in `high`)
void hp_int(std::string &out, uint8_t high, int prefix_bits, uint64_t v)
{
	uint64_t max = (1u << prefix_bits) - 1;
	if (v < max) {
		out += (char)(high | v);
		return;
	}
	out += (char)(high | max);
	v -= max;
	while (v >= 0x80) {
		out += (char)(0x80 | (v & 0x7f));
		v >>= 7;
	}
	out += (char)v;
}
void hp_str(std::string &out, std::string_view s)
{
	hp_int(out, 0, 7, s.size()); // not Huffman-coded
	out.append(s.data(), s.size());
}
// a literal header field without indexing: by the static table index of its name, or (0) named
void hp_literal(std::string &out, uint32_t name_index, std::string_view name, std::string_view value)
{
	hp_int(out, 0, 4, name_index);
	if (!name_index)
		hp_str(out, name);
	hp_str(out, value);
}

uint32_t be32(const char *p)
{
	const uint8_t *u = (const uint8_t *)p;
	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}
void put32(std::string &out, uint32_t v)
{
	out += (char)(v >> 24);
	out += (char)(v >> 16);
	out += (char)(v >> 8);
	out += (char)v;
}

} // namespace

io_status grpc_client::send_frame(uint8_t type, uint8_t flags, uint32_t sid, std::string_view payload,
				  uint64_t deadline_ns)
{
	std::string f;
	f.reserve(9 + payload.size());
	f += (char)(payload.size() >> 16);
	f += (char)(payload.size() >> 8);
	f += (char)payload.size();
	f += (char)type;
	f += (char)flags;
	put32(f, sid & 0x7fffffff);
	f.append(payload.data(), payload.size());
	return m_conn.send(f.data(), f.size(), deadline_ns);
}

io_status grpc_client::connect(const std::string &sock, uint64_t deadline_ns, std::string &err)
{
	m_in.clear();
	m_streams.clear();
	m_next_sid = 1;
	m_stream_sid = 0;
	m_goaway = false;
	io_status st = m_conn.connect(sock, deadline_ns);
	if (st != io_status::OK) {
		err = m_conn.error();
		return st;
	}
	static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
	std::string settings;
	// SETTINGS_ENABLE_PUSH = 0, SETTINGS_INITIAL_WINDOW_SIZE = 2^31-1: no flow control to do
	settings += std::string("\0\x02", 2);
	put32(settings, 0);
	settings += std::string("\0\x04", 2);
	put32(settings, MAX_WINDOW);
	std::string window;
	put32(window, MAX_WINDOW - 65535);
	if ((st = m_conn.send(preface, sizeof(preface) - 1, deadline_ns)) != io_status::OK ||
	    (st = send_frame(F_SETTINGS, 0, 0, settings, deadline_ns)) != io_status::OK ||
	    (st = send_frame(F_WINDOW, 0, 0, window, deadline_ns)) != io_status::OK) {
		err = st == io_status::TIMEOUT ? sock + ": no answer in time" : m_conn.error();
		m_conn.close();
		return st;
	}
	return io_status::OK;
}

io_status grpc_client::open_stream(const std::string &method, const std::string &req, uint64_t deadline_ns,
				   uint32_t &sid)
{
	sid = m_next_sid;
	m_next_sid += 2;
	std::string h;
	h += (char)0x83;			   // :method POST (static table 3)
	h += (char)0x86;			   // :scheme http (6)
	hp_literal(h, 4, "", method);		   // :path
	hp_literal(h, 1, "", "localhost");	   // :authority
	hp_literal(h, 31, "", "application/grpc"); // content-type
	hp_literal(h, 0, "te", "trailers");
	io_status st = send_frame(F_HEADERS, FL_END_HEADERS, sid, h, deadline_ns);
	if (st != io_status::OK)
		return st;
	std::string msg;
	msg += '\0'; // not compressed
	put32(msg, (uint32_t)req.size());
	msg += req;
	m_streams[sid] = stream();
	return send_frame(F_DATA, FL_END_STREAM, sid, msg, deadline_ns);
}

bool grpc_client::take_message(stream &s, std::string &msg, bool &bad)
{
	bad = false;
	if (s.data.size() < 5)
		return false;
	uint32_t n = be32(s.data.data() + 1);
	if (s.data[0] != 0 || n > MAX_MESSAGE) {
		bad = true; // compressed (never asked for) or too large
		return false;
	}
	if (s.data.size() < 5 + (size_t)n)
		return false;
	msg.assign(s.data, 5, n);
	s.data.erase(0, 5 + (size_t)n);
	return true;
}

io_status grpc_client::pump(uint64_t deadline_ns, std::string &err)
{
	bool eof = false;
	io_status st = m_conn.recv(m_in, 1u << 20, deadline_ns, &eof);
	if (st != io_status::OK) {
		if (st != io_status::STOPPED)
			err = st == io_status::TIMEOUT ? "no answer in time" : m_conn.error();
		return st;
	}
	size_t pos = 0;
	while (m_in.size() - pos >= 9) {
		const uint8_t *h = (const uint8_t *)m_in.data() + pos;
		size_t len = (size_t)h[0] << 16 | (size_t)h[1] << 8 | h[2];
		uint8_t type = h[3], flags = h[4];
		uint32_t sid = be32((const char *)h + 5) & 0x7fffffff;
		if (len > MAX_FRAME) {
			err = "HTTP/2 frame too large";
			return io_status::ERROR;
		}
		if (m_in.size() - pos < 9 + len)
			break;
		std::string_view p(m_in.data() + pos + 9, len);
		pos += 9 + len;
		auto it = m_streams.find(sid);
		switch (type) {
		case F_SETTINGS:
			if (!(flags & FL_ACK) &&
			    (st = send_frame(F_SETTINGS, FL_ACK, 0, "", deadline_ns)) != io_status::OK)
				return st;
			break;
		case F_PING:
			if (!(flags & FL_ACK) && (st = send_frame(F_PING, FL_ACK, 0, p, deadline_ns)) != io_status::OK)
				return st;
			break;
		case F_GOAWAY: m_goaway = true; break;
		case F_DATA:
			if (it != m_streams.end()) {
				std::string_view d = p;
				if (flags & FL_PADDED) {
					size_t pad = d.empty() ? 0 : (uint8_t)d[0];
					if (d.size() < 1 + pad) {
						err = "bad HTTP/2 padding";
						return io_status::ERROR;
					}
					d = d.substr(1, d.size() - 1 - pad);
				}
				it->second.data.append(d.data(), d.size());
				it->second.consumed += len;
				if (flags & FL_END_STREAM)
					it->second.ended = true;
				if (it->second.consumed > (1u << 30) && !it->second.ended) {
					// give the window back (long-lived event streams)
					std::string w;
					put32(w, (uint32_t)it->second.consumed);
					if ((st = send_frame(F_WINDOW, 0, 0, w, deadline_ns)) != io_status::OK ||
					    (st = send_frame(F_WINDOW, 0, sid, w, deadline_ns)) != io_status::OK)
						return st;
					it->second.consumed = 0;
				}
			}
			break;
		case F_HEADERS:
			// response headers or trailers (not decoded: see the header)
			if (it != m_streams.end() && (flags & FL_END_STREAM))
				it->second.ended = true;
			break;
		case F_RST_STREAM:
			if (it != m_streams.end())
				it->second.ended = it->second.reset = true;
			break;
		default: break; // PRIORITY, WINDOW_UPDATE, CONTINUATION, PUSH_PROMISE (disabled)
		}
	}
	m_in.erase(0, pos);
	if (eof) {
		for (auto &kv : m_streams)
			kv.second.ended = true;
		err = "connection closed";
	}
	return io_status::OK;
}

io_status grpc_client::unary(const std::string &method, const std::string &req, std::string &resp, uint64_t deadline_ns,
			     std::string &err)
{
	resp.clear();
	uint32_t sid;
	io_status st = open_stream(method, req, deadline_ns, sid);
	if (st != io_status::OK) {
		err = m_conn.error();
		return st;
	}
	for (;;) {
		stream &s = m_streams[sid];
		bool bad;
		if (take_message(s, resp, bad)) {
			m_streams.erase(sid);
			return io_status::OK;
		}
		if (bad) {
			err = "bad gRPC message";
			return io_status::ERROR;
		}
		if (s.ended || m_goaway) {
			bool reset = s.reset;
			m_streams.erase(sid);
			if (reset) {
				err = "stream reset";
				return io_status::ERROR;
			}
			return io_status::NOT_FOUND; // a status without a message (NotFound, Unimplemented...)
		}
		if ((st = pump(deadline_ns, err)) != io_status::OK)
			return st;
	}
}

io_status grpc_client::start(const std::string &method, const std::string &req, uint64_t deadline_ns, std::string &err)
{
	io_status st = open_stream(method, req, deadline_ns, m_stream_sid);
	if (st != io_status::OK)
		err = m_conn.error();
	return st;
}

io_status grpc_client::read(uint64_t deadline_ns, const std::function<void(std::string_view)> &on_msg, std::string &err)
{
	auto it = m_streams.find(m_stream_sid);
	if (it == m_streams.end())
		return io_status::ERROR;
	io_status st = pump(deadline_ns, err);
	if (st == io_status::TIMEOUT)
		return io_status::OK;
	if (st != io_status::OK)
		return st;
	stream &s = m_streams[m_stream_sid];
	std::string msg;
	bool bad = false;
	while (take_message(s, msg, bad))
		on_msg(msg);
	if (bad || s.ended || m_goaway) {
		if (err.empty())
			err = "event stream ended";
		return io_status::ERROR;
	}
	return io_status::OK;
}

} // namespace sinsp::ctr
