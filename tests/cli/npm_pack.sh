#!/usr/bin/env bash
# The Node package installs where Node users are: `npm pack` in
# bindings/node gives a tarball holding the C library's sources (vendor/)
# and cmake-js (bundled, with node-api-headers), so `npm install
# holoanim-X.tgz` in an empty project builds the addon with no registry:
# --offline and an empty npm cache of its own. Then require('holoanim'):
# listModels() and one evaluate().
set -euo pipefail
src=${HA_SOURCE_DIR:?}
node_dir="$src/bindings/node"
for tool in node npm cmake; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool not installed"; exit 77; }
done
build=$(dirname "${HA_CLI:?}")
if grep -qE '^HA_SANITIZE:STRING=.+' "$build/CMakeCache.txt"; then
  echo "skipped: a sanitizer build (the addon builds its own library; once is enough)"
  exit 77
fi
# bundleDependencies packs what bindings/node/node_modules holds: cmake-js.
if [ ! -f "$node_dir/node_modules/cmake-js/package.json" ]; then
  (cd "$node_dir" && npm ci --offline --ignore-scripts --no-audit --no-fund >/dev/null 2>&1) || {
    echo "skipped: bindings/node/node_modules has no cmake-js and npm ci --offline cannot fetch it"
    exit 77
  }
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
(cd "$node_dir" && npm pack --pack-destination "$dir" >"$dir/pack.log" 2>&1) ||
  { cat "$dir/pack.log"; exit 1; }
tgz=$(ls "$dir"/holoanim-*.tgz)
echo "packed $(basename "$tgz") ($(du -k "$tgz" | cut -f1) KiB)"
test ! -e "$node_dir/vendor" || { echo "postpack left bindings/node/vendor behind" >&2; exit 1; }
listing=$(tar tzf "$tgz")
for f in package/CMakeLists.txt package/vendor/CMakeLists.txt package/vendor/src/layers.txt \
  package/vendor/include/holoanim.h package/vendor/cmake/holoanim.pc.in \
  package/node_modules/cmake-js/package.json package/node_modules/node-api-headers/package.json; do
  grep -qxF "$f" <<<"$listing" || { echo "the tarball lacks $f" >&2; exit 1; }
done
mkdir -p "$dir/app" "$dir/cache"
cd "$dir/app"
echo '{"name": "app", "version": "1.0.0", "private": true}' >package.json
# --offline with an empty cache: nothing can come from a registry.
npm install --offline --cache "$dir/cache" --no-audit --no-fund --foreground-scripts "$tgz" \
  >"$dir/install.log" 2>&1 || { cat "$dir/install.log"; exit 1; }
grep -E "holoanim: (building|linking)" "$dir/install.log" || true
node -e '
const h = require("holoanim");
const reg = h.listModels();
if (!reg || !Array.isArray(reg.models) || reg.models.length < 20) throw new Error("listModels: " + JSON.stringify(reg).slice(0, 200));
const m = h.createMotion("circular", {radius: 3}, {duration: 4});
const p = h.evaluate(m, [0, 1, 2]);
if (!(p instanceof Float64Array) || p.length !== 9) throw new Error("evaluate: " + p);
for (let i = 0; i < 3; i++) {
  const r = Math.hypot(p[3 * i], p[3 * i + 1]);
  if (Math.abs(r - 3) > 1e-6) throw new Error("radius " + r + " at sample " + i);
}
console.log(`installed from the tarball offline: ${reg.models.length} models, circular r=3 evaluated`);
'
# With an installed libholoanim of the same version (the .deb, unpacked
# into a scratch root and shown through PKG_CONFIG_PATH), the install links
# it instead of compiling vendor/.
if command -v cpack >/dev/null && command -v dpkg-deb >/dev/null && command -v pkg-config >/dev/null; then
  cpack -G DEB --config "$build/CPackConfig.cmake" -B "$dir/deb" >"$dir/cpack.log" 2>&1 ||
    { cat "$dir/cpack.log"; exit 1; }
  dpkg -x "$(ls "$dir"/deb/holoanim_*.deb)" "$dir/root"
  mkdir -p "$dir/app2" "$dir/cache2"
  cd "$dir/app2"
  echo '{"name": "app2", "version": "1.0.0", "private": true}' >package.json
  PKG_CONFIG_PATH="$dir/root/usr/lib/pkgconfig" npm install --offline --cache "$dir/cache2" \
    --no-audit --no-fund --foreground-scripts "$tgz" >"$dir/install2.log" 2>&1 ||
    { cat "$dir/install2.log"; exit 1; }
  grep -F "holoanim: linking the installed library $dir/root/usr/lib/libholoanim.a" \
    "$dir/install2.log" || { cat "$dir/install2.log"; exit 1; }
  node -e 'const h = require("holoanim"); if (h.listModels().models.length < 20) process.exit(1);'
  echo "with the .deb's library present: linked it (pkg-config), require works"
else
  echo "the installed-library path: skipped (cpack, dpkg-deb or pkg-config missing)"
fi
echo "1 passed, 0 failed"
