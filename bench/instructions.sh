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
cd "$(dirname "$0")/.."

CHECK=0
case "${1:-}" in
  --check) CHECK=1 ;;
  "") ;;
  *) echo "usage: bench/instructions.sh [--check]" >&2; exit 2 ;;
esac

# What cors-actix may add to a request over the same app without CORS
# (issue #10): allowed origins as cheap as a hand-written `wrap_fn` that
# checks nothing, refusals cheaper than grants.
budget() {
  case "$1" in
    no-origin) echo 600 ;;
    exact-origin | same-host) echo 1800 ;;
    wildcard-origin) echo 2200 ;;
    refused-origin) echo 800 ;;
    preflight-allowed) echo 1000 ;;
    preflight-refused) echo 800 ;;
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
  sed -n 's/^totals: *//p' "$out"
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
      if [ "$app" = cors-actix ] && [ "$added" -gt "$(budget "$c")" ]; then
        echo "over budget: $group/$c/cors-actix adds $added instructions, budget $(budget "$c")" >&2
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

if [ "$CHECK" = 1 ]; then
  if [ "$OVER" = 1 ]; then
    echo "instruction budgets exceeded (bench/instructions.sh)" >&2
    exit 1
  fi
  echo "every request within its instruction budget" >&2
fi
