#!/usr/bin/env bash
# A development PKI for Resguardo, with the openssl command line. NOT for
# production: the CA key sits unencrypted beside the certificates.
#
#   deploy/pki.sh DIR ca                       CA (ca.crt, ca.key)
#   deploy/pki.sh DIR server [HOST...]         server.crt/.key for localhost,
#                                              127.0.0.1, ::1 and HOSTs
#   deploy/pki.sh DIR client INSTITUTION USER  clients/INSTITUTION/USER.crt/.key
#   deploy/pki.sh DIR p12 INSTITUTION USER     clients/INSTITUTION/USER.p12, a
#                                              password-protected PKCS#12 of
#                                              that certificate and key for a
#                                              browser, its password in
#                                              USER.p12.password (0600)
#
# Client certificates carry the identity as a URI SAN
#   spiffe://TRUST_DOMAIN/inst/INSTITUTION/user/USER
# (TRUST_DOMAIN from $RESGUARDO_TRUST_DOMAIN, default resguardo.local).
# Keys are ECDSA P-256 (every gRPC implementation takes them), mode 0600.
# Existing files are kept: a second run changes nothing.
set -euo pipefail
umask 077

dir=${1:?usage: deploy/pki.sh DIR ca|server|client|p12 ...}
what=${2:?usage: deploy/pki.sh DIR ca|server|client|p12 ...}
shift 2
trust_domain=${RESGUARDO_TRUST_DOMAIN:-resguardo.local}
mkdir -p "$dir"

# Identifiers go into certificates and file names: keep them to a safe set.
check_id() {
  if ! [[ "$2" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$ ]]; then
    echo "pki.sh: $1 '$2' must be 1-63 letters, digits, '.', '_' or '-'" >&2
    exit 2
  fi
}

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; chmod 600 "$1"; }

need_ca() {
  [ -f "$dir/ca.crt" ] && [ -f "$dir/ca.key" ] || {
    echo "pki.sh: no CA in $dir; run: deploy/pki.sh $dir ca" >&2; exit 1; }
}

# sign NAME CSR_SUBJECT EXTFILE DAYS
sign() {
  local base=$1 subject=$2 ext=$3 days=$4
  new_key "$base.key"
  openssl req -new -key "$base.key" -subj "$subject" -out "$base.csr" 2>/dev/null
  openssl x509 -req -in "$base.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
    -CAcreateserial -CAserial "$dir/ca.srl" -days "$days" -sha256 \
    -extfile "$ext" -out "$base.crt" 2>/dev/null
  rm -f "$base.csr" "$ext"
  chmod 644 "$base.crt"
}

case "$what" in
  ca)
    if [ -f "$dir/ca.crt" ]; then exit 0; fi
    new_key "$dir/ca.key"
    openssl req -x509 -new -key "$dir/ca.key" -sha256 -days 3650 \
      -subj "/O=Resguardo development/CN=Resguardo development CA" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -out "$dir/ca.crt" 2>/dev/null
    chmod 644 "$dir/ca.crt"
    echo "pki: CA → $dir/ca.crt"
    ;;
  server)
    need_ca
    if [ -f "$dir/server.crt" ]; then exit 0; fi
    san="DNS:localhost,IP:127.0.0.1,IP:::1"
    for h in "$@"; do
      check_id host "$h"
      san="$san,DNS:$h"
    done
    ext=$(mktemp)
    cat > "$ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=$san
EXT
    sign "$dir/server" "/O=Resguardo development/CN=resguardod" "$ext" 825
    echo "pki: server certificate → $dir/server.crt ($san)"
    ;;
  client)
    need_ca
    inst=${1:?usage: deploy/pki.sh DIR client INSTITUTION USER}
    user=${2:?usage: deploy/pki.sh DIR client INSTITUTION USER}
    check_id institution "$inst"
    check_id user "$user"
    mkdir -p "$dir/clients/$inst"
    base="$dir/clients/$inst/$user"
    if [ -f "$base.crt" ]; then exit 0; fi
    ext=$(mktemp)
    cat > "$ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
subjectAltName=URI:spiffe://$trust_domain/inst/$inst/user/$user
EXT
    sign "$base" "/O=Resguardo development/OU=$inst/CN=$user" "$ext" 365
    echo "pki: client certificate → $base.crt (spiffe://$trust_domain/inst/$inst/user/$user)"
    ;;
  p12)
    inst=${1:?usage: deploy/pki.sh DIR p12 INSTITUTION USER}
    user=${2:?usage: deploy/pki.sh DIR p12 INSTITUTION USER}
    check_id institution "$inst"
    check_id user "$user"
    base="$dir/clients/$inst/$user"
    [ -f "$base.crt" ] || { echo "pki.sh: no certificate $base.crt; run: deploy/pki.sh $dir client $inst $user" >&2; exit 1; }
    if [ -f "$base.p12" ] && [ -f "$base.p12.password" ]; then exit 0; fi
    # A random password, never on a command line (ps shows those): openssl
    # reads it from the file.
    openssl rand -base64 12 | tr -d '/+=\n' > "$base.p12.password"
    chmod 600 "$base.p12.password"
    openssl pkcs12 -export -in "$base.crt" -inkey "$base.key" \
      -certfile "$dir/ca.crt" -name "$inst/$user (Resguardo)" \
      -passout "file:$base.p12.password" -out "$base.p12" 2>/dev/null
    chmod 600 "$base.p12"
    echo "pki: PKCS#12 → $base.p12 (password in $base.p12.password)"
    ;;
  *)
    echo "pki.sh: unknown command '$what' (ca, server, client, p12)" >&2
    exit 2
    ;;
esac
