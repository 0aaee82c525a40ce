#!/usr/bin/env bash
# Test hosts on this machine: each host is a network namespace with its own address on a private
# bridge, its own sshd, and its own view of the paths services use, so tpa deploys onto them over
# SSH exactly as onto separate machines. Run as root. See docs/test-hosts.md.
#
#   scripts/test-hosts.sh create N [--prefix tpah] [--release 12|13]
#                                     hosts PREFIX1..PREFIXN, 172.31.77.11, .12, ...
#   scripts/test-hosts.sh destroy [--prefix tpah]    kills their processes, removes everything
#   scripts/test-hosts.sh status [--prefix tpah]
#   scripts/test-hosts.sh build [--release 13]       builds (or finds) the cached root filesystem only
#
# Release 12 (the default, or TPA_TEST_RELEASE): the hosts share this machine's files (a Debian 12
# machine), with their own /etc, /root, /var/lib/..., /var/log, /run and /tmp. Release 13: each host
# has its own root filesystem, an overlay of a Debian 13 tree built once with debootstrap and cached
# under TPA_TEST_HOSTS_CACHE (default /var/cache/tpa/test-hosts).
#
# Traffic stays on this machine: the range exists only on the bridge and inside the namespaces,
# and the namespaces have no default route. Only the build of a root filesystem reaches out, to
# Debian's package archive (TPA_DEBIAN_MIRROR, default http://deb.debian.org/debian).
set -euo pipefail

STATE=/var/lib/tpa-test-hosts
SUBNET=172.31.77
PREFIX=tpah
RELEASE="${TPA_TEST_RELEASE:-12}"
CACHE="${TPA_TEST_HOSTS_CACHE:-/var/cache/tpa/test-hosts}"
MIRROR="${TPA_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SCRIPT="$(readlink -f "${BASH_SOURCE[0]}")"

# What a Debian 13 host has installed besides debootstrap's minbase: sshd and the tools tpa runs on
# a server, and the stack's packages (catalog/versions.yml, debian-13). Changing the list (or
# ROOTFS_RECIPE, when the way the tree is built changes) makes a new cache key, so a new build.
ROOTFS_PACKAGES_13=(
  openssh-server openssh-client sudo iproute2 nftables procps ca-certificates locales python3
  postgresql-17 postgresql-client-17 postgresql-17-pgaudit
  patroni python3-psycopg2 python3-psycopg python3-etcd python3-idna
  etcd-server etcd-client supervisor pgbackrest pgbouncer haproxy
)
ROOTFS_RECIPE=1

# Paths a host sees as its own, empty at first (same owner and mode as on this machine).
FRESH_PATHS=(/root /var/lib/tpa /var/lib/postgresql /var/lib/etcd /var/log /var/tmp /tmp /run)
# Paths a host sees as this machine's, with its writes kept apart (overlayfs, upper layer per host).
OVERLAY_PATHS=(/etc)

die() { echo "test-hosts: $*" >&2; exit 1; }
say() { echo "test-hosts: $*"; }

bridge() { echo "${PREFIX}br0"; }
veth() { echo "${PREFIX}${1}veth"; }
address() { echo "$SUBNET.$((10 + $1))"; }
# A path such as /var/lib/tpa becomes the directory name var-lib-tpa.
flat() { local p="${1#/}"; echo "${p//\//-}"; }

host_numbers() {
  ip netns list 2>/dev/null | awk '{print $1}' | sed -n "s/^${PREFIX}\([0-9][0-9]*\)\$/\1/p" | sort -n
}

parse_prefix() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --prefix) [ $# -ge 2 ] || die "--prefix needs a value"; PREFIX="$2"; shift 2 ;;
      --release) [ $# -ge 2 ] || die "--release needs a value"; RELEASE="$2"; shift 2 ;;
      *) die "unknown argument: $1" ;;
    esac
  done
  [[ "$PREFIX" =~ ^[a-z][a-z0-9]{0,5}$ ]] || die "prefix must be a lowercase letter and up to 5 letters or digits"
  case "$RELEASE" in
    12|13) ;;
    *) die "release must be 12 (this machine's files) or 13 (a Debian 13 root filesystem per host), not '$RELEASE'" ;;
  esac
}

# Where this script writes a Debian 13 host's files before it starts: its overlay's upper layer,
# or its own copy of the tree where overlayfs is missing.
host_root() {
  if [ "$(cat "$STATE/rootfs-mode")" = overlay ]; then echo "$STATE/$1/rootfs-upper"; else echo "$STATE/$1/rootfs"; fi
}

host_log() {
  if [ "$(cat "$STATE/release" 2>/dev/null)" = 13 ]; then echo "$(host_root "$1")/var/log/$2"; else echo "$STATE/$1/var-log/$2"; fi
}

# Copies a directory's owner and mode onto another, when the first exists.
like() {
  if [ -e "$1" ]; then
    chown --reference="$1" "$2"
    chmod --reference="$1" "$2"
  fi
}

# ---- The Debian 13 root filesystem, built once and cached ----

# The cache key: the release, the package list and the recipe.
rootfs_key() {
  { echo "debian-$RELEASE recipe $ROOTFS_RECIPE"; printf '%s\n' "${ROOTFS_PACKAGES_13[@]}" | sort; } | sha256sum | cut -c1-16
}

# Sets ROOTFS to the cached tree for RELEASE (the lower layer of every host), building it when the
# cache has neither the tree nor its tarball. One build at a time on a machine (a lock in the cache).
ensure_rootfs() {
  local base
  base="$CACHE/debian-$RELEASE-$(rootfs_key)"
  ROOTFS="$base"
  mkdir -p "$CACHE"
  chmod 755 "$CACHE"
  exec 9>"$CACHE/.lock"
  flock 9
  if [ -f "$base.ready" ] && [ -d "$base" ]; then
    say "Debian $RELEASE root filesystem: $base (cached)"
  elif [ -f "$base.tar.gz" ]; then
    local started=$SECONDS
    rm -rf --one-file-system "$base" "$base.partial"
    mkdir -m 755 "$base.partial"
    tar -C "$base.partial" --numeric-owner --xattrs --xattrs-include='*' -xzf "$base.tar.gz"
    mv "$base.partial" "$base"
    touch "$base.ready"
    say "Debian $RELEASE root filesystem: $base (unpacked from $base.tar.gz in $((SECONDS - started)) s)"
  else
    build_rootfs "$base"
  fi
  exec 9>&-
}

build_rootfs() {
  local base="$1" started=$SECONDS tree="$1.partial" log="$CACHE/debian-$RELEASE-build.log"
  command -v debootstrap >/dev/null || die "debootstrap is missing (scripts/install-test-deps.sh installs it)"
  rm -rf --one-file-system "$base" "$tree"
  mkdir -m 755 "$tree"
  say "building the Debian $RELEASE root filesystem once, from $MIRROR (log: $log)"
  # In its own mount and PID namespaces: what the build mounts, and any process a package would
  # leave running, goes when the build ends.
  if ! unshare --mount --propagation private --pid --fork --kill-child \
      bash "$SCRIPT" build-stage "$tree" >"$log" 2>&1 </dev/null; then
    tail -n 30 "$log" >&2
    rm -rf --one-file-system "$tree"
    die "building the Debian $RELEASE root filesystem failed (log: $log)"
  fi
  local built=$((SECONDS - started))
  tar -C "$tree" --numeric-owner --xattrs --xattrs-include='*' -czf "$base.tar.gz.partial" .
  mv "$base.tar.gz.partial" "$base.tar.gz"
  mv "$tree" "$base"
  touch "$base.ready"
  say "built the Debian $RELEASE root filesystem in $built s, then cached it in $((SECONDS - started - built)) s:" \
    "$base.tar.gz ($(du -sh "$base.tar.gz" | cut -f1)), tree $base ($(du -sh "$base" | cut -f1))"
}

# Runs in the build's own mount and PID namespaces: debootstrap, then the packages, with no service
# started (policy-rc.d) and no PostgreSQL cluster created.
build_stage() {
  local tree="${1:?build-stage needs the tree}" security="${TPA_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
  local started=$SECONDS p
  [ "$$" -eq 1 ] || die "build-stage runs only in the build's own namespaces"
  [ -d "$tree" ] && [ "$(readlink -f "$tree")" != / ] || die "build-stage needs an empty directory"
  debootstrap --variant=minbase --keyring=/usr/share/keyrings/debian-archive-keyring.gpg trixie "$tree" "$MIRROR"
  echo "build: debootstrap took $((SECONDS - started)) s"
  rm -f "$tree/etc/apt/sources.list"
  printf '%s\n' "Types: deb" "URIs: $MIRROR" "Suites: trixie trixie-updates" "Components: main" \
    "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" "" \
    "Types: deb" "URIs: $security" "Suites: trixie-security" "Components: main" \
    "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" > "$tree/etc/apt/sources.list.d/debian.sources"
  printf '#!/bin/sh\n# tpa test hosts: no service starts while the tree is built\nexit 101\n' > "$tree/usr/sbin/policy-rc.d"
  chmod 755 "$tree/usr/sbin/policy-rc.d"
  mkdir -p "$tree/etc/postgresql-common"
  printf '# tpa: packages must not create or start a default cluster\ncreate_main_cluster = false\n' \
    > "$tree/etc/postgresql-common/createcluster.conf"
  cat /etc/resolv.conf > "$tree/etc/resolv.conf"
  mount -t proc tpa-build-proc "$tree/proc"
  mount -t tmpfs -o mode=755 tpa-build-dev "$tree/dev"
  make_dev "$tree/dev"
  local run=(chroot "$tree" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive)
  "${run[@]}" apt-get -o Acquire::Retries=3 update -qq
  "${run[@]}" apt-get -o Acquire::Retries=3 install -y -qq --no-install-recommends "${ROOTFS_PACKAGES_13[@]}"
  echo 'en_US.UTF-8 UTF-8' >> "$tree/etc/locale.gen"
  "${run[@]}" locale-gen
  "${run[@]}" apt-get clean
  echo "build: packages installed after $((SECONDS - started)) s"
  for p in "${ROOTFS_PACKAGES_13[@]}"; do
    "${run[@]}" dpkg-query -W -f '${db:Status-Status}' "$p" | grep -qx installed || die "build: $p is not installed"
  done
  echo "build: $("${run[@]}" dpkg-query -W -f '${Package} ${Version}, ' patroni postgresql-17 etcd-server openssh-server)"
  # What would make the hosts alike where real machines differ, or point them at this machine's DNS.
  rm -f "$tree/usr/sbin/policy-rc.d" "$tree"/etc/ssh/ssh_host_* "$tree/etc/hostname"
  : > "$tree/etc/resolv.conf"
  : > "$tree/etc/machine-id"
  umount "$tree/dev/pts" "$tree/dev/shm" "$tree/dev" "$tree/proc"
}

# The device nodes a host has in /dev (a tmpfs): no disks, no consoles of this machine.
make_dev() {
  local dev="$1"
  mknod -m 666 "$dev/null" c 1 3
  mknod -m 666 "$dev/zero" c 1 5
  mknod -m 666 "$dev/full" c 1 7
  mknod -m 666 "$dev/random" c 1 8
  mknod -m 666 "$dev/urandom" c 1 9
  mknod -m 666 "$dev/tty" c 5 0
  ln -s /proc/self/fd "$dev/fd"
  ln -s /proc/self/fd/0 "$dev/stdin"
  ln -s /proc/self/fd/1 "$dev/stdout"
  ln -s /proc/self/fd/2 "$dev/stderr"
  mkdir -m 755 "$dev/pts"
  mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$dev/pts"
  ln -s pts/ptmx "$dev/ptmx"
  mkdir -m 1777 "$dev/shm"
  mount -t tmpfs -o mode=1777,nosuid,nodev shm "$dev/shm"
}

build() {
  parse_prefix "$@"
  [ "$(id -u)" -eq 0 ] || die "run as root"
  [ "$RELEASE" = 13 ] || die "release 12 hosts use this machine's files: there is nothing to build"
  ensure_rootfs
}

# ---- Hosts ----

create() {
  [ $# -ge 1 ] || die "usage: create N [--prefix tpah] [--release 12|13]"
  local count="$1" p; shift
  parse_prefix "$@"
  [[ "$count" =~ ^[0-9]+$ ]] && [ "$count" -ge 1 ] && [ "$count" -le 50 ] || die "N must be between 1 and 50"
  [ "$(id -u)" -eq 0 ] || die "run as root"
  for tool in ip unshare ssh-keygen findmnt setsid; do
    command -v "$tool" >/dev/null || die "$tool is missing (scripts/install-test-deps.sh installs it)"
  done
  [ -x /usr/sbin/sshd ] || [ "$RELEASE" = 13 ] || die "/usr/sbin/sshd is missing (scripts/install-test-deps.sh installs openssh-server)"
  [ ! -e "$STATE" ] && [ -z "$(host_numbers)" ] && ! ip link show "$(bridge)" >/dev/null 2>&1 \
    || die "test hosts exist already: run '$0 destroy' first"
  if [ -n "$(ip -o -4 addr show to "$SUBNET.0/24")" ]; then
    die "$SUBNET.0/24 is already in use on this machine"
  fi
  local mode=overlay
  if ! grep -qw overlay /proc/filesystems && ! modprobe overlay 2>/dev/null; then
    [ "$RELEASE" = 13 ] || die "the kernel has no overlay filesystem"
    mode=copy
  fi
  if [ "${TPA_TEST_HOSTS_ROOTFS:-}" = copy ]; then mode=copy; fi

  CREATED=false
  if [ "$RELEASE" = 12 ]; then
    # A mount point must exist: a path this machine lacks (say /var/lib/tpa) is made empty here.
    for p in "${FRESH_PATHS[@]}"; do
      [ -d "$p" ] || mkdir -p -m 755 "$p"
    done
  else
    # Before anything of the hosts exists: a failed build leaves none behind.
    ensure_rootfs
  fi

  trap 'if ! $CREATED; then echo "test-hosts: create failed, removing what it made" >&2; destroy_all; fi' EXIT

  mkdir -p "$STATE"
  chmod 755 "$STATE"
  echo "$PREFIX" > "$STATE/prefix"
  echo "$RELEASE" > "$STATE/release"
  if [ "$RELEASE" = 13 ]; then
    echo "$mode" > "$STATE/rootfs-mode"
    echo "$ROOTFS" > "$STATE/rootfs-lower"
  fi
  ssh-keygen -q -t ed25519 -N '' -C tpa-test-hosts -f "$STATE/id_ed25519"
  chmod 600 "$STATE/id_ed25519"
  cp "$STATE/id_ed25519.pub" "$STATE/authorized_keys"
  chmod 644 "$STATE/authorized_keys"
  : > "$STATE/hosts.txt"
  : > "$STATE/known_hosts"

  local br
  br="$(bridge)"
  ip link add "$br" type bridge
  sysctl -qw "net.ipv6.conf.$br.disable_ipv6=1" 2>/dev/null || true
  ip addr add "$SUBNET.1/24" dev "$br"
  ip link set "$br" up

  local i name addr dir
  for i in $(seq 1 "$count"); do
    name="$PREFIX$i"; addr="$(address "$i")"; dir="$STATE/$name"
    echo "$name $addr" >> "$STATE/hosts.txt"

    # The network: a veth pair, eth0 inside the namespace, the peer on the bridge. No default route.
    ip netns add "$name"
    ip link add "$(veth "$i")" type veth peer name eth0 netns "$name"
    ip link set "$(veth "$i")" master "$br" up
    ip netns exec "$name" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1 2>/dev/null || true
    ip -n "$name" link set lo up
    ip -n "$name" addr add "$addr/24" dev eth0
    ip -n "$name" link set eth0 up

    mkdir -p "$dir/ssh"
    if [ "$RELEASE" = 12 ]; then
      make_shared_root_host "$name"
    else
      make_own_root_host "$name"
    fi

    # sshd: its own host key, root login with the test key only.
    ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$dir/ssh/ssh_host_ed25519_key"
    echo "$name,$addr $(cut -d' ' -f1,2 "$dir/ssh/ssh_host_ed25519_key.pub")" >> "$STATE/known_hosts"
    printf '%s\n' "ListenAddress $addr:22" "HostKey $dir/ssh/ssh_host_ed25519_key" "PidFile /run/sshd.pid" \
      "PermitRootLogin prohibit-password" "AuthorizedKeysFile $STATE/authorized_keys" "PasswordAuthentication no" \
      "KbdInteractiveAuthentication no" "UsePAM no" "StrictModes yes" "UseDNS no" "MaxStartups 100:30:200" \
      "MaxSessions 100" "AcceptEnv LANG LC_*" "Subsystem sftp internal-sftp" > "$dir/ssh/sshd_config"
  done

  # Every host knows every other by name.
  local hosts_file etc_hosts
  for i in $(seq 1 "$count"); do
    name="$PREFIX$i"
    if [ "$RELEASE" = 12 ]; then
      etc_hosts=/etc/hosts; hosts_file="$STATE/$name/etc-upper/hosts"
    else
      etc_hosts="$ROOTFS/etc/hosts"; hosts_file="$(host_root "$name")/etc/hosts"
    fi
    { grep -v "^$SUBNET\." "$etc_hosts" || true; awk '{print $2, $1}' "$STATE/hosts.txt"; } > "$hosts_file"
  done

  # The range must reach only the bridge.
  local route
  route="$(ip -o route get "$(address 1)")"
  [[ "$route" == *" dev $br "* ]] || die "traffic to $(address 1) would not go to $br: $route"

  local started
  started="$(date +%s%N)"
  for i in $(seq 1 "$count"); do
    start_host "$i"
  done
  for i in $(seq 1 "$count"); do
    wait_for_ssh "$i"
  done
  CREATED=true
  say "created $count Debian $RELEASE hosts (sshd up $(( ($(date +%s%N) - started) / 1000000 )) ms after their start):" \
    "$(awk '{printf "%s%s=%s", sep, $1, $2; sep=" "}' "$STATE/hosts.txt")"
  say "key $STATE/id_ed25519, known hosts $STATE/known_hosts"
}

# A Debian 12 host: this machine's files, but for its own directories (FRESH_PATHS) and /etc's upper layer.
make_shared_root_host() {
  local name="$1" dir="$STATE/$1" p
  for p in "${FRESH_PATHS[@]}"; do
    mkdir -p "$dir/$(flat "$p")"
    like "$p" "$dir/$(flat "$p")"
  done
  for p in "${OVERLAY_PATHS[@]}"; do
    mkdir -p "$dir/$(flat "$p")-upper" "$dir/$(flat "$p")-work"
  done
  # The skeleton of /var/log and /run (directories only), so packages find their directories.
  (cd /var/log && find . -mindepth 1 -type d -print0) | while IFS= read -r -d '' p; do
    mkdir -p "$dir/var-log/$p"; like "/var/log/$p" "$dir/var-log/$p"
  done
  (cd /run && find . -mindepth 1 -maxdepth 1 -type d ! -name netns -print0) | while IFS= read -r -d '' p; do
    mkdir -p "$dir/run/$p"; like "/run/$p" "$dir/run/$p"
  done
  mkdir -p "$dir/run/sshd" && chmod 755 "$dir/run/sshd"
  if getent passwd postgres >/dev/null; then
    mkdir -p "$dir/run/postgresql" && chown postgres:postgres "$dir/run/postgresql" && chmod 2775 "$dir/run/postgresql"
  fi
  mkdir -p "$dir/etc-upper/ssh"
  echo "$name" > "$dir/etc-upper/hostname"
}

# A Debian 13 host: its own root filesystem, an overlay of the cached tree (upper and work
# directories of its own), or a copy of the tree where overlayfs is missing.
make_own_root_host() {
  local name="$1" dir="$STATE/$1" root
  mkdir -m 755 "$dir/rootfs"
  if [ "$(cat "$STATE/rootfs-mode")" = overlay ]; then
    mkdir -m 755 "$dir/rootfs-upper" "$dir/rootfs-work"
  else
    cp -a "$ROOTFS/." "$dir/rootfs/"
  fi
  root="$(host_root "$name")"
  mkdir -p "$root/etc" "$root/var/log" "$root$STATE" "$root/usr/local/sbin"
  echo "$name" > "$root/etc/hostname"
  # The host's init, run by the host's own bash once its root is in place.
  { echo '#!/bin/bash'
    echo '# The init of a tpa test host (scripts/test-hosts.sh boot): runs sshd and reaps orphans.'
    declare -f run_sshd
    echo 'run_sshd "$@"'
  } > "$root/usr/local/sbin/tpa-test-host-init"
  chmod 755 "$root/usr/local/sbin/tpa-test-host-init"
}

# Starts the host's init: in its network namespace, with new mount, UTS, IPC and PID namespaces.
# The init (this script's `boot`) is PID 1 there: when it dies, the kernel kills the whole host.
start_host() {
  local name="$PREFIX$1"
  setsid ip netns exec "$name" \
    unshare --mount --propagation private --uts --ipc --pid --fork --kill-child --mount-proc \
    bash "$SCRIPT" boot "$name" </dev/null >>"$STATE/$name/boot.log" 2>&1 &
}

wait_for_ssh() {
  local name="$PREFIX$1" addr
  addr="$(address "$1")"
  local deadline=$((SECONDS + 15)) polls=0
  until timeout 1 bash -c "exec 3<>/dev/tcp/$addr/22" 2>/dev/null; do
    polls=$((polls + 1))
    # A host whose processes are gone (after a second to start) will not answer: fail now.
    if [ $SECONDS -ge $deadline ] || { [ $polls -gt 10 ] && [ -z "$(ip netns pids "$name" 2>/dev/null)" ]; }; then
      cat "$STATE/$name/boot.log" "$(host_log "$name" sshd.log)" >&2 2>/dev/null || true
      die "sshd on $name ($addr) did not start (waited at most 15 s)"
    fi
    sleep 0.1
  done
}

# Runs inside the host's namespaces, as PID 1.
boot() {
  [ "$$" -eq 1 ] || die "boot runs only as a host's init"
  hostname "$1"
  if [ "$(cat "$STATE/release")" = 12 ]; then boot_shared_root "$1"; else boot_own_root "$1"; fi
}

# A Debian 12 host: mounts the host's own paths over this machine's, then runs sshd.
boot_shared_root() {
  local name="$1" dir="$STATE/$1" p
  for p in "${OVERLAY_PATHS[@]}"; do
    mount -t overlay "tpa-$name-$(flat "$p")" \
      -o "lowerdir=$p,upperdir=$dir/$(flat "$p")-upper,workdir=$dir/$(flat "$p")-work" "$p"
  done
  for p in "${FRESH_PATHS[@]}"; do
    mount --bind "$dir/$(flat "$p")" "$p"
  done
  mount -t tmpfs -o mode=1777 "tpa-$name-shm" /dev/shm
  read_only_kernel_settings /proc
  # Hide the other hosts' directories: the host sees only its sshd files and the shared test key.
  local view=/run/tpa-test-hosts-all
  mkdir -p "$view"
  mount --bind "$STATE" "$view"
  state_view "$name" "$view" ""
  umount "$view"
  rmdir "$view"
  run_sshd "$name" "$dir/ssh/sshd_config"
}

# The hosts share this machine's kernel: as in a container, its settings are read-only to them, but
# for the network's, which are the host's own (its network namespace).
read_only_kernel_settings() {
  local proc="$1"
  mount --bind "$proc/sys" "$proc/sys"
  mount -o remount,bind,ro "$proc/sys"
  mount --bind "$proc/sys/net" "$proc/sys/net"
  mount -o remount,bind,rw "$proc/sys/net"
}

# /var/lib/tpa-test-hosts as a host sees it (under ROOT): its own sshd files and the shared key
# files, taken from ALL (the whole state directory).
state_view() {
  local name="$1" all="$2" root="$3" f
  mount -t tmpfs -o mode=755 "tpa-$name-state" "$root$STATE"
  mkdir -p "$root$STATE/$name/ssh"
  mount --bind "$all/$name/ssh" "$root$STATE/$name/ssh"
  for f in id_ed25519 id_ed25519.pub authorized_keys known_hosts hosts.txt; do
    touch "$root$STATE/$f"
    mount --bind "$all/$f" "$root$STATE/$f"
  done
}

# A Debian 13 host: mounts its root filesystem with a /proc of its own PID namespace, a minimal
# /dev, a read-only /sys and a tmpfs /run, makes it the root (pivot_root; this machine's root is
# then unmounted from the host's mount namespace) and runs the host's own sshd from there.
boot_own_root() {
  local name="$1" dir="$STATE/$1" root="$STATE/$1/rootfs"
  if [ "$(cat "$STATE/rootfs-mode")" = overlay ]; then
    mount -t overlay "tpa-$name-root" \
      -o "lowerdir=$(cat "$STATE/rootfs-lower"),upperdir=$dir/rootfs-upper,workdir=$dir/rootfs-work" "$root"
  else
    mount --bind "$root" "$root"
  fi
  mount -t proc -o nosuid,nodev,noexec "tpa-$name-proc" "$root/proc"
  read_only_kernel_settings "$root/proc"
  mount -t sysfs -o ro,nosuid,nodev,noexec "tpa-$name-sys" "$root/sys"
  mount -t tmpfs -o mode=755,nosuid "tpa-$name-dev" "$root/dev"
  make_dev "$root/dev"
  mount -t tmpfs -o mode=755,nosuid,nodev "tpa-$name-run" "$root/run"
  state_view "$name" "$STATE" "$root"
  mkdir "$root/.tpa-old-root"
  cd "$root"
  pivot_root . .tpa-old-root
  cd /
  umount -l /.tpa-old-root
  rmdir /.tpa-old-root
  # From here on only the host's own files: the init goes on in the host's own bash.
  export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  exec /bin/bash /usr/local/sbin/tpa-test-host-init "$name" "$dir/ssh/sshd_config"
}

# Runs sshd and reaps orphans (bash reaps every child it is sent SIGCHLD for) until told to stop.
run_sshd() {
  local name="$1" config="$2"
  mkdir -p /run/sshd
  chmod 755 /run/sshd
  if [ "$(readlink -f /run)" = /run ] && getent passwd postgres >/dev/null && [ ! -d /run/postgresql ]; then
    mkdir -p /run/postgresql && chown postgres:postgres /run/postgresql && chmod 2775 /run/postgresql
  fi
  /usr/sbin/sshd -D -f "$config" -E /var/log/sshd.log &
  local sshd=$!
  echo "$name: sshd started as pid $sshd"
  trap 'kill -TERM $sshd 2>/dev/null' TERM INT
  wait "$sshd" || true
  echo "$name: sshd ended"
}

destroy() {
  parse_prefix "$@"
  [ "$(id -u)" -eq 0 ] || die "run as root"
  if [ -f "$STATE/prefix" ] && [ "$#" -eq 0 ]; then PREFIX="$(cat "$STATE/prefix")"; fi
  destroy_all
  say "destroyed"
}

destroy_all() {
  local n name pids tries killed="" p
  for n in $(host_numbers); do
    name="$PREFIX$n"
    for tries in $(seq 1 50); do
      pids="$(ip netns pids "$name" 2>/dev/null || true)"
      [ -n "$pids" ] || break
      killed="$killed $pids"
      # shellcheck disable=SC2086
      kill -9 $pids 2>/dev/null || true
      sleep 0.1
    done
    [ -z "$(ip netns pids "$name" 2>/dev/null || true)" ] || echo "test-hosts: processes remain in $name: $(ip netns pids "$name" | tr '\n' ' ')" >&2
    ip netns del "$name" 2>/dev/null || true
  done
  # Wait until the killed processes are gone, not only dead: their parent, often this machine's
  # init, has to reap them (an init that reaps slowly leaves them as zombies for a while).
  for tries in $(seq 1 100); do
    pids=""
    for p in $killed; do [ -e "/proc/$p" ] && pids="$pids $p"; done
    [ -n "$pids" ] || break
    sleep 0.1
  done
  [ -z "$pids" ] || echo "test-hosts: killed processes not yet reaped by their parent:$pids" >&2
  local link
  for link in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -E "^${PREFIX}([0-9]+veth|br0)\$" || true); do
    ip link del "$link" 2>/dev/null || true
  done
  if [ -e "$STATE" ]; then
    # Mounts live in the hosts' own mount namespaces, gone with their processes; unmount any left here.
    findmnt -rn -o TARGET | awk -v s="$STATE" 'index($0, s) == 1' | sort -r | while read -r p; do
      umount -l "$p" || true
    done
    rm -rf --one-file-system "$STATE"
  fi
}

status() {
  parse_prefix "$@"
  if [ -f "$STATE/prefix" ] && [ "$#" -eq 0 ]; then PREFIX="$(cat "$STATE/prefix")"; fi
  local n name any=false
  for n in $(host_numbers); do
    any=true
    name="$PREFIX$n"
    local addr pids state=down
    addr="$(ip -n "$name" -o -4 addr show dev eth0 2>/dev/null | awk '{print $4}')"
    pids="$(ip netns pids "$name" 2>/dev/null | wc -l)"
    if timeout 1 bash -c "exec 3<>/dev/tcp/${addr%/*}/22" 2>/dev/null; then state=up; fi
    echo "$name ${addr:-no-address} ssh=$state processes=$pids"
  done
  if ip link show "$(bridge)" >/dev/null 2>&1; then echo "bridge $(bridge) up"; fi
  if [ -f "$STATE/release" ]; then echo "Debian $(cat "$STATE/release")$([ -f "$STATE/rootfs-lower" ] && echo ", root filesystem $(cat "$STATE/rootfs-mode") of $(cat "$STATE/rootfs-lower")")"; fi
  $any || echo "no test hosts"
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
  create) create "$@" ;;
  destroy) destroy "$@" ;;
  status) status "$@" ;;
  build) build "$@" ;;
  boot) boot "$@" ;;
  build-stage) build_stage "$@" ;;
  *) die "usage: $0 create N [--prefix tpah] [--release 12|13] | destroy [--prefix tpah] | status [--prefix tpah] | build [--release 13]" ;;
esac
