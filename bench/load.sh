#!/usr/bin/env bash
# End-to-end load run: the benchmark app served three ways (no CORS,
# actix-cors, cors-actix; one worker each, on loopback) and driven in turn by
# wrk, alternating servers, for several rounds. Prints the median requests/s
# of each server per scenario and its ratio to the bare server.
#
#   bash bench/load.sh                  # 3 rounds x 3 scenarios x 3 servers x 5 s
#   ROUNDS=5 DURATION=10 bash bench/load.sh
#
# Settings (environment): ROUNDS (3), DURATION seconds per run (5),
# CONNECTIONS (32), PORT_BASE (18080; uses the next three ports),
# CARGO_TARGET_DIR (target). Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-32}
PORT_BASE=${PORT_BASE:-18080}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
SERVERS=(bare actix-cors cors-actix)
SCENARIOS=(get-allowed-origin get-no-origin preflight)

if ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

cargo build --release -q -p cors-bench --bin cors-bench-server
BIN="$TARGET_DIR/release/cors-bench-server"

# With two or more CPUs and taskset: servers on CPU 0, wrk on CPU 1, so that
# the load generator does not compete with the server it measures.
SERVER_PIN=()
WRK_PIN=()
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
  SERVER_PIN=(taskset -c 0)
  WRK_PIN=(taskset -c 1)
  PINNING="servers on CPU 0, wrk on CPU 1"
else
  PINNING="not pinned"
fi

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

port_of() {
  case "$1" in
    bare) echo $((PORT_BASE + 1)) ;;
    actix-cors) echo $((PORT_BASE + 2)) ;;
    cors-actix) echo $((PORT_BASE + 3)) ;;
  esac
}

# One raw request over /dev/tcp; prints the response head.
probe() {
  local port=$1 request=$2
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf '%b' "$request" >&3
  timeout 5 cat <&3 | tr -d '\r' | sed '/^$/q'
  exec 3<&- 3>&-
}

for server in "${SERVERS[@]}"; do
  port=$(port_of "$server")
  "${SERVER_PIN[@]}" "$BIN" "$server" "$port" >"$WORK/$server.log" 2>&1 &
  PIDS+=($!)
done
for server in "${SERVERS[@]}"; do
  port=$(port_of "$server")
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      continue 2
    fi
    sleep 0.1
  done
  echo "$server did not start on port $port:" >&2
  cat "$WORK/$server.log" >&2
  exit 1
done

# Each server answers as expected before it is loaded.
for server in "${SERVERS[@]}"; do
  port=$(port_of "$server")
  head=$(probe "$port" "GET /api/posts HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://app.example.com\r\nConnection: close\r\n\r\n")
  if [ "$server" = bare ]; then
    ! grep -qi '^access-control-allow-origin' <<<"$head" || { echo "bare server sends CORS headers" >&2; exit 1; }
  else
    grep -qi '^access-control-allow-origin: https://app.example.com' <<<"$head" || {
      echo "$server does not grant the allowed origin:" >&2
      echo "$head" >&2
      exit 1
    }
  fi
done

cat >"$WORK/preflight.lua" <<'EOF'
wrk.method = "OPTIONS"
wrk.headers["Origin"] = "https://app.example.com"
wrk.headers["Access-Control-Request-Method"] = "POST"
wrk.headers["Access-Control-Request-Headers"] = "content-type"
EOF

run_wrk() {
  local scenario=$1 port=$2
  local url="http://127.0.0.1:$port/api/posts"
  local args=(-t1 "-c$CONNECTIONS" "-d${DURATION}s")
  case "$scenario" in
    get-allowed-origin) args+=(-H "Origin: https://app.example.com") ;;
    get-no-origin) ;;
    preflight) args+=(-s "$WORK/preflight.lua") ;;
  esac
  local out
  out=$("${WRK_PIN[@]}" wrk "${args[@]}" "$url")
  if grep -q 'Non-2xx or 3xx responses' <<<"$out"; then
    echo "$scenario on port $port: non-2xx responses" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '/^Requests\/sec:/ { print $2 }' <<<"$out"
}

echo "load: $ROUNDS rounds x ${#SCENARIOS[@]} scenarios x ${#SERVERS[@]} servers x ${DURATION}s," \
  "$CONNECTIONS connections, 1 wrk thread, 1 server worker; $PINNING" >&2
for round in $(seq "$ROUNDS"); do
  # Rotate the order each round so that no server always runs first.
  order=()
  for i in "${!SERVERS[@]}"; do
    order+=("${SERVERS[$(((i + round - 1) % ${#SERVERS[@]}))]}")
  done
  for scenario in "${SCENARIOS[@]}"; do
    for server in "${order[@]}"; do
      rps=$(run_wrk "$scenario" "$(port_of "$server")")
      echo "$rps" >>"$WORK/$scenario.$server"
      echo "round $round: $scenario $server $rps req/s" >&2
    done
  done
done

median() {
  sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo
echo "| scenario | bare req/s | actix-cors req/s | cors-actix req/s | actix-cors / bare | cors-actix / bare | cors-actix / actix-cors |"
echo "| --- | --: | --: | --: | --: | --: | --: |"
for scenario in "${SCENARIOS[@]}"; do
  bare=$(median "$WORK/$scenario.bare")
  theirs=$(median "$WORK/$scenario.actix-cors")
  ours=$(median "$WORK/$scenario.cors-actix")
  awk -v s="$scenario" -v b="$bare" -v t="$theirs" -v o="$ours" \
    'BEGIN { printf "| %s | %.0f | %.0f | %.0f | %.3f | %.3f | %.3f |\n", s, b, t, o, t / b, o / b, o / t }'
done
