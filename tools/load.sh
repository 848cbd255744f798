#!/usr/bin/env bash
# The worklist at scale, measured on loopback: fills a fresh database with CASES
# generated cases (`jeugdroute demo --casussen`), serves it with the release build,
# signs in as medewerker.amersfoort (all of the region's biggest gemeente) and
# runs wrk against the API for SECONDS at each number of connections: the
# worklist, each filter, a later page and one case. Prints wrk's latency
# distribution (p50, p75, p90, p99) and requests per second per scenario, and the
# server's RSS before and after. Loopback only; the scratch database and folder
# are removed afterwards.
# Needs: wrk (installed with apt-get when missing and run as root), psql for
# PostgreSQL, a Rust toolchain.
#   usage: tools/load.sh sqlite|postgres [CASES] [SECONDS] [CONNECTIONS...]
#   e.g.   tools/load.sh postgres 100000 30 16 64
# PostgreSQL: JEUGDROUTE_LOAD_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test)
# names the server; a database jr_load_<pid> is made there and dropped.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:?sqlite or postgres}"
cases="${2:-100000}"
seconds="${3:-30}"
shift $(($# < 3 ? $# : 3))
connections=("${@:-16}")
[ "$#" -gt 0 ] || connections=(16 64)

if ! command -v wrk > /dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q wrk > /dev/null; else
    echo "wrk is missing: apt-get install wrk" >&2; exit 1
  fi
fi

data=$(mktemp -d)
server_pid=""
dropdb_url=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$dropdb_url" ]; then psql -q "$dropdb_url" -c "DROP DATABASE IF EXISTS jr_load_$$" || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

case "$backend" in
  sqlite) database="sqlite://$data/load.sqlite" ;;
  postgres)
    admin="${JEUGDROUTE_LOAD_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
    psql -q "$admin" -c "CREATE DATABASE jr_load_$$"
    dropdb_url="$admin"
    database="${admin%/*}/jr_load_$$"
    ;;
  *) echo "backend: sqlite or postgres" >&2; exit 2 ;;
esac

cargo build --release -q -p jeugdroute
bin=target/release/jeugdroute
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/^Mem:/ {print $2}') GiB"
echo "filling $backend with $cases generated cases"
/usr/bin/time -f "filled in %e s, max RSS %M KiB" "$bin" demo --database "$database" --data-dir "$data" \
  --casussen "$cases" --seed 7 > /dev/null

JEUGDROUTE_LOG=warn "$bin" serve --database "$database" --data-dir "$data" --addr 127.0.0.1:0 \
  > "$data/out.txt" 2> "$data/log.txt" &
server_pid=$!
for _ in $(seq 1 600); do
  if grep -q "Jeugdroute draait op" "$data/out.txt" 2>/dev/null; then break; fi
  sleep 0.1
done
addr=$(sed -n 's|^Jeugdroute draait op http://\([^/]*\)/$|\1|p' "$data/out.txt")
[ -n "$addr" ] || { echo "the server did not start:" >&2; cat "$data/log.txt" >&2; exit 1; }
rss() { awk '/^VmRSS/ {print $2 " " $3}' "/proc/$server_pid/status"; }
echo "server: $bin serve on $addr ($backend), RSS $(rss)"

token=$(curl -sf "http://$addr/api/v1/login" -H 'Content-Type: application/json' \
  -d '{"gebruikersnaam":"medewerker.amersfoort","wachtwoord":"demo"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
auth="Authorization: Bearer $token"
first=$(curl -sf "http://$addr/api/v1/casussen" -H "$auth")
casus=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["casussen"][0]["id"])' "$first")
halfway=$((casus / 2))

scenarios=(
  "werkvoorraad /api/v1/casussen"
  "stap /api/v1/casussen?fase=toewijzing"
  "urgentie /api/v1/casussen?urgentie=crisis"
  "signaal /api/v1/casussen?signaal=ja"
  "gemeente /api/v1/casussen?gemeente=0342"
  "halverwege /api/v1/casussen?voor=$halfway"
  "casus /api/v1/casussen/$casus"
)
for c in "${connections[@]}"; do
  for scenario in "${scenarios[@]}"; do
    name="${scenario%% *}"
    path="${scenario#* }"
    status=$(curl -s -o /dev/null -w '%{http_code}' "http://$addr$path" -H "$auth")
    [ "$status" = 200 ] || { echo "$name: $path answers $status" >&2; exit 1; }
    out=$(wrk -t2 -c"$c" -d"${seconds}s" --latency -H "$auth" "http://$addr$path")
    line=$(echo "$out" | awk -v n="$name" -v c="$c" '
      /^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2}
      /Requests\/sec/ {rps=$2} /Non-2xx/ {bad=$5}
      END {printf "%-12s c=%-3s p50 %-9s p90 %-9s p99 %-9s %8s req/s%s\n", n, c, p50, p90, p99, rps, (bad ? "  NON-2XX " bad : "")}')
    echo "$line"
  done
done
echo "server RSS after: $(rss)"
