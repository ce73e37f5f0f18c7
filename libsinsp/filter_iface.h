// SPDX-License-Identifier: Apache-2.0
// The seam between the inspector and the filter engine (libsinsp/filter/).
//
// `struct sinsp_filter` (opaque in the C API, see sinsp/inspector.h) IS this abstract class: the
// filter compiler returns an object of a class derived from it, and the inspector calls run() on
// every event that must be filtered (after state parsing for MODIFIES_STATE events, before it for
// all others). run() reads the event only through field_ref::extract()/render() (fields/field_api.h).
#pragma once

#include "fields/field_api.h"

struct sinsp_filter {
	virtual ~sinsp_filter() = default;
	// true: keep the event.
	virtual bool run(const sinsp::event &evt) = 0;
};

namespace sinsp
{
using filter_iface = ::sinsp_filter;
} // namespace sinsp
