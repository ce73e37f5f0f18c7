// SPDX-License-Identifier: Apache-2.0
// The C API of filters (sinsp/filter.h) over the C++ engine (filter/filter.h).
#include <cerrno>
#include <cstring>
#include <algorithm>
#include <new>

#include "capi_guard.h"
#include "filter/filter.h"
#include "opts.h"
#include "sinsp/filter.h"

namespace sinsp_internal
{
void set_error(const char *msg); // version.cpp
}

namespace
{

void report(const std::string &text, const sinsp::filter_error &err, int *err_pos)
{
	if (err_pos) {
		*err_pos = static_cast<int>(err.pos);
	}
	sinsp_internal::set_error(sinsp::describe_filter_error(text, err).c_str());
}

bool null_args(const void *a, const void *b, int *err_pos)
{
	if (a && b) {
		return false;
	}
	if (err_pos) {
		*err_pos = -1;
	}
	sinsp_internal::set_error("invalid argument: NULL");
	return true;
}

// The part of opts the caller's struct covers (fields beyond sz read as zero; libsinsp/opts.h).
bool read_opts(const struct sinsp_filter_opts *in, sinsp::filter_symbols &sym)
{
	if (!in) {
		return true;
	}
	struct sinsp_filter_opts o;
	if (sinsp::copy_opts(o, in, "sinsp_filter__compile_opts") < 0) {
		return false;
	}
	for (uint32_t i = 0; i < o.n_macros; i++) {
		if (!o.macro_names || !o.macro_texts || !o.macro_names[i] || !o.macro_texts[i]) {
			sinsp_internal::set_error("invalid filter options: NULL macro name or text");
			return false;
		}
		sym.macros[o.macro_names[i]] = o.macro_texts[i];
	}
	if (o.n_lists && (!o.list_names || !o.list_offsets)) {
		sinsp_internal::set_error("invalid filter options: NULL list names or offsets");
		return false;
	}
	for (uint32_t i = 0; i < o.n_lists; i++) {
		uint32_t a = o.list_offsets[i], b = o.list_offsets[i + 1];
		if (!o.list_names[i] || b < a || (b > a && !o.list_items)) {
			sinsp_internal::set_error("invalid filter options: bad list name or offsets");
			return false;
		}
		auto &items = sym.lists[o.list_names[i]];
		items.clear();
		for (uint32_t j = a; j < b; j++) {
			if (!o.list_items[j]) {
				sinsp_internal::set_error("invalid filter options: NULL list item");
				return false;
			}
			items.emplace_back(o.list_items[j]);
		}
	}
	return true;
}

} // namespace

extern "C" {

struct sinsp_filter *sinsp_filter__compile(struct sinsp_inspector *insp, const char *text, int *err_pos)
{
	return sinsp_filter__compile_opts(insp, text, nullptr, err_pos);
}

struct sinsp_filter *sinsp_filter__compile_opts(struct sinsp_inspector *insp, const char *text,
						const struct sinsp_filter_opts *opts, int *err_pos)
{
	return sinsp::guard_or<struct sinsp_filter *>(
		"sinsp_filter__compile_opts", nullptr, [&]() -> struct sinsp_filter * {
			if (null_args(insp, text, err_pos)) {
				errno = EINVAL;
				return nullptr;
			}
			const sinsp::field_registry *reg =
				sinsp::inspector_field_registry ? sinsp::inspector_field_registry(insp) : nullptr;
			if (!reg) {
				if (err_pos) {
					*err_pos = -1;
				}
				sinsp_internal::set_error("this inspector has no field registry");
				errno = ENOSYS;
				return nullptr;
			}
			try {
				sinsp::filter_symbols sym;
				if (!read_opts(opts, sym)) {
					if (err_pos) {
						*err_pos = -1;
					}
					errno = EINVAL;
					return nullptr;
				}
				std::string t(text);
				sinsp::filter_error err;
				auto f = sinsp::compile_filter(t, *reg, err, &sym);
				if (!f) {
					report(t, err, err_pos);
					errno = EINVAL;
					return nullptr;
				}
				return f.release();
			} catch (...) {
				errno = sinsp::caught("sinsp_filter__compile_opts");
				return nullptr;
			}
		});
}

int sinsp_filter__matches(struct sinsp_filter *filter, const struct sinsp_event *evt)
{
	return sinsp::guard("sinsp_filter__matches", [&]() -> int {
		if (!filter || !evt) {
			sinsp_internal::set_error("invalid argument: NULL");
			return -EINVAL;
		}
		// struct sinsp_event is the inspector's sinsp::event (capi_inspector.cpp hands them out so)
		return filter->run(*reinterpret_cast<const sinsp::event *>(evt)) ? 1 : 0;
	});
}

void sinsp_filter__free(struct sinsp_filter *filter)
{
	delete filter;
}

int sinsp_filter__check_syntax(const char *text, int *err_pos)
{
	return sinsp::guard("sinsp_filter__check_syntax", [&]() -> int {
		if (null_args(text, text, err_pos)) {
			return -EINVAL;
		}
		try {
			std::string t(text);
			sinsp::filter_error err;
			if (!sinsp::check_filter_syntax(t, err)) {
				report(t, err, err_pos);
				return -EINVAL;
			}
			return 0;
		} catch (...) {
			return -sinsp::caught("sinsp_filter__check_syntax");
		}
	});
}

int sinsp_filter__canonical(const char *text, char *buf, size_t len, int *err_pos)
{
	return sinsp::guard("sinsp_filter__canonical", [&]() -> int {
		if (null_args(text, len ? static_cast<const void *>(buf) : text, err_pos)) {
			return -EINVAL;
		}
		try {
			std::string t(text), out;
			sinsp::filter_error err;
			if (!sinsp::canonical_filter(t, out, err)) {
				report(t, err, err_pos);
				return -EINVAL;
			}
			if (len) {
				size_t n = std::min(out.size(), len - 1);
				std::memcpy(buf, out.data(), n);
				buf[n] = '\0';
			}
			return static_cast<int>(out.size());
		} catch (...) {
			return -sinsp::caught("sinsp_filter__canonical");
		}
	});
}
}
