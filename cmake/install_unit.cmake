# Run by `cmake --install` (and CPack): the systemd unit configured with the
# install-time prefix, so ExecStart names the holoanim being installed
# (/usr/bin for the .deb, PREFIX/bin for `cmake --install --prefix PREFIX`).
set(HA_HOLOANIM_BIN "${CMAKE_INSTALL_PREFIX}/${HA_BINDIR}/holoanim")
configure_file("${HA_UNIT_IN}" "${HA_UNIT_TMP}/holoanim@.service" @ONLY)
file(INSTALL "${HA_UNIT_TMP}/holoanim@.service"
     DESTINATION "${CMAKE_INSTALL_PREFIX}/${HA_UNITDIR}")
