#!/usr/bin/env bash
# The command line's option tables: every subcommand prints its --help (and
# -h) on stdout with exit 0, listing every option it has always taken; a bad
# or missing value exits 2 with a message naming the option and what it
# accepts; HOST[:PORT] takes IPv6 ([::1]:4003) and refuses bad ports. Nothing
# here opens a socket.
set -u

CLI=${HA_CLI:?HA_CLI must name the holoanim binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nfail=0
# run WANT PATTERN COMMAND...: COMMAND exits WANT and, unless PATTERN is
# empty, says PATTERN (a fixed string) on stderr; stdout stays in $tmp/out.
run() {
  local want=$1 pattern=$2
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  # the pattern is looked for in stderr, and in stdout for a command that succeeds
  local said="$tmp/err"
  [ "$want" -ne 0 ] || said="$tmp/out"
  if [ "$rc" -ne "$want" ] || { [ -n "$pattern" ] && ! grep -qF -- "$pattern" "$said"; }; then
    echo "FAIL: $* exited $rc (wanted $want${pattern:+, saying '$pattern'})" >&2
    sed 's/^/  stderr: /' "$tmp/err" >&2
    nfail=$((nfail + 1))
  fi
}
missing() { echo "FAIL: $1 has no $2" >&2; nfail=$((nfail + 1)); }
# help CMD [SHOW] OPTION...: the help lists each option
help_lists() {
  local cmd=$1
  shift
  for flag in --help -h; do
    run 0 "" "$CLI" $cmd $flag
    grep -q "^usage: holoanim ${cmd%% *}" "$tmp/out" || missing "$cmd $flag" "a usage line"
  done
  for opt in "$@"; do
    grep -qE -- "(^|[ ,])$opt([ ,]|$)" "$tmp/out" || missing "$cmd --help" "$opt"
  done
}

show=${HA_SOURCE_DIR:?HA_SOURCE_DIR must name the source tree}/examples/cue-scene.json
help_lists models --json
help_lists eval --model --param --duration --loop --seam --speed --t --from --to --step --format --track --shift
help_lists "eval $show" --from --to --rate --format --cue
help_lists render --model --param --duration --loop --seam --speed -o --output --title --from --to --samples --track
help_lists "render $show" -o --output --from --to --rate --title --cue
help_lists play --model --param --duration --loop --seam --speed --track --mode --phase-offset --to \
  --dialect --coords --rate --for --tick-rate --control --metrics --metrics-port --watch \
  --realtime --quiet --sim
help_lists devsim --port --bind --tracks --record --push --adm-scale --azimuth --quiet -q
help_lists discover --listen --timeout --max --json
help_lists validate --json
help_lists import -o --output

# Bad values: exit 2, the option and what it accepts named.
run 2 "--format: 'xml' is not one of csv|json" "$CLI" eval --model circular --t 1 --format xml
run 2 "--samples: '1' is not a whole number in [2, 1000000]" "$CLI" render --model circular -o x.svg --samples 1
run 2 "--samples: '2.5' is not a whole number in [2, 1000000]" "$CLI" render --model circular -o x.svg --samples 2.5
run 2 "--track: '1.5' is not a whole number in [1, 1000000]" "$CLI" render --model circular -o x.svg --track 1.5
run 2 "--track: '1.5' is not a whole number in [1, 1000000]" "$CLI" eval --model circular --t 0 --track 1.5
run 2 "--tick-rate: 0 is not in [1, 2000]" "$CLI" play --model circular --tick-rate 0
run 2 "--tracks: '0' is not a whole number in [1, 65535]" "$CLI" devsim --tracks 0
run 2 "--azimuth: 'up' is not one of cw|ccw" "$CLI" devsim --azimuth up
run 2 "--timeout: 'x' is not a whole number" "$CLI" discover 127.0.0.1 --timeout x
run 2 "--to needs a value" "$CLI" eval --model circular --from 0 --step 1 --to
run 2 "unknown option '--bogus'" "$CLI" play --model circular --bogus

# HOST[:PORT]: bad ports and malformed IPv6 are refused before any socket.
for bad in "h:0" "h:65536" "h:abc" "[::1]:0" "[::1" "[::1]x" "localhost:40:03"; do
  run 2 "--to: '$bad' is not HOST[:PORT]" "$CLI" play --model circular --to "$bad"
  run 2 "discover: '$bad' is not HOST[:PORT]" "$CLI" discover "$bad"
done
for bad in "localhost" "[::1]" "::1" "h:0"; do # --push needs the port
  run 2 "--push: '$bad' is not HOST:PORT" "$CLI" devsim --push "$bad"
done

# Strict numbers, repeatable --t, nothing empty, a version.
run 2 "--t: '' is not a list of times" "$CLI" eval --model circular --t ''
run 2 "--t: '0x1' is not a comma-separated list of finite times" "$CLI" eval --model circular --t 0x1
run 2 "--for: -1 is not in (0, 31536000]" "$CLI" play --model circular --for -1
run 2 "--track: '' is not a list of track numbers" "$CLI" play --model circular --track ''
run 2 "--track: '1,' ends with a comma" "$CLI" play --model circular --track 1,
run 2 "radius: '0x10' is not a number" "$CLI" eval --model circular --param radius=0x10 --t 0
run 2 "--rate: '1e400' is not a finite decimal number" "$CLI" play --model circular --rate 1e400
run 0 "1.25,3.5355339059327378" "$CLI" eval --model circular --t 0.5 --t 1.25
run 0 "0.5,4.755282581475767" "$CLI" eval --model circular --t 0.5 --t 1.25
# Numbers take no spaces on either side, alike in --param and options.
for bad in " 3" "3 " " 3 " "1, 2, 0"; do
  run 2 "radius: '$bad' is not a number or a list of up to 4 numbers x,y,z (decimal, no spaces" \
    "$CLI" eval --model circular --param "radius=$bad" --t 0
done
run 0 "0,3,0,0" "$CLI" eval --model circular --param "radius=3" --t 0
run 2 "--duration: ' 4' is not a finite decimal number (no spaces" "$CLI" eval --model circular \
  --duration " 4" --t 0
run 2 "--duration: '4 ' is not a finite decimal number (no spaces" "$CLI" eval --model circular \
  --duration "4 " --t 0
run 2 "--t: ' 1' is not a comma-separated list" "$CLI" eval --model circular --t " 1"
run 0 "holoanim 0." "$CLI" --version

# Whole numbers read alike everywhere (no spaces, no fraction); a port
# inside HOST:PORT is digits only.
run 0 "0,5,0,0" "$CLI" eval --model circular --t 0 --track 2 --param radius=5
run 2 "--track: ' 2' is not a whole number in [1, 1000000] (digits, no spaces)" "$CLI" eval \
  --model circular --t 0 --track " 2"
run 2 "--tracks: '4.5' is not a whole number" "$CLI" devsim --tracks 4.5
run 2 "--track: '1.5,2' is not a list of track numbers" "$CLI" play --model circular --track 1.5,2
for bad in "h:+40" "h: 40"; do
  run 2 "--to: '$bad' is not HOST[:PORT]" "$CLI" play --model circular --to "$bad"
done

# Nothing given is silently ignored: play's ranges, and the --model options
# a SHOW.json cannot use.
run 2 "--duration: -5 is not in (0, 31536000]" "$CLI" play "$show" --sim --duration -5
run 2 "--rate: 0 is not in [1, 1000]" "$CLI" play --model circular --rate 0
run 2 "--rate: -5 is not in [1, 1000]" "$CLI" play --model circular --rate -5
run 2 "--control: '-1' is not [HOST:]PORT (PORT a whole number 0..65535" "$CLI" play --model circular --control -1
run 2 "--control: '70000' is not [HOST:]PORT" "$CLI" play --model circular --control 70000
run 2 "--control: '0.0.0.0:70000' is not [HOST:]PORT" "$CLI" play --model circular --control 0.0.0.0:70000
run 2 "--control: '::1' is not [HOST:]PORT" "$CLI" play --model circular --control ::1
run 2 "--control: '[::1]:4x' is not [HOST:]PORT" "$CLI" play --model circular --control '[::1]:4x'
run 2 "--control: ':4010' is not [HOST:]PORT" "$CLI" play --model circular --control :4010
for opt in "--param radius=1" "--track 2" "--mode spread" "--loop once" "--seam cut"; do
  run 2 "play: ${opt%% *} is for --model" "$CLI" play "$show" --sim $opt
done
run 2 "'smooth' is not one of blend|cut" "$CLI" eval --model random --seam smooth --t 1

# eval --t: an error quotes the list typed; --t and a range do not mix.
run 2 "--t: '2,x' is not a comma-separated list" "$CLI" eval --model circular --t 1 --t 2,x
run 2 "give --t or --from/--to/--step, not both" "$CLI" eval --model circular --t 1 --from 0 \
  --to 1 --step 1
run 0 "2,1.5450849718747373" "$CLI" eval --model circular --t 1 --t 2

# A range with too many samples says how many in three digits.
run 2 "--from/--to/--step give 1e+300 samples; the limit is 1e+07" "$CLI" eval --model circular \
  --from 0 --to 1 --step 1e-300

# Long options are written in full: getopt_long's prefixes made "--t" mean
# "--to" where a command has no --t of its own (eval SHOW), and "--fro" --from.
run 2 "eval: unknown option '--t' (see 'holoanim eval --help'; options are written in full)" \
  "$CLI" eval "$show" --t 0.5 --t 1.25
run 2 "eval: unknown option '--fro'" "$CLI" eval --model circular --fro 0 --to 1 --step 1
run 2 "eval: unknown option '--fro=0'" "$CLI" eval --model circular --fro=0 --to 1 --step 1
run 2 "unknown option '--he'" "$CLI" eval --he
run 0 "0.5,4.755282581475767" "$CLI" eval --model circular --t=0.5 --t 1.25

# play --metrics FILE: a file that cannot be written fails before playing.
run 2 "--metrics: cannot write '/nonexistent/x': '/nonexistent' No such file or directory" \
  "$CLI" play --model circular --sim --for 1 --metrics /nonexistent/x
run 2 "--metrics: '$tmp' is a directory, not a file" "$CLI" play --model circular --sim --for 1 \
  --metrics "$tmp"
touch "$tmp/plain"
run 2 "--metrics: cannot write '$tmp/plain/x': '$tmp/plain' is not a directory" "$CLI" play \
  --model circular --sim --for 1 --metrics "$tmp/plain/x"

# The show form wherever the show stands.
run 0 "t,track,x,y,z" "$CLI" eval --from 0 --to 0.1 --rate 10 "$show"
run 0 "" "$CLI" render -o "$tmp/s.svg" "$show"

# A write that fails is a runtime failure (1), not bad input.
run 1 "cannot write" "$CLI" render --model circular -o "$tmp/no/such/dir/x.svg"

if [ "$nfail" -ne 0 ]; then
  echo "$nfail failure(s)"
  exit 1
fi
echo "ok: options"
