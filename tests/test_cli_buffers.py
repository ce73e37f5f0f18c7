"""sysdig's data-buffer flags (issue 19): -A (text and line ends only), -x (hex), -X (hex and
text), -b (base64), in text and in JSON outputs. Checked against Debian's sysdig 0.29.3 on the
bundled capture (every read/write/sendto/recvfrom, enter events kept: --no-convert), and on a
synthetic write whose bytes hit each rule: CR, LF, CRLF, a leading LF, an odd length, a partial
last row."""

import json
import subprocess
import sys

import pytest
from test_cli_timetype import ENV, ours, theirs
from test_columns import ev

import pyscap
from conftest import CAPTURES
from pyscap.events import EventType

CURL = CAPTURES / "curl_google.scap"
IO = "evt.type=read or evt.type=write or evt.type=sendto or evt.type=recvfrom"
FLAGS = ["", "-A", "-x", "-X", "-b"]


@pytest.mark.oracle
@pytest.mark.parametrize("flag", FLAGS)
def test_text_is_sysdigs(sysdig, flag):
    argv = [flag] if flag else []
    a = theirs(sysdig, *argv, "-p", "%evt.num %evt.type %evt.args", IO)
    b = ours(*argv, "-p", "%evt.num %evt.type %evt.args", IO)
    assert a == b
    assert len(a) >= 122  # (-x and -X print several lines per buffer)


@pytest.mark.oracle
@pytest.mark.parametrize("flag", FLAGS)
def test_json_is_sysdigs(sysdig, flag):
    argv = [flag] if flag else []
    a = [json.loads(x) for x in theirs(sysdig, *argv, "-j", "-p", "%evt.num %evt.args", IO) if x.startswith("{")]
    b = [json.loads(x) for x in ours(*argv, "-j", "-p", "%evt.num %evt.args", IO)]
    assert a == b and len(a) == 122


DATA = b"\nGET / HTTP/1.1\r\nHost: x\r\r\n\x00\x7f\xffend\nZ"  # 39 bytes: an odd length, a partial row


def one_write(fmt: str | None) -> str:
    events = ev(EventType.WRITE_X, 7, 1_700_000_000_000_000_000, res=len(DATA), data=DATA, fd=1, size=len(DATA))
    with pyscap.open_events(events) as cap:
        if fmt:
            cap.set_buffer_format(fmt)
        out = [e["evt.arg.data"] for e in cap]
    assert len(out) == 1
    return out[0]


def test_every_rule_of_each_format():
    # dots: printable bytes, '.' for the others
    assert one_write(None) == ".GET / HTTP/1.1..Host: x......end.Z"
    # -A: a newline first; the leading LF dropped (first byte); CR -> LF; LF after CR dropped;
    # other non-printables dropped
    assert one_write("ascii") == "\nGET / HTTP/1.1\nHost: x\n\nend\nZ"
    hexed = one_write("hex")
    assert hexed == (
        "\n\t0x0000: 0a47 4554 202f 2048 5454 502f 312e 310d"
        "\n\t0x0010: 0a48 6f73 743a 2078 0d0d 0a00 7fff 656e"
        "\n\t0x0020: 640a 5a\n"
    )
    assert one_write("hexascii") == (
        "\n\t0x0000: 0a47 4554 202f 2048 5454 502f 312e 310d  .GET / HTTP/1.1."
        "\n\t0x0010: 0a48 6f73 743a 2078 0d0d 0a00 7fff 656e  .Host: x......en"
        "\n\t0x0020: 640a 5a" + " " * 5 * 6 + "  d.Z\n"
    )
    import base64

    assert one_write("base64") == base64.b64encode(DATA).decode()
    with pyscap.open_events(b"") as cap, pytest.raises(ValueError):
        cap.set_buffer_format("octal")


def test_flags_are_exclusive():
    r = subprocess.run(
        [sys.executable, "-m", "pyscap", "-r", str(CURL), "-x", "-b"], capture_output=True, text=True, env=ENV
    )
    assert r.returncode == 2 and "not allowed with argument" in r.stderr
