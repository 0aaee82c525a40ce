#!/usr/bin/env bash
# Lifecycle benchmarks (run by hand, as root, on a quiet machine; loopback traffic only):
#   1. switchover write unavailability: a client commits one row at a time through a multi-host
#      URI (target_session_attrs=read-write) while `tpa switchover` runs; the longest gap between
#      two acknowledged commits is the unavailability. RUNS switchovers (default 5), median reported.
#   2. time to add a replica to a group holding about 1 GB of data (pgbench scale 70).
# Usage: bench/lifecycle.sh            (RUNS=5 SCALE=70 by default)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-5}"
scale="${SCALE:-70}"
work="$(mktemp -d /tmp/tpa-bench-life.XXXXXX)"
jar="$work/tpa.jar"
cp "$root/target/tpa.jar" "$jar"          # a build running beside the bench cannot change what it measures
tpa() { TPA_JAR="$jar" "$root/bin/tpa" "$@"; }
group="$work/group"
writer_pid=""
cleanup() {
  [ -n "$writer_pid" ] && kill "$writer_pid" 2>/dev/null || true
  [ -f "$group/deployment.json" ] && tpa destroy "$group" --yes >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

tpa init "$group" --name benchlife --replicas 2 >/dev/null
tpa apply -q "$group"
uri="$(tpa connect-string "$group" --show-password)"
psql "$uri" -qc "CREATE TABLE IF NOT EXISTS beat (id bigserial PRIMARY KEY, at timestamptz DEFAULT clock_timestamp())"

# A client that commits a row, prints the wall clock when the commit is acknowledged, and goes on.
write_loop() {
  while true; do
    if psql "$uri" -qAtc "INSERT INTO beat DEFAULT VALUES" >/dev/null 2>&1; then
      date +%s.%N
    fi
  done
}

gaps=()
for run in $(seq 1 "$runs"); do
  log="$work/acks-$run"
  write_loop > "$log" &
  writer_pid=$!
  sleep 3
  tpa switchover "$group" >/dev/null
  sleep 3
  kill "$writer_pid"; wait "$writer_pid" 2>/dev/null || true; writer_pid=""
  gap=$(awk 'NR > 1 { d = $1 - previous; if (d > max) max = d } { previous = $1 } END { printf "%.2f", max }' "$log")
  acks=$(wc -l < "$log")
  echo "switchover run $run: longest write gap ${gap} s over ${acks} acknowledged commits"
  gaps+=("$gap")
done
median=$(printf '%s\n' "${gaps[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
echo "switchover write unavailability: median ${median} s of ${runs} runs (all: ${gaps[*]})"

# About 1 GB: pgbench scale 70 is roughly 1.05 GB of tables and indexes.
PGPASSWORD="$(tpa secrets show "$group" postgres)" /usr/lib/postgresql/15/bin/pgbench -q -i -s "$scale" \
  "$(tpa connect-string "$group")" >/dev/null 2>&1
size=$(psql "$uri" -qAtc "SELECT pg_size_pretty(pg_database_size('postgres'))")
start=$(date +%s.%N)
tpa replica add "$group" --name pg9 >/dev/null
end=$(date +%s.%N)
echo "replica add with ${size} of data: $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s (clone, start, streaming)"
