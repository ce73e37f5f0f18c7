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
import json
import os
import signal
import sys
import time

from . import __version__

EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, EXIT_OPEN, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
JSON_FIELDS = "*%evt.num %evt.time %evt.cpu %proc.name %thread.tid %evt.type %evt.args"


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # one clear line on stderr, the usage exit code
        sys.stderr.write(f"pyscap: {message} (see pyscap --help)\n")
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="pyscap", description="Capture and inspect Linux system calls (sysdig-style flags).",
                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("filter", nargs="*", help="filter expression (sysdig/Falco syntax), e.g. evt.type=openat")
    p.add_argument("-r", "--read", metavar="FILE", help="read events from a .scap file instead of capturing live")
    p.add_argument("-w", "--write", metavar="FILE", help="write events to a .scap file instead of printing them")
    p.add_argument("-z", "--compress", action="store_true", help="gzip the file written with -w")
    p.add_argument("-p", "--print", dest="format", metavar="FORMAT",
                   help='output format, e.g. "%%evt.num %%proc.name %%fd.name" (default: sysdig\'s line)')
    p.add_argument("-j", "--json", action="store_true", help="one JSON object per event")
    p.add_argument("-n", "--numevents", type=int, metavar="COUNT", help="stop after COUNT events")
    p.add_argument("-M", "--seconds", type=float, metavar="SECONDS", help="stop after SECONDS (live capture)")
    p.add_argument("-s", "--snaplen", type=int, metavar="SNAPLEN", default=0,
                   help="bytes of I/O buffers to capture (default 80)")
    p.add_argument("-l", "--list", action="store_true", help="list the fields filters and formats can use")
    p.add_argument("-L", "--list-events", action="store_true", help="list the events")
    p.add_argument("-S", "--summary", action="store_true", help="print a summary of event types at the end")
    p.add_argument("--stats", action="store_true", help="print capture statistics on stderr at the end")
    p.add_argument("--engine", default="bpf_core", choices=["bpf_core", "kmod"], help="live engine")
    p.add_argument("--no-convert", action="store_true", help="-r: keep old event layouts as stored")
    p.add_argument("-V", "--version", action="version", version=f"pyscap {__version__}")
    return p


def _list_fields(out) -> None:
    from .capture import list_fields
    names = {0: "INT64", 1: "UINT64", 2: "CHARBUF", 3: "BYTEBUF", 4: "BOOL", 5: "IPADDR", 6: "IPNET", 7: "PORT",
             8: "ABSTIME", 9: "RELTIME", 10: "DOUBLE"}
    cls = None
    for f in list_fields():
        if f["class"] != cls:
            cls = f["class"]
            out.write(f"\n-------------------------------\nField Class: {cls}\n\n")
        out.write(f"{f['name']:<28} {names.get(f['type'], '?'):<8} {f['desc']}\n")


def _list_events(out) -> None:
    from .events import EVENTS, EventFlag
    for e in EVENTS:
        if e.unused or e.flags & EventFlag.OLD_VERSION:
            continue
        d = ">" if e.is_enter else "<"
        out.write(f"{d} {e.name}(" + ", ".join(f"{p.type.name} {p.name}" for p in e.params) + ")\n")


def _open(args):
    from . import capture
    filt = " ".join(args.filter) or None
    if args.read:
        return capture.open_file(args.read, filter=filt, convert=not args.no_convert)
    return capture.open_live(engine=args.engine, snaplen=args.snaplen, filter=filt, timeout=args.seconds)


def run(argv=None) -> int:
    args = build_parser().parse_args(argv)
    out = sys.stdout
    if args.list:
        _list_fields(out)
        return EXIT_OK
    if args.list_events:
        _list_events(out)
        return EXIT_OK
    if args.numevents is not None and args.numevents < 0:
        sys.stderr.write("pyscap: -n needs a positive count\n")
        return EXIT_USAGE

    from .errors import CaptureFileError, CaptureOpenError, Error, FilterError, LibraryError
    try:
        cap = _open(args)
    except FilterError as e:
        sys.stderr.write(f"pyscap: bad filter: {e}\n")
        return EXIT_USAGE
    except (CaptureOpenError, CaptureFileError, LibraryError, Error) as e:
        sys.stderr.write(f"pyscap: cannot open the capture: {e}\n")
        return EXIT_OPEN
    rc = EXIT_OK
    counts = collections.Counter()
    n = 0
    started = time.monotonic()
    with cap:
        try:
            if args.write:
                rc = _write(cap, args)
            else:
                fmt = args.format or ("" if args.json else None)
                if args.json:
                    from .capture import DEFAULT_FORMAT  # noqa: F401
                    fmt = args.format or JSON_FIELDS
                    cap._formatter(fmt, 1)
                elif fmt is None:
                    from .capture import DEFAULT_FORMAT
                    fmt = DEFAULT_FORMAT
                else:
                    cap._formatter(fmt, 0)
                mode = 1 if args.json else 0
                write = out.write
                deadline = None if args.seconds is None else started + args.seconds
                while args.numevents is None or n < args.numevents:
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        break  # -M: a busy capture never times out, so the clock decides
                    evt = cap.next(timeout=left)
                    if evt is None:
                        break
                    n += 1
                    if args.summary:
                        counts[evt.name] += 1
                        continue
                    line = cap._format(evt._ptr, fmt, mode)
                    if line is not None:
                        write(line + "\n")
        except FilterError as e:
            sys.stderr.write(f"pyscap: bad format: {e}\n")
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
            total = sum(counts.values())
            out.write(f"{'count':>10}  event type\n")
            for name, c in counts.most_common():
                out.write(f"{c:>10}  {name}\n")
            out.write(f"{total:>10}  total\n")
        if args.stats:
            st = cap.stats()
            sys.stderr.write(f"pyscap: events={st.events} delivered={st.delivered} returned={st.returned} "
                             f"filtered={st.filtered} drops={st.drops} (buffer={st.drops_buffer} "
                             f"too_large={st.drops_too_large}) skipped={st.skipped} converted={st.converted}\n")
    out.flush()
    return rc


def _write(cap, args) -> int:
    from .capture import Dumper
    progress = sys.stderr.isatty()
    last = 0.0
    deadline = None if args.seconds is None else time.monotonic() + args.seconds
    with Dumper(args.write, capture=cap, gzip=args.compress) as d:
        while args.numevents is None or d.count < args.numevents:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                break
            evt = cap.next(timeout=left)
            if evt is None:
                break
            d.write(evt)
            if progress and time.monotonic() - last > 0.5:
                last = time.monotonic()
                sys.stderr.write(f"\rpyscap: {d.count} events written to {args.write}")
                sys.stderr.flush()
        if progress:
            sys.stderr.write(f"\rpyscap: {d.count} events written to {args.write}\n")
    return EXIT_OK


def main(argv=None) -> None:
    # a closed pipe (pyscap ... | head) ends quietly
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        code = run(argv)
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    sys.exit(code)


if __name__ == "__main__":
    main()
