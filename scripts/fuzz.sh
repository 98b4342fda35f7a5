#!/usr/bin/env bash
# Builds the libFuzzer targets in native/fuzz with ASan+UBSan (Debian clang) and runs each
# for SECONDS (default 60) over its corpus in test/fuzz-corpus/<target>. New inputs that
# reach new code are added to the corpus; crashes are written to build/fuzz/.
#   scripts/fuzz.sh [SECONDS] [target...]      e.g. scripts/fuzz.sh 600 effects_fuzzer
# rdb_reader_fuzzer runs under a 512 MB RSS and single-allocation limit: the RDB reader must
# refuse a lying length, never allocate for it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(effects_fuzzer commands_fuzzer request_parser_fuzzer rdb_reader_fuzzer zset_order_fuzzer list_seq_fuzzer)
mkdir -p build/fuzz
mapfile -t core < <(node scripts/native-sources.js | grep -E '^native/(crdt|resp|rdb)/')
for t in "${targets[@]}"; do
  bin=build/fuzz/$t
  if [ ! -x "$bin" ] || [ -n "$(find native -newer "$bin" -name '*.cc' -o -newer "$bin" -name '*.h' | head -1)" ]; then
    clang++ -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
      -Inative "${core[@]}" "native/fuzz/$t.cc" -o "$bin"
  fi
  mkdir -p "test/fuzz-corpus/$t"
  max_len=4096
  limits=()
  if [ "$t" = rdb_reader_fuzzer ]; then
    max_len=65536  # the seed files run to 17 KB
    limits=(-rss_limit_mb=512 -malloc_limit_mb=512)
  fi
  if [ "$seconds" = 0 ]; then
    # Regression only: run every corpus input once.
    "$bin" "${limits[@]}" -runs=0 "test/fuzz-corpus/$t"
  else
    "$bin" "${limits[@]}" -max_total_time="$seconds" -max_len=$max_len -artifact_prefix=build/fuzz/ "test/fuzz-corpus/$t"
  fi
done
