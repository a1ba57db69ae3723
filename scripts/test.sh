#!/usr/bin/env bash
# Run every test: build (warnings are errors), CTest (each test its own
# process), the no-SIMD build, the ASan+UBSan build, and a format check.
# Set QUICK=1 to run only the main build's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

echo "== build + tests"
scripts/setup.sh
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 300 --no-tests=error

# The shared fixture pack's own checker, when the shared folder sits beside
# the repository (it may hold a newer pack than tests/conformance): every
# fixture with expected positions must pass.
if [ -f ../shared/conformance/hpx/check.py ]; then
  echo "== .hpx conformance, the shared pack's own check.py"
  python3 ../shared/conformance/hpx/check.py build/holoanim ../shared/conformance/hpx | tail -n 3
fi

echo "== Node addon: npm ci + node --test (bindings/node)"
(cd bindings/node && npm ci --no-audit --no-fund --foreground-scripts && npm test)

echo "== web: server tests + end to end in Chromium (web/)"
(cd web && npm ci --no-audit --no-fund && npm test)

if [ "${QUICK:-0}" != "1" ]; then
  echo "== HA_NO_SIMD build + tests"
  cmake -S . -B build-nosimd -DHA_NO_SIMD=ON -DHA_WERROR=ON -DHA_BUILD_BENCH=OFF >/dev/null
  cmake --build build-nosimd -j"$jobs"
  ctest --test-dir build-nosimd --output-on-failure -j"$jobs" --timeout 300 --no-tests=error

  echo "== ASan + UBSan build + tests"
  cmake -S . -B build-asan -DHA_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=Debug \
    -DHA_WERROR=ON -DHA_BUILD_BENCH=OFF >/dev/null
  cmake --build build-asan -j"$jobs"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" --timeout 600 --no-tests=error

  echo "== ThreadSanitizer build: the threaded parts"
  cmake -S . -B build-tsan -DHA_SANITIZE=thread -DCMAKE_BUILD_TYPE=Debug -DHA_WERROR=ON \
    -DHA_BUILD_BENCH=OFF >/dev/null
  cmake --build build-tsan -j"$jobs"
  TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build-tsan --output-on-failure -j"$jobs" \
    --timeout 600 --no-tests=error -R 'test_(store|player|player_echo|player_stall|player_stdio|player_metrics|control|core|metrics|output|devsim|mapping)$'

  # The library built once more with clang and fuzzer instrumentation; the
  # fuzz targets link its static library (no source list to keep in step).
  cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DHA_FUZZ=ON \
    -DHA_SANITIZE=fuzzer-no-link,address,undefined -DHA_BUILD_BENCH=OFF >/dev/null
  cmake --build build-fuzz -j"$jobs" --target fuzz_osc_decode fuzz_hpx_import fuzz_show_load \
    fuzz_show_edit fuzz_cli_params fuzz_control

  echo "== libFuzzer: OSC decoder, ${FUZZ_SECONDS:-20} s from the seed corpus"
  mkdir -p build-fuzz/corpus
  build-fuzz/tests/fuzz_osc_decode -max_total_time="${FUZZ_SECONDS:-20}" -max_len=1024 \
    -print_final_stats=1 -artifact_prefix=build-fuzz/ build-fuzz/corpus tests/fuzz/corpus 2>&1 |
    tail -n 12

  echo "== libFuzzer: .hpx importer, ${FUZZ_SECONDS:-20} s from the fixtures"
  mkdir -p build-fuzz/hpx-corpus build-fuzz/hpx-seeds
  cp tests/conformance/hpx/*.hpx tests/fixtures/hpx/*.hpx tests/fuzz/hpx_corpus/* \
    build-fuzz/hpx-seeds/
  build-fuzz/tests/fuzz_hpx_import -max_total_time="${FUZZ_SECONDS:-20}" -timeout=10 \
    -max_len=16384 -print_final_stats=1 -artifact_prefix=build-fuzz/ \
    build-fuzz/hpx-corpus build-fuzz/hpx-seeds 2>&1 | tail -n 12

  # The newer targets, each from its seeds in tests/fuzz/<name>_corpus for
  # FUZZ_SECONDS (default 15 s each); a crash fails the script (pipefail).
  # -close_fd_mask=3: the CLI parser's own messages would slow it tenfold
  # (libFuzzer and the sanitizers still report on their own descriptor).
  for target in show_load:16384 show_edit:2048 cli_params:512 control:1024; do
    name=${target%%:*}
    echo "== libFuzzer: fuzz_$name, ${FUZZ_SECONDS:-15} s from tests/fuzz/${name}_corpus"
    mkdir -p "build-fuzz/$name-corpus"
    dict=()
    if [ "${name#show_}" != "$name" ]; then
      dict=(-dict=tests/fuzz/show.dict)
    fi
    build-fuzz/tests/fuzz_"$name" "${dict[@]}" -max_total_time="${FUZZ_SECONDS:-15}" -timeout=10 \
      -max_len="${target#*:}" -close_fd_mask=3 -print_final_stats=1 \
      -artifact_prefix="build-fuzz/$name-" "build-fuzz/$name-corpus" \
      "tests/fuzz/${name}_corpus" 2>&1 | tail -n 12
  done

  echo "== format check"
  files=$(git ls-files '*.c' '*.h' | grep -v '^bindings/node/node_modules/' || true)
  if [ -n "$files" ]; then
    # shellcheck disable=SC2086
    clang-format --dry-run --Werror $files
  fi
fi
echo "== all tests passed"
