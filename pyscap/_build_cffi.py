"""Builds pyscap's optional compiled cffi module (API mode): the same declarations as the ABI-mode
loader (pyscap/_cdefs/*.h), checked by the C compiler against libscap's and libsinsp's public
headers and called without libffi (about 1.5-2x cheaper per call than ABI mode, which matters on
the per-event path). pyscap works without it (pyscap._native falls back to ABI mode).

    python3 -m pyscap._build_cffi [CMAKE_BUILD_DIR [OUTPUT_DIR]]

Defaults: $PYSCAP_BUILD_DIR or ./build, and CMAKE_BUILD_DIR/pyscap (where pyscap._native looks
in a development tree). setup.py runs it after CMake.
"""

import os
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from cffi import FFI

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MODULE = "pyscap._pyscap_cffi"
SOURCE = '#include "scap/scap.h"\n#include "sinsp/sinsp.h"\n#include "sinsp/filter.h"\n'


def _flexible(cdef: str) -> str:
    """Option structs are versioned by their `sz` field and grow at their end: let the compiler
    lay them out from the real headers (every field declared here must still exist there)."""
    return re.sub(r"(\nstruct \w+ \{\n[^}]*?)\n\};", "\\1\n\t...;\n};", cdef)


def make_ffi(build_dir: Path, source_root: Path = ROOT) -> FFI:
    ffi = FFI()
    ffi.cdef((HERE / "_cdefs" / "scap_abi.h").read_text(), packed=True)
    ffi.cdef(_flexible((HERE / "_cdefs" / "scap.h").read_text()))
    ffi.cdef(_flexible((HERE / "_cdefs" / "sinsp.h").read_text()))
    ffi.set_source(
        MODULE,
        SOURCE,
        include_dirs=[
            str(source_root / "libscap" / "include"),
            str(source_root / "libsinsp" / "include"),
            str(source_root / "abi"),
        ],
        library_dirs=[str(build_dir / "libscap"), str(build_dir / "libsinsp")],
        # NEEDED by soname: the copies pyscap._native loaded first are the ones used
        libraries=[":libscap.so.0", ":libsinsp.so.0"],
        extra_compile_args=["-O2"],
    )
    return ffi


def build(build_dir: Path, out_dir: Path) -> Path:
    """Compile the module; returns its path (out_dir/_pyscap_cffi.<ext suffix>)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pyscap-cffi-") as tmp:
        built = Path(make_ffi(build_dir).compile(tmpdir=tmp, verbose=False))
        dest = out_dir / built.name
        tmp_dest = dest.with_name(dest.name + ".tmp")
        tmp_dest.write_bytes(built.read_bytes())
        os.chmod(tmp_dest, 0o755)
        os.replace(tmp_dest, dest)  # atomic: a running import sees the old or the new file
    return dest


def main(argv: Sequence[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    build_dir = Path(argv[0] if argv else os.environ.get("PYSCAP_BUILD_DIR", ROOT / "build")).resolve()
    out_dir = Path(argv[1]) if len(argv) > 1 else build_dir / "pyscap"
    print(build(build_dir, out_dir))


if __name__ == "__main__":
    main()
