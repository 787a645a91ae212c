# SPDX-License-Identifier: MIT
# Sourced by the bench scripts (cluster.sh, recovery.sh): what they share.

# free_port: a loopback TCP port nobody listens on (bounded tries).
free_port() {
    local port
    for _ in $(seq 50); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    echo "${0##*/}: no free port found" >&2
    exit 1
}
