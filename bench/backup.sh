#!/usr/bin/env bash
# bench/backup.sh — backup and restore throughput, WAL archive lag under load, and connection and query latency
# through pgbouncer and HAProxy against direct connections, on the local platform. Run by hand, as root, on a quiet
# machine, from a built checkout (./mvnw -q package -DskipTests); see docs/performance.md.
#
#   SCALE=70 CLIENTS=4 SECONDS_LOAD=30 bench/backup.sh
#
# It creates a 2-node group with `backup: {}` (schedules off) and `endpoints: {}` in a temporary directory, loads it
# with pgbench (scale 70 is about 1 GB), then measures:
#   1. `tpa backup --type full` (files copied from the replica): seconds and MB/s of database size;
#   2. `tpa restore --latest` into a new group: seconds for the whole restore (new group healthy), and MB/s of the
#      pgBackRest restore step alone, as the restore's own progress line times it;
#   3. WAL archive lag under a pgbench read-write load: every second, how many WAL segments the primary has finished
#      that are not archived yet, and the age of the newest archived one (pg_stat_archiver);
#   4. latency of pgbench -S (select-only, -C: a new connection per transaction, then without -C) direct to the
#      primary (5432), through pgbouncer (6432) and through HAProxy (5000 read-write, 5002 pooled).
# Everything it created is destroyed at the end, also on failure.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
SCALE=${SCALE:-70}
CLIENTS=${CLIENTS:-4}
SECONDS_LOAD=${SECONDS_LOAD:-30}
[ "$(id -u)" -eq 0 ] || { echo "backup.sh: run as root" >&2; exit 2; }
tpa="$root/bin/tpa"
work=$(mktemp -d /tmp/tpa-bench-backup.XXXXXX)
group="$work/group"
restored="$work/restored"
cleanup() {
  [ -f "$restored/deployment.json" ] && "$tpa" destroy "$restored" --yes --delete-backups >/dev/null 2>&1 || true
  [ -f "$group/deployment.json" ] && "$tpa" destroy "$group" --yes --delete-backups >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$group"
cat >"$group/tpa.yml" <<YAML
name: bkbench
backup:
  schedule: {full: "off", diff: "off"}
endpoints: {}
clusters:
  - name: main
    nodes:
      - name: pg1
      - name: pg2
YAML
"$tpa" apply "$group" -q
primary=$("$tpa" status "$group" --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print([n["host"] for n in s["clusters"][0]["nodes"] if n["role"]=="primary"][0])')
password=$("$tpa" secrets show "$group" postgres)
app_password=$("$tpa" secrets show "$group" app)
export PGSSLMODE=require
PGPASSWORD=$password pgbench -i -q -s "$SCALE" -h "$primary" -U postgres postgres >/dev/null 2>&1
size=$(PGPASSWORD=$password psql -h "$primary" -U postgres -Atc "select pg_database_size('postgres')" postgres)
echo "database: $((size / 1024 / 1024)) MB (pgbench scale $SCALE)"

start=$(date +%s.%N)
"$tpa" backup "$group" --type full | tail -1
end=$(date +%s.%N)
python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'backup full: {s:.1f} s, {int(sys.argv[3])/1048576/s:.0f} MB/s of database')" "$start" "$end" "$size"

start=$(date +%s.%N)
"$tpa" restore "$group" --latest --into "$restored" --name bkbench-restored > "$work/restore.log"
end=$(date +%s.%N)
step=$(sed -n 's/.* restore backup .* (\([0-9.]*\)s)$/\1/p' "$work/restore.log" | head -1)
python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); st=float(sys.argv[4]); print(f'restore --latest: {s:.1f} s until the new group is healthy; pgBackRest restore step {st:.1f} s, {int(sys.argv[3])/1048576/st:.0f} MB/s of database')" "$start" "$end" "$size" "$step"
"$tpa" destroy "$restored" --yes --delete-backups >/dev/null

echo "archive lag under pgbench -c $CLIENTS for $SECONDS_LOAD s (not-yet-archived finished segments, age of newest archived):"
PGPASSWORD=$password pgbench -n -c "$CLIENTS" -j 2 -T "$SECONDS_LOAD" -h "$primary" -U postgres postgres > "$work/load.log" 2>&1 &
load=$!
max_pending=0
max_age=0
while kill -0 "$load" 2>/dev/null; do
  read -r pending age < <(PGPASSWORD=$password psql -h "$primary" -U postgres -Atc "select
      (('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 9, 16))::bit(64)::bigint
       - coalesce(('x' || substr(last_archived_wal, 9, 16))::bit(64)::bigint, 0) - 1),
      coalesce(extract(epoch from now() - last_archived_time)::int, -1) from pg_stat_archiver" postgres | tr '|' ' ')
  [ "$pending" -gt "$max_pending" ] && max_pending=$pending
  [ "$age" -gt "$max_age" ] && max_age=$age
  sleep 1
done
wait "$load" || true
tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/load.log" | head -1)
echo "  pgbench: $tps TPS; at most $max_pending finished segments waiting for the archive; newest archived segment at most $max_age s old"

PGPASSWORD=$app_password pgbench -i -q -s 1 -h "$primary" -U app app >/dev/null 2>&1
echo "latency, pgbench -S -c 1 for 10 s as app (average ms), new connection per transaction / one connection:"
for target in "direct 5432" "pgbouncer 6432" "haproxy-rw 5000" "haproxy-rw-pooled 5002"; do
  set -- $target
  new=$(PGPASSWORD=$app_password pgbench -n -S -C -c 1 -T 10 -h "$primary" -p "$2" -U app app 2>/dev/null | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')
  kept=$(PGPASSWORD=$app_password pgbench -n -S -c 1 -T 10 -h "$primary" -p "$2" -U app app 2>/dev/null | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')
  printf '  %-22s %8s ms %8s ms\n' "$1 ($2)" "${new:--}" "${kept:--}"
done
