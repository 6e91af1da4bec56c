#!/usr/bin/env bash
# The main job, for now the CLI quick start (README line 3): make a key, issue a token, verify it.
# Everything lives under ./var (created with mode 0700). The token service (`tessera serve`) will
# take this script's place.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Tessera.Cli -c Release --nologo -v quiet
tessera() { dotnet src/Tessera.Cli/bin/Release/net10.0/tessera.dll "$@"; }

mkdir -p var && chmod 700 var
if [ ! -d var/keys ]; then
  tessera keygen --alg EdDSA --out var/keys
fi
tessera jwks --keys var/keys > var/jwks.json
token=$(tessera issue --keys var/keys --issuer https://auth.local --audience telemetry \
  --subject meter-17 --scope "telemetry:write" --ttl 15m)
echo "token: $token"
tessera verify "$token" --jwks var/jwks.json --issuer https://auth.local --audience telemetry --json
