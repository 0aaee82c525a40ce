#!/usr/bin/env bash
# bench/run.sh — how long tpa takes on the local platform, against the floor (bench/floor.sh).
# Run by hand, as root, not in CI; see docs/performance.md for the targets and the last figures.
#
# Measures, RUNS times each (interleaved, one round after the other):
#   (a) `tpa apply` of a fresh 3-node group (--replicas 2), from nothing to healthy
#   (b) a no-op re-apply of that group
#   (c) `tpa status` of that group (the whole command, JVM start included)
#   (d) `tpa apply` of a fresh 9-node group (one cluster, --replicas 8)
#   (e) bench/floor.sh 3 and bench/floor.sh 9
#   and, for information: `tpa --version` (JVM start, no work), `tpa destroy` of each group, and
#   the floor with FLOOR_WAKE=1 (the leader's HA loop woken so replication slots exist at once)
# then prints the median and every figure, and a markdown table.
#
# Environment:
#   RUNS=3        rounds
#   TPA=...       the tpa command; default: bin/tpa of a snapshot of this checkout's bin/ and
#                 target/tpa.jar, taken at start, so a rebuild during the run changes nothing
#   OUT=DIR       keep every command's output there (default: dropped with the mktemp dir)
#   MAX_BUSY=P    before each round, wait (at most 10 min) until the CPUs were less than P % busy
#                 over 5 s (on a shared machine; each round prints how busy it found them either way)
#   SKIP_FLOOR=1  skip (e); SKIP_NINE=1 skip (d) and the 9-node floors; SKIP_WAKE=1 skip the woken floors
#
# The first tpa command of the run is round 1's `tpa init`, as in README's init, plan, apply: with
# the default TPA it is the snapshot's first run, which writes bin/tpa's class-data archive.
#
# Group directories live in a mktemp directory; every group this script creates is destroyed
# (trap), also on failure or Ctrl-C. Nodes use tpa's own loopback addresses (127.20.x.y), the
# floor 127.30.0.x: no traffic leaves the machine.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
RUNS=${RUNS:-3}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: RUNS must be a positive number" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "run.sh: run as root (tpa installs packages and starts services as root)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/tpa-bench.XXXXXX)
declare -a GROUPS_LEFT=()
CLEANED=0

cleanup() {
  local rc=$?
  [ "$CLEANED" -eq 1 ] && return
  CLEANED=1
  trap '' INT TERM
  local g
  for g in "${GROUPS_LEFT[@]}"; do
    [ -n "$g" ] || continue
    echo "run.sh: destroying $g" >&2
    "${TPA_CMD[@]}" destroy "$g" --yes >&2 || echo "run.sh: could not destroy $g: destroy it by hand" >&2
  done
  if [ -n "${OUT:-}" ]; then
    mkdir -p "$OUT" && cp -r "$WORK/logs/." "$OUT/" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted" >&2; exit 130' INT TERM

if [ -n "${TPA:-}" ]; then
  read -r -a TPA_CMD <<<"$TPA"
else
  [ -f "$root/target/tpa.jar" ] || { echo "run.sh: build first: ./mvnw -B -q -o package -DskipTests" >&2; exit 2; }
  mkdir -p "$WORK/tpa/bin" "$WORK/tpa/target"
  cp "$root/bin/tpa" "$WORK/tpa/bin/tpa"
  cp "$root/target/tpa.jar" "$WORK/tpa/target/tpa.jar"
  TPA_CMD=("$WORK/tpa/bin/tpa")
fi
mkdir -p "$WORK/groups" "$WORK/logs"

now() { date +%s.%N; }
# How busy the CPUs were over the next 5 s, in percent (from /proc/stat: everything but idle and iowait).
busy() {
  local a b
  a=$(awk '/^cpu / { print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
  sleep 5
  b=$(awk '/^cpu / { print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); t = y[1] - x[1]; i = y[2] - x[2];
    printf "%d", (t > 0 ? 100 * (t - i) / t : 0) }'
}
since() { awk -v s="$1" -v n="$(now)" 'BEGIN { printf "%.2f", n - s }'; }

# timed NAME LOGFILE COMMAND...: runs COMMAND, output to LOGFILE; prints its wall time; fails the run if it fails.
timed() {
  local log=$1; shift
  local t0; t0=$(now)
  if ! "$@" >"$log" 2>&1; then
    echo "run.sh: failed: $* (output follows)" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  since "$t0"
}

forget() {
  local i
  for i in "${!GROUPS_LEFT[@]}"; do
    [ "${GROUPS_LEFT[$i]}" = "$1" ] && unset 'GROUPS_LEFT[i]'
  done
  return 0
}

# When each part of an apply had finished, from the elapsed times it prints:
# "etcd E / primary P / replicas R / healthy H" (seconds since apply started).
steps() {
  awk '
    /^\[ *[0-9.]+s\]/ {
      t = $0; sub(/^\[ */, "", t); sub(/s\].*/, "", t)
      if ($0 ~ / etcd /) etcd = t
      if ($0 ~ / start primaries /) prim = t
      if ($0 ~ / start replicas /) repl = t
    }
    /^Applied .* in [0-9.]+ s/ { for (i = 1; i <= NF; i++) if ($i == "in") total = $(i + 1) }
    END { printf "etcd %s / primary %s / replicas %s / healthy %s", etcd, prim, repl, total }' "$1"
}

# Each phase of an apply as "phase GAP+TOOK": seconds between the end of the phase before and the
# start of this one (planning, waits between phases: the gap before roles is the wait for every
# replica to stream), then from its first action's start to its last action's end.
breakdown() {
  awk '
    /^\[ *[0-9.]+s\]/ {
      t = $0; sub(/^\[ */, "", t); sub(/s\].*/, "", t)
      d = 0; if (match($0, /\(([0-9.]+)s\)$/)) d = substr($0, RSTART + 1, RLENGTH - 3)
      ph = $0; sub(/^\[[^]]*\] +[^ ]+ +/, "", ph); sub(/  .*/, "", ph); gsub(/ /, "-", ph)
      if (!(ph in first)) { order[++n] = ph; first[ph] = t - d; last[ph] = t }
      if (t - d < first[ph]) first[ph] = t - d
      if (t > last[ph]) last[ph] = t
    }
    /^Applied .* in [0-9.]+ s/ { for (i = 1; i <= NF; i++) if ($i == "in") total = $(i + 1) }
    END {
      prev = 0
      for (i = 1; i <= n; i++) { p = order[i]; printf "%s %.2f+%.2f, ", p, first[p] - prev, last[p] - first[p]; prev = last[p] }
      printf "total %s", total
    }' "$1"
}

declare -a BREAK3=() BREAK9=() W3=() W9=() VERSION=() A3=() NOOP=() STATUS=() A9=() F3=() F9=() D3=() D9=() STEPS3=() STEPS9=() FSTEPS3=() FSTEPS9=()

floor() {
  local n=$1 log=$2 wake=${3:-0}
  if ! FLOOR_WAKE=$wake "$root/bench/floor.sh" "$n" >"$log" 2>&1; then
    echo "run.sh: bench/floor.sh $n failed (output follows)" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
  sed -n 's/^floor: .* healthy in \([0-9.]*\) s$/\1/p' "$log"
}

floor_steps() { grep -E '^\[ *[0-9.]+s\]' "$1" | sed 's/^\[ *\([0-9.]*\)s\] /\1 /' | awk '{sub(/:$/, "", $2); printf "%s%s %s", (NR > 1 ? " / " : ""), $2, $1}'; }

echo "tpa benchmark: $RUNS round(s); tpa = ${TPA_CMD[*]}; work dir $WORK"
echo "machine: $(nproc) CPUs, $(free -g | awk '/^Mem:/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"

for r in $(seq 1 "$RUNS"); do
  L=$WORK/logs/round$r
  mkdir -p "$L"
  if [ -n "${MAX_BUSY:-}" ]; then
    waited=0
    until [ "$(busy)" -lt "$MAX_BUSY" ] || [ "$waited" -ge 600 ]; do waited=$((waited + 5)); done
    if [ "$waited" -gt 0 ]; then echo "round $r: waited ${waited} s for the CPUs to be less than $MAX_BUSY % busy"; fi
  fi
  echo "round $r: CPUs $(busy) % busy over 5 s"
  echo "round $r: load $(cut -d' ' -f1-3 /proc/loadavg)"

  if [ "${SKIP_FLOOR:-0}" != 1 ]; then
    f=$(floor 3 "$L/floor3.log"); F3+=("$f"); FSTEPS3+=("$(floor_steps "$L/floor3.log")")
    [ "$r" -eq 1 ] && sed -n '1s/^/round 1: /p' "$L/floor3.log"
    echo "round $r: floor 3 nodes ${f} s  ($(floor_steps "$L/floor3.log"))"
    if [ "${SKIP_WAKE:-0}" != 1 ]; then
      f=$(floor 3 "$L/floor3-wake.log" 1); W3+=("$f")
      echo "round $r: floor 3 nodes, leader woken ${f} s  ($(floor_steps "$L/floor3-wake.log"))"
    fi
  fi

  g=$WORK/groups/b3-$r
  "${TPA_CMD[@]}" init "$g" --name "bench3-r$r" --replicas 2 >"$L/init3.log" 2>&1
  GROUPS_LEFT+=("$g")
  t=$(timed "$L/apply3.log" "${TPA_CMD[@]}" apply "$g"); A3+=("$t"); STEPS3+=("$(steps "$L/apply3.log")"); BREAK3+=("$(breakdown "$L/apply3.log")")
  echo "round $r: apply 3 nodes ${t} s  ($(steps "$L/apply3.log"))"
  t=$(timed "$L/noop3.log" "${TPA_CMD[@]}" apply "$g"); NOOP+=("$t")
  grep -q '^No changes' "$L/noop3.log" || { echo "run.sh: the re-apply was not a no-op:" >&2; cat "$L/noop3.log" >&2; exit 1; }
  echo "round $r: no-op re-apply ${t} s"
  t=$(timed "$L/status3.log" "${TPA_CMD[@]}" status "$g"); STATUS+=("$t")
  echo "round $r: status ${t} s"
  t=$(timed "$L/version.log" "${TPA_CMD[@]}" --version); VERSION+=("$t")
  echo "round $r: tpa --version ${t} s (JVM start, no work)"
  t=$(timed "$L/destroy3.log" "${TPA_CMD[@]}" destroy "$g" --yes); D3+=("$t"); forget "$g"
  echo "round $r: destroy 3 nodes ${t} s"

  if [ "${SKIP_NINE:-0}" != 1 ]; then
    if [ "${SKIP_FLOOR:-0}" != 1 ]; then
      f=$(floor 9 "$L/floor9.log"); F9+=("$f"); FSTEPS9+=("$(floor_steps "$L/floor9.log")")
      echo "round $r: floor 9 nodes ${f} s  ($(floor_steps "$L/floor9.log"))"
      if [ "${SKIP_WAKE:-0}" != 1 ]; then
        f=$(floor 9 "$L/floor9-wake.log" 1); W9+=("$f")
        echo "round $r: floor 9 nodes, leader woken ${f} s  ($(floor_steps "$L/floor9-wake.log"))"
      fi
    fi
    g=$WORK/groups/b9-$r
    "${TPA_CMD[@]}" init "$g" --name "bench9-r$r" --replicas 8 >"$L/init9.log" 2>&1
    GROUPS_LEFT+=("$g")
    t=$(timed "$L/apply9.log" "${TPA_CMD[@]}" apply "$g"); A9+=("$t"); STEPS9+=("$(steps "$L/apply9.log")"); BREAK9+=("$(breakdown "$L/apply9.log")")
    echo "round $r: apply 9 nodes ${t} s  ($(steps "$L/apply9.log"))"
    t=$(timed "$L/destroy9.log" "${TPA_CMD[@]}" destroy "$g" --yes); D9+=("$t"); forget "$g"
    echo "round $r: destroy 9 nodes ${t} s"
  fi
done

median() { [ $# -gt 0 ] || { echo "-"; return; }; printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minmax() { [ $# -gt 0 ] || { echo "-"; return; }; printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR) printf "%.2f–%.2f", lo, hi; else print "-" }'; }
list() { local IFS=' '; echo "$*"; }
check() { awk -v v="$1" -v lim="$2" 'BEGIN { if (v == "-" || lim == "-") print "n/a"; else print (v + 0 <= lim + 0 ? "met" : "NOT met") }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }

mA3=$(median "${A3[@]}"); mNOOP=$(median "${NOOP[@]}"); mSTATUS=$(median "${STATUS[@]}")
mA9=$(median "${A9[@]}"); mF3=$(median "${F3[@]}"); mF9=$(median "${F9[@]}")
lim3=$(awk -v f="$mF3" 'BEGIN { if (f == "-") print 15; else { l = 1.5 * f; printf "%.2f", (l < 15 ? l : 15) } }')
lim9=$(awk -v a="$mA3" 'BEGIN { printf "%.2f", 1.5 * a }')
[ ${#A9[@]} -gt 0 ] || lim9="-"

echo
echo "Per-step finish times of each apply (seconds since apply started):"
for i in "${!STEPS3[@]}"; do echo "  3 nodes, round $((i + 1)): ${STEPS3[$i]}"; done
for i in "${!STEPS9[@]}"; do echo "  9 nodes, round $((i + 1)): ${STEPS9[$i]}"; done
echo
echo "Phases of each apply (phase GAP+TOOK: seconds waited before the phase started, then taken by it):"
for i in "${!BREAK3[@]}"; do echo "  3 nodes, round $((i + 1)): ${BREAK3[$i]}"; done
for i in "${!BREAK9[@]}"; do echo "  9 nodes, round $((i + 1)): ${BREAK9[$i]}"; done
echo
echo "Steps of each floor (seconds since it started):"
for i in "${!FSTEPS3[@]}"; do echo "  floor 3, round $((i + 1)): ${FSTEPS3[$i]}"; done
for i in "${!FSTEPS9[@]}"; do echo "  floor 9, round $((i + 1)): ${FSTEPS9[$i]}"; done
echo
echo "| Measurement | Median (s) | Min–max (s) | Runs (s) | Target | Met |"
echo "|---|---:|---:|---|---|---|"
echo "| (a) apply, fresh 3-node group | $mA3 | $(minmax "${A3[@]}") | $(list "${A3[@]}") | ≤ 15 s and ≤ 1.5 × floor 3 (= $lim3 s) | $(check "$mA3" "$lim3") |"
echo "| (b) no-op re-apply, 3 nodes | $mNOOP | $(minmax "${NOOP[@]}") | $(list "${NOOP[@]}") | ≤ 3 s | $(check "$mNOOP" 3) |"
echo "| (c) status, 3 nodes | $mSTATUS | $(minmax "${STATUS[@]}") | $(list "${STATUS[@]}") | ≤ 1 s | $(check "$mSTATUS" 1) |"
echo "| (d) apply, fresh 9-node group | $mA9 | $(minmax "${A9[@]}") | $(list "${A9[@]}") | ≤ 1.5 × (a) (= $lim9 s) | $(check "$mA9" "$lim9") |"
echo "| (e) floor, 3 nodes | $mF3 | $(minmax "${F3[@]}") | $(list "${F3[@]}") | | |"
echo "| (e) floor, 9 nodes | $mF9 | $(minmax "${F9[@]}") | $(list "${F9[@]}") | | |"
echo "| floor, 3 nodes, leader woken (FLOOR_WAKE=1, for information) | $(median "${W3[@]}") | $(minmax "${W3[@]}") | $(list "${W3[@]}") | | |"
echo "| floor, 9 nodes, leader woken (FLOOR_WAKE=1, for information) | $(median "${W9[@]}") | $(minmax "${W9[@]}") | $(list "${W9[@]}") | | |"
echo "| tpa --version: JVM start, no work (for information) | $(median "${VERSION[@]}") | $(minmax "${VERSION[@]}") | $(list "${VERSION[@]}") | | |"
echo "| destroy, 3 nodes (for information) | $(median "${D3[@]}") | $(minmax "${D3[@]}") | $(list "${D3[@]}") | | |"
echo "| destroy, 9 nodes (for information) | $(median "${D9[@]}") | $(minmax "${D9[@]}") | $(list "${D9[@]}") | | |"
echo
echo "apply 3 / floor 3 = $(ratio "$mA3" "$mF3"); apply 9 / apply 3 = $(ratio "$mA9" "$mA3"); apply 9 / floor 9 = $(ratio "$mA9" "$mF9")"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
