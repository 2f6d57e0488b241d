#!/usr/bin/env bash
# Runs the quickstart's demo (deploy/demo.sh) against the built binaries in a
# temporary folder, twice (the second run must reuse what exists), and checks
# that it shows what the README promises: a case registered, a follow-up,
# the FULL read, and NOT_FOUND for the prosecutor. Stops the node after.
# Before the first run the pid file names another live process (a stale pid
# file after a reboot): the demo must start its own node, not trust it.
#   tests/quickstart_demo_test.sh SOURCE_DIR BIN_DIR
set -uo pipefail
src=$1 bin=$2
dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
web_port=$((port + 1))
sleep 600 &
decoy=$!
echo "$decoy" > "$dir/resguardod.pid"
cleanup() {
  kill "$decoy" 2>/dev/null
  [ -f "$dir/resguardod.pid" ] && [ "$(cat "$dir/resguardod.pid")" != "$decoy" ] &&
    kill "$(cat "$dir/resguardod.pid")" 2>/dev/null
  sleep 0.5
  rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- demo output:"; cat "$dir/out.$run"; exit 1; }

for run in 1 2; do
  RESGUARDO_DEMO_PORT=$port RESGUARDO_DEMO_WEB_PORT=$web_port RESGUARDO_DEMO_LANG=en \
    timeout 120 bash "$src/deploy/demo.sh" "$dir" "$bin" > "$dir/out.$run" 2>&1
  rc=$?
  [ "$rc" -eq 0 ] || fail "run $run exited $rc"
  grep -q "folio: IEEPCO-[0-9]\{4\}-00000$run" "$dir/out.$run" || fail "run $run: no folio $run"
  grep -q "does not exist or you have no access" "$dir/out.$run" || fail "run $run: no NOT_FOUND"
  grep -q "Persona Ejemplo Sintética" "$dir/out.$run" || fail "run $run: FULL read missing"
  grep -q "Referral made: institutions/IEEPCO/referrals/" "$dir/out.$run" || grep -q "referral: institutions/IEEPCO/referrals/$run" "$dir/out.$run" || fail "run $run: no referral"
  grep -q "Referral updated: institutions/IEEPCO/referrals/$run" "$dir/out.$run" || fail "run $run: referral not accepted"
  grep -q "https://127.0.0.1:$web_port" "$dir/out.$run" || fail "run $run: no https address"
  # Every role's demo user gets a PKCS#12 file for a browser, printed.
  for u in IEEPCO/supervisora IEEPCO/analista IEEPCO/auditora \
           OBSERVATORIO/admin OBSERVATORIO/analista OBSERVATORIO/auditora; do
    grep -q "$u: *$dir/pki/clients/$u.p12 " "$dir/out.$run" || fail "run $run: $u.p12 not printed"
    [ -s "$dir/pki/clients/$u.p12" ] || fail "run $run: no $u.p12"
  done
done
# The oversight body's admin lists her analyst and auditor (a read over JSON).
code=$(curl -sS -o "$dir/users.json" -w '%{http_code}' --cacert "$dir/pki/ca.crt" \
  --cert "$dir/pki/clients/OBSERVATORIO/admin.crt" --key "$dir/pki/clients/OBSERVATORIO/admin.key" \
  -H 'Content-Type: application/json' -H 'Connect-Protocol-Version: 1' \
  -d '{"parent":"institutions/OBSERVATORIO"}' \
  "https://127.0.0.1:$web_port/resguardo.v1.AdminService/ListUsers")
[ "$code" = 200 ] || { run=2; fail "ListUsers over HTTPS answered $code: $(cat "$dir/users.json")"; }
grep -q '"userId": *"analista"' "$dir/users.json" && grep -q '"userId": *"auditora"' "$dir/users.json" ||
  { run=2; fail "OBSERVATORIO's analyst and auditor missing: $(cat "$dir/users.json")"; }
# The web listener answers as the README shows (a read over JSON).
pki="$dir/pki"
code=$(curl -sS -o "$dir/web.json" -w '%{http_code}' --cacert "$pki/ca.crt" \
  --cert "$pki/clients/IEEPCO/seguimiento.crt" --key "$pki/clients/IEEPCO/seguimiento.key" \
  -H 'Content-Type: application/json' -H 'Connect-Protocol-Version: 1' \
  -d '{"parent":"institutions/IEEPCO"}' \
  "https://127.0.0.1:$web_port/resguardo.v1.CaseService/ListCases")
[ "$code" = 200 ] || { run=2; fail "ListCases over HTTPS answered $code: $(cat "$dir/web.json")"; }
grep -q '"cases"' "$dir/web.json" || { run=2; fail "ListCases over HTTPS listed no case"; }
# The demo's monitor scrapes the metrics as the demo prints (issue 18).
code=$(curl -sS -o "$dir/metrics.txt" -w '%{http_code}' --cacert "$pki/ca.crt" \
  --cert "$pki/clients/IEEPCO/monitoreo.crt" --key "$pki/clients/IEEPCO/monitoreo.key" \
  "https://127.0.0.1:$web_port/metrics")
[ "$code" = 200 ] || { run=2; fail "GET /metrics answered $code: $(cat "$dir/metrics.txt")"; }
grep -q '^resguardo_calls_total{code="OK",method="/resguardo.v1.CaseService/CreateCase"} ' "$dir/metrics.txt" ||
  { run=2; fail "GET /metrics counted no CreateCase"; }
grep -q "$pki/clients/IEEPCO/monitoreo.crt" "$dir/out.2" || fail "the metrics' curl line is not printed"
grep -q "already running" "$dir/out.1" && { run=1; fail "first run trusted a pid file naming another process"; }
grep -q "names no node of this folder" "$dir/out.1" || { run=1; fail "first run did not say the pid file was stale"; }
kill -0 "$decoy" 2>/dev/null || { run=1; fail "the process the stale pid file named was killed"; }
grep -q "already running" "$dir/out.2" || fail "second run did not reuse the node"
grep -q "already existed" "$dir/out.2" || fail "second run did not reuse the set-up"
# The synthetic victim's name never reaches the node's log.
if grep -q "Persona Ejemplo" "$dir/resguardod.log"; then fail "personal data in the log"; fi
echo "quickstart demo: 2 runs passed"
