#!/usr/bin/env bash
# Requests per second and p99 latency of the edge validators (issue "Validators at the edge"),
# side by side in one run on loopback, with wrk and one repeat token per server:
#   bare       bench/BareKestrel: Kestrel answering 200 with no authentication (the ceiling)
#   jwtbearer  the stock AddJwtBearer app, RS256 (Microsoft.IdentityModel has no EdDSA)
#   tessera    the same app on AddTesseraBearer, RS256 and EdDSA
#   gate       tessera gate (EdDSA, JWKS from a file)
# Each server is its own process, started, warmed up for 3 s, measured, and stopped; the kinds
# are interleaved for ROUNDS rounds and the median of each is reported, with ratios.
#   bash bench/load/edge-load.sh [SECONDS] [CONNECTIONS] [ROUNDS]
# Needs wrk (apt-get install wrk).
set -euo pipefail
DURATION=${1:-10}
CONNECTIONS=${2:-32}
ROUNDS=${3:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v wrk >/dev/null || { echo "edge-load: install wrk (apt-get install wrk)" >&2; exit 2; }
dotnet build "$ROOT/src/Tessera.Cli" -c Release --nologo -v quiet >/dev/null
dotnet build "$ROOT/bench/Tessera.EdgeBench" -c Release --nologo -v quiet >/dev/null
dotnet build "$ROOT/bench/BareKestrel" -c Release --nologo -v quiet >/dev/null
TESSERA="dotnet $ROOT/src/Tessera.Cli/bin/Release/net10.0/tessera.dll"
EDGE="dotnet $ROOT/bench/Tessera.EdgeBench/bin/Release/net10.0/Tessera.EdgeBench.dll"
BARE="dotnet $ROOT/bench/BareKestrel/bin/Release/net10.0/BareKestrel.dll"
WORK=$(mktemp -d /var/tmp/tessera-edge.XXXXXX)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
ISS=https://auth.bench
$TESSERA keygen --alg RS256 --bits 2048 --out "$WORK/rs" >/dev/null
$TESSERA keygen --alg EdDSA --out "$WORK/ed" >/dev/null
$TESSERA jwks --keys "$WORK/rs" > "$WORK/rs.jwks"
$TESSERA jwks --keys "$WORK/ed" > "$WORK/ed.jwks"
RS_TOKEN=$($TESSERA issue --keys "$WORK/rs" --issuer $ISS --audience api --subject meter-1 --scope read --ttl 30m)
ED_TOKEN=$($TESSERA issue --keys "$WORK/ed" --issuer $ISS --audience api --subject meter-1 --scope read --ttl 30m)
cat > "$WORK/gate.json" <<JSON
{"issuer":"$ISS","allowed_algs":["EdDSA"],"security_log":"$WORK/security.log",
 "gate":{"listen":"http://127.0.0.1:19190","jwks":"$WORK/ed.jwks","audiences":["api"]}}
JSON
chmod 600 "$WORK/gate.json"

start() { # NAME PORT COMMAND...
  local port=$2; shift 2
  "$@" > "$WORK/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 150); do curl -s "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0; sleep 0.2; done
  cat "$WORK/server.log" >&2; exit 1
}

measure() { # NAME PORT PATH TOKEN
  local name=$1 port=$2 path=$3 token=$4 out
  local header=()
  [ -n "$token" ] && header=(-H "Authorization: Bearer $token")
  # The token must be accepted, or the figure would be of refusals.
  [ "$(curl -s -o /dev/null -w '%{http_code}' "${header[@]}" "http://127.0.0.1:$port$path")" = 200 ] || { echo "$name: not 200" >&2; exit 1; }
  wrk -t2 -c"$CONNECTIONS" -d3s "${header[@]}" "http://127.0.0.1:$port$path" >/dev/null
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "${header[@]}" "http://127.0.0.1:$port$path")
  local rps p99
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  [ -z "$non2xx" ] || { echo "$name: $non2xx non-2xx answers" >&2; exit 1; }
  echo "$name $rps $p99" >> "$WORK/results"
}

stop() { kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; PID=; }

for round in $(seq 1 "$ROUNDS"); do
  start bare 19180 $BARE http://127.0.0.1:19180; measure bare 19180 /data ""; stop
  start jwtbearer 19181 $EDGE jwtbearer 19181 "$WORK/rs.jwks" $ISS api RS256; measure jwtbearer-rs256 19181 /data "$RS_TOKEN"; stop
  start tessera 19182 $EDGE tessera 19182 "$WORK/rs.jwks" $ISS api RS256; measure tessera-rs256 19182 /data "$RS_TOKEN"; stop
  start tessera 19183 $EDGE tessera 19183 "$WORK/ed.jwks" $ISS api EdDSA; measure tessera-eddsa 19183 /data "$ED_TOKEN"; stop
  start gate 19190 $TESSERA gate --config "$WORK/gate.json"; measure gate-eddsa 19190 /check "$ED_TOKEN"; stop
  echo "round $round done" >&2
done

python3 - "$WORK/results" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, rps, p99 = line.split()
    unit = 1000.0 if p99.endswith("us") else (1.0 if p99.endswith("ms") else 1e-3 if p99.endswith("s") else 1.0)
    value = float(p99.rstrip("usm"))
    ms = value / 1000 if p99.endswith("us") else value * 1000 if p99.endswith("s") and not p99.endswith("ms") else value
    rows[name].append((float(rps), ms))
med = {n: (statistics.median(r for r, _ in v), statistics.median(p for _, p in v)) for n, v in rows.items()}
bare, jwt = med["bare"][0], med["jwtbearer-rs256"][0]
print(f"{'server':18} {'req/s':>10} {'p99 ms':>8} {'/bare':>7} {'/JwtBearer':>11}")
for name, (rps, p99) in med.items():
    print(f"{name:18} {rps:10.0f} {p99:8.2f} {rps / bare:7.2f} {rps / jwt:11.2f}")
PY
