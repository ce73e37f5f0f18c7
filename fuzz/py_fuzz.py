#!/usr/bin/env python3
"""Atheris harness for pyscap's Python surface (fuzz/README.md).

    python3 fuzz/py_fuzz.py [libFuzzer flags] [CORPUS...]    # PYSCAP_BUILD_DIR: the libraries

The first byte of an input chooses what the rest is:
    0  a .scap file, opened with pyscap.open_file() (from a memfd), read with and without
       conversion: every event's fields, format() and as_dict(), the statistics
    1  a filter, given to open_file(filter=...) of a small capture cut from pyscap/data/sample.scap
       (fuzz/make_corpus.py), whose events are then read through it
    2  a format for Event.format() (on an event of pyscap/data/sample.scap with a thread and an
       fd), and the same text as a field name for evt[...]
    3  a Falco rules file for pyscap.Ruleset.from_yaml() (the YAML loader, macros, lists,
       exceptions, overrides), whose rules then run on the small capture (Capture.alerts())
Anything these raise other than pyscap.Error and its subclasses (and ValueError, which pyscap
raises for API misuse) is a finding: it propagates, and atheris reports it with the input.
"""

import os
import sys
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports():
    import pyscap
    from pyscap import capture as _capture  # noqa: F401  (instrumented with the package)
    from pyscap import rules as _rules_module  # noqa: F401  (imported on first use otherwise)

sys.path.insert(0, str(ROOT / "fuzz"))
import make_corpus  # noqa: E402

EXPECTED = (pyscap.Error, ValueError)
SAMPLE = ROOT / "pyscap" / "data" / "sample.scap"
MAX_EVENTS = 64
FIELDS = ("evt.num", "evt.type", "evt.args", "proc.name", "proc.cmdline", "fd.name", "fd.sip", "user.name")


class _MemFile:
    """A file in memory with a path (/proc/self/fd/N): nothing to remove when libFuzzer exits."""

    def __init__(self, name):
        self.fd = os.memfd_create(name)
        self.path = f"/proc/self/fd/{self.fd}"

    def write(self, data):
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, data, 0)
        return self.path


_input = _MemFile("pyscap-pyfuzz-input")
_small = _MemFile("pyscap-pyfuzz-small")
_format_cap = None
_format_evt = None


def _setup():
    """A small capture for filters, and a capture stopped at an event with a thread and an fd."""
    global _format_cap, _format_evt
    _small.write(make_corpus.slim_files(make_corpus.read_capture(SAMPLE))[1])
    _format_cap = pyscap.open_file(str(SAMPLE))
    for evt in _format_cap:
        if evt.fd is not None and evt.thread is not None:
            _format_evt = evt
            break
    assert _format_evt is not None, "no event with a thread and an fd in the sample capture"


def _read(path, convert):
    try:
        with pyscap.open_file(path, convert=convert) as cap:
            for i, evt in enumerate(cap):
                if i >= MAX_EVENTS:
                    break
                evt.format()
                evt.as_dict(FIELDS)
                for name in evt.params:
                    evt.params[name]
                _ = (evt.num, evt.ts, evt.tid, evt.cpu, evt.type, evt.name, evt.res, evt.thread, evt.fd, evt.raw)
                evt.copy(FIELDS[:3])
            cap.stats()
    except EXPECTED:
        pass


def _filter(text):
    try:
        with pyscap.open_file(_small.path, filter=text) as cap:
            for evt in cap:
                evt.format()
    except EXPECTED:
        pass


def _format(text):
    try:
        line = _format_evt.format(text)
        assert line is None or isinstance(line, str), line
    except EXPECTED:
        pass
    try:
        _format_evt[text]
    except (*EXPECTED, KeyError):  # FieldError is a KeyError too
        pass


def _rules(text):
    try:
        # wait_names=0: a rule naming a host (fd.sip.name) starts its lookup, nothing waits for it
        with pyscap.Ruleset.from_yaml(text, "fuzz.yaml", strict=False, wait_names=0) as rs:
            for info in rs:
                assert isinstance(info.name, str), info
            with pyscap.open_file(_small.path) as cap:
                for i, alert in enumerate(cap.alerts(rs)):
                    if i >= MAX_EVENTS:
                        break
                    assert isinstance(alert.output, str) and alert.json, alert
    except EXPECTED:
        pass


def test_one_input(data):
    if not data:
        return
    kind, rest = data[0] % 4, data[1:]
    if kind == 0:
        path = _input.write(rest)
        _read(path, True)
        _read(path, False)
    else:
        text = rest.decode("utf-8", "replace").replace("\0", " ")
        (_filter if kind == 1 else _format if kind == 2 else _rules)(text)


def main():
    _setup()
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
