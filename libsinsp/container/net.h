// SPDX-License-Identifier: Apache-2.0
// Unix-socket I/O for the runtime clients: every wait has a deadline and ends at once when the
// client is stopped (a stop fd becomes readable), so that a runtime that is down or slow costs a
// counted timeout, never a stall. An HTTP/1.1 client (Docker Engine and libpod APIs) on top.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sinsp::ctr
{

enum class io_status { OK, NOT_FOUND, TIMEOUT, ERROR, STOPPED };

uint64_t mono_ns();

// A connected unix stream socket (closed by the destructor), and the waits on it.
class conn
{
public:
	conn(int stop_fd) : m_stop(stop_fd)
	{
	}
	~conn();
	conn(const conn &) = delete;
	conn &operator=(const conn &) = delete;

	io_status connect(const std::string &path, uint64_t deadline_ns);
	io_status send(const void *data, size_t len, uint64_t deadline_ns);
	// Some bytes appended to out (at most max); OK with nothing appended at the end of the stream.
	io_status recv(std::string &out, size_t max, uint64_t deadline_ns, bool *eof);
	void close();
	int fd() const
	{
		return m_fd;
	}
	const std::string &error() const
	{
		return m_err;
	}

private:
	io_status wait(short events, uint64_t deadline_ns);
	int m_fd = -1;
	int m_stop;
	std::string m_err;
};

struct http_response {
	int status = 0;
	std::vector<std::pair<std::string, std::string>> headers; // names lower-cased
	std::string body;
	const std::string *header(std::string_view name) const;
};

// GET target on the HTTP server at the unix socket path. OK when a complete response came
// (whatever its status code); TIMEOUT when the deadline passed first; ERROR with err set otherwise.
io_status http_get(const std::string &sock, const std::string &target, uint64_t deadline_ns, int stop_fd,
		   http_response &resp, std::string &err, size_t max_body = 16u << 20);

// A streamed GET (the runtimes' event streams): headers within the deadline, then each line of the
// body (chunked or not) to on_line as it comes, until the server closes, the client is stopped or
// idle_check() returns false (it is called at least every poll_ms).
class http_stream
{
public:
	explicit http_stream(int stop_fd) : m_conn(stop_fd)
	{
	}
	io_status open(const std::string &sock, const std::string &target, uint64_t deadline_ns, std::string &err);
	// Read what is there (waiting at most until deadline_ns); complete lines go to on_line.
	// OK while the stream goes on, ERROR when it ended (closed or malformed), STOPPED.
	io_status pump(uint64_t deadline_ns, const std::function<void(std::string_view)> &on_line);
	int fd() const
	{
		return m_conn.fd();
	}
	void close()
	{
		m_conn.close();
	}
	// The server named libpod in its headers (podman).
	bool libpod() const
	{
		return m_libpod;
	}

private:
	bool decode(const std::function<void(std::string_view)> &on_line);
	conn m_conn;
	bool m_chunked = false;
	bool m_libpod = false;
	std::string m_raw;   // bytes not decoded yet
	std::string m_lines; // decoded body not split yet
	uint64_t m_chunk_left = 0;
	bool m_in_chunk = false;
};

// "%2F" & co. for a query string value.
std::string url_encode(std::string_view s);

} // namespace sinsp::ctr
