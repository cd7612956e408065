#!/usr/bin/env bash
# Instructions per request, counted by valgrind's callgrind (release build):
# exact and repeatable whatever else the machine is doing, unlike times.
#
#   bash bench/instructions.sh           # the tables (markdown), ~1 min after the build
#   bash bench/instructions.sh --check   # also fail when cors-actix is over a budget
#
# Each (group, app, request) runs in its own process (cors-instructions,
# bench/src/bin): warmed up, then the request is answered COUNT_A and COUNT_B
# times with callgrind counting only inside the measured call. The cost of
# one request is the difference over COUNT_B - COUNT_A, which cancels any
# one-off cost. Columns after the first are what an app adds to the bare app
# of its row ("+1,234").
set -euo pipefail
# A failing measurement inside $(...) must stop the script, not read as 0.
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

CHECK=0
case "${1:-}" in
  --check) CHECK=1 ;;
  "") ;;
  *) echo "usage: bench/instructions.sh [--check]" >&2; exit 2 ;;
esac

# What cors-actix may add to a request over the same app without CORS, per
# group. Issue #10 asked for 600 (no Origin), 1,800 (allowed), 800 (refused),
# 1,000 (preflight allowed) and 800 (preflight refused) in every group. Where
# the code meets a target with room to spare, the budget is the target;
# elsewhere it is what the code achieves plus ~8 % (counts vary by a few dozen
# instructions from run to run: hash seeds and addresses), and
# BENCHMARKS.md ("Budgets") says, with measurements, what each one above the
# issue's target pays for.
budget() {
  case "$1/$2" in
    middleware/no-origin) echo 975 ;;
    middleware/exact-origin | middleware/same-host) echo 1950 ;;
    middleware/wildcard-origin) echo 3020 ;;
    middleware/refused-origin) echo 1540 ;;
    middleware/preflight-allowed) echo 1000 ;;
    middleware/preflight-refused) echo 800 ;;
    route/no-origin) echo 1370 ;;
    route/exact-origin | route/same-host) echo 2360 ;;
    route/wildcard-origin) echo 3420 ;;
    route/refused-origin) echo 1930 ;;
    route/preflight-allowed) echo 2180 ;;
    route/preflight-refused) echo 1110 ;;
    route-in-app/no-origin) echo 3430 ;;
    route-in-app/exact-origin | route-in-app/same-host) echo 4660 ;;
    route-in-app/wildcard-origin) echo 6690 ;;
    route-in-app/refused-origin) echo 4450 ;;
    route-in-app/preflight-allowed) echo 1000 ;;
    route-in-app/preflight-refused) echo 800 ;;
  esac
}

CASES=(no-origin exact-origin same-host wildcard-origin refused-origin preflight-allowed preflight-refused)
COUNT_A=20
COUNT_B=120

if ! command -v valgrind >/dev/null 2>&1; then
  echo "installing valgrind" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
fi

cargo build --release -q -p cors-bench --bin cors-instructions
BIN="${CARGO_TARGET_DIR:-target}/release/cors-instructions"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Instructions of `count` measured requests.
counted() {
  local out="$WORK/callgrind.out"
  valgrind --tool=callgrind --collect-atstart=no \
    --toggle-collect='cors_instructions::measured*' \
    --callgrind-out-file="$out" "$BIN" "$@" >/dev/null 2>&1 ||
    { echo "cors-instructions $* failed" >&2; exit 1; }
  local total
  total=$(sed -n 's/^totals: *//p' "$out")
  [ -n "$total" ] || { echo "no instruction count for cors-instructions $*" >&2; exit 1; }
  echo "$total"
}

per_request() {
  local a b
  a=$(counted "$1" "$2" "$3" "$COUNT_A")
  b=$(counted "$1" "$2" "$3" "$COUNT_B")
  echo $(((b - a) / (COUNT_B - COUNT_A)))
}

plus() { printf "%+d" "$1"; }

OVER=0
# table GROUP BASE [APP:BASE_OF_APP]...: one row per request, the bare app's
# count, then each app's addition over its own bare app.
table() {
  local group=$1 base=$2
  shift 2
  local header="| $group | $base |" rule="| --- | --: |" pair app own
  for pair in "$@"; do
    header+=" ${pair%%:*} |"
    rule+=" --: |"
  done
  echo
  echo "$header"
  echo "$rule"
  for c in "${CASES[@]}"; do
    declare -A bare=()
    bare[$base]=$(per_request "$group" "$base" "$c")
    local row="| $c | ${bare[$base]} |"
    for pair in "$@"; do
      app=${pair%%:*}
      own=${pair#*:}
      [ -n "${bare[$own]:-}" ] || bare[$own]=$(per_request "$group" "$own" "$c")
      local added=$(($(per_request "$group" "$app" "$c") - bare[$own]))
      row+=" $(plus "$added") |"
      if [ "$app" = cors-actix ] && [ "$added" -gt "$(budget "$group" "$c")" ]; then
        echo "over budget: $group/$c/cors-actix adds $added instructions, budget $(budget "$group" "$c")" >&2
        OVER=1
      fi
    done
    echo "$row"
    unset bare
  done
}


table middleware bare actix-cors:bare wrap-fn:bare cors-actix:bare
table route bare-route actix-cors:bare-resource cors-actix:bare-route
table route-in-app bare-route cors-actix:bare-route

# Flat costs: the largest policy may cost at most 5 % more than the
# smallest; a hostile header no more than a list one name over the limit.
flat() {
  local group=$1 small=$2 large=$3 case=$4 a b
  a=$(per_request "$group" "$small" "$case")
  b=$(per_request "$group" "$large" "$case")
  echo "| $group: $case | $small: $a | $large: $b |"
  if [ $((b * 100)) -gt $((a * 105)) ]; then
    echo "not flat: $group/$large/$case costs $b instructions, $group/$small/$case $a" >&2
    OVER=1
  fi
}
echo
echo "| flat | smaller | larger |"
echo "| --- | --: | --: |"
flat scaling exact-1 exact-10000 allowed
flat scaling exact-1 exact-10000 refused
flat scaling wildcard-1 wildcard-1000 allowed
flat scaling wildcard-1 wildcard-1000 refused
# A reloadable list: its load (an atomic load and arc-swap's bookkeeping,
# about 50 instructions) and the list's own lookup over the same origin
# configured in code; measured +140.
a=$(per_request scaling exact-1 allowed)
b=$(per_request scaling list-1 allowed)
echo "| reloadable list: allowed | exact-1: $a | list-1: $b |"
if [ "$b" -gt $((a + 160)) ]; then
  echo "a reloadable list costs $b instructions, the same origin in code $a" >&2
  OVER=1
fi
# An async origin lookup's cached answer (quick_cache: a shard's read lock,
# a hash lookup, the expiry checked against the clock) over the same origin
# configured in code; measured +532 allowed, +1,953 refused (the refused
# origin is also parsed for the policy's other rules, and the cache read
# again to see whether it must wait).
for c in allowed refused; do
  a=$(per_request scaling exact-1 "$c")
  b=$(per_request scaling lookup-1 "$c")
  echo "| cached origin lookup: $c | exact-1: $a | lookup-1: $b |"
  # (Seen from +532 to +713 across runs of the same build: the cache reads
  # the clock.)
  limit=800
  [ "$c" = refused ] && limit=2100
  if [ "$b" -gt $((a + limit)) ]; then
    echo "a cached origin lookup costs $b instructions ($c), the same origin in code $a" >&2
    OVER=1
  fi
done
# A 120 KB `Origin` is refused in no more instructions than a short one (a
# lookup of every suffix after a dot would make it quadratic).
a=$(per_request hostile cors-actix origin-refused)
b=$(per_request hostile cors-actix origin-120k)
echo "| hostile: refused origin | short: $a | 120 KB: $b |"
if [ "$b" -gt "$a" ]; then
  echo "a 120 KB Origin costs $b instructions, a short refused one $a" >&2
  OVER=1
fi
a=$(per_request hostile cors-actix request-headers-65)
b=$(per_request hostile cors-actix request-headers-1mib)
echo "| hostile: refused preflight | 65 names: $a | 1 MiB: $b |"
if [ "$b" -gt "$a" ]; then
  echo "a 1 MiB Access-Control-Request-Headers costs $b instructions, 65 names $a" >&2
  OVER=1
fi

if [ "$CHECK" = 1 ]; then
  if [ "$OVER" = 1 ]; then
    echo "instruction budgets exceeded (bench/instructions.sh)" >&2
    exit 1
  fi
  echo "every request within its instruction budget" >&2
fi
