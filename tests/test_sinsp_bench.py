"""libsinsp throughput in C (tests/sinsp/sinsp_bench.c) on a synthetic stream through the test
engine: state only, the default text line, JSON, filter `evt.type=openat` printing matches, and
batch extraction. Checksums make every mode do real work; rates are printed (pytest -s) and held
to a floor far below what this machine does, so that only a collapse fails."""

from conftest import helper, run


def test_sinsp_bench_rates_and_checksums(build_dir):
    exe = helper(build_dir, "sinsp_bench")
    r = run([exe, "200000"], env={"TZ": "UTC"})
    assert r.returncode == 0, r.stderr
    rows = {line.split()[0]: (float(line.split()[1]), int(line.split()[2])) for line in r.stdout.splitlines()}
    assert sorted(rows) == ["extract", "filter", "json", "next", "text"]
    print({k: f"{v[0] / 1e6:.2f} M ev/s" for k, v in rows.items()})
    # next: sum of fd+1 per event: openat 4, read 4, generic syscall 0, close 4 (fd visible on its close)
    assert rows["next"][1] == 600000
    # extract: the last evt.num of each 65536-event batch
    assert rows["extract"][1] == 65536 + 131072 + 196608 + 200000
    # text/json: total bytes of the lines; filter: bytes of the 50000 openat lines + 50000
    assert (rows["text"][1], rows["json"][1], rows["filter"][1]) == (19138895, 36338895, 7222222)
    for k, (rate, _) in rows.items():
        assert rate > 100_000, (k, rate)
