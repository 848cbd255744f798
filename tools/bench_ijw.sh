#!/usr/bin/env bash
# Whole-process comparison: `jeugdroute ijw valideer` against `xmllint --schema` on
# the same corpus of generated JW301 files, both as one process over all files.
# Needs: a release build, xmllint (libxml2-utils), hyperfine, ../shared beside the
# checkout. Prints the figures that docs/benchmarks.md records, and the floor any
# validator meets here: only reading the files, with `cat`, split over two processes
# (one per core), parsing nothing. Every command gets the file names the same way,
# from a list through xargs, so none pays for the shell expanding a pattern over
# thousands of names (some 2 ms here) while another does not.
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
valideer="xargs $bin ijw valideer < $corpus/files.txt > /dev/null"
read_only="xargs cat < $corpus/first.txt > /dev/null & xargs cat < $corpus/second.txt > /dev/null; wait"
xmllint="xargs xmllint --noout --nonet --schema ../shared/ijw/xsd/ijw-3.2/jw301.xsd < $corpus/files.txt 2> /dev/null"
hyperfine --warmup 1 --runs 5 --export-json "$corpus/xmllint.json" -n xmllint "$xmllint" > /dev/null
# This machine's speed drifts from minute to minute, so jeugdroute and the floor
# are timed side by side in several short rounds, and the ratio taken per round.
for round in 1 2 3 4 5; do
  hyperfine --warmup 2 --runs 10 --export-json "$corpus/round-$round.json" \
    -n jeugdroute "$valideer" -n read-only "$read_only" > /dev/null
done
python3 - "$corpus" "$n" <<'PY'
import json, statistics, sys
from pathlib import Path
corpus, n = Path(sys.argv[1]), int(sys.argv[2])
def means(path):
    return {r["command"]: r["mean"] for r in json.loads(path.read_text())["results"]}
rounds = [means(p) for p in sorted(corpus.glob("round-*.json"))]
ours = statistics.median(r["jeugdroute"] for r in rounds)
floor = statistics.median(r["read-only"] for r in rounds)
lint = means(corpus / "xmllint.json")["xmllint"]
ratios = sorted(r["jeugdroute"] / r["read-only"] for r in rounds)
print(f"files: {n}")
print(f"jeugdroute ijw valideer: {ours*1000:.1f} ms, {n/ours:,.0f} files/s (median of {len(rounds)} rounds)")
print(f"xmllint --schema:        {lint*1000:.1f} ms, {n/lint:,.0f} files/s")
print(f"reading only, 2 x cat:   {floor*1000:.1f} ms, {n/floor:,.0f} files/s")
print(f"ratio: {lint/ours:.1f}x (reading only would be {lint/floor:.1f}x)")
print("jeugdroute against reading only, per round: " + ", ".join(f"{r:.2f}x" for r in ratios))
print(f"jeugdroute against reading only: {statistics.median(ratios):.2f}x the time (median)")
PY
