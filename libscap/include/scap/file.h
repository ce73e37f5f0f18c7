/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file
 * Writing .scap capture files (the dumper). Reading them is scap_capture__open_file() in
 * scap/capture.h; the metadata of a read file is scap_capture__platform() in scap/platform.h.
 *
 * A file is: section header, machine info, interface list, user list, process list (PL_V9),
 * one fd list (FDL_V2) per thread, then one block per event (EV_V2, or EVF_V2 when the event
 * has flags; their *_LARGE variants for events with u32 parameter lengths). Optionally the
 * whole stream is gzip-compressed.
 *
 * Crash safety: every block is written whole into the output stream. The metadata is flushed
 * to the kernel at open, and scap_dumper__flush() (call it as often as you can afford) pushes
 * what was dumped so far, with a gzip sync point when compressing. A file cut short by a crash
 * reads back up to its last complete block, then the reader reports the truncation.
 *
 * gzip: the compression runs in a thread of the dumper, so that write() returns after a copy;
 * the thread may fall up to 64 MiB behind before write() waits for it. A flush is queued in
 * order (it reaches the file once the thread gets to it); close() waits for everything.
 */
#ifndef SCAP_FILE_H
#define SCAP_FILE_H

#include <stdint.h>

#include "scap/common.h"
#include "scap/event.h"
#include "scap/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A .scap file being written (opaque). */
struct scap_dumper;

/** Compression of a written file (scap_dumper_opts.compression). */
enum scap_compression {
	SCAP_COMPRESSION_NONE = 0, /**< a plain file */
	SCAP_COMPRESSION_GZIP = 1, /**< the whole stream gzip-compressed */
};

/** Options of scap_dumper__open() and scap_dumper__open_fd(); declare them with SCAP_OPTS(). */
struct scap_dumper_opts {
	size_t sz;			      /**< sizeof(struct scap_dumper_opts) (SCAP_OPTS() sets it) */
	uint32_t compression;		      /**< enum scap_compression; default NONE */
	const struct scap_platform *platform; /**< metadata to write; NULL = an empty platform */
};

/**
 * Create/truncate path and write a .scap file there. The header and metadata are written at
 * once. NULL + errno on failure (scap_last_error()).
 *
 * @param path the file
 * @param opts the options (SCAP_OPTS(scap_dumper_opts, ...))
 * @return the dumper, or NULL with errno set
 */
SCAP_API SCAP_NODISCARD struct scap_dumper *scap_dumper__open(const char *path, const struct scap_dumper_opts *opts);
/**
 * Write a .scap file to an open fd: the dumper takes the fd over and closes it (also when the
 * open fails). The header and metadata are written at once. NULL + errno on failure
 * (scap_last_error()).
 *
 * @param fd the file descriptor, open for writing
 * @param opts the options (SCAP_OPTS(scap_dumper_opts, ...))
 * @return the dumper, or NULL with errno set
 */
SCAP_API SCAP_NODISCARD struct scap_dumper *scap_dumper__open_fd(int fd, const struct scap_dumper_opts *opts);

/**
 * Flag accepted by scap_dumper__write(): the event was filtered out but kept because it
 * modifies state (SCAP_EVF_STATE_ONLY in scap/capture.h has the same value).
 */
#define SCAP_DUMP_STATE_ONLY 1u

/**
 * Append one event (validated first: a malformed event is -EINVAL and nothing is written).
 *
 * @param d the dumper
 * @param evt the event
 * @param cpu the buffer/CPU index to store
 * @param flags 0 writes an EV block, non-zero (SCAP_DUMP_STATE_ONLY) an EVF block
 * @return 0 or a negative errno
 */
SCAP_API int scap_dumper__write(struct scap_dumper *d, const struct scap_evt_hdr *evt, uint16_t cpu, uint32_t flags);
/**
 * The same as scap_dumper__write() for an event already known to be well formed: one returned by
 * scap_capture__next() or sinsp_inspector__next(), whose engines validate every event. It is not
 * decoded again (the validation is most of scap_dumper__write()'s cost); a malformed event makes
 * a corrupt file.
 *
 * @return 0 or a negative errno
 */
SCAP_API int scap_dumper__write_decoded(struct scap_dumper *d, const struct scap_evt_hdr *evt, uint16_t cpu,
					uint32_t flags);
/** Push everything written so far to the file (gzip: a sync flush). 0 or negative errno. */
SCAP_API int scap_dumper__flush(struct scap_dumper *d);
/** Bytes of the uncompressed stream written so far (header and metadata included). */
SCAP_API uint64_t scap_dumper__offset(const struct scap_dumper *d);
/** Message of the dumper's last failure ("" if none). Owned by the dumper. */
SCAP_API const char *scap_dumper__geterr(const struct scap_dumper *d);
/** Flush and close (also on error). Returns 0 or the first write error as a negative errno. */
SCAP_API int scap_dumper__close(struct scap_dumper *d);

#ifdef __cplusplus
}
#endif
#endif /* SCAP_FILE_H */
