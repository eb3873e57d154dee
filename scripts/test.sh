#!/usr/bin/env bash
# Runs the whole test suite (unit and integration: the csound CLI, Csound's stock Python opcodes, a headless jackd,
# oscsend/oscdump) after installing what it needs. Ends with one line "tests: N passed, N failed, N skipped".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/ensure-deps.sh --for-tests
# The Ableton Link shim (artifacts/native/libcspylive_link.so) that the Sync tests load; rebuilt only when stale.
scripts/build-link-shim.sh >/dev/null
# JACK keeps a registry of at most 8 servers in /dev/shm; servers that were killed leave entries behind, and
# once it is full no server starts. With no jackd running, every entry is stale: start from a clean registry.
if ! pgrep -x jackd >/dev/null 2>&1; then rm -f /dev/shm/jack-shm-registry /dev/shm/jack-[0-9]*; fi
# The suite embeds the distribution's Python, whose packages (python3-numpy) ensure-deps installed, whatever
# python3 comes first on PATH (pyenv's, a venv's); tests that choose another say so themselves.
if [[ -x /usr/bin/python3 ]]; then export CSPYLIVE_PYTHON=/usr/bin/python3; fi
# Integration tests run the program a performer runs: the native build where there is one (ADR 0015). Tests of the
# JIT build's own guarantees (nothing compiled on the audio thread) run the framework-dependent build beside them.
CSPYLIVE_BINARY="$(scripts/build.sh)"
export CSPYLIVE_BINARY
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test CsPyLive.sln -c Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# dotnet test prints one summary line per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, ..."
read -r passed failed skipped < <(awk -F'[:,]' '/(Passed|Failed)! +- Failed:/ {
    for (i = 1; i <= NF; i++) { gsub(/ /, "", $i) }
    for (i = 1; i < NF; i++) { if ($i ~ /Failed$/) f += $(i+1); if ($i == "Passed") p += $(i+1); if ($i == "Skipped") s += $(i+1) }
  } END { print p + 0, f + 0, s + 0 }' "$log")
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [[ $status -eq 0 && $passed -eq 0 ]]; then echo "no test ran" >&2; exit 1; fi
exit "$status"
