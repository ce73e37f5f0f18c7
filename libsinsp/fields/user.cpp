// SPDX-License-Identifier: Apache-2.0
// The user and group: the users and groups of the event's thread.
#include "fields/registry_impl.h"

namespace sinsp
{
namespace fields_detail
{

void registry_impl::add_user_fields()
{
	[[maybe_unused]] const uint32_t A = FF_ARG_ALLOWED, R = FF_ARG_REQUIRED, F = FF_FILTER_ONLY, P = FF_PRINT_ONLY,
					D = FF_DEPRECATED, L = FF_LIST;
	using ev [[maybe_unused]] = const event &;
	using bd [[maybe_unused]] = const bound &;

	// ---------------- user / group ----------------
	add("user.uid", ftype::UINT64, 0, "user", "effective user id", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && U64(o, t->uid); // 4294967295 when unknown, as upstream prints it
	});
	auto userf = [](int what) {
		return [what](ev e, bd, vals &o) {
			threadinfo *t = TI(e);
			if (!t || t->uid == UINT32_MAX)
				return false;
			auto it = e.insp->users.find(t->uid);
			if (it == e.insp->users.end())
				return what == 0 && t->uid == 0 && S(o, "root");
			const user_entry &u = it->second;
			return S(o, what == 0 ? u.name : what == 1 ? u.home : u.shell);
		};
	};
	add("user.name", ftype::STRING, 0, "user", "user name", userf(0));
	add("user.homedir", ftype::STRING, 0, "user", "home directory", userf(1));
	add("user.shell", ftype::STRING, 0, "user", "login shell", userf(2));
	add("user.loginuid", ftype::INT64, 0, "user", "audit login uid (-1 if unset)", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && I64(o, t->loginuid == UINT32_MAX ? -1 : (int64_t)t->loginuid);
	});
	add("user.loginname", ftype::STRING, 0, "user", "name of the audit login user", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		if (!t || t->loginuid == UINT32_MAX)
			return false;
		auto it = e.insp->users.find(t->loginuid);
		if (it == e.insp->users.end())
			return t->loginuid == 0 && S(o, "root");
		return S(o, it->second.name);
	});
	add("group.gid", ftype::UINT64, 0, "group", "effective group id", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		return t && U64(o, t->gid);
	});
	add("group.name", ftype::STRING, 0, "group", "group name", [](ev e, bd, vals &o) {
		threadinfo *t = TI(e);
		if (!t || t->gid == UINT32_MAX)
			return false;
		auto it = e.insp->groups.find(t->gid);
		if (it == e.insp->groups.end())
			return t->gid == 0 && S(o, "root");
		return S(o, it->second.name);
	});
}

} // namespace fields_detail
} // namespace sinsp
