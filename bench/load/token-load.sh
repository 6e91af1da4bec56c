#!/usr/bin/env bash
# Server CPU time per client_credentials grant (issue 4 performance): starts `tessera serve` on
# the development profile in a scratch directory, drives POST /token with wrk from loopback, and
# divides the server process's CPU time (utime + stime from /proc/PID/stat) by the number of
# grants answered. Two runs: keep-alive, and a new TLS 1.3 connection per request.
#   bash bench/load/token-load.sh [SECONDS] [CONNECTIONS]
# Needs wrk (apt-get install wrk). Keycloak's sizing guide allots ~8.3 ms of CPU per grant
# with a new TLS connection each; targets here: ≤ 0.5 ms (new connection), ≤ 0.1 ms (keep-alive).
set -euo pipefail
DURATION=${1:-20}
CONNECTIONS=${2:-16}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v wrk >/dev/null || { echo "token-load: install wrk (apt-get install wrk)" >&2; exit 2; }

dotnet build "$ROOT/src/Tessera.Cli" -c Release --nologo -v quiet >/dev/null
WORK=$(mktemp -d /var/tmp/tessera-load.XXXXXX)
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
cd "$WORK"
dotnet "$ROOT/src/Tessera.Cli/bin/Release/net10.0/tessera.dll" serve > serve.log 2>&1 &
PID=$!
for _ in $(seq 1 100); do grep -q "serving" serve.log 2>/dev/null && break; sleep 0.2; done
SECRET=$(grep -o 'secret [^ ]*' serve.log | cut -d' ' -f2)
# No rate limit for the measurement (the demo client would be limited to 100/s).
kill $PID; wait $PID 2>/dev/null || true
python3 - "$WORK/var/auth.json" <<'PY'
import json, sys
p = sys.argv[1]; c = json.load(open(p))
c.setdefault("issuance", {})["rate_limit"] = {"per_client": "0", "per_address": "0"}
json.dump(c, open(p, "w"), indent=2)
PY
dotnet "$ROOT/src/Tessera.Cli/bin/Release/net10.0/tessera.dll" serve --config var/auth.json > serve.log 2>&1 &
PID=$!
for _ in $(seq 1 150); do curl -sk https://127.0.0.1:8443/healthz >/dev/null 2>&1 && break; sleep 0.2; done
curl -sk https://127.0.0.1:8443/healthz >/dev/null || { cat serve.log >&2; exit 1; }
: > var/security.log

AUTH=$(printf 'demo:%s' "$SECRET" | base64 -w0)
cat > post.lua <<LUA
wrk.method = "POST"
wrk.body   = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $AUTH"
LUA

cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
TICK=$(getconf CLK_TCK)
run() {
  local label=$1; shift
  # warm up (JIT, TLS session caches), then measure
  wrk -t2 -c"$CONNECTIONS" -d3s -s post.lua "$@" https://127.0.0.1:8443/token >/dev/null 2>&1 || true
  local before; before=$(cpu)
  local out; out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s post.lua "$@" https://127.0.0.1:8443/token 2>&1)
  local after; after=$(cpu)
  local requests; requests=$(echo "$out" | awk '/requests in/ {print $1}')
  local non2xx; non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  local rps; rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  python3 - "$label" "$before" "$after" "$TICK" "$requests" "${non2xx:-0}" "$rps" <<'PY'
import sys
label, b, a, tick, n, bad, rps = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
cpu_ms = (a - b) / tick * 1000
print(f"{label:28s} grants={n:8d} non2xx={bad} req/s={rps:>9s} server_cpu={cpu_ms/1000:7.2f}s  cpu/grant={cpu_ms/max(n,1):.3f} ms")
PY
}
echo "# $(nproc) cores, $DURATION s per run, $CONNECTIONS connections, wrk on the same host"
run "keep-alive"
run "new TLS 1.3 connection each" -H "Connection: close"
issued=$(grep -c token_issued var/security.log || true)
echo "# security log events token_issued: $issued"
