// SPDX-License-Identifier: MIT
// recovery-bench: how a cluster of chat-server instances rides out a Redis
// pause, the loss of an instance and the loss of the Redis primary (issue #16). Prints figures; it fails
// only when something did not recover at all, never on timing.
#include "failoverprobe.h"
#include "killrecovery.h"
#include "loopback.h"
#include "pauseprobe.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

int usage(int status)
{
    std::fprintf(status == 0 ? stdout : stderr,
                 "usage: recovery-bench pause --port P1,P2[,P3] --redis-port R [--pause SECS] [--clients N]\n"
                 "                            [--ping-ms MS] [--post-ms MS] [--watch-ms MS]\n"
                 "       recovery-bench kill --port A,B --kill-pid PID [-n N] [--no-resume] [--retry-ms MS]\n"
                 "                           [--timeout-ms MS] [--rooms R]\n"
                 "       recovery-bench failover --port P1[,P2...] --kill-pid PID [--listeners K] [--rate N]\n"
                 "                               [--warmup-ms MS] [--after-kill-ms MS]\n"
                 "  pause: one pinger, one poster and N idle clients per instance; sends DEBUG SLEEP to the\n"
                 "    Redis on 127.0.0.1:R itself, then prints per instance the ping round trip during the\n"
                 "    pause, refused posts, the first post accepted after it and the `left` events seen.\n"
                 "  kill: N clients (default 100) on A; SIGKILLs PID (A's chat-server); each client then says\n"
                 "    hello on B with its nickname (and resume token, unless --no-resume) until it is back\n"
                 "    (with --rooms, each client is in R rooms besides #lobby, asked again in its hello on B).\n"
                 "  failover: one poster and K listeners (default 5) per instance, the posters sharing N posts/s\n"
                 "    (default 100); SIGKILLs PID (the Redis primary under Sentinel) after the warm-up (3000 ms)\n"
                 "    and posts on for MS (25000); prints the time to the first accepted and to steady posting\n"
                 "    per instance, refusals, and reused ids, reordered, repeated and lost deliveries.\n"
                 "  Loopback only (127.0.0.1).\n");
    return status;
}

std::optional<long> number(const char *text)
{
    char *end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (*end != '\0' || value < 0)
        return std::nullopt;
    return value;
}

std::optional<std::vector<Loopback::Address>> ports(const std::string &list)
{
    std::vector<Loopback::Address> out;
    std::stringstream stream(list);
    std::string item;
    while (std::getline(stream, item, ',')) {
        const auto port = number(item.c_str());
        constexpr long kMaxPort = 65535;
        if (!port || *port == 0 || *port > kMaxPort)
            return std::nullopt;
        out.push_back(*Loopback::resolve("127.0.0.1", std::uint16_t(*port)));
    }
    return out;
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc < 2)
        return usage(2);
    const std::string mode = argv[1];
    if (mode == "--help" || mode == "-h")
        return usage(0);
    if (mode != "pause" && mode != "kill" && mode != "failover")
        return usage(2);

    PauseProbe::Options pauseOptions;
    KillRecovery::Options killOptions;
    FailoverProbe::Options failoverOptions;
    std::vector<Loopback::Address> servers;
    for (int i = 2; i < argc; ++i) {
        const std::string option = argv[i];
        if (option == "--no-resume") {
            killOptions.useResume = false;
            continue;
        }
        if (i + 1 >= argc)
            return usage(2);
        const char *value = argv[++i];
        if (option == "--port") {
            const auto list = ports(value);
            if (!list)
                return usage(2);
            servers = *list;
            continue;
        }
        const auto n = number(value);
        if (!n)
            return usage(2);
        if (option == "--redis-port")
            pauseOptions.redis = *Loopback::resolve("127.0.0.1", std::uint16_t(*n));
        else if (option == "--pause")
            pauseOptions.pauseSeconds = int(*n);
        else if (option == "--clients")
            pauseOptions.idleClientsPerServer = int(*n);
        else if (option == "--ping-ms")
            pauseOptions.pingIntervalMs = int(*n);
        else if (option == "--post-ms")
            pauseOptions.postIntervalMs = int(*n);
        else if (option == "--watch-ms")
            pauseOptions.watchAfterMs = int(*n);
        else if (option == "--kill-pid")
            killOptions.killPid = failoverOptions.killPid = pid_t(*n);
        else if (option == "-n")
            killOptions.clients = int(*n);
        else if (option == "--retry-ms")
            killOptions.retryMs = int(*n);
        else if (option == "--timeout-ms")
            killOptions.timeoutMs = int(*n);
        else if (option == "--rooms")
            killOptions.rooms = int(*n);
        else if (option == "--listeners")
            failoverOptions.listenersPerServer = int(*n);
        else if (option == "--rate")
            failoverOptions.ratePerSecond = int(*n);
        else if (option == "--warmup-ms")
            failoverOptions.warmupMs = int(*n);
        else if (option == "--after-kill-ms")
            failoverOptions.afterKillMs = int(*n);
        else
            return usage(2);
    }

    if (mode == "pause") {
        if (servers.empty() || pauseOptions.redis.length == 0)
            return usage(2);
        pauseOptions.servers = servers;
        return PauseProbe(pauseOptions).run();
    }
    if (mode == "failover") {
        if (servers.empty() || failoverOptions.killPid <= 0)
            return usage(2);
        failoverOptions.servers = servers;
        return FailoverProbe(failoverOptions).run();
    }
    if (servers.size() != 2 || killOptions.killPid <= 0)
        return usage(2);
    killOptions.serverA = servers[0];
    killOptions.serverB = servers[1];
    return KillRecovery(killOptions).run();
}
