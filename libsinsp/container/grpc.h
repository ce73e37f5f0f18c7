// SPDX-License-Identifier: Apache-2.0
// A minimal gRPC client over HTTP/2 on a unix socket (the CRI of containerd, CRI-O and k3s), and a
// protobuf wire-format reader and writer: enough for unary and server-streaming calls with small
// requests. No dependency: HPACK is only written (literal fields, no Huffman); the server's
// headers are not decoded, so a call's outcome is whether a response message came before the
// stream ended (a CRI error, such as NotFound, ends the stream with trailers only).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "container/net.h"

namespace sinsp::ctr
{

// ---- protobuf wire format ----
class pb_reader
{
public:
	explicit pb_reader(std::string_view buf) : m_p((const uint8_t *)buf.data()), m_end(m_p + buf.size())
	{
	}
	// The next field's number and wire type; false at the end or on malformed input (then ok()
	// is false).
	bool next(uint32_t &field, uint32_t &wire_type);
	bool varint(uint64_t &v);
	bool bytes(std::string_view &v);
	bool skip(uint32_t wire_type);
	bool ok() const
	{
		return m_ok;
	}

private:
	const uint8_t *m_p, *m_end;
	bool m_ok = true;
};

class pb_writer
{
public:
	void varint(uint32_t field, uint64_t v);
	void bytes(uint32_t field, std::string_view v);
	const std::string &data() const
	{
		return m_out;
	}

private:
	void raw_varint(uint64_t v);
	std::string m_out;
};

// Entries of a map<string, string> field: each a message {1: key, 2: value}.
bool pb_map_entry(std::string_view entry, std::string &key, std::string &value);

// ---- gRPC over HTTP/2 ----
class grpc_client
{
public:
	explicit grpc_client(int stop_fd) : m_conn(stop_fd)
	{
	}
	io_status connect(const std::string &sock, uint64_t deadline_ns, std::string &err);
	// One request, one response (resp). NOT_FOUND when the call ended without a message.
	io_status unary(const std::string &method, const std::string &req, std::string &resp, uint64_t deadline_ns,
			std::string &err);
	// A server-streaming call: start() sends the request; read() hands each message that arrives
	// before the deadline to on_msg, OK while the stream goes on, ERROR when it ended.
	io_status start(const std::string &method, const std::string &req, uint64_t deadline_ns, std::string &err);
	io_status read(uint64_t deadline_ns, const std::function<void(std::string_view)> &on_msg, std::string &err);
	int fd() const
	{
		return m_conn.fd();
	}
	void close()
	{
		m_conn.close();
	}

private:
	struct stream {
		std::string data; // DATA payloads not yet split into messages
		bool ended = false;
		bool reset = false;
		uint64_t consumed = 0;
	};
	io_status send_frame(uint8_t type, uint8_t flags, uint32_t sid, std::string_view payload, uint64_t deadline_ns);
	io_status open_stream(const std::string &method, const std::string &req, uint64_t deadline_ns, uint32_t &sid);
	// Read and handle frames (waiting at most until deadline_ns for the first bytes).
	io_status pump(uint64_t deadline_ns, std::string &err);
	static bool take_message(stream &s, std::string &msg, bool &bad);

	conn m_conn;
	std::string m_in;
	uint32_t m_next_sid = 1;
	uint32_t m_stream_sid = 0; // the server-streaming call
	std::map<uint32_t, stream> m_streams;
	bool m_goaway = false;
};

} // namespace sinsp::ctr
