#!/usr/bin/env bash
# Checks that Node.js 20 or later, with npm, is on PATH: the web client's
# tools (clients/web/package-lock.json) are pinned for it. Node.js is not
# installed from Debian (bookworm has 18): the machine image brings it.
# Prints what is missing and exits 1 otherwise. Called by
# deploy/install-deps.sh and deploy/build-web.sh.
set -euo pipefail
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "resguardo: Node.js 20 or later (with npm) is needed to build the web client; install it and run again" >&2
  exit 1
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "resguardo: Node.js $(node --version) is too old for the web client: 20 or later is needed" >&2
  exit 1
fi
