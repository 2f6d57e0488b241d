#!/usr/bin/env bash
# Installs every Debian 12 package that Resguardo's build, tests and benchmarks
# need. Idempotent and quick when everything is present: apt is only touched
# when a package is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache git
  clang libclang-rt-dev
  libssl-dev openssl
  libabsl-dev
  libprotobuf-dev protobuf-compiler
  libgrpc++-dev libgrpc-dev protobuf-compiler-grpc
  libsqlcipher-dev sqlcipher
  libgtest-dev libgmock-dev
  libbenchmark-dev
  golang-github-gogo-googleapis-dev
  nlohmann-json3-dev
  prometheus-cpp-dev
  libxml2-utils
  procps
  lintian help2man
  chromium
  libboost1.81-dev
  curl
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "resguardo: installing ${#missing[@]} Debian package(s): ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node.js with npm, for the web client (not from Debian: deploy/check-node.sh).
bash "$(dirname "$0")/check-node.sh"
