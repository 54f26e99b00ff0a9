#!/usr/bin/env bash
# Debian/Ubuntu packages headroom needs to build and test: a compiler toolchain for the
# native parts, PipeWire headers for the filter-host, and the tools the tests and
# benchmarks call (ffmpeg, sox, libebur128 as a reference meter, clang + its runtime for
# the wire decoder's libFuzzer target, tmux to drive the monitor like a person, systemd-analyze to verify the user unit).
set -euo pipefail
packages=(
  build-essential python3 pkg-config
  libpipewire-0.3-dev libspa-0.2-dev pipewire pipewire-bin wireplumber dbus
  ffmpeg sox libebur128-dev clang libclang-rt-14-dev tmux procps systemd
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
