#!/usr/bin/env bash
# Whole-process comparison: `jeugdroute ijw valideer` against `xmllint --schema` on
# the same corpus of generated JW301 files, both as one process over all files.
# Needs: a release build, xmllint (libxml2-utils), hyperfine, ../shared beside the
# checkout. Prints the figures that docs/benchmarks.md records, and the floor any
# validator meets here: only reading the files, with `cat`, split over two processes
# (one per core), parsing nothing.
#   usage: tools/bench_ijw.sh [N_FILES]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2000}"
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
cargo build --release -q -p jeugdroute
bin=target/release/jeugdroute
template=$("$bin" ijw voorbeeld JW301)
for i in $(seq 1 "$n"); do
  # A distinct message each time: its own Identificatie and ToewijzingNummer.
  printf '%s\n' "$template" | sed -e "s/JR2026110001/JR$(printf '%010d' "$i")/" -e "s/20260001/$((30000000 + i))/" > "$corpus/jw301-$i.xml"
done
"$bin" ijw valideer "$corpus"/*.xml > /dev/null
xmllint --noout --nonet --schema ../shared/ijw/xsd/ijw-3.2/jw301.xsd "$corpus"/*.xml 2> /dev/null
ls "$corpus"/*.xml > "$corpus/files.txt"
head -n $((n / 2)) "$corpus/files.txt" > "$corpus/first.txt"
tail -n +$((n / 2 + 1)) "$corpus/files.txt" > "$corpus/second.txt"
hyperfine --warmup 2 --runs 10 --export-json "$corpus/result.json" \
  -n jeugdroute "$bin ijw valideer $corpus/*.xml" \
  -n read-only "xargs cat < $corpus/first.txt > /dev/null & xargs cat < $corpus/second.txt > /dev/null; wait" \
  -n xmllint "xmllint --noout --nonet --schema ../shared/ijw/xsd/ijw-3.2/jw301.xsd $corpus/*.xml"
python3 - "$corpus/result.json" "$n" <<'PY'
import json, sys
results = {r["command"]: r["mean"] for r in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
ours, lint, floor = results["jeugdroute"], results["xmllint"], results["read-only"]
print(f"files: {n}")
print(f"jeugdroute ijw valideer: {ours*1000:.1f} ms, {n/ours:,.0f} files/s")
print(f"xmllint --schema:        {lint*1000:.1f} ms, {n/lint:,.0f} files/s")
print(f"reading only, 2 x cat:   {floor*1000:.1f} ms, {n/floor:,.0f} files/s")
print(f"ratio: {lint/ours:.1f}x (reading only would be {lint/floor:.1f}x)")
print(f"jeugdroute against reading only: {ours/floor:.1f}x the time")
PY
