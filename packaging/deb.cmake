# CPack's Debian package (scripts/package.sh runs `cpack -G DEB` in the build folder):
# spindle_<version>_amd64.deb, installing under /usr, its Depends computed by
# dpkg-shlibdeps from the programs' shared libraries. Binaries are stripped.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME spindle)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The Spindle authors")
set(CPACK_PACKAGE_CONTACT "Spindle maintainers <spindle@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "watch a deterministic async runtime schedule tasks")
set(CPACK_PACKAGE_DESCRIPTION
  "Spindle runs tokio-style async programs, written as Lua scenarios, on a
deterministic, instrumented runtime (worker threads, tasks, channels, select,
timers, locks, work stealing) and shows every scheduling decision in a desktop
viewer: a timeline to scrub, zoom and export, and a stage of what each thread
runs. spindle-run runs scenarios from the command line and explores schedules.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # spindle_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE "")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${SPINDLE_HOMEPAGE})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Qt's platform plugins (xcb, offscreen) come with libqt6gui6 in Debian 12, which
# dpkg-shlibdeps finds: no hand-written Depends.
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
include(CPack)
