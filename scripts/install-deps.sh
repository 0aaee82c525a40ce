#!/usr/bin/env bash
# Installs what tpa needs on Debian 12 from Debian's own packages: a JDK to build and run tpa, and
# the stack it deploys (PostgreSQL 15, Patroni, etcd, supervisor; pgbouncer and HAProxy for endpoints, pgBackRest for backups) as named in
# src/main/resources/catalog/versions.yml (a test keeps the two lists in step; prometheus-postgres-exporter and
# prometheus-node-exporter for monitoring), pgbadger, which
# `tpa report logs` runs on this machine, and prometheus, whose promtool checks the configuration and alert rules tpa
# writes (and whose server runs them in the tests).
# Package scripts may neither start services nor create PostgreSQL's default cluster: tpa runs its own.
set -euo pipefail

packages=(
  openjdk-17-jdk-headless ca-certificates procps
  postgresql-15 postgresql-client-15
  patroni python3-psycopg2 python3-etcd python3-idna
  etcd-server etcd-client
  supervisor
  pgbouncer haproxy
  pgbadger
  pgbackrest
  prometheus prometheus-postgres-exporter prometheus-node-exporter
)

if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: every package is installed"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"

"${sudo[@]}" mkdir -p /etc/postgresql-common
if ! grep -qs '^create_main_cluster = false' /etc/postgresql-common/createcluster.conf; then
  echo 'create_main_cluster = false' | "${sudo[@]}" tee -a /etc/postgresql-common/createcluster.conf >/dev/null
fi
policy=/usr/sbin/policy-rc.d
own_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  own_policy=true
fi
cleanup() { if $own_policy; then "${sudo[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT

"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
