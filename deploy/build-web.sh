#!/usr/bin/env bash
# Builds the web client (clients/web) into clients/web/dist when its sources,
# its lockfile or the .proto files changed since the last build: `npm ci`
# (only when package-lock.json changed) and `npm run build` (protoc +
# protoc-gen-es, tsc, vite). Called by deploy/build.sh for a whole release
# build; nothing is downloaded but the npm packages the lockfile pins.
set -euo pipefail
cd "$(dirname "$0")/../clients/web"

bash ../../deploy/check-node.sh

stamp() {  # what the build depends on, hashed
  { sha256sum package-lock.json index.html vite.config.ts tsconfig.json
    find src scripts -path src/gen -prune -o -type f -print0 | sort -z | xargs -0 sha256sum
    find ../../proto/resguardo/v1 -name '*.proto' -print0 | sort -z | xargs -0 sha256sum
  } | sha256sum | cut -d' ' -f1
}

lock=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.lock.sha256 ] || [ "$(cat node_modules/.lock.sha256)" != "$lock" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock" > node_modules/.lock.sha256
fi
want=$(stamp)
if [ -f dist/.stamp ] && [ "$(cat dist/.stamp)" = "$want" ]; then
  echo "deploy/build-web.sh: clients/web/dist is up to date"
  exit 0
fi
npm run --silent build
echo "$want" > dist/.stamp
echo "deploy/build-web.sh: built clients/web/dist"
