#!/usr/bin/env bash
# The API against its own OpenAPI document: schemathesis (pinned, from PyPI, in a
# venv under target/) generates requests from /api/v1/openapi.json and runs every
# check (--checks all: no 5xx, responses fit their schemas, only documented
# status codes, what the schema refuses is refused) against `jeugdroute serve
# --demo` on a free local port, signed in as medewerker.amersfoort.
#
#   tools/schemathesis.sh [max-examples]     (default 25 per operation)
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
examples="${1:-25}"
venv=target/schemathesis
if [ ! -x "$venv/bin/schemathesis" ] || ! "$venv/bin/schemathesis" --version | grep -q "$SCHEMATHESIS_VERSION"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

cargo build -q -p jeugdroute
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data=target/schemathesis-data
rm -rf "$data"
mkdir -p "$data"
target/debug/jeugdroute serve --demo --addr "127.0.0.1:$port" --data-dir "$data" --log warn >"$data/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 60); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
token=$(curl -fsS -H 'Content-Type: application/json' \
  -d '{"gebruikersnaam":"medewerker.amersfoort","wachtwoord":"demo"}' \
  "$base/api/v1/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

# Login stays in the run: failed attempts only slow further attempts from this
# address (a documented 429), and a body that is not JSON gets a documented 415.
# Signing out (POST /api/v1/afmelden and /afmelden/overal) is left out: it would
# end the token the rest of the run uses; the attack tests cover it
# (crates/jeugdroute-web/tests/aanvallen/aanmelden.rs).
status=0
timeout 900 "$venv/bin/schemathesis" --config-file tools/schemathesis.toml run \
  --checks all \
  --max-examples "$examples" \
  --seed 20261 \
  --workers 2 \
  --generation-deterministic \
  --exclude-path-regex '^/api/v1/afmelden' \
  -H "Authorization: Bearer $token" \
  --url "$base" \
  "$base/api/v1/openapi.json" || status=$?
if [ "$status" -ne 0 ]; then
  echo "schemathesis failed (exit $status); server log: $data/server.log" >&2
fi
exit "$status"
