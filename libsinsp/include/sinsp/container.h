/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file
 * Container and Kubernetes metadata from the container runtimes (docs/containers.md).
 *
 * Every thread's container id comes from its cgroups at no cost (container.id, container.type).
 * The rest of the container.* and k8s.* fields needs the runtimes' metadata: with
 * sinsp_opts.containers set, the inspector asks the runtimes for it — the Docker Engine API
 * (docker, and podman's compatible socket), podman's libpod API, the CRI (containerd, CRI-O,
 * k3s) — in worker threads, one per runtime socket, and follows their event streams so that a
 * container is usually known before its first process runs. next() never waits for a runtime:
 * the first events of a new container carry its id at once and the rest as soon as the runtime
 * answers; a runtime that is down or slow costs a counted timeout or error (sinsp_container_stats).
 * The metadata is kept in a cache, fetched again after ttl_ms, and dropped when the runtime says
 * the container is gone.
 *
 * Capture files: the C loop (sinsp/loop.h) writes the metadata into every .scap file it writes as
 * upstream's container events (`container`, json:CHARBUF: {"container":{...}}), each before the
 * first event that had it, and the inspector reads them back from any file: a file read on
 * another machine shows the same container.* fields. Those events are parsed, not returned
 * (sinsp_opts.debug returns them).
 */
#ifndef SINSP_CONTAINER_H
#define SINSP_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sinsp/common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sinsp_inspector;
struct scap_dumper;

/** Options of the metadata lookups (sinsp_opts.containers; NULL: the container id only). */
struct sinsp_container_opts {
	size_t sz; /**< sizeof(struct sinsp_container_opts): declare with SINSP_OPTS() */
	/**
	 * The runtimes, "KIND:PATH" each: KIND docker (the Docker Engine API: docker, or podman's
	 * compatible socket), podman (the libpod API) or cri (the CRI gRPC API: containerd, CRI-O,
	 * k3s). NULL (n_endpoints 0): the default sockets that exist when the inspector opens,
	 * docker:/var/run/docker.sock, podman:/run/podman/podman.sock,
	 * cri:/run/containerd/containerd.sock, cri:/run/crio/crio.sock,
	 * cri:/run/k3s/containerd/containerd.sock. Paths are under sinsp_opts.proc_root.
	 */
	const char *const *endpoints;
	uint32_t n_endpoints;	/**< entries of endpoints */
	uint32_t timeout_ms;	/**< one lookup (all its requests) or connection; 0 = 2000 */
	uint32_t ttl_ms;	/**< metadata older than this is fetched again; 0 = 600000 */
	uint32_t retry_ms;	/**< first retry of a failed lookup (doubling, 5 tries); 0 = 1000 */
	bool no_events;		/**< do not follow the runtimes' event streams */
	bool no_list;		/**< do not list the running containers at start */
	uint32_t label_max_len; /**< labels with longer values are left out (upstream's); 0 = 100 */
};

/** Counters of the metadata lookups (sinsp_inspector__container_stats()). */
struct sinsp_container_stats {
	size_t sz;		   /**< set by the caller to sizeof(struct sinsp_container_stats) */
	uint64_t n_containers;	   /**< containers with metadata in the cache now */
	uint64_t n_lookups;	   /**< lookups asked of a runtime */
	uint64_t n_found;	   /**< answered with metadata */
	uint64_t n_not_found;	   /**< answered: no such container */
	uint64_t n_timeouts;	   /**< not answered in time (timeout_ms) */
	uint64_t n_errors;	   /**< failed otherwise: socket missing or refused, bad answer */
	uint64_t n_runtime_events; /**< container events read from the runtimes' streams */
	uint64_t n_pending;	   /**< lookups under way now */
	uint64_t n_expired;	   /**< cache entries dropped (container removed, gone on refresh) */
	uint64_t n_file_events;	   /**< container events read from a capture file */
	uint32_t n_endpoints;	   /**< runtime sockets in use */
	uint32_t n_streams;	   /**< event streams connected now */
};
/** Fill the counters of the metadata lookups (st->sz set by the caller). 0 or -EINVAL. */
SINSP_API int sinsp_inspector__container_stats(struct sinsp_inspector *insp, struct sinsp_container_stats *st);

/**
 * The metadata of a container (its 12-character id, or the whole id), as upstream's container
 * event JSON ({"container":{"id":...,"full_id":...,"type":...,"name":...,...}}): NULL if the
 * inspector has none (yet). Also takes in what the workers found since the last next().
 * Borrowed until the next call of next() or of this function.
 */
SINSP_API const char *sinsp_inspector__container_json(struct sinsp_inspector *insp, const char *id);
/** The number n of containers with metadata (see sinsp_inspector__container_id_at()). */
SINSP_API uint32_t sinsp_inspector__ncontainers(struct sinsp_inspector *insp);
/**
 * The ids of the containers with metadata, i in [0, n): NULL past the end (borrowed as from
 * sinsp_inspector__container_json()).
 */
SINSP_API const char *sinsp_inspector__container_id_at(struct sinsp_inspector *insp, uint32_t i);

/**
 * Add or replace a container's metadata from JSON in the container event's format (what
 * sinsp_inspector__container_json() gives): metadata from another source. 0 or -EINVAL.
 */
SINSP_API int sinsp_inspector__add_container_json(struct sinsp_inspector *insp, const char *json);

/**
 * For writers of .scap files: the metadata's version (it grows whenever a container's metadata
 * is added or changes). See sinsp_inspector__dump_containers().
 */
SINSP_API uint64_t sinsp_inspector__containers_version(struct sinsp_inspector *insp);
/**
 * For writers of .scap files: write, as container events at time ts, every container whose
 * metadata changed after *version (0: all), then set *version (to
 * sinsp_inspector__containers_version()).
 *
 * @param insp the inspector
 * @param d the dumper
 * @param ts the events' timestamp
 * @param[in,out] version the metadata version already written
 * @return 0 or a negative errno
 */
SINSP_API int sinsp_inspector__dump_containers(struct sinsp_inspector *insp, struct scap_dumper *d, uint64_t ts,
					       uint64_t *version);

/**
 * The container id a cgroup path names and its runtime ("" and "" if none): the cgroup layouts.
 *
 * @param path a cgroup path
 * @param[out] id the container id (NUL-terminated, cut at id_len)
 * @param id_len the bytes at id
 * @param[out] runtime the runtime (NUL-terminated, cut at runtime_len)
 * @param runtime_len the bytes at runtime
 * @return 0, or -EINVAL for NULL arguments or zero lengths
 */
SINSP_API int sinsp_container_from_cgroup(const char *path, char *id, size_t id_len, char *runtime, size_t runtime_len);

/**
 * For the tests and tools: parse a Docker Engine API container inspect answer (libpod: podman's
 * libpod inspect answer) and optionally the image inspect answer into the container event JSON.
 * type: "docker" or "podman". The JSON goes into out (NUL-terminated, cut at out_len); returns
 * its length (larger than out_len - 1 when cut), or -EINVAL when inspect_json is no container.
 */
SINSP_API int sinsp_container_parse_docker(const char *inspect_json, const char *image_json, bool libpod,
					   const char *type, char *out, size_t out_len);

#ifdef __cplusplus
}
#endif
#endif /* SINSP_CONTAINER_H */
