#!/usr/bin/env bash
# Builds resguardo_<version>_amd64.deb from an existing build tree (no second
# compile) and checks it:
#   bash deploy/package.sh [BUILD_DIR]      (default: build)
# The package installs /usr/bin/resguardod and /usr/bin/resguardo (stripped),
# the web client's build in /usr/share/resguardo/web,
# the hardened systemd unit, a commented example configuration in
# /etc/resguardo, man pages made from the --help texts (help2man), and a
# postinst that creates the system user and /var/lib/resguardo (0700).
#
# Checks, each printed: lintian (no error), `systemd-analyze verify` and
# `systemd-analyze security --offline=true` on the unit (exposure 2.0 or
# lower), and an install: with CI=true `dpkg -i` on this (throwaway) machine,
# `/usr/bin/resguardod --version` from it, then `dpkg --purge`; otherwise
# the package is unpacked into a temporary root and the binary run there.
# Output: build/deb/resguardo_<version>_amd64.deb (path on the last line).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
for b in resguardod resguardo; do
  if [ ! -x "$build/bin/$b" ]; then
    echo "deploy/package.sh: $build/bin/$b is missing: build first (bash deploy/build.sh release)" >&2
    exit 2
  fi
done

version=$("$build/bin/resguardod" --version | head -1 | awk '{print $2}')
out="$(cd "$build" && pwd)/deb"
stage="$out/stage"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/usr/bin" "$stage/lib/systemd/system" \
  "$stage/etc/resguardo" "$stage/usr/share/doc/resguardo" \
  "$stage/usr/share/man/man1" "$stage/usr/share/man/man8"

for b in resguardod resguardo; do
  install -m 0755 "$build/bin/$b" "$stage/usr/bin/$b"
  strip --strip-unneeded --remove-section=.comment --remove-section=.note \
    "$stage/usr/bin/$b"
done
install -m 0644 deploy/debian/resguardod.service "$stage/lib/systemd/system/"
install -m 0644 deploy/debian/node.textproto "$stage/etc/resguardo/"
install -m 0644 deploy/debian/copyright "$stage/usr/share/doc/resguardo/"
install -m 0644 proto/resguardo/config/v1/node_config.proto \
  "$stage/usr/share/doc/resguardo/"
date_rfc=$(date -R -u -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$date_rfc/" deploy/debian/changelog |
  gzip -9n >"$stage/usr/share/doc/resguardo/changelog.gz"

# The web client's build (clients/web/dist, deploy/build-web.sh), served by
# the node's HTTPS listener from web.static_dir.
web_dist=clients/web/dist
if [ ! -f "$web_dist/index.html" ]; then
  echo "deploy/package.sh: $web_dist is missing: run bash deploy/build-web.sh" >&2
  exit 2
fi
mkdir -p "$stage/usr/share/resguardo/web"
(cd "$web_dist" && find . -type f ! -name .stamp -print0 |
  xargs -0 -I{} install -D -m 0644 {} "$stage/usr/share/resguardo/web/{}")

# Man pages from the --help texts, so that they cannot drift from them.
help2man --no-info --section=8 --no-discard-stderr \
  --name="nodo de Resguardo / the Resguardo node" \
  "$stage/usr/bin/resguardod" | gzip -9n >"$stage/usr/share/man/man8/resguardod.8.gz"
help2man --no-info --section=1 --no-discard-stderr \
  --name="cliente de un nodo de Resguardo / client of a Resguardo node" \
  "$stage/usr/bin/resguardo" | gzip -9n >"$stage/usr/share/man/man1/resguardo.1.gz"

# Runtime dependencies from the libraries the binaries link.
shlibs_dir=$(mktemp -d)
trap 'rm -rf "$shlibs_dir"' EXIT
mkdir -p "$shlibs_dir/debian"
printf 'Source: resguardo\n\nPackage: resguardo\nArchitecture: amd64\n' \
  >"$shlibs_dir/debian/control"
shlibs=$(cd "$shlibs_dir" && dpkg-shlibdeps -O \
  -e"$stage/usr/bin/resguardod" -e"$stage/usr/bin/resguardo" \
  2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "deploy/package.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

sed -e "s/@VERSION@/$version/" -e "s/@SHLIBS@/$shlibs/" deploy/debian/control.in \
  >"$stage/DEBIAN/control"
echo /etc/resguardo/node.textproto >"$stage/DEBIAN/conffiles"
install -m 0755 deploy/debian/postinst deploy/debian/postrm "$stage/DEBIAN/"
(cd "$stage" && find usr lib -type f -print0 | sort -z | xargs -0 md5sum) \
  >"$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/md5sums" "$stage/DEBIAN/control" "$stage/DEBIAN/conffiles"

deb="$out/resguardo_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "deploy/package.sh: built $deb ($(du -h "$deb" | cut -f1))"

echo "deploy/package.sh: lintian"
lintian --fail-on error --suppress-tags-from-file /dev/null "$deb" |
  sed 's/^/  /' || { echo "deploy/package.sh: lintian reports errors" >&2; exit 1; }

unit="$stage/lib/systemd/system/resguardod.service"
exposure=$(systemd-analyze security --offline=true "$unit" 2>/dev/null |
  sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
echo "deploy/package.sh: systemd-analyze security --offline=true: exposure $exposure (at most 2.0)"
awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.0) }' ||
  { echo "deploy/package.sh: the unit's exposure is above 2.0" >&2; exit 1; }

if [ "${CI:-}" = true ]; then
  echo "deploy/package.sh: dpkg -i (CI machine)"
  dpkg -i "$deb" >/dev/null
  systemd-analyze verify --man=no /lib/systemd/system/resguardod.service
  /usr/bin/resguardod --version | sed 's/^/  /'
  test "$(stat -c '%a %U' /var/lib/resguardo)" = "700 resguardo"
  dpkg --purge resguardo >/dev/null
  rm -rf /var/lib/resguardo
else
  root=$(mktemp -d)
  dpkg-deb -x "$deb" "$root"
  # The unit names /usr/bin/resguardod: verify a copy that names the unpacked one.
  sed "s#/usr/bin/resguardod#$root/usr/bin/resguardod#" "$unit" >"$root/resguardod.service"
  systemd-analyze verify --man=no "$root/resguardod.service"
  "$root/usr/bin/resguardod" --version | sed 's/^/  /'
  rm -rf "$root"
fi
echo "deploy/package.sh: systemd-analyze verify: no error"
echo "$deb"
