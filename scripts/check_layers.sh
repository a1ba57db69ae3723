#!/usr/bin/env bash
# Check the library's layering: no file in src/<layer>/ may include a header
# of a layer above it, public (holoanim/NAME.h, by src/layers.txt) or
# internal (any header file that lives under a higher layer's folder, found
# by its name or by a relative path). The build enforces the same through
# per-layer include directories; this check also catches "../" paths and
# runs without a compiler. Exit 0 when clean, 1 with one line per violation.
#
# Usage: scripts/check_layers.sh [SOURCE_DIR]
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"

# rank: a layer's place in the file; sees: the highest rank it may include
# (its own, or its BASE's for a layer written NAME@BASE, which stands beside
# the stack and may include only its own folder besides BASE and below).
declare -A rank_of_layer=() rank_of_public=() rank_of_internal=() sees=()
rank=0
layers=()
while read -r layer headers; do
  case "$layer" in '' | \#*) continue ;; esac
  base=""
  if [[ "$layer" == *@* ]]; then
    base=${layer#*@}
    layer=${layer%@*}
    [ -n "${rank_of_layer[$base]:-}" ] || {
      echo "check_layers: $layer@$base: the base $base must be listed above it"
      exit 1
    }
  fi
  rank_of_layer[$layer]=$rank
  sees[$layer]=${base:+${rank_of_layer[$base]}}
  sees[$layer]=${sees[$layer]:-$rank}
  layers+=("$layer")
  for h in $headers; do rank_of_public[$h]=$rank; done
  rank=$((rank + 1))
done <src/layers.txt

# Internal headers: every .h (and .def) under a layer's folder, by base name.
for layer in "${layers[@]}"; do
  [ -d "src/$layer" ] || {
    echo "check_layers: src/layers.txt names $layer but src/$layer does not exist"
    exit 1
  }
  while IFS= read -r h; do
    base=${h##*/}
    if [ -n "${rank_of_internal[$base]:-}" ] && [ "${rank_of_internal[$base]}" != "${rank_of_layer[$layer]}" ]; then
      echo "check_layers: internal header name $base is used by two layers; names must be unique"
      exit 1
    fi
    rank_of_internal[$base]=${rank_of_layer[$layer]}
  done < <(find "src/$layer" -type f \( -name '*.h' -o -name '*.def' \))
done

# Every source folder under src/ must be a layer (a new folder is a decision).
for d in src/*/; do
  d=${d%/}
  d=${d#src/}
  [ -n "${rank_of_layer[$d]:-}" ] || {
    echo "check_layers: src/$d is not a layer of src/layers.txt"
    exit 1
  }
done

bad=0
for layer in "${layers[@]}"; do
  mine=${rank_of_layer[$layer]}
  while IFS= read -r f; do
    n=0
    while IFS= read -r line; do
      n=$((n + 1))
      [[ "$line" =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*[\"\<]([^\"\>]+)[\"\>] ]] || continue
      inc=${BASH_REMATCH[1]}
      target=-1
      if [[ "$inc" == holoanim/* ]]; then
        name=${inc#holoanim/}
        name=${name%.h}
        target=${rank_of_public[$name]:-}
        if [ -z "$target" ]; then
          echo "$f:$n: includes $inc, which src/layers.txt does not assign to a layer"
          bad=1
          continue
        fi
      elif [[ "$inc" == holoanim.h ]]; then
        echo "$f:$n: includes the umbrella holoanim.h; include the layer's own headers"
        bad=1
        continue
      elif [[ "$inc" == */* && "$inc" != models/* ]] || [[ "$inc" == ../* ]]; then
        # A path into another folder: resolve it against the file's folder.
        dir=$(dirname "$f")
        resolved=$(realpath -m --relative-to=. "$dir/$inc")
        owner=${resolved#src/}
        owner=${owner%%/*}
        target=${rank_of_layer[$owner]:-}
        if [ -z "$target" ]; then
          echo "$f:$n: includes $inc, outside the layers"
          bad=1
          continue
        fi
      else
        base=${inc##*/}
        target=${rank_of_internal[$base]:-}
        [ -n "$target" ] || continue # a system header
      fi
      if [ "$target" -ne "$mine" ] && [ "$target" -gt "${sees[$layer]}" ]; then
        echo "$f:$n: layer $layer includes $inc from the higher layer ${layers[$target]}"
        bad=1
      fi
    done <"$f"
  done < <(find "src/$layer" -type f \( -name '*.c' -o -name '*.h' -o -name '*.def' \) | sort)
done

# Public headers must follow the same order among themselves.
for h in include/holoanim/*.h; do
  name=${h##*/}
  name=${name%.h}
  mine=${rank_of_public[$name]:-}
  if [ -z "$mine" ]; then
    echo "$h: not assigned to a layer in src/layers.txt"
    bad=1
    continue
  fi
  n=0
  while IFS= read -r line; do
    n=$((n + 1))
    [[ "$line" =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"(holoanim/)?([a-z_]+)\.h\" ]] || continue
    target=${rank_of_public[${BASH_REMATCH[2]}]:-}
    if [ -n "$target" ] && [ "$target" -gt "$mine" ]; then
      echo "$h:$n: public header of layer ${layers[$mine]} includes ${BASH_REMATCH[2]}.h of the higher layer ${layers[$target]}"
      bad=1
    fi
  done <"$h"
done

if [ "$bad" -ne 0 ]; then
  echo "check_layers: a lower layer includes a higher one (see src/layers.txt)"
  exit 1
fi
echo "check_layers: ${#layers[@]} layers, every include points down or sideways"
