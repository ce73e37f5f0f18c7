// SPDX-License-Identifier: Apache-2.0
// Unix-socket I/O with deadlines and a stop fd, and the HTTP/1.1 client of container/net.h.
#include "container/net.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace sinsp::ctr
{

uint64_t mono_ns()
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

conn::~conn()
{
	close();
}

void conn::close()
{
	if (m_fd >= 0)
		::close(m_fd);
	m_fd = -1;
}

io_status conn::wait(short events, uint64_t deadline_ns)
{
	for (;;) {
		uint64_t now = mono_ns();
		if (now >= deadline_ns)
			return io_status::TIMEOUT;
		uint64_t left_ms = (deadline_ns - now + 999999) / 1000000;
		struct pollfd p[2] = { { m_fd, events, 0 }, { m_stop, POLLIN, 0 } };
		int n = poll(p, m_stop >= 0 ? 2 : 1, left_ms > 60000 ? 60000 : (int)left_ms);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			m_err = std::string("poll: ") + strerror(errno);
			return io_status::ERROR;
		}
		if (m_stop >= 0 && (p[1].revents & POLLIN))
			return io_status::STOPPED;
		if (p[0].revents)
			return io_status::OK;
	}
}

io_status conn::connect(const std::string &path, uint64_t deadline_ns)
{
	close();
	struct sockaddr_un sa;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (path.size() >= sizeof(sa.sun_path)) {
		m_err = path + ": path too long for a unix socket";
		return io_status::ERROR;
	}
	memcpy(sa.sun_path, path.data(), path.size());
	m_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (m_fd < 0) {
		m_err = std::string("socket: ") + strerror(errno);
		return io_status::ERROR;
	}
	if (::connect(m_fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return io_status::OK;
	if (errno != EINPROGRESS && errno != EAGAIN) {
		m_err = path + ": " + strerror(errno);
		close();
		return io_status::ERROR;
	}
	// a listener whose backlog is full: wait for it
	io_status st = wait(POLLOUT, deadline_ns);
	if (st != io_status::OK) {
		if (st == io_status::TIMEOUT)
			m_err = path + ": connect timed out";
		close();
		return st;
	}
	int soerr = 0;
	socklen_t sl = sizeof(soerr);
	getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
	if (soerr) {
		m_err = path + ": " + strerror(soerr);
		close();
		return io_status::ERROR;
	}
	return io_status::OK;
}

io_status conn::send(const void *data, size_t len, uint64_t deadline_ns)
{
	const char *p = (const char *)data;
	while (len) {
		ssize_t n = ::send(m_fd, p, len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			io_status st = wait(POLLOUT, deadline_ns);
			if (st != io_status::OK)
				return st;
			continue;
		}
		m_err = std::string("send: ") + strerror(errno);
		return io_status::ERROR;
	}
	return io_status::OK;
}

io_status conn::recv(std::string &out, size_t max, uint64_t deadline_ns, bool *eof)
{
	*eof = false;
	char buf[16384];
	for (;;) {
		ssize_t n = ::recv(m_fd, buf, max < sizeof(buf) ? max : sizeof(buf), 0);
		if (n > 0) {
			out.append(buf, (size_t)n);
			return io_status::OK;
		}
		if (n == 0) {
			*eof = true;
			return io_status::OK;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			io_status st = wait(POLLIN, deadline_ns);
			if (st != io_status::OK)
				return st;
			continue;
		}
		m_err = std::string("recv: ") + strerror(errno);
		return io_status::ERROR;
	}
}

const std::string *http_response::header(std::string_view name) const
{
	for (const auto &h : headers)
		if (h.first == name)
			return &h.second;
	return nullptr;
}

namespace
{

std::string lower(std::string s)
{
	for (char &c : s)
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
	return s;
}

std::string trim(const std::string &s)
{
	size_t a = 0, b = s.size();
	while (a < b && (s[a] == ' ' || s[a] == '\t'))
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r'))
		b--;
	return s.substr(a, b - a);
}

// Status line and headers of head (without the blank line). false if malformed.
bool parse_head(const std::string &head, http_response &r)
{
	size_t eol = head.find("\r\n");
	std::string status = head.substr(0, eol);
	if (status.compare(0, 5, "HTTP/") != 0)
		return false;
	size_t sp = status.find(' ');
	if (sp == std::string::npos)
		return false;
	r.status = atoi(status.c_str() + sp + 1);
	if (r.status < 100 || r.status > 999)
		return false;
	size_t pos = eol == std::string::npos ? head.size() : eol + 2;
	while (pos < head.size()) {
		size_t e = head.find("\r\n", pos);
		if (e == std::string::npos)
			e = head.size();
		std::string line = head.substr(pos, e - pos);
		pos = e + 2;
		size_t colon = line.find(':');
		if (colon == std::string::npos)
			continue;
		r.headers.emplace_back(lower(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
	}
	return true;
}

// Decode a complete chunked body from raw[pos..]; 1 done, 0 needs more bytes, -1 malformed.
int dechunk(const std::string &raw, size_t pos, std::string &body, size_t max)
{
	body.clear();
	for (;;) {
		size_t e = raw.find("\r\n", pos);
		if (e == std::string::npos)
			return 0;
		char *end = nullptr;
		std::string szs = raw.substr(pos, e - pos);
		unsigned long long sz = strtoull(szs.c_str(), &end, 16);
		if (end == szs.c_str() || sz > max)
			return -1;
		pos = e + 2;
		if (sz == 0)
			return 1; // trailers are not read (Connection: close)
		if (raw.size() < pos + sz + 2)
			return 0;
		body.append(raw, pos, sz);
		if (body.size() > max)
			return -1;
		pos += sz + 2;
	}
}

} // namespace

io_status http_get(const std::string &sock, const std::string &target, uint64_t deadline_ns, int stop_fd,
		   http_response &resp, std::string &err, size_t max_body)
{
	resp = http_response();
	conn c(stop_fd);
	io_status st = c.connect(sock, deadline_ns);
	if (st != io_status::OK) {
		err = c.error();
		return st;
	}
	std::string req = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: pyscap\r\nAccept: " +
			  "application/json\r\nConnection: close\r\n\r\n";
	if ((st = c.send(req.data(), req.size(), deadline_ns)) != io_status::OK) {
		err = st == io_status::TIMEOUT ? sock + ": request timed out" : c.error();
		return st;
	}
	std::string raw;
	size_t head_end = std::string::npos;
	bool eof = false;
	for (;;) {
		if (head_end == std::string::npos) {
			head_end = raw.find("\r\n\r\n");
			if (head_end != std::string::npos) {
				if (!parse_head(raw.substr(0, head_end), resp)) {
					err = sock + ": not an HTTP response";
					return io_status::ERROR;
				}
			} else if (raw.size() > 65536) {
				err = sock + ": HTTP headers too large";
				return io_status::ERROR;
			}
		}
		if (head_end != std::string::npos) {
			size_t body_at = head_end + 4;
			const std::string *te = resp.header("transfer-encoding");
			const std::string *cl = resp.header("content-length");
			if (te && lower(*te).find("chunked") != std::string::npos) {
				int d = dechunk(raw, body_at, resp.body, max_body);
				if (d < 0) {
					err = sock + ": bad chunked body";
					return io_status::ERROR;
				}
				if (d > 0)
					return io_status::OK;
			} else if (cl) {
				unsigned long long n = strtoull(cl->c_str(), nullptr, 10);
				if (n > max_body) {
					err = sock + ": response too large";
					return io_status::ERROR;
				}
				if (raw.size() - body_at >= n) {
					resp.body = raw.substr(body_at, n);
					return io_status::OK;
				}
			} else if (eof || resp.status == 204 || resp.status == 304) {
				resp.body = raw.substr(body_at);
				return io_status::OK;
			}
			if (raw.size() - body_at > max_body + 65536) {
				err = sock + ": response too large";
				return io_status::ERROR;
			}
		}
		if (eof) {
			err = sock + ": connection closed before the end of the response";
			return io_status::ERROR;
		}
		st = c.recv(raw, 1u << 20, deadline_ns, &eof);
		if (st != io_status::OK) {
			err = st == io_status::TIMEOUT ? sock + ": no answer in time" : c.error();
			return st;
		}
	}
}

io_status http_stream::open(const std::string &sock, const std::string &target, uint64_t deadline_ns, std::string &err)
{
	m_raw.clear();
	m_lines.clear();
	m_chunk_left = 0;
	m_in_chunk = false;
	io_status st = m_conn.connect(sock, deadline_ns);
	if (st != io_status::OK) {
		err = m_conn.error();
		return st;
	}
	std::string req = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: pyscap\r\n\r\n";
	if ((st = m_conn.send(req.data(), req.size(), deadline_ns)) != io_status::OK) {
		err = m_conn.error();
		m_conn.close();
		return st;
	}
	for (;;) {
		size_t e = m_raw.find("\r\n\r\n");
		if (e != std::string::npos) {
			http_response r;
			if (!parse_head(m_raw.substr(0, e), r) || r.status != 200) {
				err = sock + ": event stream refused (HTTP " + std::to_string(r.status) + ")";
				m_conn.close();
				return io_status::ERROR;
			}
			const std::string *te = r.header("transfer-encoding");
			m_chunked = te && lower(*te).find("chunked") != std::string::npos;
			const std::string *server = r.header("server");
			m_libpod = r.header("libpod-api-version") || (server && server->compare(0, 6, "Libpod") == 0);
			m_raw.erase(0, e + 4);
			return io_status::OK;
		}
		if (m_raw.size() > 65536) {
			err = sock + ": HTTP headers too large";
			m_conn.close();
			return io_status::ERROR;
		}
		bool eof;
		st = m_conn.recv(m_raw, 65536, deadline_ns, &eof);
		if (st == io_status::OK && eof) {
			err = sock + ": event stream closed";
			st = io_status::ERROR;
		}
		if (st != io_status::OK) {
			if (err.empty())
				err = st == io_status::TIMEOUT ? sock + ": event stream: no answer in time"
							       : m_conn.error();
			m_conn.close();
			return st;
		}
	}
}

bool http_stream::decode(const std::function<void(std::string_view)> &on_line)
{
	if (!m_chunked) {
		m_lines += m_raw;
		m_raw.clear();
	} else {
		size_t pos = 0;
		for (;;) {
			if (m_in_chunk) {
				size_t take = m_raw.size() - pos;
				if (take > m_chunk_left)
					take = m_chunk_left;
				m_lines.append(m_raw, pos, take);
				pos += take;
				m_chunk_left -= take;
				if (m_chunk_left)
					break;
				if (m_raw.size() - pos < 2)
					break; // the CRLF after the chunk
				pos += 2;
				m_in_chunk = false;
				continue;
			}
			size_t e = m_raw.find("\r\n", pos);
			if (e == std::string::npos) {
				if (m_raw.size() - pos > 64)
					return false;
				break;
			}
			char *end = nullptr;
			std::string szs = m_raw.substr(pos, e - pos);
			m_chunk_left = strtoull(szs.c_str(), &end, 16);
			if (end == szs.c_str())
				return false;
			pos = e + 2;
			if (m_chunk_left == 0)
				return false; // the last chunk: the stream ends
			m_in_chunk = true;
		}
		m_raw.erase(0, pos);
	}
	size_t start = 0;
	for (;;) {
		size_t nl = m_lines.find('\n', start);
		if (nl == std::string::npos)
			break;
		std::string_view line(m_lines.data() + start, nl - start);
		if (!line.empty() && line.back() == '\r')
			line.remove_suffix(1);
		if (!line.empty())
			on_line(line);
		start = nl + 1;
	}
	m_lines.erase(0, start);
	return m_lines.size() <= (4u << 20); // one event line is not that long
}

io_status http_stream::pump(uint64_t deadline_ns, const std::function<void(std::string_view)> &on_line)
{
	if (m_conn.fd() < 0)
		return io_status::ERROR;
	bool eof;
	io_status st = m_conn.recv(m_raw, 1u << 16, deadline_ns, &eof);
	if (st == io_status::TIMEOUT)
		return io_status::OK; // nothing new
	if (st != io_status::OK)
		return st;
	bool ok = decode(on_line);
	if (eof || !ok) {
		m_conn.close();
		return io_status::ERROR;
	}
	return io_status::OK;
}

std::string url_encode(std::string_view s)
{
	static const char hex[] = "0123456789ABCDEF";
	std::string out;
	for (unsigned char c : s) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '_' || c == '.' || c == '~') {
			out += (char)c;
		} else {
			out += '%';
			out += hex[c >> 4];
			out += hex[c & 15];
		}
	}
	return out;
}

} // namespace sinsp::ctr
