"""pyscap's build: CMake builds libscap.so, libsinsp.so and the CO-RE probe; this script drives it
and ships both libraries inside the `pyscap` package with the compiled cffi module (API mode,
pyscap/_build_cffi.py) that calls them. A wheel without that module is a broken wheel: a build
that cannot compile it (no C compiler, no Python headers) fails and says why.

    python3 setup.py build_native      CMake build into ./build (what the tests and the CLI use)
    pip install .                      build and install the package with both libraries
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Command, setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

ROOT = Path(__file__).resolve().parent
VERSION = (ROOT / "VERSION").read_text().strip()


def cmake_build(build_dir: Path, extra=()) -> None:
    jobs = str(os.cpu_count() or 2)
    subprocess.check_call(["cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=RelWithDebInfo", *extra])
    subprocess.check_call(["cmake", "--build", str(build_dir), "-j", jobs])


class BuildNative(Command):
    """Build the native libraries in place (./build) for development and tests."""

    description = "CMake build of libscap, libsinsp and the CO-RE probe into ./build"
    user_options = [
        ("build-dir=", None, "CMake build directory (default ./build)"),
        ("no-bpf", None, "do not build the CO-RE probe"),
    ]
    boolean_options = ["no-bpf"]

    def initialize_options(self):
        self.build_dir = None
        self.no_bpf = False

    def finalize_options(self):
        self.build_dir = Path(self.build_dir or ROOT / "build")

    def run(self):
        # the build compiles the cffi module for this interpreter too (packaging/python.cmake)
        extra = [f"-DPython3_EXECUTABLE={sys.executable}"]
        if self.no_bpf:
            extra.append("-DPYSCAP_BUILD_BPF=OFF")
        cmake_build(self.build_dir, extra)


def build_cffi(build_dir: Path, out_dir: Path) -> None:
    """The compiled cffi module for the interpreter running this build, next to the libraries."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_pyscap_build_cffi", ROOT / "pyscap" / "_build_cffi.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    try:
        mod.build(build_dir, out_dir)
    except Exception as e:
        raise SystemExit(
            f"pyscap: cannot compile the cffi module ({e}); it needs a C compiler and Python's headers "
            "(Debian: build-essential python3-dev)"
        ) from e


class BuildPyWithNative(build_py):
    """build_py that also builds the native libraries and copies them into the package."""

    def run(self):
        super().run()
        build_dir = Path(os.environ.get("PYSCAP_CMAKE_BUILD_DIR", Path(self.build_lib).parent / "cmake"))
        # the module is built below, for the interpreter running pip (which may not be CMake's)
        extra = ["-DPYSCAP_BUILD_TESTS=OFF", "-DPYSCAP_PYTHON=OFF"]
        if os.environ.get("PYSCAP_NO_BPF"):
            extra.append("-DPYSCAP_BUILD_BPF=OFF")
        cmake_build(build_dir, extra)
        dest = Path(self.build_lib) / "pyscap"
        for lib in ("libscap/libscap.so.0", "libsinsp/libsinsp.so.0"):
            shutil.copy2(build_dir / lib, dest / Path(lib).name)
        build_cffi(build_dir, dest)


class BinaryDistribution(Distribution):
    def has_ext_modules(self):
        return True  # the package carries native libraries: wheels are platform-specific


setup(
    name="pyscap",
    version=VERSION,
    description="Linux system-call capture and inspection: a CO-RE eBPF probe, libscap and libsinsp, from Python",
    long_description=(ROOT / "README.md").read_text() if (ROOT / "README.md").exists() else "",
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.10",
    packages=["pyscap"],
    package_data={"pyscap": ["_cdefs/*.h", "data/*", "py.typed"]},  # py.typed: PEP 561, the package is typed
    install_requires=["cffi>=1.15"],
    extras_require={"test": ["pytest>=7", "hypothesis>=6"], "arrow": ["pyarrow"], "numpy": ["numpy"]},
    entry_points={"console_scripts": ["pyscap=pyscap.cli:main"]},
    cmdclass={"build_native": BuildNative, "build_py": BuildPyWithNative},
    distclass=BinaryDistribution,
    zip_safe=False,
)
