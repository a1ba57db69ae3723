#!/usr/bin/env bash
# `cpack -G DEB` from this build tree gives a .deb holding the CLI, the
# libraries, the headers, holoanim.pc and the systemd unit, with Depends on
# the shared libraries it links (libjansson, ...). Unpacked with `dpkg -x`
# into a scratch root (nothing installed on this machine), its holoanim
# runs; `systemd-analyze verify` accepts its unit where systemd-analyze is.
set -euo pipefail
build=$(dirname "${HA_CLI:?}")
for tool in cpack dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool not installed"; exit 77; }
done
if grep -qE '^HA_SANITIZE:STRING=.+' "$build/CMakeCache.txt"; then
  echo "skipped: a sanitizer build is not packaged"
  exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$dir/out" >"$dir/cpack.log" 2>&1 ||
  { cat "$dir/cpack.log"; exit 1; }
deb=$(ls "$dir"/out/holoanim_*.deb)
echo "built $(basename "$deb")"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
grep -q "libjansson" <<<"$depends" || { echo "Depends lacks libjansson" >&2; exit 1; }
# libmicrohttpd only when the CLI links it (the metrics endpoint's server).
if ldd "$HA_CLI" | grep -q libmicrohttpd; then
  grep -q "libmicrohttpd" <<<"$depends" || { echo "Depends lacks libmicrohttpd" >&2; exit 1; }
fi
root="$dir/root"
dpkg -x "$deb" "$root"
for f in usr/bin/holoanim usr/include/holoanim.h usr/include/holoanim/output.h \
  usr/lib/libholoanim.a usr/lib/pkgconfig/holoanim.pc usr/lib/systemd/system/holoanim@.service; do
  test -e "$root/$f" || { echo "missing from the package: /$f" >&2; exit 1; }
done
ls "$root"/usr/lib/libholoanim.so.* >/dev/null
version=$(LD_LIBRARY_PATH="$root/usr/lib" "$root/usr/bin/holoanim" --version)
echo "unpacked holoanim --version: $version"
grep -q "$(sed -n 's/^project(holoanim VERSION \([0-9.]*\).*/\1/p' "${HA_SOURCE_DIR:?}/CMakeLists.txt")" \
  <<<"$version"
# The .pc is relocatable: from the scratch root it names the scratch root.
PKG_CONFIG_PATH="$root/usr/lib/pkgconfig" pkg-config --cflags holoanim | grep -q "$root/usr/"
unit="$root/usr/lib/systemd/system/holoanim@.service"
grep -q '^ExecStart=/usr/bin/holoanim play /etc/holoanim/%i.json' "$unit"
grep -q '^ExecReload=/bin/kill -HUP \$MAINPID' "$unit"
if command -v systemd-analyze >/dev/null; then
  # Verified with ExecStart pointing into the scratch root (the package is
  # not installed here); the unit keeps its name, a template.
  mkdir -p "$dir/unit"
  sed "s|/usr/bin/holoanim|$root/usr/bin/holoanim|" "$unit" >"$dir/unit/holoanim@.service"
  LD_LIBRARY_PATH="$root/usr/lib" systemd-analyze verify "$dir/unit/holoanim@.service"
  echo "systemd-analyze verify: the unit is accepted"
else
  echo "systemd-analyze verify: skipped (systemd-analyze not installed)"
fi
echo "1 passed, 0 failed"
