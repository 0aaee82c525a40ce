#!/usr/bin/env bash
# bench/floor.sh N — the floor for `tpa apply` of an N-node group: the same processes tpa starts
# (etcd 3.4 members, then the primary's Patroni until it leads, then the replicas' Patronis until
# every replica streams), started by hand in the background, without tpa and without a supervisor.
#
# Run by hand, as root, not in CI. Prints the wall time from start to healthy. Always cleans up:
# on success, failure or Ctrl-C it stops every process it started and removes its mktemp directory.
#
# What it mirrors of tpa (src/main/java/io/tpa/component/{Etcd,Patroni}.java): etcd's flags (one
# member on each of the first 3 nodes, 1 if N < 3, started together as a new cluster), Patroni's
# etcd3 DCS with the same bootstrap DCS settings (ttl, loop_wait, retry_timeout: read from the
# checkout, see below; slots, pg_rewind), wal_retrieve_retry_interval as tpa sets it, initdb with UTF8, C.UTF-8 and data-checksums, basebackup with checkpoint fast, each
# node on its own address with its unix socket in its own directory, scram-sha-256 everywhere, and
# TLS as tpa does it: a CA, one ECDSA P-256 certificate per node, etcd with mutual TLS for clients
# and peers, Patroni's REST API over TLS with a password, hostssl-only PostgreSQL and replication
# with sslmode=verify-full, and tpa's cluster-wide PostgreSQL parameters (max_wal_senders and
# max_replication_slots grow with N). What it leaves out: tpa's per-node parameters (shared_buffers
# and the like: PostgreSQL's defaults stand in), the roles and extensions tpa creates once the group
# is healthy, and the supervisor.
#
# Environment:
#   FLOOR_NET=127.30.0   the /24 whose .1 .. .N addresses the nodes use (tpa uses 127.20.x.y)
#   FLOOR_TLS=1          0: plain HTTP and no SSL (what the floor costs without TLS)
#   FLOOR_WAKE=0         1: while waiting for replicas to stream, wake the leader's HA loop with a
#                        no-op PATCH /config so it creates their replication slots at once instead
#                        of on its next loop_wait cycle (an experiment; tpa does not do this)
#   FLOOR_KEEP_LOGS=0    1: print the tail of every log before cleaning up, even on success
#   FLOOR_SAVE_LOGS=DIR  copy every node's logs to DIR/n1, DIR/n2, ... before cleaning up
set -euo pipefail

usage() { echo "usage: $0 N   (N >= 1 nodes; run as root)" >&2; exit 2; }
[ $# -eq 1 ] || usage
N=$1
[[ $N =~ ^[0-9]+$ ]] && [ "$N" -ge 1 ] && [ "$N" -le 250 ] || usage
[ "$(id -u)" -eq 0 ] || { echo "floor.sh: run as root (it starts processes as postgres and etcd)" >&2; exit 2; }

# tpa's HA timing and the replica's retry interval, read from this checkout (Patroni.java,
# PostgresTuning.java) so that the floor follows tpa when they change; FLOOR_TTL, FLOOR_LOOP_WAIT,
# FLOOR_RETRY_TIMEOUT and FLOOR_WAL_RETRY override them.
SRC="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../src/main/java/io/tpa/component"
from_source() {  # from_source CONSTANT DCS_KEY: "static final int CONSTANT = 3;" or 'dcs.put("DCS_KEY", 10);'
  { sed -n "s/.*static final int $1 = \([0-9][0-9]*\);.*/\1/p; s/.*dcs\.put(\"$2\", \([0-9][0-9]*\));.*/\1/p" \
      "$SRC/Patroni.java" 2>/dev/null || true; } | head -1
}
TTL=${FLOOR_TTL:-$(from_source TTL_SECONDS ttl)}
LOOP_WAIT=${FLOOR_LOOP_WAIT:-$(from_source LOOP_WAIT_SECONDS loop_wait)}
RETRY_TIMEOUT=${FLOOR_RETRY_TIMEOUT:-$(from_source RETRY_TIMEOUT_SECONDS retry_timeout)}
WAL_RETRY=${FLOOR_WAL_RETRY:-$({ sed -n 's/.*parameters\.put("wal_retrieve_retry_interval", "\([^"]*\)");.*/\1/p' \
  "$SRC/PostgresTuning.java" 2>/dev/null || true; } | head -1)}
TTL=${TTL:-30} LOOP_WAIT=${LOOP_WAIT:-10} RETRY_TIMEOUT=${RETRY_TIMEOUT:-10} WAL_RETRY=${WAL_RETRY:-5s}

NET=${FLOOR_NET:-127.30.0}
TLS=${FLOOR_TLS:-1}
WAKE=${FLOOR_WAKE:-0}
BIN_DIR=/usr/lib/postgresql/15/bin
ETCD_MEMBERS=$(( N < 3 ? 1 : 3 ))
CIPHER_SUITES=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305
for tool in /usr/bin/etcd /usr/bin/patroni "$BIN_DIR/initdb" curl jq openssl runuser setsid ss; do
  command -v "$tool" >/dev/null || { echo "floor.sh: $tool not found" >&2; exit 2; }
done

addr() { echo "$NET.$1"; }

# Refuse to start on addresses something already listens on (another floor.sh, say).
for i in $(seq 1 "$N"); do
  if ss -Hltn "( src $(addr "$i") )" | grep -q .; then
    echo "floor.sh: something already listens on $(addr "$i"); set FLOOR_NET to another 127.x.y" >&2
    exit 2
  fi
done

WORK=$(mktemp -d /tmp/tpa-floor.XXXXXX)
chmod 755 "$WORK"
declare -a PATRONI_PIDS=() ETCD_PIDS=()   # runuser pids, each the leader of its own session
FAILED=1
CLEANED=0

START=$(date +%s.%N)
elapsed() { awk -v s="$START" -v n="$(date +%s.%N)" 'BEGIN { printf "%.2f", n - s }'; }
log() { printf '[%6ss] %s\n' "$(elapsed)" "$*"; }

# The process runuser runs. runuser answers a TERM with TERM to its child and a KILL 2 s later,
# too soon for Patroni to stop PostgreSQL: the child is signalled directly.
child_of() { ps -o pid= --ppid "$1" 2>/dev/null | head -1 | tr -d ' '; }
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# wait_gone SECONDS PID...: waits until every PID has exited, at most SECONDS in all.
wait_gone() {
  local limit=$1 p; shift
  local deadline=$(( $(date +%s) + limit ))
  for p in "$@"; do
    while alive "$p" && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
  done
}

cleanup() {
  local rc=$? d
  [ "$CLEANED" -eq 1 ] && return
  CLEANED=1
  trap '' INT TERM
  if [ "$FAILED" -eq 1 ] || [ "${FLOOR_KEEP_LOGS:-0}" = 1 ]; then
    for f in "$WORK"/n*/log/*.log; do
      [ -f "$f" ] || continue
      echo "---- tail $f" >&2
      tail -n 15 "$f" >&2 || true
    done
  fi
  if [ -n "${FLOOR_SAVE_LOGS:-}" ]; then
    for d in "$WORK"/n*; do
      mkdir -p "$FLOOR_SAVE_LOGS/$(basename "$d")" && cp -r "$d/log/." "$FLOOR_SAVE_LOGS/$(basename "$d")/" 2>/dev/null || true
    done
  fi
  # Patroni first (it stops its PostgreSQL, and needs etcd for that), all at once.
  local children=() p c
  for p in "${PATRONI_PIDS[@]}"; do
    c=$(child_of "$p")
    if [ -n "$c" ]; then children+=("$c"); kill -TERM "$c" 2>/dev/null || true; fi
  done
  wait_gone 60 "${PATRONI_PIDS[@]}" "${children[@]}"
  # A postmaster Patroni left running (Patroni starts it in a session of its own): immediate shutdown.
  local postmasters=()
  for d in "$WORK"/n*/pgdata; do
    [ -f "$d/postmaster.pid" ] || continue
    p=$(head -1 "$d/postmaster.pid")
    if alive "$p"; then postmasters+=("$p"); kill -QUIT "$p" 2>/dev/null || true; fi
  done
  wait_gone 10 "${postmasters[@]}"
  for p in "${postmasters[@]}"; do if alive "$p"; then kill -KILL "$p" 2>/dev/null || true; fi; done
  children=()
  for p in "${ETCD_PIDS[@]}"; do
    c=$(child_of "$p")
    if [ -n "$c" ]; then children+=("$c"); kill -TERM "$c" 2>/dev/null || true; fi
  done
  wait_gone 15 "${ETCD_PIDS[@]}" "${children[@]}"
  # Whatever is still left in the sessions this script started: killed.
  for p in "${PATRONI_PIDS[@]}" "${ETCD_PIDS[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  wait_gone 5 "${postmasters[@]}"
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "floor.sh: interrupted" >&2; exit 130' INT TERM

# ---- certificates, directories and configuration ----------------------------------------------
secret() { head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
SUPER_PW=$(secret); REPL_PW=$(secret); REWIND_PW=$(secret); API_PW=$(secret)
TOKEN=floor-$(basename "$WORK" | cut -d. -f2)
SCHEME=http
[ "$TLS" = 1 ] && SCHEME=https

if [ "$TLS" = 1 ]; then
  CA=$WORK/ca
  mkdir -m 700 "$CA"
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$CA/ca.key" \
    -subj "/CN=floor $TOKEN CA" -days 2 -out "$CA/ca.crt" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  chmod 644 "$CA/ca.crt"
  # A client certificate for this script's own etcd health checks (etcd asks every client for one).
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$CA/client.key" \
    -subj "/CN=floor" -out "$CA/client.csr" 2>/dev/null
  openssl x509 -req -in "$CA/client.csr" -CA "$CA/ca.crt" -CAkey "$CA/ca.key" -CAcreateserial -days 2 \
    -out "$CA/client.crt" -extfile <(printf 'extendedKeyUsage=clientAuth\n') 2>/dev/null
fi
CURL_CA=(); CURL_CLIENT=(); CURL_API=()
if [ "$TLS" = 1 ]; then
  CURL_CA=(--cacert "$CA/ca.crt")
  CURL_CLIENT=(--cert "$CA/client.crt" --key "$CA/client.key")
  CURL_API=(-u "tpa:$API_PW")
fi

# node_certificate I DIR OWNER: the node's key and certificate (its address, name and localhost), and the CA.
node_certificate() {
  local i=$1 dir=$2 owner=$3
  install -d -o "$owner" -g "$owner" -m 700 "$dir"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/server.key" \
    -subj "/CN=n$i" -out "$dir/server.csr" 2>/dev/null
  openssl x509 -req -in "$dir/server.csr" -CA "$CA/ca.crt" -CAkey "$CA/ca.key" -CAcreateserial -days 2 \
    -out "$dir/server.crt" 2>/dev/null -extfile <(printf '%s\n' \
      "subjectAltName=IP:$(addr "$i"),DNS:n$i,DNS:localhost" \
      "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth,clientAuth")
  cp "$CA/ca.crt" "$dir/ca.crt"
  rm -f "$dir/server.csr"
  chown "$owner:$owner" "$dir"/*
  chmod 600 "$dir/server.key"
}

# tpa's cluster-wide parameters (PostgresTuning.clusterParameters): enough WAL senders and slots
# for every replica to clone at once (pg_basebackup takes two senders and a temporary slot).
SENDERS=$(( 2 * N + 4 > 10 ? 2 * N + 4 : 10 ))
INITIAL_CLUSTER=""
ETCD_HOSTS=""
for i in $(seq 1 "$ETCD_MEMBERS"); do
  INITIAL_CLUSTER+="${INITIAL_CLUSTER:+,}n$i=$SCHEME://$(addr "$i"):2380"
  ETCD_HOSTS+="${ETCD_HOSTS:+, }$(addr "$i"):2379"
done

for i in $(seq 1 "$N"); do
  d=$WORK/n$i
  a=$(addr "$i")
  install -d -o postgres -g postgres -m 755 "$d"
  install -d -o postgres -g postgres -m 770 "$d/log"
  install -d -o postgres -g postgres -m 700 "$d/run"
  if [ "$i" -le "$ETCD_MEMBERS" ]; then
    install -d -o etcd -g etcd -m 700 "$d/etcd"
    chgrp etcd "$d/log"
  fi
  if [ "$TLS" = 1 ]; then
    node_certificate "$i" "$d/tls" postgres
    [ "$i" -le "$ETCD_MEMBERS" ] && node_certificate "$i" "$d/etcd-tls" etcd
    host=hostssl
    restapi_tls="  certfile: $d/tls/server.crt
  keyfile: $d/tls/server.key
  cafile: $d/tls/ca.crt
  authentication: {username: tpa, password: $API_PW}
ctl: {cacert: $d/tls/ca.crt, certfile: $d/tls/server.crt, keyfile: $d/tls/server.key}"
    etcd_tls="  protocol: https
  cacert: $d/tls/ca.crt
  cert: $d/tls/server.crt
  key: $d/tls/server.key"
    verify=", sslmode: verify-full, sslrootcert: $d/tls/ca.crt"
    ssl_parameters="    ssl: 'on'
    ssl_cert_file: $d/tls/server.crt
    ssl_key_file: $d/tls/server.key
    ssl_ca_file: $d/tls/ca.crt
    ssl_min_protocol_version: TLSv1.2"
  else
    host=host restapi_tls="" etcd_tls="" verify="" ssl_parameters=""
  fi
  hba="      - local all all scram-sha-256
      - $host replication replicator 127.0.0.1/32 scram-sha-256"
  for j in $(seq 1 "$N"); do hba+=$'\n'"      - $host replication replicator $(addr "$j")/32 scram-sha-256"; done
  hba+=$'\n'"      - $host all all 127.0.0.1/32 scram-sha-256"
  for j in $(seq 1 "$N"); do hba+=$'\n'"      - $host all all $(addr "$j")/32 scram-sha-256"; done
  {
    cat <<EOF
scope: main
namespace: /$TOKEN/
name: n$i
log: {level: INFO, format: '%(asctime)s %(levelname)s: %(message)s'}
restapi:
  listen: $a:8008
  connect_address: $a:8008
EOF
    [ -n "$restapi_tls" ] && echo "$restapi_tls"
    echo "etcd3:"
    echo "  hosts: [$ETCD_HOSTS]"
    [ -n "$etcd_tls" ] && echo "$etcd_tls"
    cat <<EOF
bootstrap:
  dcs:
    ttl: $TTL
    loop_wait: $LOOP_WAIT
    retry_timeout: $RETRY_TIMEOUT
    maximum_lag_on_failover: 1048576
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        max_connections: 100
        max_worker_processes: 8
        max_wal_senders: $SENDERS
        max_replication_slots: $SENDERS
        wal_level: replica
        wal_log_hints: 'on'
        hot_standby: 'on'
        wal_keep_size: 512MB
  initdb: [{encoding: UTF8}, {locale: C.UTF-8}, data-checksums]
postgresql:
  listen: $a:5432
  connect_address: $a:5432
  data_dir: $d/pgdata
  bin_dir: $BIN_DIR
  pgpass: $d/run/pgpass
  authentication:
    superuser: {username: postgres, password: $SUPER_PW}
    replication: {username: replicator, password: $REPL_PW$verify}
    rewind: {username: rewinder, password: $REWIND_PW$verify}
  parameters:
    unix_socket_directories: $d/run
    wal_retrieve_retry_interval: $WAL_RETRY
EOF
    [ -n "$ssl_parameters" ] && echo "$ssl_parameters"
    cat <<EOF
  pg_hba:
$hba
  create_replica_methods: [basebackup]
  basebackup: [{checkpoint: fast}]
EOF
  } >"$d/patroni.yml"
  chown postgres:postgres "$d/patroni.yml"
  chmod 600 "$d/patroni.yml"
done

# ---- start ------------------------------------------------------------------------------------
start_etcd() {
  local i=$1 a t=$WORK/n$1/etcd-tls tls=()
  a=$(addr "$1")
  if [ "$TLS" = 1 ]; then
    tls=(--cert-file "$t/server.crt" --key-file "$t/server.key" --trusted-ca-file "$t/ca.crt" --client-cert-auth
         --peer-cert-file "$t/server.crt" --peer-key-file "$t/server.key" --peer-trusted-ca-file "$t/ca.crt"
         --peer-client-cert-auth --cipher-suites "$CIPHER_SUITES")
  fi
  setsid runuser -u etcd -- env ETCD_UNSUPPORTED_ARCH= /usr/bin/etcd \
    --name "n$i" --data-dir "$WORK/n$i/etcd" \
    --listen-client-urls "$SCHEME://$a:2379" --advertise-client-urls "$SCHEME://$a:2379" \
    --listen-peer-urls "$SCHEME://$a:2380" --initial-advertise-peer-urls "$SCHEME://$a:2380" \
    --initial-cluster "$INITIAL_CLUSTER" --initial-cluster-state new --initial-cluster-token "$TOKEN" \
    "${tls[@]}" --logger zap --log-level warn \
    </dev/null >"$WORK/n$i/log/etcd.log" 2>&1 &
  ETCD_PIDS+=($!)
}

start_patroni() {
  local d=$WORK/n$1
  (cd "$d" && exec setsid runuser -u postgres -- env HOME="$d" PGPASSFILE="$d/run/pgpass" \
    /usr/bin/patroni "$d/patroni.yml" </dev/null >"$d/log/patroni.log" 2>&1) &
  PATRONI_PIDS+=($!)
}

# until_ok SECONDS WHAT COMMAND...: runs COMMAND every 0.1 s until it succeeds.
until_ok() {
  local limit=$1 what=$2; shift 2
  local deadline; deadline=$(( $(date +%s) + limit ))
  until "$@"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "floor.sh: timed out after $limit s waiting for $what" >&2
      exit 1
    fi
    sleep 0.1
  done
}

etcd_healthy() {
  local i
  for i in $(seq 1 "$ETCD_MEMBERS"); do
    [ "$(curl -s --max-time 2 "${CURL_CA[@]}" "${CURL_CLIENT[@]}" "$SCHEME://$(addr "$i"):2379/health" \
      | jq -r .health 2>/dev/null)" = true ] || return 1
  done
}

primary_status() { curl -s --max-time 3 "${CURL_CA[@]}" "$SCHEME://$(addr 1):8008/patroni"; }

is_leader() {
  primary_status | jq -e '.state == "running" and (.role == "master" or .role == "primary")' >/dev/null 2>&1
}

all_streaming() {
  local want=$(( N - 1 )) got
  got=$(primary_status \
    | jq '[.replication // [] | .[] | select(.state == "streaming") | .application_name] | unique | length' 2>/dev/null) || return 1
  if [ "$WAKE" = 1 ] && [ "${got:-0}" -lt "$want" ]; then
    # A configuration patch that changes nothing: Patroni still runs its HA loop at once (api.py do_PATCH_config).
    curl -s --max-time 3 "${CURL_CA[@]}" "${CURL_API[@]}" -X PATCH -H 'Content-Type: application/json' \
      -d "{\"loop_wait\": $LOOP_WAIT}" "$SCHEME://$(addr 1):8008/config" >/dev/null 2>&1 || true
  fi
  [ "${got:-0}" -ge "$want" ]
}

echo "floor: $N node(s), $ETCD_MEMBERS etcd member(s), addresses $NET.1-$N, TLS $([ "$TLS" = 1 ] && echo on || echo off)," \
  "ttl $TTL, loop_wait $LOOP_WAIT, retry_timeout $RETRY_TIMEOUT, wal_retrieve_retry_interval $WAL_RETRY, under $WORK"
log "setup: certificates, directories and configuration written"
for i in $(seq 1 "$ETCD_MEMBERS"); do start_etcd "$i"; done
until_ok 60 "etcd members to be healthy" etcd_healthy
log "etcd: members healthy"

start_patroni 1
until_ok 120 "n1 to lead" is_leader
log "leader: n1 leads (bootstrapped with initdb)"

if [ "$N" -gt 1 ]; then
  for i in $(seq 2 "$N"); do start_patroni "$i"; done
  log "replicas: Patronis started"
  until_ok 180 "every replica to stream from n1" all_streaming
  log "streaming: every replica streams from n1"
fi

TOTAL=$(elapsed)
FAILED=0
printf 'floor: %d nodes healthy in %.2f s\n' "$N" "$TOTAL"
