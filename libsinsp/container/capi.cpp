// SPDX-License-Identifier: Apache-2.0
// The C API of the container metadata (sinsp/container.h).
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "capi_guard.h"
#include "container/manager.h"
#include "inspector_impl.h"
#include "sinsp/container.h"

using namespace sinsp;

namespace
{

inspector *I(sinsp_inspector *p)
{
	return reinterpret_cast<inspector *>(p);
}

ctr::manager *M(sinsp_inspector *p)
{
	if (!p || !I(p)->containers) {
		set_error("container API: no inspector");
		return nullptr;
	}
	ctr::manager *m = I(p)->containers.get();
	m->poll_now();
	return m;
}

thread_local std::string t_id; // sinsp_inspector__container_id_at()'s answer

} // namespace

extern "C" {

int sinsp_inspector__container_stats(struct sinsp_inspector *insp, struct sinsp_container_stats *st)
{
	return sinsp::guard("sinsp_inspector__container_stats", [&]() -> int {
		ctr::manager *m = M(insp);
		if (!m || !st || st->sz < sizeof(size_t))
			return -EINVAL;
		sinsp_container_stats s;
		memset(&s, 0, sizeof(s));
		s.sz = sizeof(s);
		m->stats(s);
		size_t n = st->sz < sizeof(s) ? st->sz : sizeof(s);
		size_t sz = st->sz;
		memcpy(st, &s, n);
		st->sz = sz;
		return 0;
	});
}

const char *sinsp_inspector__container_json(struct sinsp_inspector *insp, const char *id)
{
	return sinsp::guard_or<const char *>("sinsp_inspector__container_json", nullptr, [&]() -> const char * {
		ctr::manager *m = M(insp);
		if (!m || !id)
			return nullptr;
		const std::string *j = m->json_of(id);
		return j ? j->c_str() : nullptr;
	});
}

uint32_t sinsp_inspector__ncontainers(struct sinsp_inspector *insp)
{
	return sinsp::guard_or<uint32_t>("sinsp_inspector__ncontainers", 0, [&]() -> uint32_t {
		ctr::manager *m = M(insp);
		return m ? (uint32_t)m->ids().size() : 0;
	});
}

const char *sinsp_inspector__container_id_at(struct sinsp_inspector *insp, uint32_t i)
{
	return sinsp::guard_or<const char *>("sinsp_inspector__container_id_at", nullptr, [&]() -> const char * {
		ctr::manager *m = M(insp);
		if (!m)
			return nullptr;
		std::vector<std::string> ids = m->ids();
		if (i >= ids.size())
			return nullptr;
		t_id = ids[i];
		return t_id.c_str();
	});
}

int sinsp_inspector__add_container_json(struct sinsp_inspector *insp, const char *json)
{
	return sinsp::guard("sinsp_inspector__add_container_json", [&]() -> int {
		ctr::manager *m = M(insp);
		if (!m || !json)
			return -EINVAL;
		if (!m->add_json(json, false)) {
			set_error("sinsp_inspector__add_container_json: not a container event's JSON");
			return -EINVAL;
		}
		return 0;
	});
}

uint64_t sinsp_inspector__containers_version(struct sinsp_inspector *insp)
{
	return insp && I(insp)->containers ? I(insp)->containers->version() : 0;
}

int sinsp_inspector__dump_containers(struct sinsp_inspector *insp, struct scap_dumper *d, uint64_t ts,
				     uint64_t *version)
{
	return sinsp::guard("sinsp_inspector__dump_containers", [&]() -> int {
		ctr::manager *m = M(insp);
		if (!m || !d || !version)
			return -EINVAL;
		return m->dump(d, ts, *version);
	});
}

int sinsp_container_from_cgroup(const char *path, char *id, size_t id_len, char *runtime, size_t runtime_len)
{
	return sinsp::guard("sinsp_container_from_cgroup", [&]() -> int {
		if (!path || !id || !runtime || !id_len || !runtime_len)
			return -EINVAL;
		std::string i, r;
		if (!container_from_cgroup(path, i, r))
			i.clear(), r.clear();
		snprintf(id, id_len, "%s", i.c_str());
		snprintf(runtime, runtime_len, "%s", r.c_str());
		return 0;
	});
}

int sinsp_container_parse_docker(const char *inspect_json, const char *image_json, bool libpod, const char *type,
				 char *out, size_t out_len)
{
	return sinsp::guard("sinsp_container_parse_docker", [&]() -> int {
		if (!inspect_json || (!out && out_len))
			return -EINVAL;
		ctr::json::value root, image;
		if (!ctr::json::parse(inspect_json, root))
			return -EINVAL;
		bool have_image = image_json && *image_json && ctr::json::parse(image_json, image);
		int t = type ? ctr::ctype_of(type) : ctr::CT_DOCKER;
		ctr::info c;
		if (!ctr::parse_docker_inspect(root, have_image ? &image : nullptr, libpod, t, 100, c))
			return -EINVAL;
		std::string j = c.to_json();
		if (out_len)
			snprintf(out, out_len, "%s", j.c_str());
		return (int)j.size();
	});
}

} // extern "C"
