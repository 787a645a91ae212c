# Sourced by scripts/container-test.sh: step 13, the cluster profile (Redis
# with a replica and three Sentinels, three chat-server instances, HAProxy).

# 13. The cluster profile: Redis, three chat-server instances, HAProxy ------------------
# chat_server is stopped now, so haproxy can have host port 55555.
CLUSTER_SERVICES="redis redis_replica sentinel_1 sentinel_2 sentinel_3 chat_server_1 chat_server_2 chat_server_3 haproxy"
cid_of() { dc --profile cluster ps -q "$1" 2>/dev/null; }
health_of() { dk inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$(cid_of "$1")" 2>/dev/null; }
cluster_healthy() {
    local svc
    for svc in $CLUSTER_SERVICES; do
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
    for svc in redis redis_replica sentinel_1 sentinel_2 sentinel_3 chat_server_1 chat_server_2 chat_server_3; do
        published=$(dk port "$(cid_of "$svc")" 2>&1)
        [[ -z $published ]] || problems+=("$svc publishes $published")
    done
    haproxy_ports=$(dk inspect -f '{{range $p, $b := .NetworkSettings.Ports}}{{$p}}={{range $b}}{{.HostIp}}:{{.HostPort}} {{end}};{{end}}' \
                        "$(cid_of haproxy)" 2>&1)
    [[ $haproxy_ports == *"55555/tcp="*":55555 "* ]] || problems+=("haproxy does not publish 55555 (ports: $haproxy_ports)")
    images=$(for svc in chat_server_1 chat_server_2 chat_server_3; do dk inspect -f '{{.Config.Image}}' "$(cid_of "$svc")"; done | sort -u | tr '\n' ' ')
    [[ $images == "qtchat/chat-server:latest " ]] || problems+=("instance images: $images")
    if ((${#problems[@]} == 0)); then
        pass "--profile cluster: redis (appendonly yes, appendfsync always), redis_replica, sentinel_1..3, chat_server_1..3 (image qtchat/chat-server) and haproxy healthy in $(($(date +%s) - t0)) s; only haproxy publishes a port (55555)"
    else
        fail "--profile cluster: ${problems[*]}"
    fi
else
    show_tail "$W/cluster-up.log"
    for svc in $CLUSTER_SERVICES; do
        echo "    $svc: $(health_of "$svc")"
    done
    dc --profile cluster logs --no-color --tail 8 2>&1 | tail -n 50
    fail "--profile cluster up -d haproxy: not all of $CLUSTER_SERVICES healthy within 90 s"
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

    # Kill the Redis primary (SIGKILL, as in a crash): clients stay connected,
    # a post gets `cluster-unavailable` until the Sentinels promote the replica
    # (5 s without an answer, then a vote), and the instances follow the
    # failover by themselves while the old primary stays dead. Only jay posts
    # during the outage.
    outage_start=$(date +%s)
    dk kill "$(cid_of redis)" >/dev/null 2>&1
    touch_go c_redis_down
    if wait_for 20 grep -qF '"code":"cluster-unavailable"' "$W/jay.out"; then
        pass "cluster: with the redis primary killed, jay's post gets an error with code cluster-unavailable"
    else
        fail "cluster: with the redis primary killed, no cluster-unavailable error for jay's post within 20 s"
        show_tail "$W/jay.out" 4
    fi
    role_of() { dk exec "$(cid_of "$1")" redis-cli role 2>/dev/null | head -n 1; }
    promoted() { [[ $(role_of redis_replica) == master ]]; }
    wait_for 60 promoted
    # Once both instances say they are back, carol, dave and the netcat client post again.
    back_in_room() {
        local n
        for n in "$CAROL_ON" "$DAVE_ON"; do
            dk logs --since "$outage_start" "$(cid_of "chat_server_$n")" 2>&1 | grep -q 'back in the shared room' || return 1
        done
    }
    wait_for 30 back_in_room
    t0=$outage_start
    log "redis_replica is the primary: $(promoted && echo yes || echo no); instances back in the room: $(back_in_room && echo yes || echo no); $(($(date +%s) - t0)) s after the kill"
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
        pass "cluster: the Sentinels promoted redis_replica and messages flow across instances again $(($(date +%s) - t0)) s after the primary was killed, to clients that stayed connected; the refused post was not delivered"
    else
        notseen=()
        for who in carol dave host jay; do
            for line in "carol after outage $TOKEN" "dave after outage $TOKEN" "host after outage $TOKEN"; do
                cgot "$who" "$line" || notseen+=("$who lacks '${line% *}'")
            done
        done
        fail "cluster: after the failover (instances logged 'back in the shared room'): ${notseen[*]:-all delivered}; refused post delivered to: $(grep -lF "during outage $TOKEN" "$W/carol.out" "$W/dave.out" "$W/chost.out" 2>/dev/null | tr '\n' ' ')(none expected); errors for the netcat client, carol and dave: $errors_before before these posts, $(cat "$W/chost.out" "$W/carol.out" "$W/dave.out" 2>/dev/null | grep -ciE 'cannot reach the shared room|cluster-unavailable') after"
        for who in carol dave chost jay; do show_tail "$W/$who.out" 6; done
        dc --profile cluster logs --no-color --tail 8 "chat_server_$CAROL_ON" "chat_server_$DAVE_ON" 2>&1 | tail -n 18
    fi
    # The old primary, started again, follows the new one (Sentinel turns it into a replica).
    dc --profile cluster start redis >/dev/null 2>&1
    demoted() { [[ $(role_of redis) == slave ]]; }
    if wait_for 60 demoted; then
        pass "cluster: the old primary, started again, is now redis_replica's replica"
    else
        fail "cluster: the old primary, started again, is '$(role_of redis)', not a replica, after 60 s"
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
    dc --profile cluster stop -t 10 $CLUSTER_SERVICES >/dev/null 2>&1
    log "cluster stopped in $(($(date +%s) - t0)) s"
fi
