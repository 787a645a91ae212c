# Sourced by scripts/container-test.sh: steps 7-12, one chat_server with a
# netcat client on the host, console clients in containers, the simulate
# profile, health and a clean stop.

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

# 10. The simulate profile: bots in #lobby, #dev and #수학-2반 ------------------------------
# A second netcat client on the host sits in #dev: it must see ben (in #dev)
# and nothing of chen (in #수학-2반); the first client, in #lobby only, sees
# ana and neither of the others.
touch_go dev_start
feed dev_start "/join #dev" dev_end | "$NC" 127.0.0.1 "$PORT" >"$W/dev.out" 2>"$W/dev.err" &
BG_PIDS+=("$!")
if wait_for 15 has "$W/dev.out" "You are in #dev"; then
    pass "netcat on the host joined #dev with /join (text mode)"
else
    show_tail "$W/dev.out"; fail "netcat on the host: /join #dev"
fi
log "docker compose --profile simulate up -d"
if dc --profile simulate up -d >"$W/simulate.log" 2>&1; then
    chen_spoke() { dc --profile simulate logs --no-color bot_chen 2>&1 | grep -qF "<chen> Hello from chen"; }
    bots_spoke() {
        has "$W/host.out" "Good morning, everyone!" && has "$W/dev.out" "#dev <ben> Hi ana, hi all." && chen_spoke
    }
    if wait_for 60 bots_spoke; then
        pass "--profile simulate: ana posts in #lobby, ben in #dev, chen in #수학-2반"
        # Everyone is in #lobby, so the #dev client sees ana too; nobody sees chen.
        if has "$W/dev.out" "Hello from chen" || has "$W/host.out" "Hi ana, hi all." ||
           has "$W/host.out" "Hello from chen"; then
            fail "a client saw another room's bot (rooms must be delivered to their members only)"
            show_tail "$W/dev.out"; show_tail "$W/host.out"
        else
            pass "a room's bot is seen by that room's members only (#dev: ben, not chen; #lobby only: ana)"
        fi
    else
        fail "--profile simulate: bots' lines did not reach their rooms within 60 s"
        show_tail "$W/host.out"; show_tail "$W/dev.out"
        dc --profile simulate logs --no-color --tail 10 bot_ana bot_ben bot_chen 2>&1 | tail -n 30
    fi
    t0=$(date +%s)
    dc --profile simulate stop -t 10 bot_ana bot_ben bot_chen chat_client >/dev/null 2>&1
    log "bots and idle chat_client stopped in $(($(date +%s) - t0)) s"
else
    show_tail "$W/simulate.log"; fail "docker compose --profile simulate up -d"
fi
touch_go dev_end

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
