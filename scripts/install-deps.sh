#!/usr/bin/env bash
# The system packages headroom needs, for the distribution this runs on.
#
#   bash scripts/install-deps.sh            what running, building and testing need (default)
#   bash scripts/install-deps.sh --run      only what running headroom needs
#   bash scripts/install-deps.sh --print    print the package list and the install command, change nothing
#   --distro debian|fedora|arch             take that family instead of reading /etc/os-release
#
# Running needs PipeWire's tools (pw-dump, pw-metadata, pw-link, pw-cli), WirePlumber, D-Bus,
# libpipewire and Node >= 20. Building adds a C/C++ toolchain, python3 and PipeWire's headers;
# testing adds the programs the tests play and listen with (ffmpeg, sox, pipewire-pulse's
# paplay, mpv, pipewire-alsa's aplay, tmux, fish for its completions), libebur128 as a reference meter, and clang with
# the runtime of the installed clang for the wire decoder's libFuzzer target. No version is
# pinned: Debian 12/13 and Ubuntu 22.04/24.04 take the same list.
set -euo pipefail

set_scope=all
print_only=0
family=""
while [ $# -gt 0 ]; do
  case "$1" in
    --run) set_scope=run ;;
    --print) print_only=1 ;;
    --distro) family="$2"; shift ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-deps: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ -z "$family" ]; then
  ids=""
  if [ -r /etc/os-release ]; then ids="$(. /etc/os-release; echo "${ID:-} ${ID_LIKE:-}")"; fi
  case " $ids " in
    *" debian "* | *" ubuntu "*) family=debian ;;
    *" fedora "* | *" rhel "*) family=fedora ;;
    *" arch "*) family=arch ;;
    *) family=unknown ;;
  esac
fi

have_node=0
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then have_node=1; fi
# node-gyp builds the addon against the headers next to node (<prefix>/include/node)
node_headers=1
if [ $have_node -eq 1 ]; then
  prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  [ -e "$prefix/include/node/node_api.h" ] || node_headers=0
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

case "$family" in
  debian)
    run=(pipewire pipewire-bin wireplumber libpipewire-0.3-0 dbus procps)
    build=(build-essential python3 pkg-config libpipewire-0.3-dev libspa-0.2-dev)
    test=(pipewire-pulse pipewire-alsa pulseaudio-utils alsa-utils mpv ffmpeg sox libebur128-dev clang tmux fish systemd)
    node=(nodejs npm)
    headers=(libnode-dev)
    ;;
  fedora)
    run=(pipewire pipewire-utils wireplumber pipewire-libs dbus-daemon procps-ng)
    build=(gcc gcc-c++ make python3 pkgconf-pkg-config pipewire-devel)
    test=(pipewire-pulseaudio pipewire-alsa pulseaudio-utils alsa-utils mpv ffmpeg-free sox libebur128-devel clang compiler-rt tmux fish systemd)
    node=(nodejs npm)
    headers=(nodejs-devel)
    ;;
  arch)
    run=(pipewire wireplumber dbus procps-ng)
    build=(base-devel python pkgconf)
    test=(pipewire-pulse pipewire-alsa libpulse alsa-utils mpv ffmpeg sox libebur128 clang compiler-rt tmux fish systemd)
    node=(nodejs npm)
    headers=()
    ;;
  *)
    echo "install-deps: this distribution is not one of Debian/Ubuntu, Fedora or Arch." >&2
    echo "Install PipeWire with its tools (pw-dump, pw-metadata, pw-link, pw-cli), WirePlumber, D-Bus and Node >= 20;" >&2
    echo "to build and test also a C/C++ compiler, python3, pkg-config, PipeWire's headers, ffmpeg, sox, libebur128, clang, tmux." >&2
    exit 1
    ;;
esac

packages=("${run[@]}")
[ $have_node -eq 1 ] || packages+=("${node[@]}")
if [ "$set_scope" = all ]; then
  packages+=("${build[@]}" "${test[@]}")
  [ $have_node -eq 1 ] && [ $node_headers -eq 1 ] || packages+=("${headers[@]}")
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

case "$family" in
  debian) install=($sudo apt-get install -y --no-install-recommends) ;;
  fedora) install=($sudo dnf install -y) ;;
  arch) install=($sudo pacman -S --needed --noconfirm) ;;
esac

if [ $print_only -eq 1 ]; then
  echo "${install[*]} ${packages[*]}"
  [ "$family" != debian ] || [ "$set_scope" != all ] || echo "# and the clang runtime of the installed clang: libclang-rt-<major>-dev (libclang-common-<major>-dev before LLVM 15)"
  exit 0
fi

# The libFuzzer runtime comes with the clang it belongs to: its package name carries
# clang's major version (libclang-rt-19-dev on Debian 13, -14- on Debian 12).
debian_clang_runtime() {
  local major
  major="$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)"
  [ -n "$major" ] || { echo "install-deps: clang did not say its version" >&2; return 1; }
  for p in "libclang-rt-$major-dev" "libclang-common-$major-dev"; do
    if apt-cache show "$p" >/dev/null 2>&1; then echo "$p"; return 0; fi
  done
  echo "install-deps: no clang runtime package for clang $major (libclang-rt-$major-dev)" >&2
  return 1
}

case "$family" in
  debian)
    missing=()
    for p in "${packages[@]}"; do
      # Debian 13 renamed libraries for 64-bit time (libpipewire-0.3-0 is libpipewire-0.3-0t64)
      installed "$p" || installed "${p}t64" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      echo "install-deps: installing ${missing[*]}"
      $sudo apt-get update -qq
      DEBIAN_FRONTEND=noninteractive "${install[@]}" -qq "${missing[@]}"
    fi
    if [ "$set_scope" = all ]; then
      rt="$(debian_clang_runtime 2>/dev/null)" || { $sudo apt-get update -qq; rt="$(debian_clang_runtime)"; }
      if ! installed "$rt"; then
        echo "install-deps: installing $rt"
        DEBIAN_FRONTEND=noninteractive "${install[@]}" -qq "$rt"
      fi
    fi
    ;;
  fedora | arch)
    echo "install-deps: ${install[*]} ${packages[*]}"
    "${install[@]}" "${packages[@]}"
    ;;
esac
echo "install-deps: all packages present"
