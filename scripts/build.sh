#!/usr/bin/env bash
# Builds `cspylive` when a source changed since its last build (a stamp file says when that was), and prints the
# path of what it built:
#   native  artifacts/native/cspylive    NativeAOT for x86-64 Linux (ADR 0015): starts in milliseconds and compiles
#                                        nothing at run time. The default where it applies.
#   jit     artifacts/cli/cspylive.dll   framework-dependent, run with `dotnet`: other systems, or CSPYLIVE_JIT=1.
# Usage: scripts/build.sh [native|jit]    (progress on stderr, the path on stdout)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

kind="${1:-}"
if [[ -z "$kind" ]]; then
  if [[ "${CSPYLIVE_JIT:-}" != "1" && "$(uname -s)-$(uname -m)" == "Linux-x86_64" ]]; then kind=native; else kind=jit; fi
fi
# Sources only: bin/ and obj/ under src/ change with every `dotnet build` (the tests'), which is not a reason to relink.
changed() { [[ ! -f "$1" ]] || [[ -n "$(find src Directory.Build.props Directory.Packages.props \( -name bin -o -name obj \) -prune -o -newer "$1" -print -quit)" ]]; }

case "$kind" in
  native)
    if changed artifacts/native/.build-stamp; then
      echo "cspylive: compiling natively (NativeAOT; about a minute the first time)..." >&2
      dotnet publish src/CsPyLive.Cli/CsPyLive.Cli.csproj -c Release -r linux-x64 -p:PublishAot=true -o artifacts/native -v quiet -nologo >&2
      touch artifacts/native/.build-stamp
    fi
    echo "$root/artifacts/native/cspylive" ;;
  jit)
    if changed artifacts/cli/.build-stamp; then
      echo "cspylive: building (Release)..." >&2
      dotnet build src/CsPyLive.Cli/CsPyLive.Cli.csproj -c Release -o artifacts/cli -v quiet -nologo >&2
      touch artifacts/cli/.build-stamp
    fi
    echo "$root/artifacts/cli/cspylive.dll" ;;
  *) echo "usage: scripts/build.sh [native|jit]" >&2; exit 2 ;;
esac
