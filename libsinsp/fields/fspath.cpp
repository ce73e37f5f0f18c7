// SPDX-License-Identifier: Apache-2.0
// The fs.path: the paths of file-system events (name, source, target).
#include "fields/registry_impl.h"

namespace sinsp
{
namespace fields_detail
{

void registry_impl::add_fspath_fields()
{
	[[maybe_unused]] const uint32_t A = FF_ARG_ALLOWED, R = FF_ARG_REQUIRED, F = FF_FILTER_ONLY, P = FF_PRINT_ONLY,
					D = FF_DEPRECATED, L = FF_LIST;
	using ev [[maybe_unused]] = const event &;
	using bd [[maybe_unused]] = const bound &;

	// ---------------- fs.path ----------------
	const char *FS = "fs.path";
	add("fs.path.name", ftype::STRING, 0, FS, "path of a single-path file event (resolved)", [](ev e, bd, vals &o) {
		std::string s;
		return event_path(e, pathrole::NAME, false, s) && S(o, s);
	});
	add("fs.path.nameraw", ftype::STRING, 0, FS, "path of a single-path file event (as given)",
	    [](ev e, bd, vals &o) {
		    std::string s;
		    return event_path(e, pathrole::NAME, true, s) && S(o, s);
	    });
	add("fs.path.source", ftype::STRING, 0, FS, "source path of rename/link/symlink (resolved)",
	    [](ev e, bd, vals &o) {
		    std::string s;
		    return event_path(e, pathrole::SOURCE, false, s) && S(o, s);
	    });
	add("fs.path.sourceraw", ftype::STRING, 0, FS, "source path of rename/link/symlink (as given)",
	    [](ev e, bd, vals &o) {
		    std::string s;
		    return event_path(e, pathrole::SOURCE, true, s) && S(o, s);
	    });
	add("fs.path.target", ftype::STRING, 0, FS, "target path of rename/link/symlink (resolved)",
	    [](ev e, bd, vals &o) {
		    std::string s;
		    return event_path(e, pathrole::TARGET, false, s) && S(o, s);
	    });
	add("fs.path.targetraw", ftype::STRING, 0, FS, "target path of rename/link/symlink (as given)",
	    [](ev e, bd, vals &o) {
		    std::string s;
		    return event_path(e, pathrole::TARGET, true, s) && S(o, s);
	    });
}

} // namespace fields_detail
} // namespace sinsp
