#!/usr/bin/env bash
# scripts/package-test.sh — the Debian packages as an administrator meets them.
#
# What CI runs (as root, fresh Debian 12). It:
#   1. builds qtchat-server and qtchat-client (scripts/package.sh);
#   2. checks them with lintian (no errors) and the unit with
#      `systemd-analyze verify` and `systemd-analyze security --offline`
#      (exposure at most $QTCHAT_MAX_EXPOSURE, 2.0: the unit is 1.2);
#   3. unpacks a fresh Debian 12 root (docker/make-base-image.sh, cached in
#      $QTCHAT_CACHE like the container test's), installs both packages there
#      with `apt-get install ./…deb` (so apt resolves their Depends from the
#      mirror), checks what the maintainer scripts did (the unit enabled, the
#      conffile registered), runs the installed programs: `chat-server
#      --version`, `chat-gui --version` (offscreen), the server on a loopback
#      port with the service's settings file, `chat-console --check` against
#      it, SIGTERM;
#   4. the unit under systemd: installs systemd in that root and boots it
#      with systemd-nspawn (private network): the service enabled by
#      postinst starts at boot with all its hardening, answers
#      `chat-console --check`, runs as a dynamic user, stops with status 0;
#      `apt-get purge` stops it (prerm) and leaves nothing; installing the
#      package again starts it (postinst). QTCHAT_PACKAGE_TEST_SYSTEMD=0
#      skips the boot and purges in the chroot instead;
#   5. removes the root whatever happened (trap: server, container, mounts,
#      files).
# Every wait is bounded.
# Ends with `package-test: N passed, M failed`; exits 1 on failure.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${QTCHAT_CACHE:-/var/cache/qtchat}
BASE_TAR=$CACHE/bookworm-slim.tar
PORT=${QTCHAT_PACKAGE_TEST_PORT:-55678}
MAX_EXPOSURE=${QTCHAT_MAX_EXPOSURE:-2.0}
START=$(date +%s)
PASSED=0
FAILED=0
W=$(mktemp -d "${TMPDIR:-/tmp}/qtchat-pkgtest.XXXXXX")
R=$W/root
SERVER_PID=""
NSPAWN_PID=""
BOOT_SYSTEMD=${QTCHAT_PACKAGE_TEST_SYSTEMD:-1}

log() { echo "[package-test $(($(date +%s) - START))s] $*"; }
pass() { PASSED=$((PASSED + 1)); log "ok: $*"; }
fail() { FAILED=$((FAILED + 1)); log "FAILED: $*"; }
# shellcheck disable=SC2317 # called by the trap
cleanup() {
    [ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null
    stop_container
    for m in "$R/proc" "$R/dev/pts" "$R/dev"; do
        mountpoint -q "$m" 2>/dev/null && umount -l "$m"
    done
    rm -rf --one-file-system "$W"
}
# systemd-nspawn shuts the container down on SIGTERM.
# shellcheck disable=SC2317 # also called by the trap
stop_container() {
    [ -n "$NSPAWN_PID" ] || return 0
    kill -TERM "$NSPAWN_PID" 2>/dev/null
    for _ in $(seq 1 300); do
        kill -0 "$NSPAWN_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$NSPAWN_PID" 2>/dev/null
    wait "$NSPAWN_PID" 2>/dev/null
    NSPAWN_PID=""
}
trap cleanup EXIT
finish() {
    log "took $(($(date +%s) - START)) s"
    echo "package-test: $PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
    exit
}

[ "$(id -u)" -eq 0 ] || { echo "package-test: run as root (chroot, mounts)" >&2; exit 1; }
cd "$ROOT" || exit 1

# 1. The packages.
if ! QTCHAT_PACKAGE_DIR=build-package scripts/package.sh >"$W/package.log" 2>&1; then
    tail -n 40 "$W/package.log"
    fail "scripts/package.sh"
    finish
fi
server_deb=$(ls build-package/qtchat-server_*.deb)
client_deb=$(ls build-package/qtchat-client_*.deb)
pass "built $(basename "$server_deb") and $(basename "$client_deb")"

# 2. lintian and systemd-analyze.
lintian --no-tag-display-limit "$server_deb" "$client_deb" >"$W/lintian.log" 2>&1
if grep -q '^E: ' "$W/lintian.log"; then
    grep '^E: ' "$W/lintian.log"
    fail "lintian reports errors"
else
    pass "lintian: no errors ($(grep -c '^W: ' "$W/lintian.log") warnings, listed in docs/packaging.md)"
fi
mkdir -p "$W/unit"
dpkg-deb -x "$server_deb" "$W/unit"
unit=$W/unit/lib/systemd/system/qtchat-server.service
# verify resolves ExecStart; point it at the unpacked binary.
sed "s|^ExecStart=/usr/bin/chat-server|ExecStart=$W/unit/usr/bin/chat-server|" "$unit" >"$W/qtchat-server.service"
# --man=no: the man page is in the package, not yet installed here.
if systemd-analyze verify --man=no "$W/qtchat-server.service" >"$W/verify.log" 2>&1; then
    pass "systemd-analyze verify"
else
    cat "$W/verify.log"
    fail "systemd-analyze verify"
fi
# --threshold counts tenths: 20 is an exposure of 2.0.
threshold=$(awk -v e="$MAX_EXPOSURE" 'BEGIN { printf "%d", e * 10 + 0.5 }')
systemd-analyze security --offline=yes --no-pager --threshold="$threshold" "$unit" >"$W/security.log" 2>&1
security_rc=$?
exposure=$(grep 'Overall exposure level' "$W/security.log" | sed 's/.*: //')
if [ "$security_rc" -eq 0 ] && [ -n "$exposure" ]; then
    pass "systemd-analyze security: $exposure (at most $MAX_EXPOSURE)"
else
    grep '✗' "$W/security.log"
    fail "systemd-analyze security: ${exposure:-no score} (at most $MAX_EXPOSURE)"
fi

# 3. A fresh Debian 12 root with the packages installed from their files.
mkdir -p "$CACHE"
if [ ! -s "$BASE_TAR" ] || ! tar -tf "$BASE_TAR" ./etc/debian_version >/dev/null 2>&1; then
    log "making a Debian 12 root with debootstrap (cached as $BASE_TAR)"
    timeout 900 docker/make-base-image.sh "$BASE_TAR" >"$W/base.log" 2>&1 || {
        tail -n 30 "$W/base.log"
        fail "debootstrap"
        finish
    }
fi
mkdir -p "$R"
tar -xf "$BASE_TAR" -C "$R"
# Older base tarballs kept mktemp's 0700 on /: no service user could chdir.
chmod 755 "$R"
cp /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$R/proc"
mount --bind /dev "$R/dev"
# Not /tmp: booting the root empties it.
cp "$server_deb" "$client_deb" "$R/root/"
# Every command in the root is bounded: in_root SECONDS COMMAND...
in_root() {
    local secs=$1
    shift
    timeout -k 5 "$secs" chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}
log "apt-get install ./$(basename "$server_deb") ./$(basename "$client_deb") in a fresh root"
if in_root 1200 sh -c "cd /root && apt-get update -qq && apt-get install -y -qq --no-install-recommends \
           ./$(basename "$server_deb") ./$(basename "$client_deb")" >"$W/install.log" 2>&1; then
    pass "apt-get install of both packages"
else
    tail -n 40 "$W/install.log"
    fail "apt-get install of both packages"
    finish
fi
missing=0
for file in /usr/bin/chat-server /usr/bin/chat-console /usr/bin/chat-gui /lib/systemd/system/qtchat-server.service \
    /etc/default/qtchat-server /usr/share/applications/qtchat.desktop \
    /usr/share/icons/hicolor/scalable/apps/qtchat.svg; do
    [ -e "$R$file" ] || { fail "installed: $file is missing"; missing=1; }
done
# The slim root skips man pages on install (dpkg path-exclude): look in the packages.
dpkg-deb -c "$server_deb" >"$W/contents.txt"
dpkg-deb -c "$client_deb" >>"$W/contents.txt"
for page in chat-server chat-console chat-gui; do
    grep -q "usr/share/man/man1/$page.1.gz" "$W/contents.txt" || { fail "no man page for $page"; missing=1; }
done
[ "$missing" = 0 ] && pass "the packages' files are in place, man pages included"

# What postinst did without systemd running: the unit enabled (a symlink
# for multi-user.target), nothing started; dpkg knows the conffile.
wants=/etc/systemd/system/multi-user.target.wants/qtchat-server.service
if [ -L "$R$wants" ]; then pass "postinst enabled the unit ($wants)"; else fail "postinst: $wants missing"; fi
# shellcheck disable=SC2016 # a dpkg-query format, not a shell expansion
conffiles=$(in_root 30 dpkg-query -W -f='${Conffiles}\n' qtchat-server 2>&1)
if [[ $conffiles == *" /etc/default/qtchat-server "* ]]; then
    pass "/etc/default/qtchat-server is a conffile"
else
    fail "/etc/default/qtchat-server is not a conffile"
fi

version=$(in_root 20 chat-server --version 2>&1)
if [[ $version == chat-server* ]]; then pass "chat-server --version: $version"; else fail "chat-server --version: $version"; fi
# All of chat-gui's libraries resolve in the fresh root (no display: offscreen).
version=$(in_root 20 env QT_QPA_PLATFORM=offscreen chat-gui --version 2>&1 | grep -v XDG_RUNTIME_DIR)
if [[ $version == chat-gui* ]]; then pass "chat-gui --version: $version"; else fail "chat-gui --version: $version"; fi

# The installed server on loopback, with the service's settings file.
# Not through in_root: $! must be the server (chroot, env and sh exec it).
chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    sh -c "set -a; . /etc/default/qtchat-server; CHAT_STORE=/tmp/messages.sqlite; \
    exec chat-server --host 127.0.0.1 --port $PORT" >"$W/server.log" 2>&1 &
SERVER_PID=$!
listening=0
for _ in $(seq 1 100); do
    if grep -q "listening" "$W/server.log" 2>/dev/null; then listening=1; break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
done
if [ "$listening" = 1 ]; then pass "the installed chat-server listens on 127.0.0.1:$PORT"; else
    cat "$W/server.log"; fail "the installed chat-server did not start"; fi
check=$(in_root 20 chat-console --host 127.0.0.1 --port "$PORT" --check 2>&1)
check_rc=$?
if [ "$check_rc" -eq 0 ]; then pass "installed chat-console --check: $check"; else fail "chat-console --check (status $check_rc): $check"; fi
# SIGTERM, as systemd stops the service: it must end, with status 0, in
# time (TimeoutStopSec=10 in the unit).
kill -TERM "$SERVER_PID" 2>/dev/null
for _ in $(seq 1 100); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    fail "chat-server still running 10 s after SIGTERM"
else
    wait "$SERVER_PID" 2>/dev/null
    server_rc=$?
    if [ "$server_rc" -eq 0 ]; then pass "chat-server stopped by SIGTERM with status 0"; else
        fail "chat-server exit status $server_rc after SIGTERM"; fi
fi
SERVER_PID=""

# Purge: prerm stops the service (under systemd), postrm forgets the
# enablement, dpkg removes the conffile. RUN is in_root or in_system.
purge_server() {
    local run=$1
    if $run 300 apt-get purge -y -qq qtchat-server >"$W/purge.log" 2>&1; then
        local left="" file
        for file in /usr/bin/chat-server /etc/default/qtchat-server /lib/systemd/system/qtchat-server.service "$wants"; do
            { [ -e "$R$file" ] || [ -L "$R$file" ]; } && left="$left $file"
        done
        if [ -z "$left" ]; then pass "apt-get purge qtchat-server left nothing behind"; else fail "left after purge:$left"; fi
    else
        tail -n 20 "$W/purge.log"
        fail "apt-get purge qtchat-server"
    fi
}

if [ "$BOOT_SYSTEMD" != 1 ]; then
    log "QTCHAT_PACKAGE_TEST_SYSTEMD=$BOOT_SYSTEMD: not booting the root under systemd"
    purge_server in_root
    finish
fi

# 4. The unit under systemd: the same root, booted by systemd-nspawn.
log "installing systemd in the root and booting it (systemd-nspawn)"
if ! in_root 900 apt-get install -y -qq --no-install-recommends systemd systemd-sysv dbus >"$W/systemd.log" 2>&1; then
    tail -n 30 "$W/systemd.log"
    fail "apt-get install systemd in the root"
    finish
fi
for m in "$R/proc" "$R/dev"; do umount -l "$m"; done
# --register=no --keep-unit: no systemd (machined) needed on this machine;
# --private-network: only loopback in the container, so its port 55555
# cannot meet one on this machine.
systemd-nspawn --quiet --directory="$R" --boot --register=no --keep-unit --private-network \
    --machine=qtchat-pkgtest </dev/null >"$W/boot.log" 2>&1 &
NSPAWN_PID=$!
# The container's PID 1: the systemd that nspawn starts.
INIT_PID=""
for _ in $(seq 1 100); do
    for stat in /proc/[0-9]*/stat; do
        read -r pid comm _ ppid _ <"$stat" 2>/dev/null || continue
        if [ "$ppid" = "$NSPAWN_PID" ] && [ "$comm" = "(systemd)" ]; then INIT_PID=$pid; break 2; fi
    done
    kill -0 "$NSPAWN_PID" 2>/dev/null || break
    sleep 0.1
done
# Commands in the booted system, bounded: in_system SECONDS COMMAND...
in_system() {
    local secs=$1
    shift
    timeout -k 5 "$secs" nsenter --target="$INIT_PID" --all /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}
# Waits up to SECONDS for the service to be active and to answer.
service_answers() {
    local secs=$1 i
    for ((i = 0; i < secs * 5; i++)); do
        if in_system 10 systemctl is-active --quiet qtchat-server 2>/dev/null &&
            check=$(in_system 10 chat-console --host 127.0.0.1 --port 55555 --check 2>&1); then
            return 0
        fi
        kill -0 "$NSPAWN_PID" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}
show() { in_system 10 systemctl show --value -p "$1" qtchat-server; }
if [ -z "$INIT_PID" ]; then
    cat "$W/boot.log"
    fail "systemd-nspawn did not start systemd"
    finish
fi
if service_answers 90; then
    pass "booted under systemd, the enabled qtchat-server.service answers: $check"
else
    in_system 10 systemctl status --no-pager qtchat-server
    in_system 10 journalctl --no-pager -n 30 -u qtchat-server
    fail "qtchat-server.service did not start at boot"
    finish
fi
main_pid=$(show MainPID)
uid=$(in_system 10 stat -c %u "/proc/$main_pid")
store=$(in_system 10 stat -c '%u %a' /var/lib/private/qtchat/messages.sqlite 2>&1)
if [ -n "$uid" ] && [ "$uid" != 0 ] && [ "$store" = "$uid 600" ]; then
    pass "the service runs as dynamic user $uid; its store is /var/lib/qtchat/messages.sqlite, mode 600"
else
    fail "service user '$uid', store '$store'"
fi
in_system 30 systemctl stop qtchat-server
result="$(show Result) $(show ExecMainCode) $(show ExecMainStatus)"
# ExecMainCode 1: exited (not killed: a seccomp kill would be 2, status 31).
if [ "$result" = "success 1 0" ]; then pass "systemctl stop: chat-server exited with status 0"; else
    in_system 10 journalctl --no-pager -n 30 -u qtchat-server
    fail "systemctl stop: Result, ExecMainCode, ExecMainStatus = $result"
fi
in_system 30 systemctl start qtchat-server
purge_server in_system
state=$(in_system 10 systemctl is-active qtchat-server)
if [ "$state" != active ] && [ "$state" != activating ]; then pass "prerm stopped the service ($state)"; else
    fail "qtchat-server still $state after purge"; fi
log "apt-get install ./$(basename "$server_deb") under systemd"
if in_system 300 sh -c "cd /root && apt-get install -y -qq --no-install-recommends ./$(basename "$server_deb")" \
    >"$W/reinstall.log" 2>&1 && service_answers 30; then
    pass "installed under systemd, postinst enabled and started the service: $check"
else
    tail -n 20 "$W/reinstall.log"
    in_system 10 journalctl --no-pager -n 30 -u qtchat-server
    fail "postinst did not start the service under systemd"
fi
stop_container
finish
