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
#   5. brings up the `cluster` profile (redis with redis_replica and
#      sentinel_1..3, chat_server_1..3, haproxy):
#      clients on different instances talk to each other and see one order,
#      a netcat client on the host through haproxy's published port joins
#      in, nicknames are unique across instances, a killed instance's user
#      leaves the list and haproxy sends new clients elsewhere, and killing
#      the Redis primary gives `cluster-unavailable` until the Sentinels
#      promote the replica, after which messages flow again by themselves
#      and the old primary, started again, becomes the replica;
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


# The steps, in order, each in its own file under scripts/container-test/
# (all share this shell: its variables, functions and cleanup trap).
for part in common engine single cluster; do
    # shellcheck source=/dev/null
    source "$ROOT/scripts/container-test/$part.sh"
done
