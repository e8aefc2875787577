# CPack: `cpack -G DEB` in a build directory (or `cmake --build --preset default --target
# package`) makes mxttl_<version>_<arch>.deb from what `cmake --install` puts in place.
# Library dependencies come from dpkg-shlibdeps (libc6, libldns3, libpcap0.8, libjansson4 as
# the binaries really link them); programs mxttl runs are declared by hand: dnsmasq (the DNS
# fixture, /usr/sbin/dnsmasq) and ip from iproute2 (network namespaces of smtp targets).
set(CPACK_PACKAGE_NAME mxttl)
set(CPACK_PACKAGE_VENDOR "mxttl")
set(CPACK_PACKAGE_CONTACT "mxttl maintainers <mxttl@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "conformance suite for how mail servers cache DNS routes (legacy vs TTL)")
set(CPACK_PACKAGE_DESCRIPTION
    "mxttl runs a mail server, a route cache behind the driver protocol, or its own reference \
model against real dnsmasq serving scripted DNS scenarios, and judges every clause of its \
specification (Exchange 5.5 legacy caching vs EnableTTL=1) from what the DNS server saw. \
Reports: JSON, JUnit XML, Markdown, HTML. Includes the reference model as a C library \
(libmxttl-model.a, mxttl-model.pc).")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)          # mxttl_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION mail)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "dnsmasq-base, iproute2")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postfix | exim4-daemon-light, unbound, libldns-dev, pkg-config")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES OFF)
include(CPack)

# The package, installed and run from / (label package; skipped unless root on CI, see script).
# Only for the build we ship: a .deb of sanitizer or libFuzzer builds is not one (the asan and
# fuzz presets run the same tree's tests under their instrumentation instead).
if(NOT CMAKE_C_FLAGS MATCHES "-fsanitize")
  add_test(NAME package.deb_install_run
           COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/package_test.sh ${CMAKE_BINARY_DIR})
  set_tests_properties(package.deb_install_run PROPERTIES LABELS package SKIP_RETURN_CODE 77
                       TIMEOUT 900 RUN_SERIAL TRUE)
endif()
