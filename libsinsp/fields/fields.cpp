// SPDX-License-Identifier: Apache-2.0
// The built-in field classes (docs/upstream-facts.md §8.7), one file each: evt.cpp, process.cpp,
// user.cpp (user, group), container.cpp (container, k8s), fd.cpp, fspath.cpp, fdlist.cpp, and
// fast_paths.cpp. Implements the field_registry contract of fields/field_api.h.
#include "fields/registry.h"
#include "fields/registry_impl.h"

namespace sinsp
{
namespace fields_detail
{

registry_impl::registry_impl()
{
	// in the order `-l` lists the classes
	add_evt_fields();
	add_process_fields();
	add_user_fields();
	add_container_fields();
	add_fd_fields();
	add_fspath_fields();
	add_fdlist_fields();
	add_fast_paths();
}

} // namespace fields_detail

using fields_detail::registry_impl;
using fields_detail::render_value;

const field_registry &builtin_field_registry()
{
	static const registry_impl reg;
	return reg;
}

const field_registry *inspector_field_registry(struct sinsp_inspector *)
{
	return &builtin_field_registry();
}

std::string render_field_value(const field_value &v)
{
	return render_value(v);
}

} // namespace sinsp
