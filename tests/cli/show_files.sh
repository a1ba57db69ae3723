#!/usr/bin/env bash
# What the show reader accepts (issue 12): only regular files up to
# HA_SHOW_MAX_FILE_BYTES. A FIFO, /dev/zero, a directory and a file over the
# limit are each refused promptly with one line naming the file and what it
# is; a symbolic link named on the command line is followed (the user chose
# it). Every command runs under `timeout 60`: 124 would mean it blocked.
# (The web projects folder refuses links: test_show_load.c, the _ex flags.)
. "$(dirname "$0")/lib.sh"

# refused WHAT PATTERN FILE...: `holoanim CMD FILE` exits with a refusal (not
# 0, not 124) and its stderr matches PATTERN.
refused() {
  local what=$1 pat=$2 rc=0
  shift 2
  timeout 60 "$cli" "$@" >"$dir/out" 2>"$dir/err" || rc=$?
  if [ "$rc" = 124 ]; then
    echo "FAIL $what: blocked (killed by timeout)" >&2
    exit 1
  fi
  if [ "$rc" = 0 ]; then
    echo "FAIL $what: accepted" >&2
    exit 1
  fi
  grep -q -- "$pat" "$dir/err" || {
    echo "FAIL $what: stderr does not say '$pat': $(head -c 400 "$dir/err")" >&2
    exit 1
  }
}

mkfifo "$dir/pipe.json"
refused fifo "pipe.json: cannot read: a FIFO (named pipe), not a regular file" validate "$dir/pipe.json"
refused fifo-import "cannot read: a FIFO" import "$dir/pipe.json" -o "$dir/o.json"
refused /dev/zero "/dev/zero: cannot read: a character device, not a regular file" validate /dev/zero
mkdir "$dir/d.json"
refused directory "d.json: cannot read: a directory, not a regular file" validate "$dir/d.json"
truncate -s 65M "$dir/big.json"
refused "over the limit" "big.json: cannot read: 68157440 bytes, over the limit of 67108864 bytes" \
  validate "$dir/big.json"

# a link the user names is followed
printf '{"format": 1, "tracks": [{"id": 1, "position": [1, 2, 3]}]}\n' >"$dir/real.json"
ln -s real.json "$dir/link.json"
timeout 60 "$cli" validate "$dir/link.json" >"$dir/out" 2>"$dir/err" || {
  echo "FAIL link: $(cat "$dir/err")" >&2
  exit 1
}
grep -q '^ok: 1 track' "$dir/out" || { echo "FAIL link: $(cat "$dir/out")" >&2; exit 1; }
echo "ok"
