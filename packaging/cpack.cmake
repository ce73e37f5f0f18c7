# Debian and RPM packages, split as a distribution splits a library (`cpack -G DEB` / `-G RPM` in a
# build dir; tests/test_packaging.py builds, checks and installs them):
#   libpyscap0     runtime: libscap.so.0 and libsinsp.so.0 (the sonames change with VERSION's major)
#   libpyscap-dev  headers, the libscap.so / libsinsp.so links, pkg-config files (libscap.pc,
#                  libsinsp.pc) and the CMake package (find_package(pyscap): pyscap::scap, pyscap::sinsp)
#   pyscap         the CLI (/usr/bin/pyscap) and the Python package with its compiled cffi module
#   pyscap-dkms    the kernel module's sources for dkms (/usr/src/pyscap-VERSION), which builds it
#                  for every installed kernel that has headers
include(CMakePackageConfigHelpers)

# prefix relative to the .pc file's own directory: right for any install prefix (CPack's /usr too)
file(RELATIVE_PATH PYSCAP_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" PYSCAP_PC_TO_PREFIX "${PYSCAP_PC_TO_PREFIX}")
foreach(pc libscap libsinsp)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/${pc}.pc.in ${PROJECT_BINARY_DIR}/packaging/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/packaging/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
endforeach()

set(PYSCAP_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/pyscap)
install(EXPORT pyscapTargets NAMESPACE pyscap:: DESTINATION ${PYSCAP_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/pyscapConfig.cmake.in
  ${PROJECT_BINARY_DIR}/packaging/pyscapConfig.cmake INSTALL_DESTINATION ${PYSCAP_CMAKE_DIR})
# the soname changes with the major version: a consumer asking for 0.1 takes any 0.x >= 0.1
write_basic_package_version_file(${PROJECT_BINARY_DIR}/packaging/pyscapConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/packaging/pyscapConfig.cmake ${PROJECT_BINARY_DIR}/packaging/pyscapConfigVersion.cmake
  DESTINATION ${PYSCAP_CMAKE_DIR} COMPONENT dev)

set(PYSCAP_DKMS_DIR src/pyscap-${PROJECT_VERSION})
file(GLOB PYSCAP_DRIVER_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/driver/*.c ${PROJECT_SOURCE_DIR}/driver/*.h)
install(FILES ${PYSCAP_DRIVER_SOURCES} ${PROJECT_SOURCE_DIR}/driver/Kbuild ${PROJECT_SOURCE_DIR}/driver/dkms.conf
  DESTINATION ${PYSCAP_DKMS_DIR} COMPONENT dkms)
file(GLOB PYSCAP_ABI_HEADERS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/abi/*.h)
install(FILES ${PYSCAP_ABI_HEADERS} DESTINATION ${PYSCAP_DKMS_DIR}/abi COMPONENT dkms)

set(CPACK_PACKAGE_NAME "pyscap")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "pyscap developers <dev@pyscap.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Linux system-call capture and inspection: libscap, libsinsp and a CO-RE eBPF probe")
set(CPACK_PACKAGE_VENDOR "pyscap")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://pyscap.invalid/")
set(CPACK_STRIP_FILES ON)
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_COMPONENTS_ALL runtime dev dkms)
if(PYSCAP_PYTHON)
  list(APPEND CPACK_COMPONENTS_ALL python)
endif()
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_RPM_COMPONENT_INSTALL ON)
set(PYSCAP_SAME_VERSION "(= ${PROJECT_VERSION})")

# Debian: one package per component, named as Debian names them, dependencies on system libraries
# from dpkg-shlibdeps, the project's own with their exact version
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# the cffi module links the two libraries of the runtime package: dpkg-shlibdeps finds them in the
# build tree (its Depends on libpyscap0 is explicit, below)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/libscap ${PROJECT_BINARY_DIR}/libsinsp)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME "libpyscap0")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION "libs")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "pyscap's shared libraries: libscap and libsinsp
 libscap captures Linux system calls (CO-RE eBPF probe, kernel module and .scap file engines),
 decodes events and writes .scap files; libsinsp keeps process and fd state, evaluates
 Falco/sysdig filters and rules and formats events. Both have a C API.")
set(CPACK_DEBIAN_DEV_PACKAGE_NAME "libpyscap-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION "libdevel")
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libpyscap0 ${PYSCAP_SAME_VERSION}")
set(CPACK_COMPONENT_DEV_DESCRIPTION "pyscap's libscap and libsinsp: development files
 Headers, the linker names, pkg-config files (libscap, libsinsp) and a CMake package
 (find_package(pyscap) gives the targets pyscap::scap and pyscap::sinsp).")
set(CPACK_DEBIAN_DKMS_PACKAGE_NAME "pyscap-dkms")
set(CPACK_DEBIAN_DKMS_PACKAGE_SECTION "kernel")
set(CPACK_DEBIAN_DKMS_PACKAGE_ARCHITECTURE "all")
set(CPACK_DEBIAN_DKMS_PACKAGE_DEPENDS "dkms")
set(CPACK_COMPONENT_DKMS_DESCRIPTION "pyscap's kernel module, as DKMS sources
 The module delivers the same events as pyscap's CO-RE eBPF probe, for kernels without BTF.
 dkms builds it for every installed kernel with headers.")
set(PYSCAP_SCRIPTS ${PROJECT_BINARY_DIR}/packaging/scripts)
foreach(script postinst prerm)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/dkms/${script} ${PYSCAP_SCRIPTS}/dkms/${script} @ONLY)
endforeach()
set(CPACK_DEBIAN_DKMS_PACKAGE_CONTROL_EXTRA "${PYSCAP_SCRIPTS}/dkms/postinst;${PYSCAP_SCRIPTS}/dkms/prerm")
set(CPACK_DEBIAN_DKMS_PACKAGE_CONTROL_STRICT_PERMISSION ON)

if(PYSCAP_PYTHON)
  set(CPACK_DEBIAN_PYTHON_PACKAGE_NAME "pyscap")
  set(CPACK_DEBIAN_PYTHON_PACKAGE_SECTION "utils")
  # the compiled cffi module is for this minor version of Python 3 (its file name says which)
  math(EXPR next_minor "${Python3_VERSION_MINOR} + 1")
  set(CPACK_DEBIAN_PYTHON_PACKAGE_DEPENDS "libpyscap0 ${PYSCAP_SAME_VERSION}, python3 (>= ${PYSCAP_PYTHON_VERSION}), python3 (<< 3.${next_minor}), python3-cffi-backend")
  set(CPACK_COMPONENT_PYTHON_DESCRIPTION "system-call capture and inspection from the command line and Python
 pyscap captures live system calls or reads .scap files, filters them with the Falco/sysdig
 filter language, prints them as sysdig does, evaluates Falco-style rules and writes captures.
 It includes the Python package pyscap, with its compiled cffi module.")
  set(PYSCAP_PYTHON_PKGDIR "${CPACK_PACKAGING_INSTALL_PREFIX}/${PYSCAP_PYTHON_INSTALL_DIR}/pyscap")
  foreach(script postinst prerm)
    configure_file(${CMAKE_CURRENT_LIST_DIR}/python/${script} ${PYSCAP_SCRIPTS}/python/${script} @ONLY)
  endforeach()
  set(CPACK_DEBIAN_PYTHON_PACKAGE_CONTROL_EXTRA "${PYSCAP_SCRIPTS}/python/postinst;${PYSCAP_SCRIPTS}/python/prerm")
  set(CPACK_DEBIAN_PYTHON_PACKAGE_CONTROL_STRICT_PERMISSION ON)
endif()

# RPM: the same split, dependencies from rpm's autoreq
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
# LICENSE: Apache-2.0, except the eBPF programs (inside libscap.so) and the kernel module. CPackRPM
# has one License tag for all the packages of a build, so every .rpm carries the expression
set(CPACK_RPM_PACKAGE_LICENSE "Apache-2.0 AND GPL-2.0-only")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_PACKAGE_URL "${CPACK_PACKAGE_HOMEPAGE_URL}")
set(CPACK_RPM_RUNTIME_PACKAGE_NAME "libpyscap0")
set(CPACK_RPM_RUNTIME_PACKAGE_SUMMARY "pyscap's shared libraries: libscap and libsinsp")
set(CPACK_RPM_DEV_PACKAGE_NAME "libpyscap-devel")
set(CPACK_RPM_DEV_PACKAGE_SUMMARY "pyscap's libscap and libsinsp: development files")
set(CPACK_RPM_DEV_PACKAGE_REQUIRES "libpyscap0 = ${PROJECT_VERSION}")
set(CPACK_RPM_DKMS_PACKAGE_NAME "pyscap-dkms")
set(CPACK_RPM_DKMS_PACKAGE_SUMMARY "pyscap's kernel module, as DKMS sources")
set(CPACK_RPM_DKMS_PACKAGE_ARCHITECTURE "noarch")
set(CPACK_RPM_DKMS_PACKAGE_REQUIRES "dkms")
set(CPACK_RPM_DKMS_POST_INSTALL_SCRIPT_FILE "${PYSCAP_SCRIPTS}/dkms/postinst")
set(CPACK_RPM_DKMS_PRE_UNINSTALL_SCRIPT_FILE "${PYSCAP_SCRIPTS}/dkms/prerm")
if(PYSCAP_PYTHON)
  set(CPACK_RPM_PYTHON_PACKAGE_NAME "pyscap")
  set(CPACK_RPM_PYTHON_PACKAGE_SUMMARY "system-call capture and inspection from the command line and Python")
  set(CPACK_RPM_PYTHON_PACKAGE_REQUIRES "libpyscap0 = ${PROJECT_VERSION}, python3-cffi")
  set(CPACK_RPM_PYTHON_POST_INSTALL_SCRIPT_FILE "${PYSCAP_SCRIPTS}/python/postinst")
  set(CPACK_RPM_PYTHON_PRE_UNINSTALL_SCRIPT_FILE "${PYSCAP_SCRIPTS}/python/prerm")
endif()
foreach(c RUNTIME DEV DKMS PYTHON)
  set(CPACK_RPM_${c}_PACKAGE_DESCRIPTION "${CPACK_COMPONENT_${c}_DESCRIPTION}")
endforeach()
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION /usr/src /usr/lib64/pkgconfig /usr/lib/pkgconfig
  /usr/lib/cmake /usr/lib64/cmake /usr/lib/python3 /usr/lib/python3/dist-packages)
set(CPACK_GENERATOR "DEB")
include(CPack)
