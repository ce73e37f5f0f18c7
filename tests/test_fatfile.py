"""sysdig's -F (--fatfile), issue 19: `-w` with a filter writes, besides the events that pass, the
filtered-out events that modify state as state-only events (EVF blocks, SCAP_DUMP_STATE_ONLY), which
a reader parses for its state and never shows. So a filtered file keeps its events' fd names and
processes: reading it gives exactly the lines the filter gives on the original capture, where a
plain filtered file has lost them. sysdig 0.29.3 reads pyscap's fatfile with the same lines (its own
-F output, from a file, is unreadable here even by sysdig: "corrupted interface list")."""

import subprocess

from test_cli import pyscap

from conftest import CAPTURES
from pyscap import open_file

CURL = CAPTURES / "curl_google.scap"
FMT = "%evt.type %thread.tid %proc.name %fd.name"
FILTER = "evt.type=read"


def _read(path, *filt):
    r = pyscap("-r", path, "-p", FMT, *filt)
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


def test_fatfile_keeps_the_state_of_the_filtered_events(tmp_path):
    fat, thin = tmp_path / "fat.scap", tmp_path / "thin.scap"
    r = pyscap("-r", CURL, "-w", fat, "-F", "--stats", FILTER)
    assert r.returncode == 0, r.stderr
    assert pyscap("-r", CURL, "-w", thin, FILTER).returncode == 0
    want = _read(CURL, FILTER)
    assert len(want) == 50 and all(" curl /" in line for line in want), want[:5]
    # the fatfile read with no filter at all: the filter's lines of the original, fd names included
    assert _read(fat) == want
    # the plain filtered file: the same events, without the processes and files they came from
    thin_lines = _read(thin)
    assert len(thin_lines) == 50 and thin_lines != want
    assert all(line.startswith("read ") and " <NA> " in line for line in thin_lines), thin_lines[:3]
    # the state-only events are there, hidden: counted as filtered when read
    with open_file(str(fat)) as cap:
        assert sum(1 for _ in cap) == 50
        st = cap.stats()
    assert st.returned == 50 and st.filtered > 100 and st.delivered == st.returned + st.filtered + st.internal


def test_loop_api_fatfile_counts_state_only(tmp_path):
    out = tmp_path / "fat.scap"
    with open_file(str(CURL), filter=FILTER) as cap:
        loop = cap.loop(write=str(out), fatfile=True)
        assert loop.run_to_end() == "done"
        st = loop.stats
        loop.close()
    assert st.events == 50 and st.state_only > 100 and st.written >= st.events + st.state_only
    with open_file(str(out), filter="evt.type=open or evt.type=openat or evt.type=close") as cap:
        assert sum(1 for _ in cap) == 0  # state-only events never come out, filter or not


def test_sysdig_reads_the_fatfile_as_pyscap_does(sysdig, tmp_path):
    fat = tmp_path / "fat.scap"
    assert pyscap("-r", CURL, "-w", fat, "-F", FILTER).returncode == 0
    r = subprocess.run([sysdig, "-r", str(fat), "-p", FMT], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == _read(fat) == _read(CURL, FILTER)
