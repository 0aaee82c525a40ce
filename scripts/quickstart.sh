#!/usr/bin/env bash
# From a fresh Debian 12 machine to a running 3-node HA group: installs what is missing, builds
# tpa, deploys the example group on the local platform, prints its status and how to connect.
#   GROUP_DIR  where the group directory goes (default: ~/tpa-demo)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
group="${GROUP_DIR:-$HOME/tpa-demo}"

"$root/scripts/install-deps.sh"
(cd "$root" && ./mvnw -B -q package -DskipTests)

tpa="$root/bin/tpa"
if [ ! -e "$group/tpa.yml" ] && [ ! -e "$group/tpa.json" ]; then
  mkdir -p "$group"
  cp "$root/examples/ha/tpa.yml" "$group/tpa.yml"   # apply makes the directory a git history
fi
"$tpa" apply "$group"
echo
"$tpa" status "$group"
echo
echo "Connect:"
echo "  $tpa psql $group                      # psql on the primary"
echo "  $tpa connect-string $group --user app # libpq URI for applications (add --show-password)"
echo "  $tpa destroy $group --yes             # remove the group"
