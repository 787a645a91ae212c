# Sourced by scripts/container-test.sh: steps 1-6, the engine and the images
# (tools, the base image, a private dockerd, the compose file, the build).

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
