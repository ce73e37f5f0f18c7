"""`pyscap`: a sysdig-style command line over pyscap.

    pyscap                               live capture of every syscall (root, BTF)
    pyscap -r trace.scap proc.name=curl  read a capture file, with a filter
    pyscap -w out.scap -M 5              write 5 seconds of live events to a file
    pyscap -p "%proc.name %fd.name" ...  custom output format; -j for JSON lines

Exit codes: 0 success; 1 the capture failed while running (damaged file: the complete events
before the damage were printed); 2 bad usage, bad filter or bad format; 3 cannot open the capture
(missing file, no permission, engine unavailable); 130 interrupted.
"""

import argparse
import collections
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO

from . import __version__

if TYPE_CHECKING:
    from ._capi import CData
    from .capture import Capture, Event

EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, EXIT_OPEN, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class _Args(argparse.Namespace):
    """The parsed command line (build_parser()'s options)."""

    filter: list[str]
    read: str | None
    write: str | None
    compress: bool
    format: str | None
    json: bool
    numevents: int | None
    seconds: float | None
    snaplen: int
    list: bool
    list_events: bool
    summary: bool
    stats: bool
    engine: str
    no_convert: bool


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # one clear line on stderr, the usage exit code
        sys.stderr.write(f"pyscap: {message} (see pyscap --help)\n")
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="pyscap",
        description="Capture and inspect Linux system calls (sysdig-style flags).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1] if __doc__ else None,  # None: python -OO
    )
    p.add_argument("filter", nargs="*", help="filter expression (sysdig/Falco syntax), e.g. evt.type=openat")
    p.add_argument("-r", "--read", metavar="FILE", help="read events from a .scap file instead of capturing live")
    p.add_argument("-w", "--write", metavar="FILE", help="write events to a .scap file instead of printing them")
    p.add_argument("-z", "--compress", action="store_true", help="gzip the file written with -w")
    p.add_argument(
        "-p",
        "--print",
        dest="format",
        metavar="FORMAT",
        help='output format, e.g. "%%evt.num %%proc.name %%fd.name" (default: sysdig\'s line)',
    )
    p.add_argument("-j", "--json", action="store_true", help="one JSON object per event")
    p.add_argument("-n", "--numevents", type=int, metavar="COUNT", help="stop after COUNT events")
    p.add_argument(
        "-M",
        "--seconds",
        type=float,
        metavar="SECONDS",
        help="stop after SECONDS of capture (event timestamps; live: also wall time)",
    )
    p.add_argument(
        "-s",
        "--snaplen",
        type=int,
        metavar="SNAPLEN",
        default=0,
        help="bytes of I/O buffers to capture live (default 80)",
    )
    p.add_argument("-l", "--list", action="store_true", help="list the fields filters and formats can use")
    p.add_argument("-L", "--list-events", action="store_true", help="list the events")
    p.add_argument(
        "-S",
        "--summary",
        action="store_true",
        help="after the events, print how many there were of each type (sysdig's layout)",
    )
    p.add_argument("--stats", action="store_true", help="print capture statistics on stderr at the end")
    p.add_argument("--engine", default="bpf_core", choices=["bpf_core", "kmod"], help="live engine")
    p.add_argument("--no-convert", action="store_true", help="-r: keep old event layouts as stored")
    p.add_argument("-V", "--version", action="version", version=f"pyscap {__version__}")
    return p


def _list_fields(out: TextIO) -> None:
    from .capture import list_fields

    names = {
        0: "INT64",
        1: "UINT64",
        2: "CHARBUF",
        3: "BYTEBUF",
        4: "BOOL",
        5: "IPADDR",
        6: "IPNET",
        7: "PORT",
        8: "ABSTIME",
        9: "RELTIME",
        10: "DOUBLE",
    }
    cls: str | None = None
    for f in list_fields():
        if f["class"] != cls:
            cls = f["class"]
            out.write(f"\n-------------------------------\nField Class: {cls}\n\n")
        out.write(f"{f['name']:<28} {names.get(f['type'], '?'):<8} {f['desc']}\n")


def _list_events(out: TextIO) -> None:
    from .events import EVENTS, EventFlag

    for e in EVENTS:
        if e.unused or e.flags & EventFlag.OLD_VERSION:
            continue
        d = ">" if e.is_enter else "<"
        out.write(f"{d} {e.name}(" + ", ".join(f"{p.type.name} {p.name}" for p in e.params) + ")\n")


def _open(args: _Args) -> "Capture":
    from . import capture

    filt = " ".join(args.filter) or None
    # -w keeps libsinsp's internal events (procinfo, ...) in the file, as sysdig -w does
    internal = bool(args.write)
    if args.read:
        return capture.open_file(args.read, filter=filt, convert=not args.no_convert, internal_events=internal)
    return capture.open_live(engine=args.engine, snaplen=args.snaplen, filter=filt, internal_events=internal)


def _events(cap: "Capture", args: _Args) -> Iterator["Event"]:
    """The events to show or write: -n COUNT of them, -M SECONDS of capture time (event
    timestamps; a live capture also ends after SECONDS of wall time, busy or not)."""
    limit = args.numevents
    if limit == 0:
        return
    if args.seconds is None and not cap.live:
        for n, e in enumerate(cap, 1):
            yield e
            if limit is not None and n >= limit:
                return
        return
    span = None if args.seconds is None else int(args.seconds * 1e9)
    deadline = None if args.seconds is None else time.monotonic() + args.seconds
    first_ts: int | None = None
    n = 0
    while True:
        left = None if deadline is None else deadline - time.monotonic()
        if cap.live and left is not None and left <= 0:
            return  # -M on a live capture: the clock decides, also while events keep coming
        evt = cap.next(timeout=left if cap.live else None)
        if evt is None:
            return
        if span is not None:
            ts = evt.ts
            if first_ts is None:
                first_ts = ts
            elif ts - first_ts > span:
                return
        yield evt
        n += 1
        if limit is not None and n >= limit:
            return


def _summary(out: TextIO, counts: collections.Counter[tuple[str, str]]) -> None:
    """sysdig -S: events by direction and name, most frequent first."""
    out.write("----------------------\nEvent           #Calls\n----------------------\n")
    for (direction, name), c in sorted(counts.items(), key=lambda kv: -kv[1]):
        out.write(f"{direction} {name:<15} {c}\n")


def run(argv: Sequence[str] | None = None) -> int:
    """The command line; returns the exit code."""
    args = build_parser().parse_args(argv, namespace=_Args())
    out = sys.stdout
    if args.list:
        _list_fields(out)
        return EXIT_OK
    if args.list_events:
        _list_events(out)
        return EXIT_OK
    if args.numevents is not None and args.numevents < 0:
        sys.stderr.write("pyscap: -n needs a count >= 0\n")
        return EXIT_USAGE
    if args.seconds is not None and args.seconds < 0:
        sys.stderr.write("pyscap: -M needs a number of seconds >= 0\n")
        return EXIT_USAGE
    if args.snaplen < 0:
        sys.stderr.write("pyscap: -s needs a snaplen >= 0\n")
        return EXIT_USAGE
    if args.compress and not args.write:
        sys.stderr.write("pyscap: -z compresses the file written with -w: give -w FILE\n")
        return EXIT_USAGE

    from .errors import CaptureFileError, CaptureOpenError, Error, FilterError, LibraryError, PermissionDeniedError

    try:
        cap = _open(args)
    except FilterError as e:
        sys.stderr.write(f"pyscap: bad filter: {_first_line(e)}\n")
        return EXIT_USAGE
    except PermissionDeniedError as e:
        sys.stderr.write(f"pyscap: no permission to capture live (run as root): {e}\n")
        return EXIT_OPEN
    except (CaptureOpenError, CaptureFileError, LibraryError) as e:
        sys.stderr.write(f"pyscap: cannot open the capture: {e}\n")
        return EXIT_OPEN
    except Error as e:
        sys.stderr.write(f"pyscap: cannot open the capture: {e}\n")
        return EXIT_OPEN
    rc = EXIT_OK
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    with cap:
        try:
            if args.write:
                _write(cap, args, args.write)
            else:
                mode = 1 if args.json else 0
                from .capture import DEFAULT_FORMAT

                fmt = args.format or DEFAULT_FORMAT
                formatter = cap._formatter(fmt, mode)  # a bad format fails here, before any event
                fmt_str = _native_format_str()
                string = _native_string()
                write = out.write
                for evt in _events(cap, args):
                    if args.summary:
                        counts[(">" if evt.is_enter else "<", evt.name)] += 1
                    line = fmt_str(formatter, evt._ptr)
                    if line:
                        write(string(line).decode("utf-8", "replace"))
                        write("\n")
        except FilterError as e:
            sys.stderr.write(f"pyscap: bad format: {_first_line(e)}\n")
            return EXIT_USAGE
        except CaptureFileError as e:
            out.flush()
            sys.stderr.write(f"pyscap: {args.read}: {e}\n")
            rc = EXIT_RUNTIME
        except Error as e:
            out.flush()
            sys.stderr.write(f"pyscap: {e}\n")
            rc = EXIT_RUNTIME
        except KeyboardInterrupt:
            rc = EXIT_INTERRUPTED
        if args.summary:
            _summary(out, counts)
        if args.stats:
            st = cap.stats()
            sys.stderr.write(
                f"pyscap: events={st.events} delivered={st.delivered} returned={st.returned} "
                f"filtered={st.filtered} drops={st.drops} (buffer={st.drops_buffer} "
                f"too_large={st.drops_too_large}) skipped={st.skipped} converted={st.converted} "
                f"internal={st.internal}\n"
            )
    out.flush()
    return rc


def _first_line(e: Exception) -> str:
    """libsinsp's filter messages add the text and a caret line under it: stderr gets one line."""
    return str(e).split("\n", 1)[0]


def _native_format_str() -> "Callable[[CData, CData], CData]":
    from . import _native

    return _native.sinsp.sinsp_formatter__format_str


def _native_string() -> "Callable[[CData], bytes]":
    import _cffi_backend

    string: Callable[[CData], bytes] = _cffi_backend.string
    return string


def _write(cap: "Capture", args: _Args, path: str) -> None:
    """-w FILE (path): the events into a .scap file, with a progress line on stderr when it is a terminal."""
    from .capture import Dumper

    progress = sys.stderr.isatty()
    last = 0.0

    def show(end: str = "") -> None:
        sys.stderr.write(f"\rpyscap: {d.count} events written to {path}{end}")
        sys.stderr.flush()

    with Dumper(path, capture=cap, gzip=args.compress) as d:
        try:
            for evt in _events(cap, args):
                d.write(evt)
                if progress and time.monotonic() - last > 0.5:
                    last = time.monotonic()
                    show()
        finally:
            if progress:
                show("\n")


def main(argv: Sequence[str] | None = None) -> NoReturn:
    # a closed pipe (pyscap ... | head) ends quietly
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    from .errors import LibraryError

    try:
        code = run(argv)
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    except LibraryError as e:  # -l/-L, or any path that loads the libraries first
        sys.stderr.write(f"pyscap: {e}\n")
        code = EXIT_OPEN
    sys.exit(code)


if __name__ == "__main__":
    main()
