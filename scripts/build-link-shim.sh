#!/usr/bin/env bash
# Builds the C shim over Ableton Link (native/link/cspylive_link.cpp) into artifacts/native/libcspylive_link.so,
# only when the source or header is newer than the library. Link is header-only C++ (Debian: ableton-link-dev,
# which needs libasio-dev); the shim is what CsPyLive P/Invokes (src/CsPyLive.Core/Sync/Link).
# Usage: scripts/build-link-shim.sh [--force]     Prints the library's path on stdout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/native/link/cspylive_link.cpp"
hdr="$root/native/link/cspylive_link.h"
out_dir="$root/artifacts/native"
out="$out_dir/libcspylive_link.so"

if [[ "${1:-}" != "--force" && -f "$out" && "$out" -nt "$src" && "$out" -nt "$hdr" ]]; then
  echo "$out"
  exit 0
fi

cxx="${CXX:-g++}"
if ! command -v "$cxx" >/dev/null; then
  echo "cspylive: no C++ compiler ($cxx) to build the Ableton Link shim: install g++ ableton-link-dev libasio-dev" >&2
  exit 1
fi
# Link's headers include asio's; both must be there (Debian puts them in /usr/include).
if ! printf '#include <ableton/Link.hpp>\n' | "$cxx" -std=c++14 -DLINK_PLATFORM_LINUX=1 -fsyntax-only -x c++ - 2>/dev/null; then
  echo "cspylive: the Ableton Link headers (or asio's) are missing: install ableton-link-dev libasio-dev" \
       "(sudo apt-get install ableton-link-dev libasio-dev)" >&2
  exit 1
fi

mkdir -p "$out_dir"
# Compile to a temporary name and rename: a process loading the library never sees half a file.
tmp="$(mktemp "$out_dir/.libcspylive_link.XXXXXX.so")"
trap 'rm -f "$tmp"' EXIT
"$cxx" -O2 -std=c++14 -shared -fPIC -DLINK_PLATFORM_LINUX=1 -pthread -fvisibility=hidden -Wall -Wextra \
  -I"$root/native/link" -o "$tmp" "$src"
chmod 755 "$tmp"
mv -f "$tmp" "$out"
trap - EXIT
echo "$out"
