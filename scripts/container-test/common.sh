# Sourced by scripts/container-test.sh: reporting, bounded waits, the compose
# and docker wrappers, and the cleanup that runs whatever happened.

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

