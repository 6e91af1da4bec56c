#!/usr/bin/env bash
# Edge validators (docs/benchmarks.md): requests/s, p99 latency and server CPU per request of
# `tessera gate` answering one valid token over and over, beside a bare Kestrel endpoint that
# answers 200 and does nothing else (bench/BareKestrel), both over plain HTTP on loopback, driven
# by wrk in one run: each round measures the gate, then the bare endpoint, after a warm-up.
# The gate takes its keys from a real issuer (`tessera serve`, development profile, EdDSA) over
# https, as deployed; the token comes from that issuer's /token.
#   bash bench/load/gate-load.sh [SECONDS] [CONNECTIONS] [ROUNDS]
# Needs wrk (apt-get install wrk), curl and python3.
set -euo pipefail
DURATION=${1:-10}
CONNECTIONS=${2:-16}
ROUNDS=${3:-2}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v wrk >/dev/null || { echo "gate-load: install wrk (apt-get install wrk)" >&2; exit 2; }

dotnet build "$ROOT/src/Tessera.Cli" -c Release --nologo -v quiet >/dev/null
dotnet build "$ROOT/bench/BareKestrel" -c Release --nologo -v quiet >/dev/null
TESSERA="$ROOT/src/Tessera.Cli/bin/Release/net10.0/tessera.dll"
BARE="$ROOT/bench/BareKestrel/bin/Release/net10.0/BareKestrel.dll"
WORK=$(mktemp -d /var/tmp/tessera-gate-load.XXXXXX)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
cd "$WORK"

# The issuer: development profile on https://127.0.0.1:8443, one demo client.
dotnet "$TESSERA" serve > serve.log 2>&1 &
PIDS+=($!)
for _ in $(seq 1 150); do grep -q "serving" serve.log 2>/dev/null && break; sleep 0.2; done
for _ in $(seq 1 150); do curl -sk https://127.0.0.1:8443/healthz >/dev/null 2>&1 && break; sleep 0.2; done
curl -sk https://127.0.0.1:8443/healthz >/dev/null || { cat serve.log >&2; exit 1; }
SECRET=$(grep -o 'secret [^ ]*' serve.log | cut -d' ' -f2)
TOKEN=$(curl -sk -u "demo:$SECRET" -d grant_type=client_credentials https://127.0.0.1:8443/token \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
GATE_PORT=$(free_port)
BARE_PORT=$(free_port)
cat > gate.json <<JSON
{
  "issuer": "https://127.0.0.1:8443",
  "security_log": "$WORK/gate-security.log",
  "gate": {
    "listen": "http://127.0.0.1:$GATE_PORT",
    "jwks": "https://127.0.0.1:8443/.well-known/jwks.json",
    "cacert": "$WORK/var/tls/server.crt",
    "audiences": ["demo-api"]
  }
}
JSON
chmod 600 gate.json
dotnet "$TESSERA" gate --config gate.json > gate.log 2>&1 &
GATE_PID=$!
PIDS+=("$GATE_PID")
dotnet "$BARE" "http://127.0.0.1:$BARE_PORT" > bare.log 2>&1 &
BARE_PID=$!
PIDS+=("$BARE_PID")
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$GATE_PORT/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$BARE_PORT/" >/dev/null 2>&1 && break; sleep 0.2; done
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GATE_PORT/api")
[ "$STATUS" = 200 ] || { echo "gate-load: the gate answered $STATUS to the token" >&2; cat gate.log >&2; exit 1; }

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)
run() {
  local label=$1 pid=$2 url=$3
  wrk -t1 -c"$CONNECTIONS" -d3s -H "Authorization: Bearer $TOKEN" "$url" >/dev/null 2>&1 || true
  local before; before=$(cpu "$pid")
  local out; out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$url" 2>&1)
  local after; after=$(cpu "$pid")
  local requests; requests=$(echo "$out" | awk '/requests in/ {print $1}')
  local non2xx; non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  local rps; rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  local p50; p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  local p99; p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  python3 - "$label" "$before" "$after" "$TICK" "$requests" "${non2xx:-0}" "$rps" "$p50" "$p99" <<'PY'
import sys
label, b, a, tick, n, bad, rps, p50, p99 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7], sys.argv[8], sys.argv[9]
cpu_us = (a - b) / tick * 1e6
print(f"{label:6} {float(rps):10,.0f} req/s  p50 {p50:>8}  p99 {p99:>8}  server CPU {cpu_us / max(n, 1):6.1f} us/request  ({n} requests, {bad} non-2xx)")
PY
}

echo "gate-load: wrk -t1 -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  run gate "$GATE_PID" "http://127.0.0.1:$GATE_PORT/api/orders"
  run bare "$BARE_PID" "http://127.0.0.1:$BARE_PORT/api/orders"
done
echo "gate-load: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
