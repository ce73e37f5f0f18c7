"""Edges of the scap/proc.h API (tests/proc/proc_api.c): argument errors, option and stats
structs of older callers, rescans into the same platform, the kernel -> ppm open-flags table."""

import json

from test_proc_fake import build_tree

from conftest import helper, run


def checks(build, root):
    r = run([helper(build, "proc_api"), root])
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    return {o.pop("check"): o for o in map(json.loads, r.stdout.splitlines())}


def expect(tree):
    return {
        "null_platform": dict(rc=-22, msg="proc scan: no platform"),
        "bad_pid": dict(rc=-22, msg="scan_pid: bad pid 0"),
        "bad_tid": dict(rc=-22, msg="scan_thread: bad tid -5"),
        "bad_sz": dict(rc=-22, msg="proc scan: options: sz 2 is smaller than a size_t: set it to sizeof the struct"),
        "old_opts": dict(rc=0, msg="", nthreads=3, stats_untouched=1),
        "old_stats": dict(rc=0, msg="", nprocs_set=1, nthreads=3, platform_threads=3, nfds_untouched=1),
        "rescan": dict(rc=0, msg="", threads=[3, 3], fds=[27, 27]),
        # O_RDONLY O_WRONLY O_RDWR O_ACCMODE(3 -> RDONLY bits as upstream's switch) CREAT EXCL TRUNC APPEND
        # NONBLOCK DSYNC SYNC DIRECT LARGEFILE DIRECTORY CLOEXEC TMPFILE, RDWR|APPEND|LARGEFILE|CREAT
        "open_flags": dict(
            rc=0, msg="", ppm=[1, 2, 3, 1, 5, 33, 257, 9, 65, 17, 145, 513, 2049, 1025, 4097, 9217, 3 | 8 | 2048 | 4]
        ),
    }


def test_api_edges(build_dir, tmp_path):
    tree = build_tree(tmp_path)
    got = checks(build_dir, tree.proc)
    live = got.pop("null_opts")
    assert live["rc"] == 0 and live["nthreads"] > 1 and live["has_machine"] == 1
    assert got == expect(tree)


def test_api_edges_asan(asan_build_dir, tmp_path):
    tree = build_tree(tmp_path)
    got = checks(asan_build_dir, tree.proc)
    got.pop("null_opts")
    assert got == expect(tree)
