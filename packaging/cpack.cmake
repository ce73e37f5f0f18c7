# Debian and RPM packages: `cpack -G DEB` / `cpack -G RPM` in a build dir (tests/test_packaging.py).
# One package holds the two libraries, their headers and pkg-config files, and the kernel module's
# dkms source tree (/usr/src/pyscap-VERSION: driver sources, dkms.conf and the abi/ headers it needs).

# prefix relative to the .pc file's own directory: right for any install prefix (CPack's /usr too)
file(RELATIVE_PATH PYSCAP_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" PYSCAP_PC_TO_PREFIX "${PYSCAP_PC_TO_PREFIX}")
foreach(pc libscap libsinsp)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/${pc}.pc.in ${PROJECT_BINARY_DIR}/packaging/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/packaging/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()

set(PYSCAP_DKMS_DIR src/pyscap-${PROJECT_VERSION})
file(GLOB PYSCAP_DRIVER_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/driver/*.c ${PROJECT_SOURCE_DIR}/driver/*.h)
install(FILES ${PYSCAP_DRIVER_SOURCES} ${PROJECT_SOURCE_DIR}/driver/Kbuild ${PROJECT_SOURCE_DIR}/driver/dkms.conf
  DESTINATION ${PYSCAP_DKMS_DIR})
file(GLOB PYSCAP_ABI_HEADERS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/abi/*.h)
install(FILES ${PYSCAP_ABI_HEADERS} DESTINATION ${PYSCAP_DKMS_DIR}/abi)

set(CPACK_PACKAGE_NAME "pyscap")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "pyscap developers <dev@pyscap.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Linux system-call capture and inspection: libscap, libsinsp and a CO-RE eBPF probe")
set(CPACK_PACKAGE_VENDOR "pyscap")
set(CPACK_STRIP_FILES ON)
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION "libs")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "dkms")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_LICENSE "Apache-2.0 AND GPL-2.0-only")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION /usr/src /usr/lib64/pkgconfig /usr/lib/pkgconfig)
set(CPACK_GENERATOR "DEB")
include(CPack)
