#!/usr/bin/env bash
# The CPU a validator spends following the shared Redis deny list while revocations arrive at
# RATE per second (revocation issue, "the CPU a validator spends on syncing at 1,000
# revocations/s"). Starts its own redis-server on a free loopback port in a scratch directory,
# then twice: a follower process alone for SECONDS (the idle cost: heartbeat syncs), and a
# follower while a writer process revokes RATE fresh jtis per second. The follower prints its
# own CPU time; the difference is what the revocations cost it.
#   bash bench/load/revocation-sync.sh [RATE] [SECONDS]
set -euo pipefail
RATE=${1:-1000}
SECONDS_RUN=${2:-30}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v redis-server >/dev/null || { echo "revocation-sync: install redis-server" >&2; exit 2; }
dotnet build "$ROOT/bench/Tessera.Bench" -c Release --nologo -v quiet >/dev/null
BENCH="dotnet $ROOT/bench/Tessera.Bench/bin/Release/net10.0/Tessera.Bench.dll"
WORK=$(mktemp -d /var/tmp/tessera-sync.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$PORT" --bind 127.0.0.1 --dir "$WORK" --save "" --appendonly no --daemonize no > "$WORK/redis.log" 2>&1 &
REDIS=$!
trap 'kill $REDIS 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
URL="redis://127.0.0.1:$PORT"

echo "idle ($SECONDS_RUN s, no revocations):"
$BENCH --follow "$URL" "$SECONDS_RUN"
echo "while a writer revokes $RATE jtis/s:"
$BENCH --follow "$URL" "$SECONDS_RUN" &
FOLLOWER=$!
sleep 2
$BENCH --flood "$URL" "$RATE" $((SECONDS_RUN - 4))
wait $FOLLOWER
