#!/bin/bash
# Run on a test host (as root): builds a local apt repository at /srv/tpa-upgrade holding the installed packages
# named in the arguments, repacked from their installed files with the version raised by "+tpa1", and makes it the
# host's only apt source (the others are moved to /etc/apt/tpa-upgrade-hidden). An upgrade through it is a real one:
# apt fetches, dpkg unpacks and runs the maintainer scripts, only the files are the same.
set -euo pipefail
repo=/srv/tpa-upgrade
rm -rf "$repo" /tmp/tpa-repack && mkdir -p "$repo" /tmp/tpa-repack
for pkg in "$@"; do
  tree=/tmp/tpa-repack/$pkg
  mkdir -p "$tree/DEBIAN"
  # Files and links the package installed (directories come with them), copied with owners and modes.
  dpkg-query -L "$pkg" | grep '^/' | while read -r path; do
    if [ -L "$path" ] || [ -f "$path" ]; then printf '%s\n' "$path"; fi
  done | tar -cf - --no-recursion -T - 2>/dev/null | tar -xpf - -C "$tree"
  dpkg-query -W -f='Package: ${Package}\nVersion: ${Version}+tpa1\nArchitecture: ${Architecture}\nMaintainer: ${Maintainer}\nInstalled-Size: ${Installed-Size}\nSection: ${Section}\nPriority: ${Priority}\nPre-Depends: ${Pre-Depends}\nDepends: ${Depends}\nRecommends: ${Recommends}\nProvides: ${Provides}\nBreaks: ${Breaks}\nReplaces: ${Replaces}\nConflicts: ${Conflicts}\nDescription: ${Description}\n' "$pkg" \
    | grep -v -E '^[A-Za-z-]+: *$' > "$tree/DEBIAN/control"
  for script in preinst postinst prerm postrm conffiles triggers; do
    if [ -f "/var/lib/dpkg/info/$pkg.$script" ]; then cp -p "/var/lib/dpkg/info/$pkg.$script" "$tree/DEBIAN/$script"; fi
  done
  if [ -f "/var/lib/dpkg/info/$pkg:amd64.conffiles" ]; then cp -p "/var/lib/dpkg/info/$pkg:amd64.conffiles" "$tree/DEBIAN/conffiles"; fi
  dpkg-deb --root-owner-group -Zgzip -z1 -b "$tree" "$repo/${pkg}.deb" >/dev/null
done
rm -rf /tmp/tpa-repack
cd "$repo"
: > Packages
for deb in *.deb; do
  { dpkg-deb -f "$deb"; echo "Filename: ./$deb"; echo "Size: $(stat -c %s "$deb")"; echo "SHA256: $(sha256sum "$deb" | cut -d' ' -f1)"; echo; } >> Packages
done
{ echo "Origin: tpa-upgrade-test"; echo "Label: tpa-upgrade-test"; echo "Date: $(date -Ru)"; echo "SHA256:";
  echo " $(sha256sum Packages | cut -d' ' -f1) $(stat -c %s Packages) Packages"; } > Release
mkdir -p /etc/apt/tpa-upgrade-hidden
for source in /etc/apt/sources.list /etc/apt/sources.list.d/*; do
  if [ -f "$source" ]; then mv "$source" /etc/apt/tpa-upgrade-hidden/; fi
done
echo "deb [trusted=yes] file:$repo ./" > /etc/apt/sources.list.d/tpa-upgrade.list
