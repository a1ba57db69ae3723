#!/usr/bin/env bash
# Size limits the code keeps (issue 13): no file over 1,200 lines and no
# function over 150 lines in src/, bindings/node/src, tools/ and web/server.
# C functions are found by their clang-formatted shape (a definition opens at
# column 0 and closes with "}" at column 0); JavaScript functions and class
# methods by theirs (top-level `function`, or a method at two spaces of
# indentation, closing at the same indentation). Prints the longest functions
# left; exit 1 when a limit is broken.
#
# Usage: scripts/check_size.sh [SOURCE_DIR] [--top N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
top=8
while [ $# -gt 0 ]; do
  case "$1" in
  --top) top=$2; shift 2 ;;
  *) root=$1; shift ;;
  esac
done
cd "$root"
max_file=1200
max_fn=150

# Tracked files and new ones not yet added (not the ignored).
files=$( (git ls-files --cached --others --exclude-standard 'src/*.c' 'src/*.h' \
  'bindings/node/src/*.c' 'bindings/node/src/*.h' 'tools/*.c' 'tools/*.h' 'web/server/*.js' \
  2>/dev/null || true) | sort -u)
[ -n "$files" ] || files=$(find src bindings/node/src tools web/server -type f \
  \( -name '*.c' -o -name '*.h' -o -name '*.js' \) 2>/dev/null | sort)

bad=0
report=$(mktemp)
trap 'rm -f "$report"' EXIT
for f in $files; do
  [ -f "$f" ] || continue
  n=$(wc -l <"$f")
  if [ "$n" -gt "$max_file" ]; then
    echo "$f: $n lines (limit $max_file)"
    bad=1
  fi
  case "$f" in
  *.c | *.h)
    # A line is read without a trailing comment, so "int a, /* why */" still
    # continues a signature.
    awk -v f="$f" '
      { l = $0; sub(/[ \t]*\/\*.*\*\/[ \t]*$/, "", l); sub(/[ \t]*\/\/.*$/, "", l) }
      l ~ /^[A-Za-z_].*\)[ \t]*\{$/ && start == 0 { start = NR; name = l; next }
      l ~ /^[A-Za-z_].*[,(]$/ && start == 0 { pending = NR; pname = l; next }
      pending && l ~ /\)[ \t]*\{$/ && start == 0 { start = pending; name = pname; pending = 0; next }
      l ~ /^[^ \t]/ && l !~ /\)[ \t]*\{$/ { pending = 0 }
      l ~ /^\}/ && start { sub(/\(.*/, "", name); printf "%d %s:%d %s\n", NR - start + 1, f, start, name; start = 0 }
    ' "$f" >>"$report"
    ;;
  *.js)
    awk -v f="$f" '
      function open(ind) { if (start == 0) { start = NR; name = $0; want = ind } }
      /^(export )?(async )?function[ *]/ { open("") ; next }
      /^(export )?(const|let|var) [A-Za-z_$][A-Za-z0-9_$]* = (async )?(function|\(.*\) =>|[A-Za-z_$][A-Za-z0-9_$]* =>).*\{$/ { open(""); next }
      /^  (static )?(async )?(get |set )?[#A-Za-z_$][A-Za-z0-9_$]*\(.*\) \{$/ { open("  "); next }
      start && want == "" && /^\}/ { sub(/\(.*/, "", name); printf "%d %s:%d %s\n", NR - start + 1, f, start, name; start = 0 }
      start && want == "  " && /^  \}/ { sub(/\(.*/, "", name); printf "%d %s:%d %s\n", NR - start + 1, f, start, name; start = 0 }
    ' "$f" >>"$report"
    ;;
  esac
done

while read -r len where name; do
  if [ "$len" -gt "$max_fn" ]; then
    echo "$where: function $name is $len lines (limit $max_fn)"
    bad=1
  fi
done <"$report"
echo "longest functions:"
sort -rn "$report" -o "$report"
sed -n "1,${top}s/^/  /p" "$report"
if [ "$bad" -ne 0 ]; then
  echo "check_size: a file or function is over its limit"
  exit 1
fi
echo "check_size: no file over $max_file lines, no function over $max_fn lines"
