#!/usr/bin/env bash
# Installs what scripts/test-hosts.sh needs to make test hosts: sshd for each host, ip for the
# namespaces, veths and bridge, nftables for the firewall tests, and debootstrap (with the archive
# keys) to build the root filesystem of Debian 13 hosts, and headless Chromium with its chromedriver for the
# browser tests of tpa ui (UiIT drives /usr/bin/chromium through /usr/bin/chromedriver). Debian 12 packages.
# Package scripts may not start services: an sshd of this machine's own is not wanted.
# Then s3rver (npm, a fixed version) into /opt/tpa-test/s3rver: the S3-compatible store BackupS3IT keeps backups in.
set -euo pipefail

packages=(openssh-server openssh-client iproute2 nftables util-linux debootstrap debian-archive-keyring chromium chromium-driver)
s3rver_version=3.7.1
s3rver_prefix=/opt/tpa-test/s3rver

if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
done
# npm: Debian's nodejs and npm, unless a Node.js with its own npm (NodeSource's, say) is there already.
command -v npm >/dev/null || missing+=(nodejs npm)
install_s3rver() {
  if [ -x "$s3rver_prefix/node_modules/.bin/s3rver" ] \
      && [ "$(node -p "require('$s3rver_prefix/node_modules/s3rver/package.json').version" 2>/dev/null)" = "$s3rver_version" ]; then
    echo "install-test-deps: s3rver $s3rver_version is installed in $s3rver_prefix"
    return
  fi
  echo "install-test-deps: installing s3rver $s3rver_version into $s3rver_prefix"
  "${sudo[@]}" mkdir -p "$s3rver_prefix"
  "${sudo[@]}" npm install --prefix "$s3rver_prefix" --no-audit --no-fund --silent "s3rver@$s3rver_version"
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-deps: every package is installed"
  install_s3rver
  exit 0
fi
echo "install-test-deps: installing ${missing[*]}"

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
install_s3rver
echo "install-test-deps: done"
