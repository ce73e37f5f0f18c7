/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file
 * Rulesets: named rules (a compiled filter each, with a priority, tags, an output and an enabled
 * flag), macros and lists shared by them, evaluated per event in C — Falco's rule engine.
 *
 * @code{.c}
 *   struct sinsp_ruleset *rs = sinsp_ruleset__create(NULL);
 *   sinsp_ruleset__add_list(rs, "shell_binaries", (const char *[]){ "bash", "sh" }, 2);
 *   sinsp_ruleset__add_macro(rs, "spawned_process", "evt.type in (execve, execveat)", NULL);
 *   SINSP_OPTS(sinsp_rule_opts, r, .name = "Shell", .condition = "spawned_process and "
 *              "proc.name in (shell_binaries)", .output = "shell %proc.name", .priority = SINSP_PRIORITY_NOTICE);
 *   int id = sinsp_ruleset__add_rule(rs, &r, NULL);
 *   ... per event of an inspector: n = sinsp_ruleset__eval(rs, evt, 0, ids, 16);
 * @endcode
 *
 * Indexing: each rule is filed under the event types its condition can match (upstream's
 * evttype-index ruleset and event-type resolver: `evt.type = x`, `!= x`, `in (...)` checks narrow
 * the set through and/or/not; a condition that cannot be narrowed is filed under every type), so
 * an event is only tested against the rules of its type: a rule on `evt.type = openat` never runs
 * on a read. Rules run in the order they were added.
 *
 * Macros and lists are expanded when a rule is compiled (so a macro or list added later does not
 * change rules already added): a bare identifier in a condition names a macro, `in name` and a
 * list name among the items of `(...)` name lists. Undefined names and macro cycles are errors
 * with the position in the condition. Items of a list that name an earlier list are replaced by
 * its items; an item written as one quoted string ('"a b"') stands for its content.
 *
 * Conventions are libsinsp's: NULL + errno from constructors, 0 or a negative errno from int
 * functions, sinsp_last_error() for the message. A ruleset runs on one thread at a time.
 */
#ifndef SINSP_RULESET_H
#define SINSP_RULESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sinsp/inspector.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A ruleset (opaque). */
struct sinsp_ruleset;

/** Falco's priorities, most severe first (a lower number is more severe). */
enum sinsp_priority {
	SINSP_PRIORITY_EMERGENCY = 0,
	SINSP_PRIORITY_ALERT = 1,
	SINSP_PRIORITY_CRITICAL = 2,
	SINSP_PRIORITY_ERROR = 3,
	SINSP_PRIORITY_WARNING = 4,
	SINSP_PRIORITY_NOTICE = 5,
	SINSP_PRIORITY_INFORMATIONAL = 6,
	SINSP_PRIORITY_DEBUG = 7,
};
/** "Emergency" ... "Debug" (as Falco prints them), NULL if out of range. */
SINSP_API const char *sinsp_priority_name(uint32_t priority);
/** The priority of a name, case-insensitive ("WARNING", "info" and "informational"), or -ENOENT. */
SINSP_API int sinsp_priority_from_name(const char *name);

/** Options of sinsp_ruleset__create(); declare them with SINSP_OPTS(). */
struct sinsp_ruleset_opts {
	size_t sz;	      /**< sizeof(struct sinsp_ruleset_opts) (SINSP_OPTS() sets it) */
	const char *hostname; /**< the "hostname" of JSON alerts; NULL = gethostname() */
};

/** An empty ruleset (opts may be NULL). NULL + errno (ENOMEM, EINVAL). */
SINSP_API SINSP_NODISCARD struct sinsp_ruleset *sinsp_ruleset__create(const struct sinsp_ruleset_opts *opts);
/** Free a ruleset (NULL is ignored). */
SINSP_API void sinsp_ruleset__free(struct sinsp_ruleset *rs);

/**
 * Define (or redefine) a list: n items, copied. An item that names a list defined before is
 * replaced by that list's items. 0, -EINVAL.
 */
SINSP_API int sinsp_ruleset__add_list(struct sinsp_ruleset *rs, const char *name, const char *const *items, uint32_t n);
/**
 * Define (or redefine) a macro. Its text must parse (the rest is checked where it is used):
 * 0, or -EINVAL otherwise, with *err_pos (if not NULL) the 0-based offset in text.
 */
SINSP_API int sinsp_ruleset__add_macro(struct sinsp_ruleset *rs, const char *name, const char *text, int *err_pos);

/** A rule for sinsp_ruleset__add_rule(); declare it with SINSP_OPTS(). */
struct sinsp_rule_opts {
	size_t sz;		 /**< sizeof(struct sinsp_rule_opts) (SINSP_OPTS() sets it) */
	const char *name;	 /**< unique */
	const char *condition;	 /**< a filter, with the ruleset's macros and lists */
	const char *output;	 /**< "%field" format of the alert message; NULL = "" */
	const char *desc;	 /**< NULL = "" */
	const char *source;	 /**< NULL = "syscall", the only source there is */
	uint32_t priority;	 /**< enum sinsp_priority */
	const char *const *tags; /**< the rule's tags */
	uint32_t n_tags;	 /**< entries of tags */
	bool disabled;		 /**< compiled, but not evaluated until enabled */
};

/** Where sinsp_ruleset__add_rule() found an error. */
enum sinsp_rule_error_where {
	SINSP_RULE_ERR_NONE = 0,      /**< no error */
	SINSP_RULE_ERR_CONDITION = 1, /**< pos: offset in the condition */
	SINSP_RULE_ERR_OUTPUT = 2,    /**< pos: offset in the output */
	SINSP_RULE_ERR_RULE = 3,      /**< the options: name, priority, source, a duplicate (pos -1) */
};
/** An error of sinsp_ruleset__add_rule(): where and at which position. */
struct sinsp_rule_error {
	size_t sz; /**< set by the caller to sizeof(struct sinsp_rule_error) */
	int where; /**< enum sinsp_rule_error_where */
	int pos;   /**< 0-based byte offset, -1 if none */
};

/**
 * Compile and add a rule. Its id (>= 0, ids are 0, 1, 2, ... in order), or a negative errno with
 * the message in sinsp_last_error() (e.g. "undefined macro 'foo' at position 7", "unknown field
 * 'container.image.repository' at position 40") and *err (if not NULL) filled: -EINVAL for a bad
 * condition, output or option, -EEXIST for a name in use, -ENOTSUP for a source other than
 * "syscall", -ENOMEM.
 */
SINSP_API int sinsp_ruleset__add_rule(struct sinsp_ruleset *rs, const struct sinsp_rule_opts *rule,
				      struct sinsp_rule_error *err);

/** The number of rules (0 without a ruleset). */
SINSP_API uint32_t sinsp_ruleset__count(const struct sinsp_ruleset *rs);
/** The id of a rule, or -ENOENT. */
SINSP_API int sinsp_ruleset__find(const struct sinsp_ruleset *rs, const char *name);

/** What sinsp_ruleset__rule() says of a rule. */
struct sinsp_rule_info {
	size_t sz;		     /**< set by the caller to sizeof(struct sinsp_rule_info) */
	const char *name;	     /**< as given; owned by the ruleset */
	const char *condition;	     /**< as given; owned by the ruleset */
	const char *output;	     /**< as given; owned by the ruleset */
	const char *desc;	     /**< as given; owned by the ruleset */
	const char *source;	     /**< as given; owned by the ruleset */
	uint32_t priority;	     /**< enum sinsp_priority */
	bool enabled;		     /**< its flag (sinsp_ruleset__enable*) */
	bool active;		     /**< enabled and at least as severe as the minimum priority: evaluated */
	uint32_t n_tags;	     /**< sorted, unique */
	const char *const *tags;     /**< the n_tags tags */
	bool all_evttypes;	     /**< filed under every event type */
	uint32_t n_evttypes;	     /**< event type ids it is filed under */
	const char *evttypes;	     /**< their names, sorted, comma-separated ("" with all_evttypes) */
	const char *evttypes_except; /**< a condition on every type but some (not evt.type in (...)):
					those, comma-separated; "" otherwise */
	uint64_t n_matches;	     /**< events it matched */
	uint64_t n_evaluated;	     /**< events it was evaluated on */
};
/** Fill info (its sz set by the caller). 0, -ENOENT (no such id), -EINVAL. Strings live until the ruleset is freed. */
SINSP_API int sinsp_ruleset__rule(const struct sinsp_ruleset *rs, uint32_t id, struct sinsp_rule_info *info);

/*
 * Enabling at run time (takes effect at the next event): by name, by tag, by id, by priority.
 */
/**
 * Enable or disable the rules whose name matches `pattern` (exact, or fnmatch(3) when it holds
 * `* ? [`). Takes effect at the next event.
 *
 * @return the number of rules matched (>= 1), -ENOENT when none, -EINVAL
 */
SINSP_API int sinsp_ruleset__enable(struct sinsp_ruleset *rs, const char *pattern, bool enabled);
/**
 * Enable or disable every rule with that tag. Takes effect at the next event.
 *
 * @return the number of rules matched (>= 1), -ENOENT when none, -EINVAL
 */
SINSP_API int sinsp_ruleset__enable_tag(struct sinsp_ruleset *rs, const char *tag, bool enabled);
/**
 * Enable or disable rule id. Takes effect at the next event.
 *
 * @return 1, -ENOENT (no such id), -EINVAL
 */
SINSP_API int sinsp_ruleset__enable_id(struct sinsp_ruleset *rs, uint32_t id, bool enabled);
/**
 * By priority: rules less severe than the minimum are not evaluated (SINSP_PRIORITY_DEBUG, the
 * default, evaluates all), whatever their flag. Takes effect at the next event.
 *
 * @return 0, -EINVAL
 */
SINSP_API int sinsp_ruleset__set_min_priority(struct sinsp_ruleset *rs, uint32_t priority);

/**
 * 1 if the macro (kind 0) or list (kind 1) is used: by a rule's condition (through other macros
 * too), or named in another macro or list; 0 if not; -ENOENT if not defined.
 */
SINSP_API int sinsp_ruleset__is_used(const struct sinsp_ruleset *rs, const char *name, int kind);

/** Flags of sinsp_ruleset__eval() and sinsp_ruleset__next(). */
enum sinsp_ruleset_eval_flags {
	SINSP_RULESET_FIRST = 1, /**< stop at the first match (Falco's rule_matching: first) */
};

/**
 * Evaluate the active rules of evt's type on evt (an event of sinsp_inspector__next()). Returns
 * the number of rules that matched (with SINSP_RULESET_FIRST, 0 or 1), of which the first `max`
 * ids are stored in ids, in rule order; -EINVAL.
 */
SINSP_API int sinsp_ruleset__eval(struct sinsp_ruleset *rs, const struct sinsp_event *evt, uint32_t flags,
				  uint32_t *ids, uint32_t max);

/**
 * Read events from insp until one matches a rule: 0 with *evt (borrowed as from
 * sinsp_inspector__next()) and *n matches (ids as in sinsp_ruleset__eval()); or
 * SCAP_STATUS_TIMEOUT / SCAP_STATUS_EOF, or a negative errno from the inspector.
 */
SINSP_API int sinsp_ruleset__next(struct sinsp_ruleset *rs, struct sinsp_inspector *insp, uint32_t flags,
				  const struct sinsp_event **evt, uint32_t *ids, uint32_t max, uint32_t *n);

/** Formats of alerts. */
enum sinsp_alert_mode {
	SINSP_ALERT_TEXT = 0, /**< "16:05:21.312343811: Warning Sensitive file opened ..." */
	SINSP_ALERT_JSON = 1, /**< Falco's object: hostname, output, output_fields, priority, rule,
				 source, tags, time (RFC 3339, UTC, ns) */
};

/**
 * The alert of rule id for evt, as Falco prints it (no newline), into buf: the full length (as
 * snprintf: >= size means truncated), or -EINVAL / -ENOENT. Fields missing for the event print
 * as `<NA>` in text and null in output_fields.
 */
SINSP_API int sinsp_ruleset__alert(struct sinsp_ruleset *rs, uint32_t id, const struct sinsp_event *evt, int mode,
				   char *buf, size_t size);
/** The same as sinsp_ruleset__alert() in a string owned by rs, valid until the next call on rs; NULL + errno. */
SINSP_API const char *sinsp_ruleset__alert_str(struct sinsp_ruleset *rs, uint32_t id, const struct sinsp_event *evt,
					       int mode);

/** Counters of a ruleset (sinsp_ruleset__stats()). */
struct sinsp_ruleset_stats {
	size_t sz;	      /**< set by the caller to sizeof(struct sinsp_ruleset_stats) */
	uint64_t n_events;    /**< events given to eval()/next() */
	uint64_t n_evaluated; /**< rule evaluations */
	uint64_t n_matches;   /**< rules matched */
};
/** Fill st (its sz set by the caller). 0 or -EINVAL. */
SINSP_API int sinsp_ruleset__stats(const struct sinsp_ruleset *rs, struct sinsp_ruleset_stats *st);

/**
 * Domain names the rules compare fd.*ip.name with are resolved in the background: wait until each
 * has had its first resolution, at most timeout_ms. The number of names still waiting (0: ready).
 */
SINSP_API int sinsp_ruleset__wait_names(struct sinsp_ruleset *rs, uint32_t timeout_ms);

#ifdef __cplusplus
}
#endif
#endif /* SINSP_RULESET_H */
