#!/usr/bin/env bash
# bench/backup-server.sh — backup and in-place restore throughput through a backup server (pgBackRest's TLS server) on
# the ssh platform, on three Debian 13 test hosts in network namespaces of this machine (scripts/test-hosts.sh): two
# nodes and the backup server. Run by hand, as root, on a quiet machine, from a built checkout
# (./mvnw -q package -DskipTests); see docs/performance.md.
#
#   SCALE=70 bench/backup-server.sh
#
# It applies a 2-node group with `backup.repository.type: server` (schedules off), loads it with pgbench (scale 70 is
# about 1 GB), then measures:
#   1. `tpa backup --type full`, run on the backup server, the files copied from the replica over TLS: seconds and MB/s
#      of database size;
#   2. `tpa restore --latest --in-place --yes`: seconds until the group is healthy again, and MB/s of the pgBackRest
#      restore step alone (the primary's data fetched from the backup server), as the restore's own step line times it.
# The group and the test hosts are destroyed at the end, also on failure.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
SCALE=${SCALE:-70}
[ "$(id -u)" -eq 0 ] || { echo "backup-server.sh: run as root" >&2; exit 2; }
tpa="$root/bin/tpa"
hosts="$root/scripts/test-hosts.sh"
work=$(mktemp -d /tmp/tpa-bench-backup-server.XXXXXX)
group="$work/group"
cleanup() {
  [ -f "$group/deployment.json" ] && "$tpa" destroy "$group" --yes --delete-backups >/dev/null 2>&1 || true
  bash "$hosts" destroy >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
bash "$hosts" create 3 --prefix tpah --release 13 | tail -1
address() { awk -v n="tpah$1" '$1 == n { print $2 }' /var/lib/tpa-test-hosts/hosts.txt; }
mkdir -p "$group"
cat >"$group/tpa.yml" <<YAML
name: bsbench
platform: ssh
ssh:
  identity_file: /var/lib/tpa-test-hosts/id_ed25519
backup:
  repository: {type: server, host: $(address 3)}
  schedule: {full: "off", diff: "off"}
clusters:
  - name: main
    nodes:
      - {name: pg1, host: $(address 1)}
      - {name: pg2, host: $(address 2)}
YAML
"$tpa" apply "$group" -q --trust-new-hosts
primary=$(address 1)
password=$("$tpa" secrets show "$group" postgres)
export PGSSLMODE=require
PGPASSWORD=$password pgbench -i -q -s "$SCALE" -h "$primary" -U postgres postgres >/dev/null 2>&1
size=$(PGPASSWORD=$password psql -h "$primary" -U postgres -Atc "select pg_database_size('postgres')" postgres)
echo "database: $((size / 1024 / 1024)) MB (pgbench scale $SCALE)"

start=$(date +%s.%N)
"$tpa" backup "$group" --type full | tail -1
end=$(date +%s.%N)
python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'backup full via the backup server: {s:.1f} s, {int(sys.argv[3])/1048576/s:.0f} MB/s of database')" "$start" "$end" "$size"

start=$(date +%s.%N)
output=$("$tpa" restore "$group" --latest --in-place --yes 2>&1)
end=$(date +%s.%N)
echo "$output" | tail -1
step=$(echo "$output" | grep -E ' restore +restore backup ' | grep -oE '\(([0-9.]+)s\)$' | tr -d '()s' | tail -1)
python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'restore --latest --in-place: {s:.1f} s until healthy')" "$start" "$end"
python3 -c "import sys; s=float(sys.argv[1]); print(f'its pgBackRest restore step alone: {s:.1f} s, {int(sys.argv[2])/1048576/s:.0f} MB/s of database')" "$step" "$size"
