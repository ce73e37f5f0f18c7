// SPDX-License-Identifier: Apache-2.0
// Rendering of event parameters as upstream's evt.args shows them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sinsp
{

class event;

// A byte as buffers show it in the dots format: itself if printable ASCII, else '.'.
inline bool is_printable(uint8_t c)
{
	return c >= 0x20 && c < 0x7f;
}
inline char printable_or_dot(uint8_t c)
{
	return is_printable(c) ? (char)c : '.';
}

// "name=value " for every parameter (upstream's trailing space included); nothing for generic events.
void append_args(std::string &out, const event &e);
// The value of parameter i: "3(<f>/etc/passwd)", "-2(ENOENT)", "4097(O_RDONLY|O_CLOEXEC)", "17497(curl)".
void append_param_value(std::string &out, const event &e, uint32_t i);
// An fd number as "3(<f>/etc/passwd)" (the event thread's table), "-100(AT_FDCWD)", "-9(EBADF)".
void append_fd(std::string &out, const event &e, int64_t fd);
// The absolute path of an FSPATH/FSRELPATH parameter (against the dirfd's path or the cwd).
std::string resolve_path_param(const event &e, uint32_t i);
// s as a JSON string, quotes included: ", \\, \n, \r, \t escaped, other bytes below 0x20 as \u00XX
// (the -j output and the container metadata JSON).
void json_escape(std::string &out, std::string_view s);

} // namespace sinsp
