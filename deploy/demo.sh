#!/usr/bin/env bash
# A local Resguardo node and a short guided demo through the CLI.
#
#   deploy/demo.sh [DIR] [BIN_DIR]
#
# DIR (default .resguardo/) receives a development PKI, the node's config,
# its key file, its SQLCipher database, its log, and one CLI config per demo
# user. BIN_DIR (default build/bin) holds resguardod and resguardo. A second
# run reuses what exists: the PKI, the key, the database, a node that is
# still running.
#
# The demo: the node's operator (the state electoral institute, IEEPCO)
# registers the state prosecutor (FGEO) and the users; an IEEPCO registrar
# registers a complaint; an IEEPCO caseworker records a follow-up and reads
# the case; a prosecutor's caseworker asks for it and gets NOT_FOUND; the
# IEEPCO caseworker refers it to the prosecutor with the victim's consent
# (contact and narrative), and the prosecutor's caseworker reads what was
# consented and accepts the referral. The node is left running.
# Beside them, users for each role's screens in a browser: an IEEPCO
# supervisor, analyst and auditor, and an oversight body (OBSERVATORIO) with
# its admin, analyst and auditor.
#
# Every name below is synthetic. Personal data goes to the CLI through files,
# never on its command line (shell history, process list).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/.resguardo}
bin=${2:-$root/build/bin}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
bin=$(cd "$bin" && pwd)
port=${RESGUARDO_DEMO_PORT:-8443}
web_port=${RESGUARDO_DEMO_WEB_PORT:-8444}
export RESGUARDO_TRUST_DOMAIN=resguardo.local

umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say() { printf '\n\033[1m== %s\033[0m\n   %s\n' "$1" "$2"; }
run() {  # prints the command (temporary file paths shown as FILE) and runs it
  printf '   $ resguardo %s\n' "$*" | sed "s|${work:-/nonexistent}/[a-z.]*|FILE|g"
  "$bin/resguardo" --lang "${RESGUARDO_DEMO_LANG:-es}" "$@" 2>&1 | sed 's/^/     /'
  return "${PIPESTATUS[0]}"
}

# --- PKI: a CA, the node's certificate, one client certificate per user.
pki="$dir/pki"
bash "$root/deploy/pki.sh" "$pki" ca >/dev/null
bash "$root/deploy/pki.sh" "$pki" server >/dev/null
users=(IEEPCO/admin IEEPCO/registradora IEEPCO/seguimiento FGEO/admin FGEO/fiscal
       IEEPCO/supervisora IEEPCO/analista IEEPCO/auditora
       OBSERVATORIO/admin OBSERVATORIO/analista OBSERVATORIO/auditora)
# The monitoring server's certificate (GET /metrics; no browser, no CLI).
bash "$root/deploy/pki.sh" "$pki" client IEEPCO monitoreo >/dev/null
for u in "${users[@]}"; do
  bash "$root/deploy/pki.sh" "$pki" client "${u%/*}" "${u#*/}" >/dev/null
  # For a browser: the same certificate as a password-protected PKCS#12.
  bash "$root/deploy/pki.sh" "$pki" p12 "${u%/*}" "${u#*/}" >/dev/null
done

# --- The node's configuration (text-format NodeConfig).
config="$dir/node.textproto"
if [ ! -f "$config" ]; then
  cat > "$config" <<EOF
# resguardod configuration (resguardo.config.v1.NodeConfig), written by
# deploy/demo.sh. Relative paths are relative to this file.
listen_address: "127.0.0.1:$port"
tls {
  server_cert_file: "pki/server.crt"
  server_key_file: "pki/server.key"
  client_ca_file: "pki/ca.crt"
}
data_dir: "data"
master_key { key_file: "keys/master.key" create_for_development: true }
trust_domain: "resguardo.local"
operator_institution {
  institution_id: "IEEPCO"
  display_name: "Instituto Estatal Electoral y de Participación Ciudadana de Oaxaca"
  kind: INSTITUTION_KIND_ELECTORAL_INSTITUTE
  state_code: "20"
  first_admin_user_id: "admin"
}
log { format: LOG_FORMAT_JSON }
EOF
fi
# The HTTPS listener (Connect JSON), also in a config an earlier run wrote.
if ! grep -q '^web {' "$config"; then
  cat >> "$config" <<EOF
# HTTPS for browsers and curl: the same TLS files and client certificates.
web { listen_address: "127.0.0.1:$web_port" }
EOF
fi
web_port=$(sed -n 's/^web { listen_address: "127\.0\.0\.1:\([0-9]*\)".*/\1/p' "$config")
# The web client it serves (clients/web/dist, built by the quickstart); a
# web line an earlier run wrote without it gets it.
web_dist="$root/clients/web/dist"
if [ -f "$web_dist/index.html" ] && ! grep -q '^web {.*static_dir' "$config"; then
  sed -i "s|^web { listen_address: \"127.0.0.1:$web_port\" }|web { listen_address: \"127.0.0.1:$web_port\" static_dir: \"$web_dist\" }|" "$config"
fi
mkdir -p "$dir/keys" && chmod 700 "$dir/keys"

# --- One CLI config per demo user.
mkdir -p "$dir/cli"
for u in "${users[@]}"; do
  inst=${u%/*} user=${u#*/}
  cat > "$dir/cli/$inst-$user.conf" <<EOF
# resguardo CLI settings for $inst/$user (deploy/demo.sh)
server = localhost:$port
ca = ../pki/ca.crt
cert = ../pki/clients/$inst/$user.crt
key = ../pki/clients/$inst/$user.key
institution = $inst
EOF
done
as() { local who=$1; shift; RESGUARDO_CONFIG="$dir/cli/$who.conf" run "$@"; }
# created WHO PATTERN FAILURE ARGS...: runs `resguardo --json ARGS` as WHO,
# quietly, and prints the \1 of the sed PATTERN in its answer (what it
# created); stops the demo saying FAILURE when there is none.
created() {
  local who=$1 pattern=$2 failure=$3 out value
  shift 3
  out=$(RESGUARDO_CONFIG="$dir/cli/$who.conf" "$bin/resguardo" --json "$@" </dev/null) || exit
  value=$(printf '%s' "$out" | sed -n "s/$pattern/\1/p")
  if [ -z "$value" ]; then
    echo "resguardo: $failure" >&2
    exit 1
  fi
  printf '%s' "$value"
}

# --- Initialise (idempotent) and start the node unless it already runs.
"$bin/resguardod" init --config "$config" >>"$dir/resguardod.log" 2>&1
pidfile="$dir/resguardod.pid"
# The pid file may be stale (after a reboot, or pids that wrapped): the node
# runs only if that pid is a resguardod serving this folder's config.
serving_here() {
  local pid=$1 args=()
  case "$pid" in ''|*[!0-9]*) return 1 ;; esac
  [ -r "/proc/$pid/cmdline" ] || return 1
  mapfile -d '' args < "/proc/$pid/cmdline" 2>/dev/null || return 1
  [ "${#args[@]}" -ge 4 ] && [ "${args[0]##*/}" = resguardod ] &&
    [ "${args[1]}" = serve ] && [ "${args[2]}" = --config ] &&
    [ "${args[3]}" = "$config" ]
}
running_pid=
if [ -f "$pidfile" ]; then
  recorded=$(head -c 32 "$pidfile" | tr -cd '0-9')
  if serving_here "$recorded"; then
    running_pid=$recorded
  else
    echo "resguardo: $pidfile no corresponde a un nodo de esta carpeta (pid ${recorded:-?}); se arranca uno / names no node of this folder; starting one"
    rm -f "$pidfile"
  fi
fi
if [ -n "$running_pid" ]; then
  echo "resguardo: el nodo ya está en marcha / the node is already running (pid $running_pid)"
else
  nohup "$bin/resguardod" serve --config "$config" >>"$dir/resguardod.log" 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 1 100); do
    if RESGUARDO_CONFIG="$dir/cli/IEEPCO-admin.conf" "$bin/resguardo" admin institution list >/dev/null 2>&1; then
      break
    fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "resguardo: el nodo no arrancó / the node did not start; see $dir/resguardod.log" >&2
      tail -n 5 "$dir/resguardod.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "resguardo: nodo en marcha en 127.0.0.1:$port / node running on 127.0.0.1:$port (pid $(cat "$pidfile"))"
  echo "resguardo: HTTPS (Connect JSON) en / on https://127.0.0.1:$web_port"
fi

# Set-up steps are idempotent: on a second run the node answers
# ALREADY_EXISTS (exit code 5), shown as one short line.
setup() {
  local out rc=0
  out=$(as "$@") || rc=$?
  if [ "$rc" -eq 5 ]; then
    printf '%s\n     (ya existía / already existed)\n' "$(printf '%s\n' "$out" | head -n 1)"
  else
    printf '%s\n' "$out"
    return "$rc"
  fi
}

say "1. El IEEPCO (operador del nodo) registra a la Fiscalía y a las usuarias" \
    "IEEPCO (the node's operator) registers the prosecutor and the users"
setup IEEPCO-admin admin institution create --id FGEO \
  --display-name "Fiscalía General del Estado de Oaxaca" --kind PROSECUTOR --state 20
setup IEEPCO-admin admin user create registradora --role REGISTRAR
setup IEEPCO-admin admin user create seguimiento --role CASEWORKER
# The operator creates only the prosecutor's administrator; she creates her
# own staff (the operator never chooses who reads another institution's cases).
setup IEEPCO-admin admin user create institutions/FGEO/users/admin --role ADMIN
setup FGEO-admin admin user create fiscal --role CASEWORKER
# For the other roles' screens: a supervisor, an analyst and an auditor of
# the IEEPCO, and an oversight body whose admin creates its analyst and
# auditor (they count and audit beyond their own institution).
setup IEEPCO-admin admin user create supervisora --role SUPERVISOR
setup IEEPCO-admin admin user create analista --role ANALYST
setup IEEPCO-admin admin user create auditora --role AUDITOR
setup IEEPCO-admin admin user create monitoreo --role MONITOR
setup IEEPCO-admin admin institution create --id OBSERVATORIO \
  --display-name "Observatorio de Participación Política de las Mujeres en Oaxaca" \
  --kind OVERSIGHT --state 20
setup IEEPCO-admin admin user create institutions/OBSERVATORIO/users/admin --role ADMIN
setup OBSERVATORIO-admin admin user create analista --role ANALYST
setup OBSERVATORIO-admin admin user create auditora --role AUDITOR

# Synthetic personal data, in files readable only by this user.
echo "Persona Ejemplo Sintética" > "$work/name.txt"
printf '%s\n' "Relato sintético de ejemplo: amenazas para forzar la renuncia al cargo de regidora." > "$work/facts.txt"
printf '%s\n' "Primer contacto telefónico; se acuerda plan de seguridad." > "$work/notes.txt"
today=$(date -u +%F)

say "2. Una registradora del IEEPCO registra una queja" \
    "An IEEPCO registrar registers a complaint"
folio=$(created IEEPCO-registradora '.*"folio":"\([^"]*\)".*' \
  "no se pudo registrar el caso / could not register the case" case create \
  --kind POLITICAL_VIOLENCE --state 20 --municipality 067 --reported "$today" --risk HIGH \
  --violence-type PSYCHOLOGICAL --conduct C11 --position COUNCILLOR \
  --victim-name-file "$work/name.txt" --narrative-file "$work/facts.txt")
printf '   $ resguardo case create --kind POLITICAL_VIOLENCE --state 20 --reported %s --risk HIGH ... --victim-name-file FILE --narrative-file FILE\n' "$today"
printf '     folio: %s\n' "$folio"

say "3. Una persona de seguimiento del IEEPCO registra una actuación y consulta el caso" \
    "An IEEPCO caseworker records a follow-up and reads the case"
as IEEPCO-seguimiento case follow-up add "$folio" --kind CONTACT --notes-file "$work/notes.txt"
as IEEPCO-seguimiento case get "$folio" --view full --purpose CASE_FOLLOW_UP

say "4. Un fiscal de la FGEO pide el mismo caso: no existe para él" \
    "A prosecutor's caseworker asks for the same case: for him it does not exist"
rc=0
as FGEO-fiscal case get "$folio" || rc=$?
if [ "$rc" -ne 4 ]; then  # 4: NOT_FOUND (resguardo --help, exit codes)
  echo "resguardo: ERROR — se esperaba NOT_FOUND (4), salió $rc / expected NOT_FOUND (4), got $rc" >&2
  exit 1
fi

say "5. El IEEPCO canaliza el caso a la Fiscalía, con el consentimiento de la víctima" \
    "IEEPCO refers the case to the prosecutor, with the victim's consent"
referral=$(created IEEPCO-seguimiento '.*"name":"\(institutions\/IEEPCO\/referrals\/[0-9]*\)".*' \
  "no se pudo canalizar el caso / could not refer the case" referral create "$folio" \
  --to FGEO --service INVESTIGATION --scope CONTACT_AND_NARRATIVE \
  --consent-by VICTIM --consent-method IN_WRITING)
printf '   $ resguardo referral create %s --to FGEO --service INVESTIGATION --scope CONTACT_AND_NARRATIVE --consent-by VICTIM --consent-method IN_WRITING\n' "$folio"
printf '     canalización / referral: %s\n' "$referral"

say "6. El fiscal ve su bandeja, lee lo consentido y acepta la canalización" \
    "The prosecutor's caseworker sees the inbox, reads what was consented and accepts"
as FGEO-fiscal referral inbox --status PENDING
as FGEO-fiscal referral show "$referral" --view full --purpose REFERRAL
etag=$(RESGUARDO_CONFIG="$dir/cli/FGEO-fiscal.conf" "$bin/resguardo" --json referral show "$referral" </dev/null \
  | sed -n 's/.*"etag":"\([0-9]*\)".*/\1/p')
as FGEO-fiscal referral accept "$referral" --etag "$etag"

cat <<EOF

El nodo sigue en marcha / the node keeps running (pid $(cat "$pidfile")).
  Detenerlo / stop it:        kill \$(cat $pidfile)
  Bitácora / log:             $dir/resguardod.log
  Seguir con la CLI / go on:  export RESGUARDO_CONFIG=$dir/cli/IEEPCO-seguimiento.conf
                              $bin/resguardo case list
  Otras usuarias / others:    $dir/cli/*.conf   (resguardo --help)
  Cliente web / web client:   https://127.0.0.1:$web_port/
    Importe en el navegador la CA y el certificado de una usuaria /
    import into the browser the CA and one user's certificate (README):
      CA:                     $pki/ca.crt
EOF
for u in "${users[@]}"; do
  printf '      %-23s %s (contraseña / password: %s)\n' "${u}:" \
    "$pki/clients/$u.p12" "$(cat "$pki/clients/$u.p12.password")"
done
cat <<EOF
  HTTPS (JSON):               https://127.0.0.1:$web_port
    curl --cacert $pki/ca.crt \\
      --cert $pki/clients/IEEPCO/seguimiento.crt --key $pki/clients/IEEPCO/seguimiento.key \\
      -H 'Content-Type: application/json' -H 'Connect-Protocol-Version: 1' \\
      -d '{"parent":"institutions/IEEPCO"}' \\
      https://127.0.0.1:$web_port/resguardo.v1.CaseService/ListCases
  Métricas / metrics (Prometheus, rol / role MONITOR):
    curl --cacert $pki/ca.crt \
      --cert $pki/clients/IEEPCO/monitoreo.crt --key $pki/clients/IEEPCO/monitoreo.key \
      https://127.0.0.1:$web_port/metrics
EOF
