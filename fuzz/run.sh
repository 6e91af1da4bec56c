#!/usr/bin/env bash
# Coverage-guided fuzzing of one target with afl-fuzz and SharpFuzz (docs/fuzzing.md).
#   bash fuzz/run.sh TARGET SECONDS        TARGET: validate | jwk
# Publishes fuzz/Tessera.Fuzz in Release into fuzz/out/TARGET/bin, instruments the
# Tessera.Core.dll there with the sharpfuzz tool of .config/dotnet-tools.json, and runs afl-fuzz
# for SECONDS from the seed corpus fuzz/corpus/TARGET (findings in fuzz/out/TARGET/afl).
# Prints the figures of fuzzer_stats; exits 1 when afl-fuzz saved any crash or hang (each
# printed with its path, its base64 and the harness's reproduction), 2 on a usage or setup error.
# Needs the .NET SDK; installs Debian's afl++ when afl-fuzz is missing. FUZZ_OUT moves fuzz/out.
set -euo pipefail

usage() { echo "usage: bash fuzz/run.sh validate|jwk SECONDS" >&2; exit 2; }
[ $# -eq 2 ] || usage
target=$1
seconds=$2
case "$target" in validate | jwk) ;; *) usage ;; esac
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || usage

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "run.sh: installing afl++ (Debian's package)"
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
fi

out=${FUZZ_OUT:-$root/fuzz/out}/$target
bin=$out/bin
findings=$out/afl
rm -rf "$out"
mkdir -p "$out"

echo "run.sh: building the harness and instrumenting Tessera.Core.dll ($bin)"
dotnet tool restore >/dev/null
dotnet publish fuzz/Tessera.Fuzz/Tessera.Fuzz.csproj -c Release -o "$bin" --nologo -v quiet >"$out/build.log" 2>&1 \
  || { cat "$out/build.log" >&2; exit 2; }
dotnet tool run sharpfuzz "$bin/Tessera.Core.dll" || { echo "run.sh: sharpfuzz failed" >&2; exit 2; }
harness=(dotnet "$bin/Tessera.Fuzz.dll")

# SharpFuzz's out-of-process fork server: afl-fuzz starts dotnet, which runs the target in a
# child process and restarts it after a crash or a timeout. -t: per input, in ms (a restart pays
# the .NET start-up, so it is generous); AFL_HANG_TMOUT: a timeout is saved as a hang only if
# the input also runs past this on a second try. -m none: .NET reserves far more virtual memory
# than it uses. The binary and CPU checks do not apply to dotnet on a shared 2-core machine.
echo "run.sh: afl-fuzz on '$target' for ${seconds}s (log: $out/afl.log)"
set +e
AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 \
  AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_HANG_TMOUT=10000 AFL_FAST_CAL=1 \
  timeout --signal=INT $((seconds + 600)) \
  afl-fuzz -i "fuzz/corpus/$target" -o "$findings" -x "fuzz/dict/$target.dict" \
    -t 3000 -m none -V "$seconds" -- "${harness[@]}" "$target" >"$out/afl.log" 2>&1
status=$?
set -e

stats=$findings/default/fuzzer_stats
if [ ! -f "$stats" ]; then
  # afl-fuzz stops before fuzzing when a seed crashes or times out in its dry run.
  echo "run.sh: afl-fuzz exited with $status before fuzzing; the end of its log:" >&2
  grep -v 'Fuzzing test case' "$out/afl.log" | tail -n 25 >&2
  echo "run.sh: the seeds, replayed by the harness:" >&2
  "${harness[@]}" repro "$target" fuzz/corpus/"$target"/* | grep -v '^ok ' >&2 || true
  exit 1
fi

stat() { sed -n "s/^$1 *: //p" "$stats"; }
crashes=$(stat saved_crashes)
hangs=$(stat saved_hangs)
echo "run.sh: $target: $(stat execs_done) executions in $(stat run_time) s ($(stat execs_per_sec) exec/s)," \
  "corpus $(stat corpus_count) (+$(stat corpus_found) found), edges $(stat edges_found), stability $(stat stability)," \
  "crashes $crashes, hangs $hangs"

shopt -s nullglob
found=("$findings"/default/crashes/id:* "$findings"/default/hangs/id:*)
if [ "$status" -ne 0 ] && [ "$status" -ne 124 ]; then
  echo "run.sh: afl-fuzz exited with $status; the end of its log:" >&2
  grep -v 'Fuzzing test case' "$out/afl.log" | tail -n 15 >&2
  [ ${#found[@]} -gt 0 ] || exit 2
fi
if [ ${#found[@]} -eq 0 ] && [ "$crashes" = 0 ] && [ "$hangs" = 0 ]; then
  exit 0
fi

for input in "${found[@]}"; do
  echo "FINDING $input"
  echo "  base64: $(base64 -w0 "$input")"
done
crashing=("$findings"/default/crashes/id:*)
if [ ${#crashing[@]} -gt 0 ]; then
  echo "run.sh: the first crashes (of ${#crashing[@]}), replayed by the harness:"
  "${harness[@]}" repro "$target" "${crashing[@]:0:5}" | grep -v '^ok ' || true
fi
if [ "$hangs" != 0 ]; then
  echo "run.sh: to replay a hang: timeout 60 ${harness[*]} repro $target FILE"
fi
exit 1
