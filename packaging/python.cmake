# The Python package and the CLI as the `python` package component (packaging/cpack.cmake): the
# package's sources, its compiled cffi module (API mode, built here against the two libraries just
# built; pyscap/_build_cffi.py) and /usr/bin/pyscap. A build without Python, cffi or Python's
# headers stops here with what is missing; -DPYSCAP_PYTHON=OFF builds the C libraries alone
# (setup.py does: it builds the module itself, into the wheel).
option(PYSCAP_PYTHON "Build the compiled cffi module and install the Python package and the CLI" ON)
if(NOT PYSCAP_PYTHON)
  return()
endif()

find_package(Python3 3.10 COMPONENTS Interpreter Development.Module)
if(NOT Python3_FOUND)
  message(FATAL_ERROR "pyscap: the Python package needs Python >= 3.10 and its headers "
    "(Debian: python3-dev), or configure with -DPYSCAP_PYTHON=OFF")
endif()
execute_process(
  COMMAND ${Python3_EXECUTABLE} -c "import cffi, importlib.machinery as m; print(m.EXTENSION_SUFFIXES[0])"
  OUTPUT_VARIABLE PYSCAP_EXT_SUFFIX OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc ERROR_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pyscap: ${Python3_EXECUTABLE} has no cffi module (Debian: python3-cffi; "
    "pip install cffi), or configure with -DPYSCAP_PYTHON=OFF")
endif()

# where `pyscap._native` looks first in a build tree (and `make` keeps it current)
set(PYSCAP_CFFI_MODULE ${PROJECT_BINARY_DIR}/pyscap/_pyscap_cffi${PYSCAP_EXT_SUFFIX})
file(GLOB PYSCAP_CDEFS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/pyscap/_cdefs/*.h)
file(GLOB PYSCAP_PUBLIC_HEADERS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/libscap/include/scap/*.h
  ${PROJECT_SOURCE_DIR}/libsinsp/include/sinsp/*.h)
add_custom_command(OUTPUT ${PYSCAP_CFFI_MODULE}
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/pyscap/_build_cffi.py ${PROJECT_BINARY_DIR}
    ${PROJECT_BINARY_DIR}/pyscap
  DEPENDS scap sinsp ${PROJECT_SOURCE_DIR}/pyscap/_build_cffi.py ${PYSCAP_CDEFS} ${PYSCAP_PUBLIC_HEADERS}
  COMMENT "Building the compiled cffi module (pyscap/_build_cffi.py)")
add_custom_target(pyscap_cffi ALL DEPENDS ${PYSCAP_CFFI_MODULE})

# Debian's path for modules of any Python 3 (the extension's suffix pins the minor version, and
# the package's Depends say which: packaging/cpack.cmake)
set(PYSCAP_PYTHON_INSTALL_DIR "lib/python3/dist-packages" CACHE STRING
  "where the pyscap Python package is installed, relative to the prefix")
set(PYSCAP_PYTHON_SHEBANG "/usr/bin/python3" CACHE STRING "the interpreter of the installed pyscap command")
set(PYSCAP_PYTHON_VERSION "${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}")

install(DIRECTORY ${PROJECT_SOURCE_DIR}/pyscap/ DESTINATION ${PYSCAP_PYTHON_INSTALL_DIR}/pyscap COMPONENT python
  FILES_MATCHING PATTERN "*.py" PATTERN "*.h" PATTERN "py.typed" PATTERN "*.scap"
  PATTERN "__pycache__" EXCLUDE PATTERN "_build_cffi.py" EXCLUDE)
install(FILES ${PYSCAP_CFFI_MODULE} DESTINATION ${PYSCAP_PYTHON_INSTALL_DIR}/pyscap COMPONENT python)
configure_file(${CMAKE_CURRENT_LIST_DIR}/pyscap.in ${PROJECT_BINARY_DIR}/packaging/pyscap @ONLY)
install(PROGRAMS ${PROJECT_BINARY_DIR}/packaging/pyscap DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT python)
