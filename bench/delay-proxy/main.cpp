// SPDX-License-Identifier: MIT
// delay-proxy: a loopback TCP relay that delays each direction by a fixed
// time, to put a network's latency between chat-server and Redis (issue #16).
#include "delayproxy.h"
#include "loopback.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

constexpr long kDefaultDelayUs = 250;
constexpr long kMaxPort = 65535;
constexpr std::int64_t kNsPerUs = 1000;

int usage(int status)
{
    std::fprintf(status == 0 ? stdout : stderr,
                 "usage: delay-proxy --target-port P [--port N] [--delay-us US]\n"
                 "  Relays 127.0.0.1:N (default 0: a free port) to 127.0.0.1:P, holding each chunk US\n"
                 "  microseconds (default %ld) in each direction. Prints 'listening on 127.0.0.1:PORT' on\n"
                 "  stderr once ready; SIGINT/SIGTERM stop it.\n",
                 kDefaultDelayUs);
    return status;
}

bool number(const char *text, long max, long &value)
{
    char *end = nullptr;
    value = std::strtol(text, &end, 10);
    return *end == '\0' && value >= 0 && value <= max;
}

} // namespace

int main(int argc, char *argv[])
{
    long port = 0;
    long target = 0;
    long delayUs = kDefaultDelayUs;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0)
            return usage(0);
        if (i + 1 >= argc)
            return usage(2);
        const char *value = argv[++i];
        bool ok = false;
        if (std::strcmp(argv[i - 1], "--port") == 0)
            ok = number(value, kMaxPort, port);
        else if (std::strcmp(argv[i - 1], "--target-port") == 0)
            ok = number(value, kMaxPort, target);
        else if (std::strcmp(argv[i - 1], "--delay-us") == 0)
            ok = number(value, 1'000'000, delayUs);
        if (!ok)
            return usage(2);
    }
    if (target == 0)
        return usage(2);
    DelayProxy proxy(*Loopback::resolve("127.0.0.1", std::uint16_t(target)), delayUs * kNsPerUs);
    if (!proxy.listen(*Loopback::resolve("127.0.0.1", std::uint16_t(port)))) {
        std::perror("delay-proxy: listen");
        return 1;
    }
    std::fprintf(stderr, "delay-proxy: listening on 127.0.0.1:%u, %ld µs each way to 127.0.0.1:%ld\n",
                 unsigned(proxy.port()), delayUs, target);
    return proxy.run();
}
