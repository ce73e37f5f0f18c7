// SPDX-License-Identifier: Apache-2.0
// The C API of filters (sinsp/filter.h) over the C++ engine (filter/filter.h).
#include <cerrno>
#include <cstring>
#include <new>

#include "filter/filter.h"
#include "sinsp/filter.h"

namespace sinsp_internal {
void set_error(const char *msg); // version.cpp
}

namespace {

void report(const std::string &text, const sinsp::filter_error &err, int *err_pos)
{
	if(err_pos) {
		*err_pos = static_cast<int>(err.pos);
	}
	sinsp_internal::set_error(sinsp::describe_filter_error(text, err).c_str());
}

bool null_args(const void *a, const void *b, int *err_pos)
{
	if(a && b) {
		return false;
	}
	if(err_pos) {
		*err_pos = -1;
	}
	sinsp_internal::set_error("invalid argument: NULL");
	return true;
}

} // namespace

extern "C" {

struct sinsp_filter *sinsp_filter__compile(struct sinsp_inspector *insp, const char *text, int *err_pos)
{
	if(null_args(insp, text, err_pos)) {
		errno = EINVAL;
		return nullptr;
	}
	const sinsp::field_registry *reg = sinsp::inspector_field_registry ? sinsp::inspector_field_registry(insp)
									   : nullptr;
	if(!reg) {
		if(err_pos) {
			*err_pos = -1;
		}
		sinsp_internal::set_error("this inspector has no field registry");
		errno = ENOSYS;
		return nullptr;
	}
	try {
		std::string t(text);
		sinsp::filter_error err;
		auto f = sinsp::compile_filter(t, *reg, err);
		if(!f) {
			report(t, err, err_pos);
			errno = EINVAL;
			return nullptr;
		}
		return f.release();
	} catch(const std::bad_alloc &) {
		sinsp_internal::set_error("out of memory");
		errno = ENOMEM;
		return nullptr;
	}
}

void sinsp_filter__free(struct sinsp_filter *filter)
{
	delete filter;
}

int sinsp_filter__check_syntax(const char *text, int *err_pos)
{
	if(null_args(text, text, err_pos)) {
		return -EINVAL;
	}
	try {
		std::string t(text);
		sinsp::filter_error err;
		if(!sinsp::check_filter_syntax(t, err)) {
			report(t, err, err_pos);
			return -EINVAL;
		}
		return 0;
	} catch(const std::bad_alloc &) {
		sinsp_internal::set_error("out of memory");
		return -ENOMEM;
	}
}

int sinsp_filter__canonical(const char *text, char *buf, size_t len, int *err_pos)
{
	if(null_args(text, len ? static_cast<const void *>(buf) : text, err_pos)) {
		return -EINVAL;
	}
	try {
		std::string t(text), out;
		sinsp::filter_error err;
		if(!sinsp::canonical_filter(t, out, err)) {
			report(t, err, err_pos);
			return -EINVAL;
		}
		if(len) {
			size_t n = std::min(out.size(), len - 1);
			std::memcpy(buf, out.data(), n);
			buf[n] = '\0';
		}
		return static_cast<int>(out.size());
	} catch(const std::bad_alloc &) {
		sinsp_internal::set_error("out of memory");
		return -ENOMEM;
	}
}
}
