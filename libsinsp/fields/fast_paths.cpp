// SPDX-License-Identifier: Apache-2.0
// The the scalar and string-view fast paths of the fields filters compare most.
#include "fields/registry_impl.h"

namespace sinsp
{
namespace fields_detail
{

void registry_impl::add_fast_paths()
{
	[[maybe_unused]] const uint32_t A = FF_ARG_ALLOWED, R = FF_ARG_REQUIRED, F = FF_FILTER_ONLY, P = FF_PRINT_ONLY,
					D = FF_DEPRECATED, L = FF_LIST;
	using ev [[maybe_unused]] = const event &;
	using bd [[maybe_unused]] = const bound &;

	// The scalar fast paths (field_ref::extract_scalar()): the same values as the extractors
	// above, for the numeric fields filters compare most.
	scalar("evt.num", [](ev e, const void *, field_value &v) {
		v.type = ftype::UINT64;
		v.u = e.num;
		return true;
	});
	scalar("evt.cpu", [](ev e, const void *, field_value &v) {
		v.type = ftype::INT64;
		v.i = e.cpu;
		return true;
	});
	scalar("thread.tid", [](ev e, const void *, field_value &v) {
		v.type = ftype::INT64;
		v.i = e.tid();
		return true;
	});
	scalar("proc.pid", [](ev e, const void *, field_value &v) {
		threadinfo *t = TI(e);
		if (!t)
			return false;
		v.type = ftype::INT64;
		v.i = t->pid >= 0 ? t->pid : t->tid;
		return true;
	});
	scalar("fd.num", [](ev e, const void *, field_value &v) {
		if (!e.fdi)
			return false;
		v.type = ftype::INT64;
		v.i = e.fdnum;
		return true;
	});

	// The string views (field_ref::extract_view()): the same values as the extractors above,
	// without a copy, for the string fields rules compare most. -1: extract() handles it.
	view("evt.type", [](ev e, bd, std::string_view &v) {
		v = e.name();
		return 1;
	});
	view("proc.name", [](ev e, bd, std::string_view &v) {
		threadinfo *t = TI(e);
		if (!t)
			return 0;
		v = t->comm;
		return 1;
	});
	view("proc.exe", [](ev e, bd, std::string_view &v) {
		threadinfo *t = TI(e);
		if (!t)
			return 0;
		v = t->exe;
		return 1;
	});
	view("proc.exepath", [](ev e, bd, std::string_view &v) {
		threadinfo *t = TI(e);
		if (!t)
			return 0;
		v = t->exepath;
		return 1;
	});
	view("proc.pname", [](ev e, bd, std::string_view &v) {
		threadinfo *p = PT(e);
		if (!p || p->comm.empty())
			return 0;
		v = p->comm;
		return 1;
	});
	view("proc.aname", [](ev e, bd b, std::string_view &v) {
		if (!b.has_arg)
			return -1; // every ancestor: a list
		threadinfo *t = ancestor(e, b.num);
		if (!t || t->comm.empty())
			return 0;
		v = t->comm;
		return 1;
	});
	view("fd.name", [](ev e, bd, std::string_view &v) {
		if (!e.fdi)
			return -1; // the name of a failed open and others: extract()
		v = e.fdi->name;
		return 1;
	});
	view("fd.type", [](ev e, bd, std::string_view &v) {
		if (!e.fdi)
			return 0;
		v = fd_typestr(e.fdi->type);
		return 1;
	});
	view("fd.typechar", [](ev e, bd, std::string_view &v) {
		static char chars[256];
		static bool init = [] {
			for (int i = 0; i < 256; i++)
				chars[i] = (char)i;
			return true;
		}();
		(void)init;
		if (!e.fdi)
			return 0;
		v = std::string_view(&chars[(unsigned char)fd_typechar(e.fdi->type)], 1);
		return 1;
	});
	view("fd.directory", [](ev e, bd, std::string_view &v) {
		if (!e.fdi)
			return 0;
		const std::string &n = e.fdi->name;
		if (e.fdi->type == SCAP_FD_DIRECTORY) {
			v = n;
			return 1;
		}
		if (e.fdi->type != SCAP_FD_FILE)
			return 0;
		size_t s = n.rfind('/');
		if (s == std::string::npos)
			return 0;
		v = std::string_view(n.data(), s == 0 ? 1 : s);
		return 1;
	});
	view("fd.filename", [](ev e, bd, std::string_view &v) {
		if (!e.fdi || e.fdi->type != SCAP_FD_FILE)
			return 0;
		const std::string &n = e.fdi->name;
		size_t s = n.rfind('/');
		v = s == std::string::npos ? std::string_view(n) : std::string_view(n).substr(s + 1);
		return 1;
	});
	view("user.name", [](ev e, bd, std::string_view &v) {
		threadinfo *t = TI(e);
		if (!t || t->uid == UINT32_MAX)
			return 0;
		auto it = e.insp->users.find(t->uid);
		if (it == e.insp->users.end()) {
			if (t->uid != 0)
				return 0;
			v = "root";
			return 1;
		}
		v = it->second.name;
		return 1;
	});
}

} // namespace fields_detail
} // namespace sinsp
