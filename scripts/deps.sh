#!/bin/bash
# deps.sh - install what sift needs from Debian's packages, if anything is missing.
# Idempotent: does nothing (and needs no network) when all packages are present.
# Run as root on Debian 12, or with sudo available.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  libzmq3-dev libmsgpack-dev libconfig-dev libutf8proc-dev libpcre2-dev
  liblmdb-dev libxxhash-dev libjansson-dev libcmocka-dev libmicrohttpd-dev
  libsystemd-dev libsodium-dev libexttextcat-dev libexttextcat-data
  python3 python3-zmq python3-msgpack
  # tests/fuzz (libFuzzer targets, scenario fuzz-short): clang and its libFuzzer runtime
  clang libclang-rt-14-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
