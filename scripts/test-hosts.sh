#!/usr/bin/env bash
# Test hosts on this machine: each host is a network namespace with its own address on a private
# bridge, its own sshd, and its own view of the paths services use, so tpa deploys onto them over
# SSH exactly as onto separate machines. Run as root. See docs/test-hosts.md.
#
#   scripts/test-hosts.sh create N [--prefix tpah]   hosts PREFIX1..PREFIXN, 172.31.77.11, .12, ...
#   scripts/test-hosts.sh destroy [--prefix tpah]    kills their processes, removes everything
#   scripts/test-hosts.sh status [--prefix tpah]
#
# Traffic stays on this machine: the range exists only on the bridge and inside the namespaces,
# and the namespaces have no default route.
set -euo pipefail

STATE=/var/lib/tpa-test-hosts
SUBNET=172.31.77
PREFIX=tpah
SCRIPT="$(readlink -f "${BASH_SOURCE[0]}")"

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
      *) die "unknown argument: $1" ;;
    esac
  done
  [[ "$PREFIX" =~ ^[a-z][a-z0-9]{0,5}$ ]] || die "prefix must be a lowercase letter and up to 5 letters or digits"
}

# Copies a directory's owner and mode onto another, when the first exists.
like() {
  if [ -e "$1" ]; then
    chown --reference="$1" "$2"
    chmod --reference="$1" "$2"
  fi
}

create() {
  [ $# -ge 1 ] || die "usage: create N [--prefix tpah]"
  local count="$1" p; shift
  parse_prefix "$@"
  [[ "$count" =~ ^[0-9]+$ ]] && [ "$count" -ge 1 ] && [ "$count" -le 50 ] || die "N must be between 1 and 50"
  [ "$(id -u)" -eq 0 ] || die "run as root"
  for tool in ip unshare ssh-keygen findmnt setsid; do
    command -v "$tool" >/dev/null || die "$tool is missing (scripts/install-test-deps.sh installs it)"
  done
  [ -x /usr/sbin/sshd ] || die "/usr/sbin/sshd is missing (scripts/install-test-deps.sh installs openssh-server)"
  [ ! -e "$STATE" ] && [ -z "$(host_numbers)" ] && ! ip link show "$(bridge)" >/dev/null 2>&1 \
    || die "test hosts exist already: run '$0 destroy' first"
  if [ -n "$(ip -o -4 addr show to "$SUBNET.0/24")" ]; then
    die "$SUBNET.0/24 is already in use on this machine"
  fi
  grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || die "the kernel has no overlay filesystem"

  CREATED=false
  # A mount point must exist: a path this machine lacks (say /var/lib/tpa) is made empty here.
  for p in "${FRESH_PATHS[@]}"; do
    [ -d "$p" ] || mkdir -p -m 755 "$p"
  done

  trap 'if ! $CREATED; then echo "test-hosts: create failed, removing what it made" >&2; destroy_all; fi' EXIT

  mkdir -p "$STATE"
  chmod 755 "$STATE"
  echo "$PREFIX" > "$STATE/prefix"
  ssh-keygen -q -t ed25519 -N '' -C tpa-test-hosts -f "$STATE/id_ed25519"
  chmod 600 "$STATE/id_ed25519"
  cp "$STATE/id_ed25519.pub" "$STATE/authorized_keys"
  chmod 644 "$STATE/authorized_keys"
  : > "$STATE/hosts.txt"
  : > "$STATE/known_hosts"

  local br; br="$(bridge)"
  ip link add "$br" type bridge
  sysctl -qw "net.ipv6.conf.$br.disable_ipv6=1" 2>/dev/null || true
  ip addr add "$SUBNET.1/24" dev "$br"
  ip link set "$br" up

  local i name addr dir p
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

    # The file system: one directory per path the host sees as its own.
    mkdir -p "$dir/ssh"
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

    # sshd: its own host key, root login with the test key only.
    ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$dir/ssh/ssh_host_ed25519_key"
    echo "$name,$addr $(cut -d' ' -f1,2 "$dir/ssh/ssh_host_ed25519_key.pub")" >> "$STATE/known_hosts"
    cat > "$dir/ssh/sshd_config" <<EOF
ListenAddress $addr:22
HostKey $dir/ssh/ssh_host_ed25519_key
PidFile /run/sshd.pid
PermitRootLogin prohibit-password
AuthorizedKeysFile $STATE/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes yes
UseDNS no
MaxStartups 100:30:200
MaxSessions 100
AcceptEnv LANG LC_*
Subsystem sftp internal-sftp
EOF
  done

  # Every host knows every other by name.
  for i in $(seq 1 "$count"); do
    dir="$STATE/$PREFIX$i"
    { grep -v "^$SUBNET\." /etc/hosts; awk '{print $2, $1}' "$STATE/hosts.txt"; } > "$dir/etc-upper/hosts"
  done

  # The range must reach only the bridge.
  local route
  route="$(ip -o route get "$(address 1)")"
  [[ "$route" == *" dev $br "* ]] || die "traffic to $(address 1) would not go to $br: $route"

  for i in $(seq 1 "$count"); do
    start_host "$i"
  done
  for i in $(seq 1 "$count"); do
    wait_for_ssh "$i"
  done
  CREATED=true
  say "created $count hosts: $(awk '{printf "%s%s=%s", sep, $1, $2; sep=" "}' "$STATE/hosts.txt")"
  say "key $STATE/id_ed25519, known hosts $STATE/known_hosts"
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
  local name="$PREFIX$1" addr; addr="$(address "$1")"
  local deadline=$((SECONDS + 15)) polls=0
  until timeout 1 bash -c "exec 3<>/dev/tcp/$addr/22" 2>/dev/null; do
    polls=$((polls + 1))
    # A host whose processes are gone (after a second to start) will not answer: fail now.
    if [ $SECONDS -ge $deadline ] || { [ $polls -gt 10 ] && [ -z "$(ip netns pids "$name" 2>/dev/null)" ]; }; then
      cat "$STATE/$name/boot.log" "$STATE/$name/var-log/sshd.log" >&2 2>/dev/null || true
      die "sshd on $name ($addr) did not start (waited at most 15 s)"
    fi
    sleep 0.1
  done
}

# Runs inside the host's namespaces, as PID 1: mounts the host's own paths, then runs sshd and
# reaps orphans (bash reaps every child it is sent SIGCHLD for).
boot() {
  local name="$1" dir="$STATE/$1" p
  [ "$$" -eq 1 ] || die "boot runs only as a host's init"
  hostname "$name"
  for p in "${OVERLAY_PATHS[@]}"; do
    mount -t overlay "tpa-$name-$(flat "$p")" \
      -o "lowerdir=$p,upperdir=$dir/$(flat "$p")-upper,workdir=$dir/$(flat "$p")-work" "$p"
  done
  for p in "${FRESH_PATHS[@]}"; do
    mount --bind "$dir/$(flat "$p")" "$p"
  done
  mount -t tmpfs -o mode=1777 "tpa-$name-shm" /dev/shm
  # The hosts share this machine's kernel: as in a container, its settings are read-only to them, but for the
  # network's, which are the host's own (its network namespace).
  mount --bind /proc/sys /proc/sys
  mount -o remount,bind,ro /proc/sys
  mount --bind /proc/sys/net /proc/sys/net
  mount -o remount,bind,rw /proc/sys/net
  # Hide the other hosts' directories: the host sees only its sshd files and the shared test key.
  local view=/run/tpa-test-hosts-all f
  mkdir -p "$view"
  mount --bind "$STATE" "$view"
  mount -t tmpfs -o mode=755 "tpa-$name-state" "$STATE"
  mkdir -p "$dir/ssh"
  mount --bind "$view/$name/ssh" "$dir/ssh"
  for f in id_ed25519 id_ed25519.pub authorized_keys known_hosts hosts.txt; do
    touch "$STATE/$f"
    mount --bind "$view/$f" "$STATE/$f"
  done
  umount "$view"
  rmdir "$view"
  /usr/sbin/sshd -D -f "$dir/ssh/sshd_config" -E /var/log/sshd.log &
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
  $any || echo "no test hosts"
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
  create) create "$@" ;;
  destroy) destroy "$@" ;;
  status) status "$@" ;;
  boot) boot "$@" ;;
  *) die "usage: $0 create N [--prefix tpah] | destroy [--prefix tpah] | status [--prefix tpah]" ;;
esac
