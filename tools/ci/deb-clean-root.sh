#!/usr/bin/env bash
# The .deb on a clean Debian 12 (docs/development.md, "Installing"): debootstrap a minimal
# bookworm root, install the package there with apt (which must find every dependency it names
# in Debian), and run rollsim, its man page and a bundled scenario inside it.
# Usage: tools/ci/deb-clean-root.sh ROLLSIM.deb [MIRROR]   (as root; needs the Debian mirror)
set -euo pipefail
deb=$(realpath "$1")
mirror=${2:-http://deb.debian.org/debian}
src=$(cd "$(dirname "$0")/../.." && pwd)
command -v debootstrap >/dev/null || apt-get install -y debootstrap >/dev/null
root=$(mktemp -d /tmp/rollsim-clean-root.XXXXXX)
chmod 755 "$root"  # the man and _apt users read in it
cleanup() {
  umount "$root/proc" 2>/dev/null || true
  rm -rf "$root"
}
trap cleanup EXIT
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 || { tail -5 "$root.log"; exit 1; }
rm -f "$root.log"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
cp "$deb" "$root/tmp/rollsim.deb"
mkdir -p "$root/tmp/scenario"
cp -r "$src/scenarios/edge-proxy-single-node/." "$root/tmp/scenario/"
chroot "$root" /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq man-db /tmp/rollsim.deb' >/dev/null
check() {  # check DESCRIPTION COMMAND: runs COMMAND in the root and fails the script if it fails
  echo "clean root: $1"
  chroot "$root" /bin/sh -c "$2"
}
check "rollsim version" 'rollsim version'
check "kubectl-rollsim is the plugin" 'kubectl-rollsim help | grep -q "kubectl rollsim review"'
check "man rollsim" 'man rollsim 2>/dev/null | grep -q "replay DaemonSet rollouts"'
check "bash completion installed" 'test -s /usr/share/bash-completion/completions/rollsim'
check "rollsim run on a bundled scenario" 'cd /tmp/scenario && rollsim run scenario.yaml --trials 20 --report /tmp/r.json --quiet && test -s /tmp/r.json'
echo "clean root: the .deb installs and runs on a fresh Debian 12"
