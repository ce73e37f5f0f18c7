// SPDX-License-Identifier: Apache-2.0
// The container runtime clients: the Docker Engine API (docker, and podman's compatible socket),
// podman's libpod API, and the CRI (containerd, CRI-O, k3s) over gRPC. Each is used by one worker
// thread (container/manager.cpp); every call has a deadline and ends early when stopped.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "container/info.h"
#include "container/net.h"

namespace sinsp::ctr
{

enum class rt_kind { DOCKER, PODMAN, CRI };
const char *rt_kind_name(rt_kind k); // "docker", "podman", "cri"

struct lookup_result {
	io_status st = io_status::ERROR;
	std::shared_ptr<info> c; // st == OK
	std::string err;
};

// What a runtime's event stream said about a container.
struct rt_event {
	enum kind_t { CREATED, STARTED, REMOVED } kind;
	std::string id; // full or short id
	// what the event itself says (name, image, labels): metadata until the lookup answers
	std::shared_ptr<info> partial;
};

class runtime_client
{
public:
	virtual ~runtime_client() = default;
	// The metadata of container id (full or short), within the deadline.
	virtual lookup_result lookup(const std::string &id, uint64_t deadline_ns) = 0;
	// The ids of the running containers.
	virtual io_status list(std::vector<std::string> &ids, uint64_t deadline_ns, std::string &err) = 0;
	// The event stream: open, then pump() whenever fd() is readable.
	virtual io_status open_events(uint64_t deadline_ns, std::string &err) = 0;
	virtual io_status pump_events(uint64_t deadline_ns, const std::function<void(const rt_event &)> &cb,
				      std::string &err) = 0;
	virtual int events_fd() const = 0;
	virtual void close_events() = 0;
};

// label_max_len: labels with longer values are left out (upstream's label_max_len).
std::unique_ptr<runtime_client> make_docker_client(const std::string &sock, bool libpod, int stop_fd,
						   size_t label_max_len);
std::unique_ptr<runtime_client> make_cri_client(const std::string &sock, int stop_fd, size_t label_max_len);

// Exposed for the tests (tests/test_container_api.py through the C API).
// A Docker Engine API /containers/{id}/json (libpod: the libpod inspect) answer; image_json is
// the /images/{id}/json answer ("" when not fetched); type CT_DOCKER or CT_PODMAN.
bool parse_docker_inspect(const json::value &root, const json::value *image, bool libpod, int type,
			  size_t label_max_len, info &c);
// RFC 3339 time ("2024-01-02T03:04:05.123Z") to seconds since the epoch (0 if malformed).
int64_t parse_rfc3339(const std::string &s);

} // namespace sinsp::ctr
