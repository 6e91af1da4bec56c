#!/usr/bin/env bash
# /usr/local/bin/jwt-rotate.sh — for operators who follow the seed's step 5 literally
# ("a script that generates a new key pair every 30 days and updates the JWKS", run from
# crontab -e). It is a thin wrapper: `tessera rotate` does the work, idempotently, and publishes
# the next key two days before it signs, so no service restart is needed (services reload keys
# themselves). Schedule it daily, not every 30 days:  17 3 * * * /usr/local/bin/jwt-rotate.sh
set -euo pipefail
KEYS=${KEYS:-/etc/jwt/keys}
CONFIG=${CONFIG:-/opt/app/config/auth.json}
JWKS_OUT=${JWKS_OUT:-}   # optional: also write the JWKS to a file served by nginx

args=(rotate --keys "$KEYS")
[ -f "$CONFIG" ] && args+=(--config "$CONFIG")
/usr/local/bin/tessera "${args[@]}"

if [ -n "$JWKS_OUT" ]; then
  tmp=$(mktemp "${JWKS_OUT}.XXXXXX")
  /usr/local/bin/tessera jwks --keys "$KEYS" > "$tmp"
  chmod 644 "$tmp"
  mv -f "$tmp" "$JWKS_OUT"
fi

/usr/local/bin/tessera doctor --keys "$KEYS" ${CONFIG:+--config "$CONFIG"} >/dev/null || {
  echo "jwt-rotate: tessera doctor reports a failure; run it by hand" >&2
  exit 1
}
