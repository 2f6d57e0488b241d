#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, starts a
# local node on its embedded default (its own SQLCipher file and a
# development PKI under .resguardo/) and walks through a short demo with the
# CLI (deploy/demo.sh). The node is left running; the demo says how to stop
# it and how to go on. A second run reuses what exists.
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/install-deps.sh
echo "resguardo: compilando / building (the first build takes several minutes)"
bash deploy/build.sh release resguardod resguardo_cli >/dev/null
# The web client the node serves at its HTTPS address (only rebuilt when its
# sources changed).
bash deploy/build-web.sh >/dev/null

build/bin/resguardod --version
bash deploy/demo.sh .resguardo build/bin
