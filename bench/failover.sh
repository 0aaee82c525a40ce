#!/usr/bin/env bash
# bench/failover.sh — failover time after the primary's network is cut, on test hosts (network
# namespaces on this machine, scripts/test-hosts.sh): ROUNDS cuts with the defaults (asynchronous,
# failover: standard), then ROUNDS with synchronous: true and failover: fast. Each cut runs under a
# writer that commits continuously; the failover time is from the cut to the first commit the new
# primary acknowledges. Run by hand, as root, on a quiet machine; see docs/reliability.md.
#
#   ROUNDS=5 bench/failover.sh
#
# It runs the integration test SshChaosIT with -Dtpa.chaos.rounds=ROUNDS (the test creates and
# removes its hosts and group, also on failure) and prints every figure and the median per profile.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
ROUNDS=${ROUNDS:-5}
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "failover.sh: ROUNDS must be a positive number" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "failover.sh: run as root (test hosts are network namespaces)" >&2; exit 2; }
log=$(mktemp /tmp/tpa-bench-failover.XXXXXX)
trap 'rm -f "$log"' EXIT
cd "$root"
./mvnw -B -q -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=SshChaosIT \
  -Dtpa.chaos.rounds="$ROUNDS" >"$log" 2>&1 || { tail -50 "$log"; echo "failover.sh: the run failed" >&2; exit 1; }
# failsafe keeps the tests' standard output in its report directory.
lines=$(cat "$log" target/failsafe-reports/io.tpa.it.SshChaosIT-output.txt 2>/dev/null | grep -a '^chaos primary-network-cut' | sort -u)
echo "$lines"
for mode in "async, failover standard" "sync, failover fast"; do
  grep -F "($mode)" <<<"$lines" | sed -n 's/.*failover \([0-9.]*\) s, lost \([0-9]*\).*/\1 \2/p' | sort -n | awk -v mode="$mode" '
    { t[NR] = $1; lost += $2 }
    END { if (NR == 0) exit; m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2;
          printf "%s: %d cuts, failover median %.1f s, min %.1f s, max %.1f s, acknowledged commits lost %d\n", mode, NR, m, t[1], t[NR], lost }'
done
