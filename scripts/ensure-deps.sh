#!/usr/bin/env bash
# Installs what CsPyLive needs on Debian/Ubuntu, once; on other systems says what to install.
# Usage: scripts/ensure-deps.sh [--for-tests]
set -euo pipefail

# The embedded Python is the distribution's python3 (3.11 on Debian 12, 3.12 on Ubuntu 24.04, 3.13 on Debian 13):
# its shared library is libpython3.X, X read from python3 itself (or, before it is installed, from apt).
python_minor() {
  if [[ -x /usr/bin/python3 ]]; then /usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])'
  else apt-cache policy python3 2>/dev/null | awk '/Candidate:/ { split($2, v, /[.-]/); print v[1] "." v[2] }'; fi
}
pyver="$(python_minor || true)"
# Ableton Link is header-only C++: its shim (native/link) is built with g++ on first use (scripts/build-link-shim.sh).
runtime_pkgs=(libcsound64-6.0 python3 python3-venv jackd2 libportaudio2 ableton-link-dev libasio-dev g++)
if [[ -n "$pyver" ]]; then runtime_pkgs+=("libpython${pyver}"); fi
# The tests compare against the real csound CLI and Csound's stock Python opcodes (csound-plugins), compile C
# probes against Csound's and PortAudio's headers, and use liblo's oscsend/oscdump as independent OSC peers. The JACK tests run their own
# headless jackd and use jackd2's tools (jack_wait, jack_lsp, jack_rec, jack_bufsize): no JACK headers needed.
# The Link tests use LinkHut (ableton-link-utils) as an independent peer, in a private network namespace
# (unshare, ip: util-linux, iproute2) under tmux.
test_pkgs=(csound csound-plugins libcsound64-dev portaudio19-dev gcc libc6-dev liblo-tools python3-numpy procps
  ableton-link-utils tmux iproute2 util-linux)

want=("${runtime_pkgs[@]}")
if [[ "${1:-}" == "--for-tests" ]]; then want+=("${test_pkgs[@]}"); fi
# The reference tools are cheap and make a first `play` more useful too (csound for comparisons, oscsend for tablets).
want+=(csound csound-plugins liblo-tools)

# One dpkg-query for all of them: this runs before every `./cspylive`, and a query per package took 0.25 s.
missing=()
installed=" $(dpkg-query -W -f='${Package} ${Status}\n' "${want[@]}" 2>/dev/null | awk '/ install ok installed$/ { printf "%s ", $1 }')"
for p in "${want[@]}"; do
  [[ "$installed" == *" $p "* ]] || missing+=("$p")
done

if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null; then
    cat >&2 <<MSG
cspylive: this system has no apt-get. Please install, with your package manager:
  Csound 6.18 (libcsound64), CPython 3.10-3.13 with its shared library (libpython3.X), JACK2 (jackd2), and for the tests: csound,
  csound-plugins, the Csound headers, a C compiler, liblo-tools.
  macOS: brew install csound python@3.13 jack liblo    Windows: the Csound 6 installer, Python 3.10-3.13 (python.org), JACK2.
MSG
    exit 1
  fi
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "cspylive: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "cspylive: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # jackd2 asks about real-time priority: answer yes without a prompt.
  echo "jackd2 jackd/tweak_rt_limits boolean true" | $sudo debconf-set-selections 2>/dev/null || true
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  # python3 was not there to ask (nor in apt's lists before the update): ask it now, and add its library.
  if [[ -z "$pyver" ]] && pyver="$(python_minor)" && [[ -n "$pyver" ]]; then
    $sudo apt-get install -y -qq --no-install-recommends "libpython${pyver}" >&2
  fi
fi

if ! command -v dotnet >/dev/null || ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
  cat >&2 <<MSG
cspylive: the .NET 10 SDK is needed to build (it is not in Debian's own archive).
  Install it from Microsoft's package feed (https://learn.microsoft.com/dotnet/core/install/linux-debian),
  e.g. apt-get install dotnet-sdk-10.0 once that feed is configured, or use the dotnet-install script.
MSG
  exit 1
fi
