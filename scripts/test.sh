#!/usr/bin/env bash
# The one test command (README line 4, .ci/run). It installs what the tests need on a fresh
# Debian machine with the .NET SDK (the openssl CLI, Node.js and the npm packages of
# tests/interop, nginx-light and haproxy for the proxy samples), then runs every test in
# Release: both test projects of Tessera.slnx, the unit suite (tests/Tessera.Tests) and the
# integration suite (tests/Tessera.IntegrationTests). Any failing test fails this script.
# Then it fuzzes each target of fuzz/ for 60 s with afl-fuzz (docs/fuzzing.md; installs afl++
# when missing): any crash or hang fails this script too.
# The unit suite alone, in seconds: dotnet test tests/Tessera.Tests -c Release
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v afl-fuzz >/dev/null 2>&1 || missing+=(afl++)
# The Redis revocation store's tests (tests/Tessera.IntegrationTests/Revocation) start their own
# redis-server (and Sentinel) on free loopback ports; they fail, never skip, without them.
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-sentinel >/dev/null 2>&1 || missing+=(redis-sentinel)
# The edge tests (tests/Tessera.IntegrationTests/Edge) run the real nginx and haproxy from these paths.
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
[ -x /usr/sbin/haproxy ] || missing+=(haproxy)
# SoftHSM2: the PKCS#11 token the HSM key backend's tests (tests/Tessera.IntegrationTests/Hsm) use.
command -v softhsm2-util >/dev/null 2>&1 || missing+=(softhsm2)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

if [ -f tests/interop/package.json ]; then
  (cd tests/interop && npm ci --no-audit --no-fund --loglevel=error)
fi

dotnet test Tessera.slnx -c Release --nologo "$@"

bash fuzz/run-all.sh 60
