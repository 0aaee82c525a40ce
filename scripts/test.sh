#!/usr/bin/env bash
# Installs what the tests need and runs the whole test suite: unit tests, then integration tests
# that start real PostgreSQL, Patroni and etcd on loopback addresses (run as root or a sudoer).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/install-test-deps.sh"
cd "$root"
exec ./mvnw -B verify
