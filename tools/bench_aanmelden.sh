#!/usr/bin/env bash
# Does a flood of anonymous sign-ins slow down people who are signed in?
# Starts the release build of `serve --demo` on loopback, measures the median of a
# signed-in read (GET /api/v1/casussen with a bearer token) alone, then while 64
# anonymous clients, each from its own loopback address, hammer POST /api/v1/login
# with wrong passwords. Bounded: each phase runs SECONDS (default 15) and at most
# 5,000 reads; the whole run is killed after 5 minutes. Loopback only.
# Needs: python3 (standard library only) and a Rust toolchain; nothing else.
#   usage: tools/bench_aanmelden.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"
data=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$data"
}
trap cleanup EXIT
cargo build --release -q -p jeugdroute
bin=target/release/jeugdroute
JEUGDROUTE_LOG=warn "$bin" serve --demo --addr 127.0.0.1:0 --data-dir "$data" > "$data/out.txt" 2> "$data/log.txt" &
server_pid=$!
for _ in $(seq 1 600); do
  if grep -q "Jeugdroute draait op" "$data/out.txt" 2>/dev/null; then break; fi
  sleep 0.1
done
addr=$(sed -n 's|^Jeugdroute draait op http://\([^/]*\)/$|\1|p' "$data/out.txt")
[ -n "$addr" ] || { echo "the server did not start:" >&2; cat "$data/log.txt" >&2; exit 1; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/^Mem:/ {print $2}') GiB"
echo "server: $bin serve --demo on $addr"
timeout 300 python3 tools/bench_aanmelden.py "$addr" "$seconds"
