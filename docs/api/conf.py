"""Sphinx configuration of pyscap's API reference: the C API of libscap and libsinsp (Doxygen XML
through breathe), the Python API (autodoc, from the docstrings) and the guide (docs/guide.md,
through MyST). scripts/docs.sh runs Doxygen, then sphinx-build with warnings as errors; it sets
PYSCAP_DOXYGEN_XML to Doxygen's XML directory."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the in-tree package (its libraries from the CMake build: PYSCAP_BUILD_DIR)

project = "pyscap"
copyright = "the pyscap authors, Apache-2.0"
version = release = (ROOT / "VERSION").read_text().strip()

extensions = ["sphinx.ext.autodoc", "breathe", "myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]

breathe_projects = {"pyscap": os.environ.get("PYSCAP_DOXYGEN_XML", str(ROOT / "build" / "docs" / "doxygen" / "xml"))}
breathe_default_project = "pyscap"
breathe_domain_by_extension = {"h": "c"}
breathe_default_members = ("members",)
# the attribute macros of the declarations (Doxygen expands SCAP_API & co. to nothing already)
c_id_attributes = ["SCAP_API", "SINSP_API", "SCAP_NODISCARD", "SINSP_NODISCARD"]

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "show-inheritance": True}

myst_heading_anchors = 3

html_theme = "alabaster"
html_title = f"pyscap {release}"
