// SPDX-License-Identifier: MIT
// limit-server: the reference relay chat-bench compares chat-server with.
#include "filelimit.h"
#include "limitserver.h"
#include "loopback.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

constexpr std::uint16_t kDefaultPort = 55556;

int usage(int status)
{
    std::fprintf(status == 0 ? stdout : stderr,
                 "usage: limit-server [--host LOOPBACK_ADDR] [--port N] [--fault drop|duplicate|reorder|leak]\n"
                 "  Single-threaded epoll relay for chat-bench (default 127.0.0.1:%u; port 0 picks one).\n"
                 "  --fault misdelivers every 97th message to the newest client (to test chat-bench);\n"
                 "  leak answers hello.rooms and labels messages with their room, but relays every\n"
                 "  message to everyone (to test chat-bench --rooms).\n"
                 "  Prints 'listening on ADDR:PORT' on stderr once ready; SIGINT/SIGTERM stop it.\n",
                 unsigned(kDefaultPort));
    return status;
}

} // namespace

int main(int argc, char *argv[])
{
    std::string host = "127.0.0.1";
    long port = kDefaultPort;
    LimitServer::Fault fault = LimitServer::Fault::None;
    for (int i = 1; i < argc; ++i) {
        const bool hasValue = i + 1 < argc;
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0)
            return usage(0);
        if (std::strcmp(argv[i], "--host") == 0 && hasValue) {
            host = argv[++i];
        } else if (std::strcmp(argv[i], "--port") == 0 && hasValue) {
            char *end = nullptr;
            port = std::strtol(argv[++i], &end, 10);
            if (*end != '\0' || port < 0 || port > 65535)
                return usage(2);
        } else if (std::strcmp(argv[i], "--fault") == 0 && hasValue) {
            const std::string kind = argv[++i];
            if (kind == "drop")
                fault = LimitServer::Fault::Drop;
            else if (kind == "duplicate")
                fault = LimitServer::Fault::Duplicate;
            else if (kind == "reorder")
                fault = LimitServer::Fault::Reorder;
            else if (kind == "leak")
                fault = LimitServer::Fault::Leak;
            else
                return usage(2);
        } else {
            return usage(2);
        }
    }

    const auto address = Loopback::resolve(host, std::uint16_t(port));
    if (!address) {
        std::fprintf(stderr, "limit-server: %s is not a loopback address; refusing\n", host.c_str());
        return 2;
    }
    FileLimit::raiseToHardLimit();
    LimitServer server(fault);
    if (!server.listen(*address)) {
        std::fprintf(stderr, "limit-server: cannot listen on %s: %s\n", Loopback::toString(*address).c_str(),
                     std::strerror(errno));
        return 1;
    }
    std::fprintf(stderr, "limit-server: listening on %s:%u\n", host.c_str(), unsigned(server.port()));
    return server.run();
}
