#!/usr/bin/env bash
# Fuzzes every target, one after the other (docs/fuzzing.md):
#   bash fuzz/run-all.sh SECONDS_PER_TARGET
# Runs fuzz/run.sh for each target even when one fails; exits 1 when any found a crash or a
# hang (or could not run), 0 when none did.
set -uo pipefail
[ $# -eq 1 ] || { echo "usage: bash fuzz/run-all.sh SECONDS_PER_TARGET" >&2; exit 2; }
here=$(dirname "$0")
failed=()
for target in validate jwk; do
  bash "$here/run.sh" "$target" "$1" || failed+=("$target")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "run-all.sh: findings or errors in: ${failed[*]}" >&2
  exit 1
fi
echo "run-all.sh: no crash and no hang in any target"
