#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs the
# node on its embedded default.
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/install-deps.sh
echo "resguardo: compilando / building (the first build takes several minutes)"
bash deploy/build.sh release resguardod >/dev/null

build/bin/resguardod --version
