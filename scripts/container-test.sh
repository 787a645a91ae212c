#!/usr/bin/env bash
# scripts/container-test.sh — test docker/ and compose.yaml with a real engine.
#
# What CI runs (as root, fresh Debian 12, no stdin). It:
#   1. installs the engine and tools from Debian (docker.io, docker-compose,
#      debootstrap, netcat-openbsd, nftables) when they are missing;
#   2. makes debian:bookworm-slim locally with debootstrap (no registry here),
#      caching the tarball in $QTCHAT_CACHE (default /var/cache/qtchat);
#   3. starts a private dockerd under a temporary folder;
#   4. builds the images with compose, starts chat_server, runs two console
#      clients in containers and a netcat client on the host (127.0.0.1:55555),
#      checks that everyone's messages reach everyone, the `simulate` bots,
#      the health status and a clean `compose stop` (exit status 0);
#   5. brings up the `cluster` profile (redis, chat_server_1..3, haproxy):
#      clients on different instances talk to each other and see one order,
#      a netcat client on the host through haproxy's published port joins
#      in, nicknames are unique across instances, a killed instance's user
#      leaves the list and haproxy sends new clients elsewhere, and a Redis
#      outage gives `cluster-unavailable` and then heals by itself;
#   6. removes everything it created, whatever happened (trap).
#
# Ends with a line `container-test: N passed, M failed`; exits 1 on failure.
#
# Environment:
#   QTCHAT_CACHE      where the base-image tarball is cached (/var/cache/qtchat)
#   QTCHAT_REBASE=1   make the base image again even if a cached one exists
#   COMPOSE           compose command (default docker-compose; "docker compose"
#                     works too where Compose v2 is installed)
#   QTCHAT_BUILDKIT=1 build through the docker CLI with BuildKit, as Compose v2
#                     does (default: Compose 1.29's own classic builder)
#   KEEP_WORKDIR=1    keep the temporary folder (logs, client outputs)
set -uo pipefail

SCRIPT_START=$(date +%s)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${QTCHAT_CACHE:-/var/cache/qtchat}
BASE_TAR=$CACHE/bookworm-slim.tar
PROJECT=qtchatct
PORT=55555

# Debian's docker CLI and dockerd, not whatever else is first on PATH.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH DOCKER_BUILDKIT COMPOSE_DOCKER_CLI_BUILD
read -r -a COMPOSE_CMD <<<"${COMPOSE:-docker-compose}"
if [[ ${QTCHAT_BUILDKIT:-0} == 1 ]]; then
    export DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1
fi

PASSED=0
FAILED=0
W=""
DOCKERD_PID=""
BG_PIDS=()
HAD_DOCKER0=1 HAD_NAT=1 HAD_FILTER=1 OLD_FORWARD=""

log()  { printf '[%4ds] %s\n' "$(($(date +%s) - SCRIPT_START))" "$*"; }
pass() { PASSED=$((PASSED + 1)); printf 'PASS: %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL: %s\n' "$*"; }
# A setup step that everything after depends on failed: count it and stop.
abort() { fail "$*"; exit 1; }

# wait_for SECONDS COMMAND...: poll COMMAND every 0.5 s, at most SECONDS.
wait_for() {
    local deadline=$(($(date +%s) + $1)); shift
    until "$@" >/dev/null 2>&1; do
        (($(date +%s) >= deadline)) && return 1
        sleep 0.5
    done
}

# wait_pid SECONDS PID: wait for a background job; its status, or 124 on timeout.
wait_pid() {
    local deadline=$(($(date +%s) + $1))
    while kill -0 "$2" 2>/dev/null; do
        (($(date +%s) >= deadline)) && return 124
        sleep 0.5
    done
    wait "$2"
}

dc() { timeout "${DC_TIMEOUT:-120}" "${COMPOSE_CMD[@]}" --project-directory "$ROOT" \
           -f "$ROOT/compose.yaml" -p "$PROJECT" "$@" </dev/null; }
dk() { timeout "${DK_TIMEOUT:-60}" docker "$@" </dev/null; }

has() { grep -qF -- "$2" "$1" 2>/dev/null; }

show_tail() { # FILE [LINES]: indented tail of a log, for FAIL diagnostics
    [[ -s $1 ]] || return 0
    echo "---- ${1##*/} (last ${2:-20} lines)"
    tail -n "${2:-20}" "$1" | sed 's/^/    /'
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    log "cleaning up"
    [[ -n $W && -d $W ]] && : >"$W/stop_all"
    for pid in "${BG_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    if [[ -n $DOCKERD_PID ]] && kill -0 "$DOCKERD_PID" 2>/dev/null; then
        DC_TIMEOUT=60 dc --profile simulate --profile cluster down -v --remove-orphans --timeout 5 >/dev/null 2>&1
        log "compose down done; stopping dockerd"
        kill "$DOCKERD_PID" 2>/dev/null
        for _ in $(seq 40); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$DOCKERD_PID" 2>/dev/null
    fi
    # dockerd's own containerd normally stops with it; if not, end it by its PID.
    if [[ -n $W && -s $W/exec/containerd/containerd.pid ]]; then
        local cpid
        cpid=$(cat "$W/exec/containerd/containerd.pid" 2>/dev/null)
        if [[ $cpid =~ ^[0-9]+$ ]] && kill -0 "$cpid" 2>/dev/null; then
            kill "$cpid" 2>/dev/null; sleep 1; kill -KILL "$cpid" 2>/dev/null
        fi
    fi
    # Let the input feeders of the background clients finish now.
    [[ -n $W && -d $W ]] && : >"$W/stop_all"
    # Undo what the engine changed on the host, only where it was not so before.
    if ((HAD_DOCKER0 == 0)); then ip link del docker0 2>/dev/null; fi
    for br in $(ip -o link show type bridge 2>/dev/null | awk -F': ' '$2 ~ /^br-/ {print $2}'); do
        [[ -n ${BRIDGES_BEFORE:-} && " $BRIDGES_BEFORE " == *" $br "* ]] || ip link del "$br" 2>/dev/null
    done
    if ((HAD_NAT == 0)); then nft delete table ip nat 2>/dev/null; fi
    if ((HAD_FILTER == 0)); then nft delete table ip filter 2>/dev/null; fi
    if [[ -n $OLD_FORWARD ]]; then sysctl -qw net.ipv4.ip_forward="$OLD_FORWARD" 2>/dev/null; fi
    if [[ -n $W && -d $W ]]; then
        grep -F -- "$W" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l 2>/dev/null
        log "removing $W"
        if [[ ${KEEP_WORKDIR:-0} == 1 ]]; then
            log "kept $W"
        else
            rm -rf --one-file-system "$W" 2>/dev/null
        fi
    fi
    ((status != 0 && FAILED == 0)) && fail "script stopped early (status $status)"
    log "done in $(($(date +%s) - SCRIPT_START)) s"
    echo "container-test: $PASSED passed, $FAILED failed"
    ((FAILED == 0)) && exit 0
    exit 1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

###########################################################################
log "qtchat container test in $ROOT"
[[ $(id -u) == 0 ]] || abort "must run as root (it installs packages and starts dockerd)"

# 1. Tools ------------------------------------------------------------------
need=()
for tool in /usr/bin/docker:docker.io /usr/sbin/dockerd:docker.io /usr/bin/docker-compose:docker-compose \
            /usr/sbin/debootstrap:debootstrap /bin/nc.openbsd:netcat-openbsd /usr/sbin/nft:nftables \
            /usr/bin/timeout:coreutils /sbin/ip:iproute2; do
    [[ -x ${tool%%:*} ]] || need+=("${tool#*:}")
done
if ((${#need[@]})); then
    log "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    timeout 300 apt-get update -qq </dev/null >/dev/null 2>&1
    timeout 600 apt-get install -y -qq --no-install-recommends "${need[@]}" </dev/null >/tmp/qtchat-ct-apt.log 2>&1 \
        || { show_tail /tmp/qtchat-ct-apt.log; abort "apt-get install ${need[*]}"; }
fi
NC=/bin/nc.openbsd
if [[ ${COMPOSE_CMD[0]} == docker-compose ]]; then
    log "$(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /')"
fi

if timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null; then
    abort "port $PORT on 127.0.0.1 is already in use; stop whatever listens there first"
fi

W=$(mktemp -d /tmp/qtchat-ct.XXXXXX)
chmod 711 "$W"
export DOCKER_HOST=unix://$W/docker.sock
export DOCKER_CONFIG=$W/docker-config

# 2. Base image tarball -----------------------------------------------------
if [[ ${QTCHAT_REBASE:-0} == 1 || ! -s $BASE_TAR ]] || ! tar -tf "$BASE_TAR" ./etc/debian_version >/dev/null 2>&1; then
    log "making debian:bookworm-slim with debootstrap (cached as $BASE_TAR)"
    timeout 900 "$ROOT/docker/make-base-image.sh" "$BASE_TAR" >"$W/base.log" 2>&1 \
        || { show_tail "$W/base.log"; abort "debootstrap base image"; }
else
    log "using cached base image $BASE_TAR"
fi

# 3. Private dockerd ------------------------------------------------------------
ip link show docker0 >/dev/null 2>&1 || HAD_DOCKER0=0
nft list table ip nat >/dev/null 2>&1 || HAD_NAT=0
nft list table ip filter >/dev/null 2>&1 || HAD_FILTER=0
OLD_FORWARD=$(sysctl -n net.ipv4.ip_forward 2>/dev/null || true)
BRIDGES_BEFORE=$(ip -o link show type bridge 2>/dev/null | awk -F': ' '{print $2}' | tr '\n' ' ')

log "starting a private dockerd in $W"
dockerd --data-root "$W/docker" --exec-root "$W/exec" --pidfile "$W/dockerd.pid" \
        -H "unix://$W/docker.sock" >"$W/dockerd.log" 2>&1 </dev/null &
DOCKERD_PID=$!
wait_for 60 docker version || { show_tail "$W/dockerd.log"; abort "dockerd did not answer within 60 s"; }
log "dockerd $(docker version --format '{{.Server.Version}}' 2>/dev/null) up, storage $(docker info --format '{{.Driver}}' 2>/dev/null)"

DK_TIMEOUT=300 dk import --change 'CMD ["bash"]' "$BASE_TAR" debian:bookworm-slim >/dev/null \
    || abort "docker import of the base image"

# 4. The compose file --------------------------------------------------------
if dc config -q >"$W/config.log" 2>&1 && dc --profile simulate config -q >>"$W/config.log" 2>&1 &&
   dc --profile cluster config -q >>"$W/config.log" 2>&1; then
    pass "compose.yaml is valid (config -q, without a profile, with --profile simulate, with --profile cluster)"
else
    show_tail "$W/config.log"; fail "compose.yaml is valid"
fi

# 5. Build ---------------------------------------------------------------------
log "building the images (the project compiles inside the build stage; a few minutes)"
build_start=$(date +%s)
if DC_TIMEOUT=1200 dc build >"$W/build.log" 2>&1; then
    pass "docker compose build: chat-server and chat-console images built in $(($(date +%s) - build_start)) s"
else
    show_tail "$W/build.log" 40; abort "docker compose build"
fi
for img in qtchat/chat-server:latest qtchat/chat-console:latest debian:bookworm-slim; do
    bytes=$(dk image inspect -f '{{.Size}}' "$img" 2>/dev/null)
    [[ $bytes =~ ^[0-9]+$ ]] && printf '    image %-28s %6.1f MB\n' "$img" "$(awk -v b="$bytes" 'BEGIN {print b / 1e6}')"
done

# 6. What is in the runtime images -------------------------------------------------
image_problems=()
for img in qtchat/chat-server:latest qtchat/chat-console:latest; do
    user=$(dk image inspect -f '{{.Config.User}}' "$img" 2>/dev/null)
    [[ -n $user && $user != root && $user != 0* ]] || image_problems+=("$img runs as root")
    hc=$(dk image inspect -f '{{if .Config.Healthcheck}}{{join .Config.Healthcheck.Test " "}}{{end}}' "$img" 2>/dev/null)
    [[ $hc == *"chat-console --check"* ]] || image_problems+=("$img: no chat-console --check HEALTHCHECK ($hc)")
    out=$(dk run --rm --entrypoint /bin/sh "$img" -c '
        id -u
        for b in /usr/local/bin/chat-*; do [ -x "$b" ] && ldd "$b"; done
        for c in gcc g++ cc c++ cmake ninja; do command -v "$c" >/dev/null && echo "compiler: $c"; done
        for p in libqt6gui6 libqt6widgets6 qt6-base-dev; do dpkg -s "$p" >/dev/null 2>&1 && echo "package: $p"; done
        true' 2>&1)
    [[ $(head -n1 <<<"$out") != 0 ]] || image_problems+=("$img: id -u is 0")
    grep -q 'libQt6Network' <<<"$out" || image_problems+=("$img: ldd shows no libQt6Network ($out)")
    grep -q 'not found' <<<"$out" && image_problems+=("$img: missing libraries: $(grep 'not found' <<<"$out" | tr -s ' \n' ' ')")
    grep -qE 'libQt6(Gui|Widgets)' <<<"$out" && image_problems+=("$img links Qt Gui/Widgets")
    grep -qE '^(compiler|package): ' <<<"$out" && image_problems+=("$img has $(grep -E '^(compiler|package): ' <<<"$out" | tr '\n' ' ')")
done
ports=$(dk image inspect -f '{{json .Config.ExposedPorts}}' qtchat/chat-server:latest 2>/dev/null)
[[ $ports == *'"55555/tcp"'* ]] || image_problems+=("chat-server image does not EXPOSE 55555 ($ports)")
if ((${#image_problems[@]} == 0)); then
    pass "runtime images: non-root user, HEALTHCHECK with chat-console --check, EXPOSE 55555, only Qt Core+Network linked, no compiler, no Gui/Widgets"
else
    fail "runtime images: ${image_problems[*]}"
fi

# 7. Server up and healthy ---------------------------------------------------------
server_healthy() {
    local cid
    cid=$(dc ps -q chat_server 2>/dev/null) && [[ -n $cid ]] &&
        [[ $(dk inspect -f '{{.State.Health.Status}}' "$cid" 2>/dev/null) == healthy ]]
}
log "docker compose up -d chat_server"
if ! dc up -d chat_server >"$W/up.log" 2>&1; then
    show_tail "$W/up.log"; abort "docker compose up -d chat_server"
fi
SERVER_CID=$(dc ps -q chat_server 2>/dev/null)
if wait_for 90 server_healthy; then
    pass "chat_server is healthy (healthcheck: chat-console --check) after $(($(date +%s) - SCRIPT_START)) s of script time"
else
    dc logs --no-color chat_server >"$W/server.log" 2>&1; show_tail "$W/server.log"
    dk inspect -f '{{json .State.Health}}' "$SERVER_CID" 2>&1 | head -c 1500; echo
    abort "chat_server did not become healthy within 90 s"
fi

# 8. A netcat client on the host, through the published port --------------------------
TOKEN=$RANDOM$RANDOM
touch_go() { : >"$W/$1"; }
# The stdin of a background client: print each LINE once its TRIGGER file
# exists, then stay open until ENDTRIGGER; every wait is bounded, and all end
# at once when cleanup writes stop_all.
# Usage: feed TRIGGER LINE [TRIGGER LINE ...] ENDTRIGGER
triggered() { [[ -e $W/$1 || -e $W/stop_all || ! -d $W ]]; }
feed() {
    while (($# >= 2)); do
        wait_for 300 triggered "$1" || return 0
        [[ -e $W/stop_all || ! -d $W ]] && return 0
        printf '%s\n' "$2"
        shift 2
    done
    wait_for 600 triggered "$1"
}

touch_go start
feed start "host line one $TOKEN" go "host says hi $TOKEN" host_end \
    | "$NC" 127.0.0.1 "$PORT" >"$W/host.out" 2>"$W/host.err" &
HOST_NC=$!
BG_PIDS+=("$HOST_NC")
if wait_for 15 has "$W/host.out" "host line one $TOKEN"; then
    pass "netcat on the host reached the server at 127.0.0.1:$PORT (text mode, own line echoed)"
else
    show_tail "$W/host.out"; show_tail "$W/host.err"; fail "netcat on the host through the published port"
fi

# 9. Two console clients, each in its own container -----------------------------------
run_client() { # NICK GO-TRIGGER LINE
    feed "$2" "$3" clients_end \
        | timeout 300 "${COMPOSE_CMD[@]}" --project-directory "$ROOT" -f "$ROOT/compose.yaml" -p "$PROJECT" \
              run --rm -T chat_client --nick "$1" >"$W/$1.out" 2>"$W/$1.err" &
    LAST_PID=$!
    BG_PIDS+=("$LAST_PID")
}
run_client alice go "alice says hi $TOKEN"; ALICE=$LAST_PID
joined_alice=0; joined_bob=0
wait_for 60 grep -qiE 'alice.*join' "$W/host.out" && joined_alice=1
run_client bob go "bob says hi $TOKEN"; BOB=$LAST_PID
wait_for 60 grep -qiE 'bob.*join' "$W/host.out" && joined_bob=1
touch_go go
log "alice joined: $joined_alice, bob joined: $joined_bob; everyone speaks"

got() { has "$W/$1.out" "$2" || has "$W/$1.err" "$2"; }
all_delivered() {
    got alice "bob says hi $TOKEN" && got bob "alice says hi $TOKEN" &&
        got alice "host says hi $TOKEN" && got bob "host says hi $TOKEN" &&
        has "$W/host.out" "alice says hi $TOKEN" && has "$W/host.out" "bob says hi $TOKEN"
}
wait_for 30 all_delivered
if got alice "bob says hi $TOKEN"; then pass "container alice received container bob's message"
else fail "container alice received container bob's message"; show_tail "$W/alice.out"; show_tail "$W/alice.err"; fi
if got bob "alice says hi $TOKEN"; then pass "container bob received container alice's message"
else fail "container bob received container alice's message"; show_tail "$W/bob.out"; show_tail "$W/bob.err"; fi
if has "$W/host.out" "alice says hi $TOKEN" && has "$W/host.out" "bob says hi $TOKEN" &&
   got alice "host says hi $TOKEN" && got bob "host says hi $TOKEN"; then
    pass "host netcat client and the containers see each other's messages"
else
    fail "host netcat client and the containers see each other's messages"; show_tail "$W/host.out"
fi

touch_go clients_end
wait_pid 30 "$ALICE"; alice_status=$?
wait_pid 30 "$BOB"; bob_status=$?
if ((alice_status == 0 && bob_status == 0)); then
    pass "both console client containers exited 0 once their input ended (compose run --rm -T)"
else
    fail "console client containers' exit status: alice $alice_status, bob $bob_status (0 expected)"
    show_tail "$W/alice.err"; show_tail "$W/bob.err"
fi

# 10. The simulate profile ----------------------------------------------------------
log "docker compose --profile simulate up -d"
if dc --profile simulate up -d >"$W/simulate.log" 2>&1; then
    bots_spoke() {
        has "$W/host.out" "Good morning, everyone!" && has "$W/host.out" "Hi ana, hi all." &&
            has "$W/host.out" "Hello from chen"
    }
    if wait_for 60 bots_spoke; then
        pass "--profile simulate: bots ana, ben and chen post into the room (seen by the host client)"
    else
        fail "--profile simulate: bots' lines did not reach the host client within 60 s"
        show_tail "$W/host.out"; dc --profile simulate logs --no-color --tail 10 bot_ana bot_ben bot_chen 2>&1 | tail -n 30
    fi
    t0=$(date +%s)
    dc --profile simulate stop -t 10 bot_ana bot_ben bot_chen chat_client >/dev/null 2>&1
    log "bots and idle chat_client stopped in $(($(date +%s) - t0)) s"
else
    show_tail "$W/simulate.log"; fail "docker compose --profile simulate up -d"
fi

# 11. Health, after all that ---------------------------------------------------------
health=$(dk inspect -f '{{.State.Health.Status}} {{.State.Health.FailingStreak}} {{len .State.Health.Log}}' "$SERVER_CID" 2>/dev/null)
if [[ $health == "healthy 0 "* ]] && [[ $(dk inspect -f '{{.State.Restarting}} {{.RestartCount}}' "$SERVER_CID") == "false 0" ]]; then
    pass "server health status: healthy, no failing checks, no restarts ($health)"
else
    fail "server health status: $health"
fi

# 12. Clean stop -------------------------------------------------------------------------
dc logs --no-color chat_server >"$W/server-before-stop.log" 2>&1
t0=$(date +%s)
dc stop -t 10 chat_server >"$W/stop.log" 2>&1
stop_secs=$(($(date +%s) - t0))
exit_code=$(dk inspect -f '{{.State.ExitCode}}' "$SERVER_CID" 2>/dev/null)
wait_pid 10 "$HOST_NC" >/dev/null 2>&1
host_bye=0
grep -qiE 'shutting down|goodbye|\bbye\b' "$W/host.out" && host_bye=1
if [[ $exit_code == 0 ]] && ((stop_secs < 10 && host_bye == 1)); then
    pass "docker compose stop chat_server: exit status 0 in ${stop_secs} s, the host client got the server's bye"
else
    fail "docker compose stop chat_server: exit status '$exit_code' in ${stop_secs} s, bye seen by host: $host_bye"
    dc logs --no-color --tail 20 chat_server 2>&1
    show_tail "$W/host.out" 5
fi
dc logs --no-color chat_server 2>&1 | tail -n 5 | sed 's/^/    server log: /'

# 13. The cluster profile: Redis, three chat-server instances, HAProxy ------------------
# chat_server is stopped now, so haproxy can have host port 55555.
cid_of() { dc --profile cluster ps -q "$1" 2>/dev/null; }
health_of() { dk inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$(cid_of "$1")" 2>/dev/null; }
cluster_healthy() {
    local svc
    for svc in redis chat_server_1 chat_server_2 chat_server_3 haproxy; do
        [[ $(health_of "$svc") == healthy ]] || return 1
    done
}
# haproxy's view, from its internal stats page: "server status current-sessions" lines.
haproxy_stats() {
    dk exec "$(cid_of haproxy)" bash -c 'exec 3<>/dev/tcp/127.0.0.1/8404 &&
        printf "GET /stats;csv HTTP/1.0\r\n\r\n" >&3 && cat <&3' 2>/dev/null |
        awk -F, '$1 == "chat_servers" && $2 ~ /^chat_server_/ {print $2, $18, $5}'
}

log "docker compose --profile cluster build redis haproxy"
t0=$(date +%s)
if DC_TIMEOUT=600 dc --profile cluster build redis haproxy >"$W/cluster-build.log" 2>&1; then
    log "redis and haproxy images built in $(($(date +%s) - t0)) s"
else
    show_tail "$W/cluster-build.log" 30; fail "docker compose --profile cluster build redis haproxy"
fi
log "docker compose --profile cluster up -d haproxy (starts redis and chat_server_1..3 first)"
t0=$(date +%s)
cluster_up=0
if DC_TIMEOUT=240 dc --profile cluster up -d haproxy >"$W/cluster-up.log" 2>&1 && wait_for 90 cluster_healthy; then
    cluster_up=1
    problems=()
    aof=$(dk exec "$(cid_of redis)" redis-cli config get appendonly 2>&1 | tr '\n' ' ')
    fsync=$(dk exec "$(cid_of redis)" redis-cli config get appendfsync 2>&1 | tr '\n' ' ')
    [[ $aof == "appendonly yes "* ]] || problems+=("redis appendonly: $aof")
    [[ $fsync == "appendfsync always "* ]] || problems+=("redis appendfsync: $fsync")
    for svc in redis chat_server_1 chat_server_2 chat_server_3; do
        published=$(dk port "$(cid_of "$svc")" 2>&1)
        [[ -z $published ]] || problems+=("$svc publishes $published")
    done
    haproxy_ports=$(dk inspect -f '{{range $p, $b := .NetworkSettings.Ports}}{{$p}}={{range $b}}{{.HostIp}}:{{.HostPort}} {{end}};{{end}}' \
                        "$(cid_of haproxy)" 2>&1)
    [[ $haproxy_ports == *"55555/tcp="*":55555 "* ]] || problems+=("haproxy does not publish 55555 (ports: $haproxy_ports)")
    images=$(for svc in chat_server_1 chat_server_2 chat_server_3; do dk inspect -f '{{.Config.Image}}' "$(cid_of "$svc")"; done | sort -u | tr '\n' ' ')
    [[ $images == "qtchat/chat-server:latest " ]] || problems+=("instance images: $images")
    if ((${#problems[@]} == 0)); then
        pass "--profile cluster: redis (appendonly yes, appendfsync always), chat_server_1..3 (image qtchat/chat-server) and haproxy healthy in $(($(date +%s) - t0)) s; only haproxy publishes a port (55555)"
    else
        fail "--profile cluster: ${problems[*]}"
    fi
else
    show_tail "$W/cluster-up.log"
    for svc in redis chat_server_1 chat_server_2 chat_server_3 haproxy; do
        echo "    $svc: $(health_of "$svc")"
    done
    dc --profile cluster logs --no-color --tail 8 2>&1 | tail -n 50
    fail "--profile cluster up -d haproxy: not all of redis, chat_server_1..3, haproxy healthy within 90 s"
fi

if ((cluster_up)); then
    # Two clients on the host through haproxy's published port: netcat in text
    # mode, and "jay" speaking JSON Lines (to see message ids and error codes).
    touch_go c_start
    feed c_start "cluster host line $TOKEN" c_go "host via haproxy $TOKEN" \
        c_redis_up "host after outage $TOKEN" c_end \
        | "$NC" 127.0.0.1 "$PORT" >"$W/chost.out" 2>"$W/chost.err" &
    CHOST=$!
    BG_PIDS+=("$CHOST")
    if wait_for 15 has "$W/chost.out" "cluster host line $TOKEN"; then
        pass "haproxy's published port 127.0.0.1:$PORT answers: a netcat client on the host got its own line back from an instance"
    else
        show_tail "$W/chost.out"; show_tail "$W/chost.err"; fail "netcat on the host through haproxy at 127.0.0.1:$PORT"
    fi
    HOST_INST=$(haproxy_stats | awk '$3 > 0 {print $1}' | tr '\n' ' ')
    feed c_start '{"type":"hello","nick":"jay"}' c_go "{\"type\":\"say\",\"text\":\"jay via haproxy $TOKEN\"}" \
        c_redis_down "{\"type\":\"say\",\"text\":\"jay during outage $TOKEN\"}" c_end \
        | "$NC" 127.0.0.1 "$PORT" >"$W/jay.out" 2>"$W/jay.err" &
    JAY=$!
    BG_PIDS+=("$JAY")
    wait_for 15 grep -q '"welcome"' "$W/jay.out" || { show_tail "$W/jay.out"; show_tail "$W/jay.err"; }
    # Which instances haproxy chose (current sessions per server): leastconn
    # puts jay on another instance than the netcat client.
    used=$(haproxy_stats | awk '$3 > 0 {print $1}' | tr '\n' ' ')
    JAY_INST=""
    for inst in $used; do [[ " $HOST_INST " == *" $inst "* ]] || JAY_INST=$inst; done
    HOST_INST=${HOST_INST%% *}
    log "haproxy: $(haproxy_stats | tr '\n' ';') -> netcat on ${HOST_INST:-?}, jay on ${JAY_INST:-?}"
    # carol joins the netcat client's instance, dave jay's, erin the third
    # (which is killed later; nobody else is on it).
    CAROL_ON=${HOST_INST#chat_server_}; DAVE_ON=${JAY_INST#chat_server_}
    [[ $CAROL_ON =~ ^[123]$ ]] || CAROL_ON=1
    [[ $DAVE_ON =~ ^[123]$ && $DAVE_ON != "$CAROL_ON" ]] || DAVE_ON=$((CAROL_ON % 3 + 1))
    VICTIM=$((6 - CAROL_ON - DAVE_ON))

    run_cluster_client() { # NICK INSTANCE
        feed c_go "$1 on $2 $TOKEN" c_redis_up "$1 after outage $TOKEN" c_end \
            | timeout 400 "${COMPOSE_CMD[@]}" --project-directory "$ROOT" -f "$ROOT/compose.yaml" -p "$PROJECT" \
                  --profile cluster run --rm -T -e "CHAT_HOST=chat_server_$2" cluster_client --nick "$1" \
                  >"$W/$1.out" 2>"$W/$1.err" &
        LAST_PID=$!
        BG_PIDS+=("$LAST_PID")
    }
    run_cluster_client carol "$CAROL_ON"; CAROL=$LAST_PID
    run_cluster_client dave "$DAVE_ON"; DAVE=$LAST_PID
    # erin runs inside the victim's container, so that killing it ends her client too.
    VICTIM_CID=$(cid_of "chat_server_$VICTIM")
    feed c_go "erin on $VICTIM $TOKEN" c_end \
        | timeout 400 docker exec -i "$VICTIM_CID" chat-console --host 127.0.0.1 --port 55555 --nick erin \
              >"$W/erin.out" 2>"$W/erin.err" &
    ERIN=$!
    BG_PIDS+=("$ERIN")
    joins=""
    for nick in carol dave erin; do
        wait_for 30 grep -qE "\* $nick joined" "$W/chost.out" && joins+="$nick "
    done
    log "joined (as seen by the netcat client on ${HOST_INST:-?}): ${joins:-nobody}; carol on chat_server_$CAROL_ON, dave on chat_server_$DAVE_ON, erin on chat_server_$VICTIM"
    touch_go c_go

    cluster_lines=("carol on $CAROL_ON $TOKEN" "dave on $DAVE_ON $TOKEN" "erin on $VICTIM $TOKEN"
                   "host via haproxy $TOKEN" "jay via haproxy $TOKEN")
    cgot() { # WHO LINE
        case $1 in host) has "$W/chost.out" "$2" ;; *) has "$W/$1.out" "$2" || has "$W/$1.err" "$2" ;; esac
    }
    cluster_clients=(carol dave erin host jay)
    all_cluster_delivered() {
        local who line
        for who in "${cluster_clients[@]}"; do
            for line in "${cluster_lines[@]}"; do cgot "$who" "$line" || return 1; done
        done
    }
    wait_for 30 all_cluster_delivered
    missing=()
    for who in "${cluster_clients[@]}"; do
        for line in "${cluster_lines[@]}"; do cgot "$who" "$line" || missing+=("$who lacks '${line% *}'"); done
    done
    if ((${#missing[@]} == 0)); then
        pass "cluster: carol on chat_server_$CAROL_ON, dave on chat_server_$DAVE_ON, erin on chat_server_$VICTIM and two host clients through haproxy (netcat on ${HOST_INST:-?}, JSON on ${JAY_INST:-?}) all receive each other's messages"
    else
        fail "cluster: messages across instances: ${missing[*]}"
        for who in carol dave erin chost jay; do show_tail "$W/$who.out" 8; done
        dc --profile cluster logs --no-color --tail 15 chat_server_1 chat_server_2 chat_server_3 2>&1 | tail -n 45
    fi
    # One order for everyone: the five lines in the order each client printed them;
    # jay's JSON also carries the message ids, which must increase in that order.
    order_of() { grep -ohE "(carol|dave|erin) on [0-9] $TOKEN|(host|jay) via haproxy $TOKEN" "$@" 2>/dev/null | awk '!seen[$0]++' | tr '\n' '|'; }
    o_carol=$(order_of "$W/carol.out"); o_dave=$(order_of "$W/dave.out"); o_erin=$(order_of "$W/erin.out")
    o_host=$(order_of "$W/chost.out"); o_jay=$(order_of "$W/jay.out")
    ids=$(grep -F '"type":"message"' "$W/jay.out" 2>/dev/null | grep -E "(on [0-9]|via haproxy) $TOKEN" |
          sed -n 's/.*"id":\([0-9][0-9]*\).*/\1/p' | tr '\n' ' ')
    ids_increasing=$(awk -v ids="$ids" 'BEGIN {n = split(ids, a, " "); ok = (n == 5);
        for (i = 2; i <= n; i++) if (a[i] + 0 <= a[i-1] + 0) ok = 0; print ok}')
    if ((${#missing[@]} == 0)) && [[ $o_carol == "$o_dave" && $o_carol == "$o_erin" && $o_carol == "$o_host" && $o_carol == "$o_jay" ]] &&
       ((ids_increasing == 1)); then
        pass "cluster: all five clients saw the five messages in the same order (${o_carol//" $TOKEN"/}), with increasing ids ${ids% }"
    else
        fail "cluster: one order: carol ${o_carol//" $TOKEN"/}; dave ${o_dave//" $TOKEN"/}; erin ${o_erin//" $TOKEN"/}; host ${o_host//" $TOKEN"/}; jay ${o_jay//" $TOKEN"/}; ids in jay's order: $ids"
    fi

    # Nicknames are unique across instances: "carol" is taken, also on the victim's instance.
    printf 'not posted %s\n' "$TOKEN" | timeout 60 "${COMPOSE_CMD[@]}" --project-directory "$ROOT" -f "$ROOT/compose.yaml" \
        -p "$PROJECT" --profile cluster run --rm -T -e "CHAT_HOST=chat_server_$VICTIM" cluster_client --nick carol \
        >"$W/carol2.out" 2>"$W/carol2.err"
    dup_status=$?
    if ((dup_status == 4)) && ! has "$W/chost.out" "not posted $TOKEN"; then
        pass "cluster: nickname carol (on chat_server_$CAROL_ON) is refused on chat_server_$VICTIM (chat-console exit 4)"
    else
        fail "cluster: a second carol on chat_server_$VICTIM: exit $dup_status (4 expected)"
        show_tail "$W/carol2.out" 5; show_tail "$W/carol2.err" 5
    fi

    # Kill an instance: its user leaves everyone's list (heartbeat), haproxy takes it out.
    t0=$(date +%s)
    dk kill "$VICTIM_CID" >/dev/null 2>&1
    if wait_for 40 grep -qE '\* erin left' "$W/chost.out" && wait_for 5 grep -qE '\* erin left' "$W/carol.out"; then
        pass "cluster: after docker kill chat_server_$VICTIM, erin left the other instances' room in $(($(date +%s) - t0)) s"
    else
        fail "cluster: erin (on the killed chat_server_$VICTIM) still not gone from the room after $(($(date +%s) - t0)) s"
        show_tail "$W/chost.out" 6
    fi
    victim_down() { haproxy_stats | grep -qE "^chat_server_$VICTIM (DOWN|MAINT)"; }
    wait_for 15 victim_down
    probe_ok=0
    # Each keeps its input open for 2 s: chat-server ends a connection at EOF.
    for i in 1 2 3; do
        { printf 'probe %s %s\n' "$i" "$TOKEN"; sleep 2; } | timeout 8 "$NC" 127.0.0.1 "$PORT" >"$W/probe$i.out" 2>&1
        has "$W/probe$i.out" "probe $i $TOKEN" && probe_ok=$((probe_ok + 1))
    done
    if victim_down && ((probe_ok == 3)); then
        pass "cluster: haproxy took the killed chat_server_$VICTIM out ($(haproxy_stats | grep "^chat_server_$VICTIM " | cut -d' ' -f2-3)); 3 of 3 new netcat clients through it were served by the other instances"
    else
        fail "cluster: haproxy after the kill: $(haproxy_stats | tr '\n' ';') $probe_ok of 3 new clients served"
    fi

    # Redis stopped: clients stay connected, a post gets `cluster-unavailable`;
    # Redis started again (same AOF volume): the instances reconnect by
    # themselves. Only jay posts during the outage, so the other instance's
    # connections to Redis are first used again after the restart.
    outage_start=$(date +%s)
    dc --profile cluster stop -t 10 redis >/dev/null 2>&1
    touch_go c_redis_down
    if wait_for 20 grep -qF '"code":"cluster-unavailable"' "$W/jay.out"; then
        pass "cluster: with redis stopped, jay's post gets an error with code cluster-unavailable"
    else
        fail "cluster: with redis stopped, no cluster-unavailable error for jay's post within 20 s"
        show_tail "$W/jay.out" 4
    fi
    t0=$(date +%s)
    dc --profile cluster start redis >/dev/null 2>&1
    redis_answers() { [[ $(dk exec "$(cid_of redis)" redis-cli ping 2>/dev/null) == PONG ]]; }
    wait_for 60 redis_answers
    # Once both instances say they are back, carol, dave and the netcat client post again.
    back_in_room() {
        local n
        for n in "$CAROL_ON" "$DAVE_ON"; do
            dk logs --since "$outage_start" "$(cid_of "chat_server_$n")" 2>&1 | grep -q 'back in the shared room' || return 1
        done
    }
    wait_for 30 back_in_room
    log "redis answers $(($(date +%s) - t0)) s after its start; instances back in the room: $(back_in_room && echo yes || echo no)"
    errors_before=$(cat "$W/chost.out" "$W/carol.out" "$W/dave.out" 2>/dev/null | grep -ciE 'cannot reach the shared room|cluster-unavailable')
    touch_go c_redis_up
    healed() {
        local who line
        for who in carol dave host jay; do
            for line in "carol after outage $TOKEN" "dave after outage $TOKEN" "host after outage $TOKEN"; do
                cgot "$who" "$line" || return 1
            done
        done
    }
    wait_for 45 healed
    if healed && ! grep -qF "during outage $TOKEN" "$W/carol.out" "$W/dave.out" "$W/chost.out"; then
        pass "cluster: redis restarted, messages flow across instances again $(($(date +%s) - t0)) s after the restart, to clients that stayed connected; the refused post was not delivered"
    else
        notseen=()
        for who in carol dave host jay; do
            for line in "carol after outage $TOKEN" "dave after outage $TOKEN" "host after outage $TOKEN"; do
                cgot "$who" "$line" || notseen+=("$who lacks '${line% *}'")
            done
        done
        fail "cluster: after redis came back (instances logged 'back in the shared room'): ${notseen[*]:-all delivered}; refused post delivered to: $(grep -lF "during outage $TOKEN" "$W/carol.out" "$W/dave.out" "$W/chost.out" 2>/dev/null | tr '\n' ' ')(none expected); errors for the netcat client, carol and dave: $errors_before before these posts, $(cat "$W/chost.out" "$W/carol.out" "$W/dave.out" 2>/dev/null | grep -ciE 'cannot reach the shared room|cluster-unavailable') after"
        for who in carol dave chost jay; do show_tail "$W/$who.out" 6; done
        dc --profile cluster logs --no-color --tail 8 "chat_server_$CAROL_ON" "chat_server_$DAVE_ON" 2>&1 | tail -n 18
    fi
    # No instance may die on the way (the restart policy would hide it).
    deaths=$(dk events --since "$outage_start" --until "$(date +%s)" --filter event=die \
                 --format '{{.Actor.Attributes.name}} exit {{.Actor.Attributes.exitCode}}' 2>/dev/null | grep -v redis | tr '\n' ';')
    restarts=$(for n in "$CAROL_ON" "$DAVE_ON"; do
                   printf 'chat_server_%s:%s ' "$n" "$(dk inspect -f '{{.RestartCount}}' "$(cid_of "chat_server_$n")" 2>/dev/null)"
               done)
    if [[ -z $deaths && $restarts == *":0 "*":0 " ]]; then
        pass "cluster: chat_server_$CAROL_ON and chat_server_$DAVE_ON lived through the Redis outage (no exit, no restart)"
    else
        fail "cluster: chat-server instances died during the Redis outage: ${deaths:-none seen} restarts: $restarts"
        dc --profile cluster logs --no-color --tail 12 "chat_server_$CAROL_ON" "chat_server_$DAVE_ON" 2>&1 | tail -n 30
    fi

    touch_go c_end
    wait_pid 30 "$CAROL" >/dev/null 2>&1; wait_pid 30 "$DAVE" >/dev/null 2>&1
    dc --profile cluster logs --no-color haproxy 2>&1 | grep -E 'chat_servers/chat_server_[0-9]' | tail -n 4 | sed 's/^/    haproxy log: /'
    t0=$(date +%s)
    dc --profile cluster stop -t 10 haproxy chat_server_1 chat_server_2 chat_server_3 redis >/dev/null 2>&1
    log "cluster stopped in $(($(date +%s) - t0)) s"
fi
