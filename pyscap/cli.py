"""`pyscap`: a sysdig-style command line over pyscap.

    pyscap                               live capture of every syscall (root, BTF)
    pyscap -r trace.scap proc.name=curl  read a capture file, with a filter
    pyscap -w out.scap -M 5              write 5 seconds of live events to a file
    pyscap -p "%proc.name %fd.name" ...  custom output format; -j for JSON lines
    pyscap -pc container.id!=host        sysdig's container line, metadata from the runtimes
    pyscap --rules falco_rules.yaml      Falco rules: an alert line per match (-j: Falco's JSON)
    pyscap --rules r.yaml --validate     check rules files and exit (0 if every rule compiled)

Every event goes through libsinsp's C loop (sinsp/loop.h): Python only starts it, stops it
and handles signals. SIGINT, SIGTERM and SIGHUP stop a capture cleanly (also when SIGINT is
ignored, as in a background job of a shell script): what the engine already captured is
printed or written, the file is closed complete, and the exit code is 128 + the signal. A file
being written is flushed at least every second and every 4 MiB, so that after a SIGKILL it reads
up to a block at most that old.

Exit codes: 0 success; 1 the capture failed while running (damaged file: the complete events
before the damage were printed), or --validate found an error; 2 bad usage, bad filter, bad
format or rules that do not load; 3 cannot open the capture (missing file, no permission, engine
unavailable); 130 SIGINT, 143 SIGTERM, 129 SIGHUP.
"""

import argparse
import os
import signal
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from . import __version__

if TYPE_CHECKING:
    from .capture import Capture, Loop
    from .rules import Ruleset

EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, EXIT_OPEN, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
# sysdig's -pc and -pk lines ("*%evt.num %evt.outputtime %evt.cpu %container.name (%container.id)
# %proc.name (%thread.tid:%thread.vtid) %evt.dir %evt.type %evt.info", and %k8s.pod.name for
# %container.name), written as pyscap's default line writes sysdig's default one: %evt.time (what
# sysdig's %evt.outputtime shows), no %evt.dir (enter and exit are one event), %evt.args.
PC_FORMAT = (
    "*%evt.num %evt.time %evt.cpu %container.name (%container.id) %proc.name (%thread.tid:%thread.vtid) "
    "%evt.type %evt.args"
)
PK_FORMAT = (
    "*%evt.num %evt.time %evt.cpu %k8s.pod.name (%container.id) %proc.name (%thread.tid:%thread.vtid) "
    "%evt.type %evt.args"
)
CONTAINER_FORMATS = {"c": PC_FORMAT, "container": PC_FORMAT, "k": PK_FORMAT, "kubernetes": PK_FORMAT}
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class _Args(argparse.Namespace):
    """The parsed command line (build_parser()'s options)."""

    filter: list[str]
    read: str | None
    write: str | None
    compress: bool
    format: str | None
    json: bool
    numevents: int | None
    duration: float | None
    file_size: float | None
    rotate_seconds: float | None
    limit: int | None
    events_per_file: int | None
    unbuffered: bool
    snaplen: int
    list: bool
    list_events: bool
    summary: bool
    stats: bool
    timetype: str | None
    libs_version: bool
    list_markdown: bool
    quiet: bool
    verbose: bool
    suppress_comm: Sequence[str] | None
    resolve_ports: bool
    page_faults: bool
    buffer_format: str | None
    engine: str
    no_convert: bool
    rules: Sequence[str] | None
    list_rules: bool
    validate: bool
    min_priority: str | None
    disable_rule: Sequence[str] | None
    disable_tag: Sequence[str] | None
    rule_matching: str
    alert_file: str | None
    containers: bool
    container_socket: Sequence[str] | None
    exclude_path: Sequence[str] | None
    fatfile: bool
    progress: bool


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
        "-P",
        "--progress",
        action="store_true",
        help="-r: print how much of the file is read, in percent, on stderr (sysdig -P)",
    )
    p.add_argument(
        "-F",
        "--fatfile",
        action="store_true",
        help="-w with a filter: also write the filtered-out events that modify state (open, close, "
        "clone, execve ...) as state-only events, which readers parse and do not show: the file's "
        "events keep their fd names and processes (sysdig -F)",
    )
    p.add_argument(
        "-p",
        "--print",
        dest="format",
        metavar="FORMAT",
        help='output format, e.g. "%%evt.num %%proc.name %%fd.name" (default: sysdig\'s line); '
        "-pc (-pcontainer) and -pk (-pkubernetes): sysdig's container and Kubernetes lines",
    )
    p.add_argument("-j", "--json", action="store_true", help="one JSON object per event")
    p.add_argument("-n", "--numevents", type=int, metavar="COUNT", help="stop after COUNT events")
    p.add_argument(
        "-M",
        dest="duration",
        type=float,
        metavar="SECONDS",
        help="stop after SECONDS of capture (live: wall time; files: event time)",
    )
    p.add_argument(
        "-C",
        "--file-size",
        type=float,
        metavar="MB",
        help="-w: a new file once one holds more than MB million bytes (FILE0, FILE1, ...)",
    )
    p.add_argument(
        "-G",
        "--seconds",
        dest="rotate_seconds",
        type=float,
        metavar="SECONDS",
        help="-w: a new file every SECONDS of capture (FILE0, FILE1, ..., or strftime(3) %%-fields in FILE)",
    )
    p.add_argument(
        "-W",
        "--limit",
        type=int,
        metavar="N",
        help="with -C/-G/-e: keep at most N files, reused in a ring",
    )
    p.add_argument(
        "-e",
        dest="events_per_file",
        type=int,
        metavar="EVENTS",
        help="-w: a new file every EVENTS events (FILE0, FILE1, ...)",
    )
    p.add_argument(
        "--unbuffered",
        action="store_true",
        help="write every line at once (default: at once to a terminal, in 64 KiB blocks otherwise)",
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
    p.add_argument("--list-markdown", action="store_true", help="like -l, in markdown")
    p.add_argument("-L", "--list-events", action="store_true", help="list the events")
    p.add_argument(
        "-S",
        "--summary",
        action="store_true",
        help="after the events, print how many there were of each type (sysdig's layout)",
    )
    p.add_argument("--stats", action="store_true", help="print capture statistics on stderr at the end")
    b = p.add_mutually_exclusive_group()
    for short, long_, fmt, text in (
        ("-A", "--print-ascii", "ascii", "print only the text of data buffers, and their line ends"),
        ("-x", "--print-hex", "hex", "print data buffers in hex"),
        ("-X", "--print-hex-ascii", "hexascii", "print data buffers in hex and as text"),
        ("-b", "--print-base64", "base64", "print data buffers in base64"),
    ):
        b.add_argument(short, long_, dest="buffer_format", action="store_const", const=fmt, help=text)
    p.add_argument(
        "-t",
        "--timetype",
        choices=list("hardD"),
        help="how %%evt.outputtime (the time of the default line) prints: h time of day (default), "
        "a seconds since the epoch, r since the first event, d enter/exit delta (always 0 now, as "
        "upstream), D since the previous event printed",
    )
    p.add_argument("--engine", default="bpf_core", choices=["bpf_core", "kmod"], help="live engine")
    p.add_argument(
        "--exclude-path",
        action="append",
        metavar="PATH",
        help="live: drop the open, openat, openat2 and creat events of PATH and everything under it "
        "in the kernel (an absolute path, as the syscall is given it; repeat for up to 8); the count "
        "is in the end-of-capture statistics",
    )
    p.add_argument("--no-convert", action="store_true", help="-r: keep old event layouts as stored")
    c = p.add_argument_group("containers (container.* and k8s.* fields from the container runtimes)")
    c.add_argument(
        "--containers",
        action="store_true",
        help="live: look up the containers' metadata in the runtimes whose default sockets exist "
        "(docker, podman, containerd, CRI-O, k3s); -pc and -pk imply it",
    )
    c.add_argument(
        "--container-socket",
        action="append",
        metavar="KIND:PATH",
        help="live: a runtime to ask (repeat for several), KIND docker (Docker Engine API, podman's "
        "compatible socket), podman (libpod API) or cri (containerd, CRI-O); implies --containers",
    )
    r = p.add_argument_group("rules (Falco's rules files)")
    r.add_argument(
        "--rules",
        action="append",
        metavar="FILE",
        help="load a Falco rules file (repeat: in order, each overriding the previous); prints an alert "
        "per match instead of the events (-j: Falco's JSON alerts)",
    )
    r.add_argument("--list-rules", action="store_true", help="print each loaded rule: name, priority, event types")
    r.add_argument(
        "--validate",
        action="store_true",
        help="load the --rules files, print their errors and warnings on stderr and exit (1 on an error)",
    )
    r.add_argument(
        "--min-priority",
        metavar="PRIORITY",
        help="only rules at least this severe (emergency, alert, critical, error, warning, notice, info, debug)",
    )
    r.add_argument("--disable-rule", action="append", metavar="NAME", help="disable rules by name or * pattern")
    r.add_argument("--disable-tag", action="append", metavar="TAG", help="disable the rules with this tag")
    r.add_argument(
        "--rule-matching",
        choices=["first", "all"],
        default="first",
        help="alert for the first matching rule of an event (default, as Falco) or for all",
    )
    r.add_argument("--alert-file", metavar="FILE", help="append the alerts to FILE instead of stdout")
    p.add_argument("-V", "--version", action="version", version=f"pyscap {__version__}")
    p.add_argument(
        "--libs-version", action="store_true", help="print the versions of the native libraries and the event schema"
    )
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print buffers and argument lists whole (not cut at 80 characters) and a summary at the end",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print no event (with -S, --stats: only those)")
    p.add_argument(
        "-U",
        "--suppress-comm",
        metavar="COMM",
        action="append",
        help="ignore the events of processes with this comm (repeat for several)",
    )
    p.add_argument(
        "--page-faults", action="store_true", help="live: also capture page faults (user and kernel, major and minor)"
    )
    p.add_argument(
        "-R",
        "--resolve-ports",
        action="store_true",
        help="print ports as service names (/etc/services) in socket names and address arguments",
    )
    p.add_argument(
        "-N",
        dest="resolve_ports",
        action="store_false",
        help="print port numbers, not names (the default; after -R, as in sysdig, the last one counts)",
    )
    return p


# what each field class is about, for -l and --list-markdown (upstream's layout)
CLASS_DESCRIPTIONS = {
    "evt": "The event itself: its number, time, type, direction, category, arguments and result.",
    "process": "The process and the thread that made the event, from the thread table (its /proc scan and "
    "the events since).",
    "user": "The user the thread that made the event runs as.",
    "group": "The group the thread that made the event runs as.",
    "container": "The container the thread runs in: its id from the cgroups, the rest from the container "
    "runtimes (--containers).",
    "k8s": "Kubernetes metadata of the thread's pod, from the CRI runtime's labels (--containers).",
    "fd": "Every event with a file descriptor among its arguments has these fields, about the file, "
    "socket or other object it refers to.",
    "fs.path": "The paths of filesystem events (mkdir, rmdir, unlink, rename, link, symlink and their *at "
    "forms), resolved against the thread's working directory or the dirfd.",
    "fdlist": "Poll events: the file descriptors they wait on.",
}
FIELD_TYPE_NAMES = {
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


def _wrapped(first: str, text: str, indent: int = 30, width: int = 120) -> str:
    """sysdig -l's column layout: `first` padded to the indent, then the words of text, each with
    a space after it, wrapped so that no line is longer than width."""
    # a name as long as the indent gets a line of its own
    lines, line = ([first], " " * indent) if len(first) >= indent else ([], f"{first:<{indent}}")
    for w in text.split():
        if len(line) + len(w) + 1 > width and line.strip():
            lines.append(line)
            line = " " * indent
        line += w + " "
    lines.append(line)
    return "\n".join(lines) + "\n"


def _field_classes() -> "list[tuple[str, list[Any]]]":
    """The fields by class, classes in the order they first appear."""
    from .capture import list_fields

    classes: dict[str, list[Any]] = {}
    for f in list_fields():
        classes.setdefault(f["class"], []).append(f)
    return list(classes.items())


def _list_fields(out: TextIO, markdown: bool = False) -> None:
    """-l and --list-markdown, in upstream's layouts (filter-only fields marked in -l)."""
    for cls, fields in _field_classes():
        desc = CLASS_DESCRIPTIONS.get(cls, "")
        if markdown:
            out.write(f"## Field Class: {cls}\n\n{desc}\n\nName | Type | Description\n:----|:-----|:-----------\n")
            for f in fields:
                out.write(f"`{f['name']}` | {FIELD_TYPE_NAMES.get(f['type'], '?')} | {f['desc']}\n")
            out.write("\n")
            continue
        out.write("-------------------------------\n")
        out.write(f"{'Field Class:':<30}{cls}\n")
        out.write(_wrapped("Description:", desc))
        out.write("\n")
        for f in fields:
            text = ("(FILTER ONLY) " if f["flags"] & 4 else "") + f["desc"]
            out.write(_wrapped(f["name"], text))
        out.write("\n")


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
    containers: list[str] | bool = list(args.container_socket or []) or args.containers
    return capture.open_live(
        engine=args.engine,
        snaplen=args.snaplen,
        filter=filt,
        internal_events=internal,
        containers=containers,
        exclude_paths=args.exclude_path or (),
    )


def _summary(out: TextIO, counts: list[tuple[str, str, int]]) -> None:
    """sysdig -S: events by direction and name, most frequent first."""
    out.write("----------------------\nEvent           #Calls\n----------------------\n")
    for direction, name, c in counts:
        out.write(f"{direction} {name:<15} {c}\n")


def _resolve_format(args: _Args) -> None:
    """-pc / -pk become sysdig's container lines (and turn the runtimes' lookups on); with -t,
    the default and container lines print their time with %evt.outputtime, which -t sets."""
    if args.format in CONTAINER_FORMATS:
        # sysdig's -pc / -pk (not the one-letter format strings "c" and "k"); their lines need the
        # runtimes' metadata: a live capture looks it up, a file has what was recorded
        args.format = CONTAINER_FORMATS[args.format]
        args.containers = True
    if args.timetype and not args.json:
        from .capture import DEFAULT_FORMAT

        fmt = args.format or DEFAULT_FORMAT
        if fmt in (DEFAULT_FORMAT, PC_FORMAT, PK_FORMAT):
            args.format = fmt.replace("%evt.time ", "%evt.outputtime ", 1)


def run(argv: Sequence[str] | None = None) -> int:
    """The command line; returns the exit code."""
    args = build_parser().parse_args(argv, namespace=_Args())
    out = sys.stdout
    if args.list or args.list_markdown:
        _list_fields(out, markdown=args.list_markdown)
        return EXIT_OK
    if args.list_events:
        _list_events(out)
        return EXIT_OK
    if args.libs_version:
        from . import _schema, native_versions

        v = native_versions()
        schema = ".".join(map(str, _schema.SCHEMA_VERSION))
        api = ".".join(map(str, _schema.API_VERSION))
        out.write(f"libscap {v['libscap']}\nlibsinsp {v['libsinsp']}\nevent schema {schema}\ndriver API {api}\n")
        return EXIT_OK
    if (args.validate or args.list_rules) and not args.rules:
        sys.stderr.write("pyscap: --validate and --list-rules check the files given with --rules FILE\n")
        return EXIT_USAGE
    if args.rules and args.format:
        sys.stderr.write("pyscap: -p formats events; with --rules the output is the alerts (-j for JSON)\n")
        return EXIT_USAGE
    _resolve_format(args)
    for ep in args.container_socket or []:
        kind, sep, path = ep.partition(":")
        if not sep or not path or kind not in ("docker", "podman", "cri", "containerd", "crio", "cri-o"):
            sys.stderr.write(f"pyscap: --container-socket {ep}: expected KIND:PATH with KIND docker, podman or cri\n")
            return EXIT_USAGE
    if args.validate:
        return _validate(list(args.rules or []), out)
    ruleset = None
    if args.rules:
        ruleset = _load_rules(args)
        if ruleset is None:
            return EXIT_USAGE
        if args.list_rules:
            _list_rules(ruleset, out)
            return EXIT_OK
    if args.numevents is not None and args.numevents < 0:
        sys.stderr.write("pyscap: -n needs a count >= 0\n")
        return EXIT_USAGE
    if args.duration is not None and args.duration < 0:
        sys.stderr.write("pyscap: -M needs a number of seconds >= 0\n")
        return EXIT_USAGE
    for flag, value in (
        ("-C", args.file_size),
        ("-G", args.rotate_seconds),
        ("-W", args.limit),
        ("-e", args.events_per_file),
    ):
        if value is not None and value <= 0:
            sys.stderr.write(f"pyscap: {flag} needs a number > 0\n")
            return EXIT_USAGE
        if value is not None and not args.write:
            sys.stderr.write(f"pyscap: {flag} rotates the file written with -w: give -w FILE\n")
            return EXIT_USAGE
    if args.limit is not None and not (args.file_size or args.rotate_seconds or args.events_per_file):
        sys.stderr.write("pyscap: -W needs -C, -G or -e to rotate on\n")
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
        sys.stderr.write(
            f"pyscap: no permission to capture live (run as root, or with CAP_BPF and CAP_PERFMON: "
            f"docs/privileges.md): {e}\n"
        )
        return EXIT_OPEN
    except (CaptureOpenError, CaptureFileError, LibraryError) as e:
        sys.stderr.write(f"pyscap: cannot open the capture: {e}\n")
        return EXIT_OPEN
    except Error as e:
        sys.stderr.write(f"pyscap: cannot open the capture: {e}\n")
        return EXIT_OPEN
    rc = EXIT_OK
    started = time.monotonic()
    with cap:
        try:
            if args.timetype:
                cap.set_time_output_mode(args.timetype)
            if args.buffer_format:
                cap.set_buffer_format(args.buffer_format)
            if args.verbose:
                cap.set_buffer_limit(0)
            for comm in args.suppress_comm or []:
                cap.suppress_comm(comm)
            if args.resolve_ports:
                cap.set_port_resolution(True)
            if args.page_faults and not args.read:
                cap.set_syscall("page_fault_user")
                cap.set_syscall("page_fault_kernel")
            if args.numevents == 0:
                if args.write:
                    from .capture import Dumper

                    Dumper(args.write, capture=cap, gzip=args.compress).close()
                return EXIT_OK
            try:
                loop = _loop(cap, args, out, ruleset)
            except FilterError as e:
                sys.stderr.write(f"pyscap: bad format: {_first_line(e)}\n")
                return EXIT_USAGE
            except CaptureFileError as e:  # the file to write
                sys.stderr.write(f"pyscap: {e}\n")
                return EXIT_RUNTIME
            # -P: the file's share read (sysdig's figure); else, -w to a terminal: events written
            percent = bool(args.progress and args.read)
            progress = bool(args.write) and sys.stderr.isatty() and not percent
            with loop, _Stopper(loop) as stopper:
                try:
                    last = 0.0
                    deadline = None
                    if args.duration is not None and cap.live:
                        deadline = time.monotonic() + args.duration
                    while (
                        loop.run(0.1 if deadline is None else max(0.001, min(0.1, deadline - time.monotonic())))
                        == "more"
                    ):
                        now = time.monotonic()
                        if deadline is not None and now >= deadline:
                            loop.stop()  # -M: what was captured until now is still printed or written
                            deadline = None
                        if (progress or percent) and now - last > 0.5:
                            last = now
                            if percent:
                                _percent(cap)
                            else:
                                _progress(loop, args.write or "")
                finally:
                    if progress:
                        _progress(loop, args.write or "", "\n")
                    if percent:
                        _percent(cap, "\n")
                summary = loop.summary() if args.summary else []
            if stopper.signo is not None:
                rc = 128 + stopper.signo
        except CaptureFileError as e:
            sys.stderr.write(f"pyscap: {args.read or args.write}: {e}\n")
            rc = EXIT_RUNTIME
        except Error as e:
            sys.stderr.write(f"pyscap: {e}\n")
            rc = EXIT_RUNTIME
        if args.summary and rc not in (EXIT_RUNTIME,):
            _summary(out, summary)
        if args.verbose and rc != EXIT_RUNTIME:
            # sysdig -v's summary (its "driver" counters are 0 for a file, as sysdig's)
            st = cap.stats()
            elapsed = time.monotonic() - started
            sys.stderr.write(
                f"Driver Events:{st.events if cap.live else 0}\nDriver Drops:{st.drops if cap.live else 0}\n"
                f"Suppressed by Comm:{st.suppressed}\nElapsed time: {elapsed:.3f}, Captured Events: "
                f"{st.returned}, {st.returned / elapsed if elapsed > 0 else 0.0:.2f} eps\n"
            )
        if args.stats:
            st = cap.stats()
            sys.stderr.write(
                f"pyscap: events={st.events} delivered={st.delivered} returned={st.returned} "
                f"filtered={st.filtered} drops={st.drops} (buffer={st.drops_buffer} "
                f"too_large={st.drops_too_large}) skipped={st.skipped} converted={st.converted} "
                f"internal={st.internal} unread={st.unread} excluded={st.excluded}\n"
            )
    out.flush()
    return rc


def _first_line(e: Exception) -> str:
    """libsinsp's filter messages add the text and a caret line under it: stderr gets one line."""
    return str(e).split("\n", 1)[0]


class _Stopper:
    """SIGINT, SIGTERM and SIGHUP stop the loop (once; a second signal changes nothing); the
    previous handlers come back on exit. SIGINT is handled even where the shell ignored it for a
    background job, so that Ctrl-C and kill -INT stop a capture everywhere."""

    def __init__(self, loop: "Loop") -> None:
        self.loop = loop
        self.signo: int | None = None
        self._old: dict[int, Any] = {}

    def _handler(self, signo: int, _frame: object) -> None:
        if self.signo is None:
            self.signo = signo
        self.loop.stop()

    def __enter__(self) -> "_Stopper":
        for s in STOP_SIGNALS:
            self._old[s] = signal.signal(s, self._handler)
        return self

    def __exit__(self, *exc: object) -> None:
        for s, h in self._old.items():
            signal.signal(s, h)


def _percent(cap: "Capture", end: str = "") -> None:
    pct = cap.progress
    sys.stderr.write(f"\r{pct if pct is not None else 0.0:.2f}{end}")
    sys.stderr.flush()


def _progress(loop: "Loop", path: str, end: str = "") -> None:
    sys.stderr.write(f"\rpyscap: {loop.stats.written} events written to {loop.file or path}{end}")
    sys.stderr.flush()


def _loop(cap: "Capture", args: _Args, out: TextIO, ruleset: "Ruleset | None" = None) -> "Loop":
    """The C loop for this command line: -w (with rotation) or lines to stdout, and the alerts of
    the rules."""
    # -M: on a file, a span of event time; live, run() stops (and drains) the loop in time
    span = args.duration if args.duration is not None and not cap.live else None
    count = args.numevents
    if ruleset is not None:
        alert_out: int | TextIO = out
        if args.alert_file:
            try:
                fd = os.open(args.alert_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644)
            except OSError as e:
                from .errors import CaptureFileError

                raise CaptureFileError(f"cannot write {args.alert_file}: {e.strerror}", e.errno or 0) from None
            alert_out = fd
        else:
            out.flush()  # the loop writes to the fd below Python's buffer
        rules = dict(
            ruleset=ruleset,
            alert_out=alert_out,
            alerts_json=args.json,
            first_match=args.rule_matching == "first",
            line_buffered=args.unbuffered or (not args.alert_file and out.isatty()),
        )
        if args.write:
            return cap.loop(
                write=args.write,
                gzip=args.compress,
                fatfile=args.fatfile,
                rotate_bytes=int((args.file_size or 0) * 1e6),
                rotate_seconds=args.rotate_seconds or 0.0,
                rotate_events=args.events_per_file or 0,
                rotate_files=args.limit or 0,
                count=count,
                span=span,
                summary=args.summary,
                **rules,  # type: ignore[arg-type]
            )
        return cap.loop(count=count, span=span, summary=args.summary, **rules)  # type: ignore[arg-type]
    if args.write:
        return cap.loop(
            write=args.write,
            gzip=args.compress,
            fatfile=args.fatfile,
            rotate_bytes=int((args.file_size or 0) * 1e6),
            rotate_seconds=args.rotate_seconds or 0.0,
            rotate_events=args.events_per_file or 0,
            rotate_files=args.limit or 0,
            count=count,
            span=span,
            summary=args.summary,
        )
    if args.quiet:  # -q: capture and count (-S, --stats), print no event
        return cap.loop(count=count, span=span, summary=args.summary)
    from .capture import DEFAULT_FORMAT

    out.flush()  # the loop writes to the fd below Python's buffer
    return cap.loop(
        format=args.format or DEFAULT_FORMAT,
        json=args.json,
        out=out,
        line_buffered=args.unbuffered or out.isatty(),
        count=count,
        span=span,
        summary=args.summary,
    )


def _load_rules(args: _Args) -> "Ruleset | None":
    """The --rules files as a ruleset with the run-time options applied; None after printing
    the errors."""
    from .rules import Priority, RulesError, Ruleset

    try:
        rs = Ruleset.load(args.rules or [])
    except RulesError as e:
        for m in e.errors:
            sys.stderr.write(f"{m}\n")
        sys.stderr.write("pyscap: the rules do not load (--validate shows the warnings too)\n")
        return None
    try:
        if args.min_priority:
            rs.min_priority = Priority.parse(args.min_priority)
        for name in args.disable_rule or []:
            rs.disable(name)
        for tag in args.disable_tag or []:
            rs.disable(tag=tag)
    except (ValueError, KeyError) as e:
        sys.stderr.write(f"pyscap: {e.args[0] if e.args else e}\n")
        rs.close()
        return None
    return rs


def _validate(paths: list[str], out: TextIO) -> int:
    """--validate: Falco's -V. Errors and warnings on stderr, "FILE: Ok" or "FILE: Invalid" per
    file on stdout; 0 when every item of every file loaded."""
    from .rules import Ruleset

    rs = Ruleset.load(paths, strict=False, wait_names=0)
    try:
        for m in rs.messages:
            sys.stderr.write(f"{m}\n")
        bad = {m.file for m in rs.errors}
        for p in paths:
            out.write(f"{p}: {'Invalid' if p in bad else 'Ok'}\n")
        return EXIT_RUNTIME if rs.errors else EXIT_OK
    finally:
        rs.close()


def _list_rules(rs: "Ruleset", out: TextIO) -> None:
    """--list-rules: one line per rule: name, priority, event types (tab-separated; disabled
    rules say so)."""
    for r in rs:
        if r.evttypes is None:
            types = "all"
        elif r.evttypes_except:
            types = "all except " + ",".join(r.evttypes_except)
        else:
            types = ",".join(r.evttypes) or "none"
        state = "" if r.active else ("\t(disabled)" if not r.enabled else "\t(below the minimum priority)")
        out.write(f"{r.name}\t{r.priority.label}\t{types}{state}\n")


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
