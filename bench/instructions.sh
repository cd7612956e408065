#!/usr/bin/env bash
# Instructions per request, counted by valgrind's callgrind in the criterion
# benchmarks (release build): exact and repeatable whatever else the machine
# is doing, unlike times. Prints a markdown table.
#
#   bash bench/instructions.sh            # App::wrap: 6 cases x 3 apps, ~10 min
#   bash bench/instructions.sh route      # one route with its own policy: 6 x 4
#
# Each benchmark runs alone under callgrind (`--profile-time 1`); the count is
# the inclusive cost of one request (cors_bench::call: the app answering a
# decoded request, and dropping the response) averaged over its calls.
set -euo pipefail
cd "$(dirname "$0")/.."

GROUP=${1:-middleware}
case "$GROUP" in
  middleware) APPS=(bare actix-cors cors-actix) ;;
  route) APPS=(bare-route cors-actix bare-resource actix-cors) ;;
  *) echo "usage: bench/instructions.sh [middleware|route]" >&2; exit 2 ;;
esac
CASES=(no-origin exact-origin wildcard-origin refused-origin preflight-allowed preflight-refused)

if ! command -v valgrind >/dev/null 2>&1; then
  echo "installing valgrind" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
fi

BIN=$(cargo bench -p cors-bench --bench cors --no-run 2>&1 |
  sed -n 's/.*Executable benches\/cors.rs (\(.*\))$/\1/p' | tail -1)
[ -x "$BIN" ] || { echo "bench executable not found" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

per_request() {
  local id=$1 out="$WORK/callgrind.out"
  valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$BIN" --bench --profile-time 1 "^$id\$" >/dev/null 2>&1
  # The line "< caller (Nx)" above "* cors_bench::call" whose caller is the
  # measured routine (criterion collects its outputs with Vec::extend).
  callgrind_annotate --inclusive=yes --tree=caller "$out" 2>/dev/null |
    grep -B8 '\*  ???:cors_bench::call \[' |
    grep '< .*spec_extend' |
    sed -E 's/^ *([0-9,]+) .*\(([0-9,]+)x\).*/\1 \2/' | tr -d ',' |
    awk '{ printf "%d\n", $1 / $2 }' | tail -1
}

header="| request |"
rule="| --- |"
for app in "${APPS[@]}"; do
  header+=" $app |"
  rule+=" --: |"
done
echo "$header"
echo "$rule"
for c in "${CASES[@]}"; do
  row="| $c |"
  for app in "${APPS[@]}"; do
    n=$(per_request "$GROUP/$c/$app")
    echo "$GROUP/$c/$app: $n" >&2
    row+=" $n |"
  done
  echo "$row"
done
