#!/usr/bin/env bash
# Installs the Debian 12 packages rollsim needs and that are missing (as root, with apt-get).
# Usage: tools/deps.sh [build|test|fuzz|all]   (default: build)
set -euo pipefail
what="${1:-build}"
pkgs=(cmake ninja-build g++ libboost-program-options-dev libyaml-cpp-dev libeigen3-dev
      nlohmann-json3-dev doctest-dev libfmt-dev)
if [[ "$what" == fuzz || "$what" == all ]]; then
  pkgs+=(clang-14 libclang-rt-14-dev)  # libFuzzer and the sanitizer runtimes
fi
if [[ "$what" == test || "$what" == all ]]; then
  # man-db and dpkg-dev: the install test renders the man page and builds the .deb (dpkg-shlibdeps)
  # chromium and python3-pil: the HTML report is loaded, screenshot and printed in a real browser;
  # prometheus: its promtool checks the kube-state-metrics series rollsim writes
  pkgs+=(python3-jsonschema python3-yaml libxml2-utils man-db dpkg-dev chromium python3-pil prometheus
         jupyter-nbconvert python3-nbconvert python3-nbclient python3-ipykernel python3-matplotlib python3-pandas)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "rollsim: installing ${missing[*]}" >&2
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
