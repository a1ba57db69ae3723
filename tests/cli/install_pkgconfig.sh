#!/usr/bin/env bash
# The library installs with its headers and holoanim.pc, and a program built
# against the installed copy through pkg-config (static and shared) runs.
set -euo pipefail
src=${HA_SOURCE_DIR:?}
build=$(dirname "${HA_CLI:?}")
if grep -qE '^HA_SANITIZE:STRING=.+' "$build/CMakeCache.txt"; then
  echo "skipped: a sanitizer build's library needs the sanitizer runtime to link"
  exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cmake --install "$build" --prefix "$dir/prefix" >/dev/null
test -f "$dir/prefix/include/holoanim.h"
test -f "$dir/prefix/include/holoanim/motion.h"
pc=$(find "$dir/prefix" -name holoanim.pc | head -1)
test -n "$pc"
# The .pc was written for the configured prefix: point it at this one.
sed -i "s|^prefix=.*|prefix=$dir/prefix|" "$pc"
export PKG_CONFIG_PATH=$(dirname "$pc")
cat > "$dir/use.c" <<'C'
#include <holoanim.h>
#include <stdio.h>
int main(void) {
  ha_motion *m = NULL;
  ha_error err;
  if (ha_motion_create("circular", NULL, NULL, &m, &err) != HA_OK) return 1;
  ha_vec3 p = ha_motion_eval(m, 0.0, NULL);
  printf("%zu models, circular(0) = %g %g %g\n", ha_model_count(), p.x, p.y, p.z);
  ha_motion_destroy(m);
  return ha_model_count() == 24 ? 0 : 1;
}
C
cc -std=c11 "$dir/use.c" -o "$dir/use_static" $(pkg-config --cflags holoanim) \
  "$(dirname "$pc")/../libholoanim.a" $(pkg-config --libs --static holoanim | sed 's/-lholoanim//')
"$dir/use_static"
cc -std=c11 "$dir/use.c" -o "$dir/use_shared" $(pkg-config --cflags --libs holoanim)
LD_LIBRARY_PATH=$(dirname "$pc")/.. "$dir/use_shared"
echo "1 passed, 0 failed"
