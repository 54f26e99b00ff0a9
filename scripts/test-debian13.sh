#!/usr/bin/env bash
# The suite on Debian 13 (PipeWire 1.4, WirePlumber 0.5) from any Debian-family host: a
# debootstrap'd trixie root, entered in private mount and pid namespaces (its own /proc, a
# minimal /dev, /dev/shm and /dev/pts; every process it started ends with it), a copy of this
# tree inside, and there the README's own set-up and test commands, as a newcomer runs them.
#
#   bash scripts/test-debian13.sh              install-deps, npm ci, npm test inside
#   bash scripts/test-debian13.sh -- CMD...    set up the same way, then CMD in the copied tree
#   bash scripts/test-debian13.sh --fresh      a new root (the root is kept between runs)
#
# HEADROOM_DEBIAN13_ROOT=DIR puts the root elsewhere (default build/debian13 of this tree).
# Needs root (debootstrap, unshare, chroot), debootstrap, and Debian's archive on the network.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="${HEADROOM_DEBIAN13_ROOT:-$here/build/debian13}"
fresh=0
cmd=(bash -c 'bash scripts/install-deps.sh && npm ci && npm test')
while [ $# -gt 0 ]; do
  case "$1" in
    --fresh) fresh=1 ;;
    --) shift; setup='bash scripts/install-deps.sh && npm ci'; cmd=(bash -c "$setup"' && exec "$@"' cmd "$@"); break ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test-debian13: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[ "$(id -u)" -eq 0 ] || { echo "test-debian13: run as root (debootstrap, unshare and chroot need it): sudo bash $0" >&2; exit 1; }
if ! command -v debootstrap >/dev/null; then
  command -v apt-get >/dev/null || { echo "test-debian13: debootstrap is missing: install it from your distribution" >&2; exit 1; }
  echo "test-debian13: installing debootstrap"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap
fi

if [ $fresh -eq 1 ]; then rm -rf --one-file-system "$root"; fi
if [ ! -x "$root/usr/bin/apt-get" ]; then
  rm -rf --one-file-system "$root"
  mkdir -p "$root"
  echo "test-debian13: debootstrap trixie into $root"
  debootstrap --variant=minbase --include=ca-certificates trixie "$root" http://deb.debian.org/debian >"$root.debootstrap.log" 2>&1 ||
    { tail -20 "$root.debootstrap.log"; echo "test-debian13: debootstrap failed (log: $root.debootstrap.log)" >&2; exit 1; }
fi

# The host's certificate authorities (the npm registry's may be a local one) and name service.
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/host-ca.crt"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# This tree as git sees it (tracked and new files, not ignored ones): what a clone would hold.
rm -rf --one-file-system "$root/root/headroom"
mkdir -p "$root/root/headroom"
(cd "$here" && git ls-files -z --cached --others --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$root/root/headroom"

env_inside=(
  HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TERM="${TERM:-xterm}"
  NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca.crt npm_config_cafile=/etc/ssl/certs/host-ca.crt
  OCLIF_SKIP_NEW_VERSION_CHECK=true DEBIAN_FRONTEND=noninteractive CI="${CI:-}" HEADROOM_TEST_REPORT="${HEADROOM_TEST_REPORT:-}"
)
echo "test-debian13: running in $root: ${cmd[*]}"
# shellcheck disable=SC2016
exec unshare --mount --propagation private --pid --fork --kill-child bash -euc '
  r="$1"; shift
  mount -t proc proc "$r/proc"
  mount -t tmpfs -o mode=755,nosuid tmpfs "$r/dev"
  for d in null zero full random urandom tty; do touch "$r/dev/$d"; mount --bind "/dev/$d" "$r/dev/$d"; done
  mkdir "$r/dev/shm" "$r/dev/pts"
  mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$r/dev/shm"
  mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$r/dev/pts"
  ln -s pts/ptmx "$r/dev/ptmx"
  ln -s /proc/self/fd "$r/dev/fd"
  for i in 0 1 2; do ln -s "/proc/self/fd/$i" "$r/dev/$(echo stdin stdout stderr | cut -d" " -f$((i + 1)))"; done
  exec chroot "$r" /usr/bin/env -i "$@"
' inside "$root" "${env_inside[@]}" bash -c 'cd /root/headroom && exec "$@"' headroom "${cmd[@]}"
