// SPDX-License-Identifier: Apache-2.0
// No C++ exception crosses libsinsp's C API (it would terminate the C or Python caller): every
// entry point that can throw runs its body through guard() / guard_or(), or catches with
// caught(). tests/test_capi_exceptions.py checks the sources for it and fails the allocations
// of the entry points one by one.
#pragma once

#include <cerrno>

namespace sinsp
{

// Inside a catch block: sets the thread's message for the exception in flight ("WHAT: out of
// memory" for std::bad_alloc, "WHAT: internal error: ..." for anything else) and returns its
// errno (ENOMEM, or EIO for anything but std::bad_alloc).
int caught(const char *what) noexcept;

// The body of an entry point returning 0 / a positive status / -errno: an exception is -errno.
template <class F> int guard(const char *what, F &&body) noexcept
{
	try {
		return body();
	} catch (...) {
		return -caught(what);
	}
}

// The body of an entry point returning a value with a failure value (NULL for constructors):
// an exception returns `fail` with errno set.
template <class T, class F> T guard_or(const char *what, T fail, F &&body) noexcept
{
	try {
		return body();
	} catch (...) {
		errno = caught(what);
		return fail;
	}
}

// The body of an entry point returning nothing: an exception leaves the thread's message and errno.
template <class F> void guard_void(const char *what, F &&body) noexcept
{
	try {
		body();
	} catch (...) {
		errno = caught(what);
	}
}

} // namespace sinsp
