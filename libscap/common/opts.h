/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one rule for a caller's size-prefixed struct (options, seeds, info structs: first member
 * `size_t sz`, scap/common.h), shared by libscap (scap_opts_copy(), engines/engine.h) and
 * libsinsp (copy_opts(), libsinsp/capi_inspector.cpp, loop.cpp), so that both accept and refuse
 * the same structs with the same errno.
 */
#ifndef SCAP_COMMON_OPTS_H
#define SCAP_COMMON_OPTS_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

/*
 * Copy the caller's struct `user` into `out` (out_sz bytes, the library's own layout) and set
 * out's sz to out_sz. A field an older caller's (smaller) struct lacks is zero; a newer caller's
 * (larger) struct is accepted when every byte past out_sz is zero. user NULL: out all zero
 * (sz included), 0. Else 0, or -EINVAL with the reason in err (errlen bytes): sz smaller than a
 * size_t, or the offset of the first non-zero byte this library does not know.
 */
static inline int scap_sized_copy(void *out, size_t out_sz, const void *user, char *err, size_t errlen)
{
	const unsigned char *u = (const unsigned char *)user;
	size_t user_sz, i;

	memset(out, 0, out_sz);
	if (!user)
		return 0;
	memcpy(&user_sz, user, sizeof(user_sz));
	if (user_sz < sizeof(size_t)) {
		snprintf(err, errlen, "sz %zu is smaller than a size_t: set it to sizeof the struct", user_sz);
		return -EINVAL;
	}
	for (i = out_sz; i < user_sz; i++)
		if (u[i]) {
			snprintf(err, errlen, "the field at byte %zu (sz %zu) is unknown to this version (%zu bytes)",
				 i, user_sz, out_sz);
			return -EINVAL;
		}
	memcpy(out, user, user_sz < out_sz ? user_sz : out_sz);
	memcpy(out, &out_sz, sizeof(out_sz));
	return 0;
}

#endif /* SCAP_COMMON_OPTS_H */
