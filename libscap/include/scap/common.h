/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file
 * libscap conventions shared by every public header.
 *
 * - Functions returning int return 0 (or a positive status such as SCAP_STATUS_TIMEOUT /
 *   SCAP_STATUS_EOF where documented) on success and a negative errno on failure.
 * - Constructors return NULL and set errno on failure.
 * - After any failure, scap_last_error() returns a human-readable message for the calling
 *   thread (valid until the next failing libscap call in that thread).
 * - The library never prints: messages go to the callback set with scap_set_print().
 */
#ifndef SCAP_COMMON_H
#define SCAP_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The macros of both libraries' public headers (libsinsp's sinsp/common.h names them SINSP_*):
 * SCAP_EXPORT, SCAP_API, SCAP_NODISCARD and SCAP_OPTS.
 */
/**
 * Marks a function of the API: the libraries build with -fvisibility=hidden and version scripts,
 * so nothing else is exported.
 */
#define SCAP_EXPORT __attribute__((visibility("default")))
/**
 * Marks a function whose result must not be ignored: the constructors (an ignored result is a
 * leak, and NULL is how they fail).
 */
#define SCAP_NODISCARD __attribute__((warn_unused_result))
#ifndef SCAP_API
/** What every libscap function is declared with: SCAP_EXPORT, unless defined before. */
#define SCAP_API SCAP_EXPORT
#endif

/**
 * Declares an options struct. Options structs start with `size_t sz`; declare them with
 * SCAP_OPTS so that fields added in later releases are zero for older callers:
 *
 *     SCAP_OPTS(scap_live_opts, o, .snaplen = 256);
 *
 * An options struct from a newer caller (larger sz) is accepted when the fields this library
 * does not know are zero, and refused with -EINVAL (NULL and errno EINVAL from a constructor)
 * when one is set; sz smaller than a size_t is refused the same way.
 *
 * @param TYPE the struct's tag (without `struct`)
 * @param NAME the variable to declare
 * @param ... designated initializers of the fields to set
 */
#define SCAP_OPTS(TYPE, NAME, ...)                                       \
	struct TYPE NAME = ({                                            \
		memset(&NAME, 0, sizeof(struct TYPE));                   \
		(struct TYPE){ .sz = sizeof(struct TYPE), __VA_ARGS__ }; \
	})

/** Positive statuses (never errors). */
enum scap_status {
	SCAP_STATUS_OK = 0,	 /**< success */
	SCAP_STATUS_TIMEOUT = 1, /**< no event available right now: call again */
	SCAP_STATUS_EOF = 2,	 /**< end of the capture */
};

/** Product version, from the VERSION file: "0.1.0". */
SCAP_API const char *scap_version_string(void);
/** The product version as a number: major << 16 | minor << 8 | patch. */
SCAP_API uint32_t scap_version(void);

/** Message of the calling thread's last failure ("" if none). Owned by libscap. */
SCAP_API const char *scap_last_error(void);

/** Levels of the messages given to the scap_set_print() callback. */
enum scap_print_level {
	SCAP_WARN = 0,	/**< a warning */
	SCAP_INFO = 1,	/**< information */
	SCAP_DEBUG = 2, /**< debugging detail */
};
/**
 * The log callback of scap_set_print(). Its result is ignored.
 *
 * @param level the message's level
 * @param msg the message
 * @param ctx the ctx given to scap_set_print()
 */
typedef int (*scap_print_fn_t)(enum scap_print_level level, const char *msg, void *ctx);
/**
 * Route library messages to fn (NULL: drop them).
 *
 * @param fn the callback, or NULL
 * @param ctx passed to every call of fn
 * @return the previous callback
 */
SCAP_API scap_print_fn_t scap_set_print(scap_print_fn_t fn, void *ctx);

#ifdef __cplusplus
}
#endif
#endif /* SCAP_COMMON_H */
