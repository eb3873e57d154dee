#!/usr/bin/env bash
# `./cspylive publish [DIR]`: a release folder (default artifacts/release/cspylive-VERSION) with
#   linux-x64/   the native build (NativeAOT, ADR 0015) and the Ableton Link shim: needs libcsound64, libpython3.10-3.13
#                and, for JACK, libjack; no .NET
#   win-x64/     framework-dependent: needs the .NET 10 runtime, Csound 6 (64-bit), Python 3.10-3.13
#   osx-arm64/   framework-dependent: needs the .NET 10 runtime, Csound 6 (CsoundLib64.framework), Python 3.10-3.13
# each with config/ and patches/, and a README.txt that says which runs where and what it needs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
version="$(git describe --tags --always --dirty 2>/dev/null || date +%Y%m%d)"
out="${1:-artifacts/release/cspylive-$version}"
rm -rf "$out"
mkdir -p "$out"

extras() { # the files every build carries: settings and example patches
  mkdir -p "$1/config"
  cp config/cspylive.yaml "$1/config/"
  cp -r patches "$1/patches"
}

echo "cspylive publish: linux-x64 (native)..." >&2
native="$(scripts/build.sh native)"
mkdir -p "$out/linux-x64"
cp "$native" "$out/linux-x64/"
cp "$(dirname "$native")"/libSkiaSharp.so "$(dirname "$native")"/libHarfBuzzSharp.so "$out/linux-x64/" # cspylive report (ADR 0019)
if link="$(scripts/build-link-shim.sh 2>/dev/null)"; then cp "$link" "$out/linux-x64/"; else echo "cspylive publish: no Link shim (install ableton-link-dev libasio-dev)" >&2; fi
extras "$out/linux-x64"

for rid in win-x64 osx-arm64; do
  echo "cspylive publish: $rid (framework-dependent)..." >&2
  dotnet publish src/CsPyLive.Cli/CsPyLive.Cli.csproj -c Release -r "$rid" --self-contained false -p:DebugType=none \
    -o "$out/$rid" -v quiet -nologo >&2
  rm -f "$out/$rid"/*.xml
  extras "$out/$rid"
done

cat > "$out/README.txt" <<TXT
CsPyLive $version: a live-performance host for Csound with Python.

linux-x64/cspylive       x86-64 Linux (Debian 12, Ubuntu 24.04, Debian 13 ...). A native program: no .NET needed.
                         Needs: libcsound64-6.0 (Csound 6.18), libpython3.X of a CPython 3.10-3.13 (the system's
                         python3; a venv with --python or VIRTUAL_ENV), and for --audio jack: jackd2, for PortAudio:
                         libportaudio2. Ableton Link: libcspylive_link.so beside it.
                         Run: ./cspylive play patches/hello
win-x64/cspylive.exe     Windows 10/11, x64. Needs the .NET 10 runtime, Csound 6 64-bit (csound64.dll on PATH or
                         CSPYLIVE_LIBCSOUND), Python 3.10-3.13 from python.org (python3XY.dll), and an ASIO driver
                         (--audio asio) or PortAudio (portaudio.dll) for sound. No Ableton Link yet.
                         Run: cspylive.exe play patches\\hello
osx-arm64/cspylive       macOS on Apple silicon. Needs the .NET 10 runtime, Csound 6 (CsoundLib64.framework),
                         Python 3.10-3.13 (python.org or Homebrew), PortAudio (brew install portaudio) for sound.
                         No Ableton Link yet. Run: ./cspylive play patches/hello

Every library can be named outright: CSPYLIVE_LIBCSOUND, CSPYLIVE_LIBPYTHON (or --python), CSPYLIVE_LIBJACK,
CSPYLIVE_LIBPORTAUDIO, CSPYLIVE_LINK_LIBRARY. \`cspylive --help\` lists the commands.
TXT
echo "$out"
