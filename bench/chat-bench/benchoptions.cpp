// SPDX-License-Identifier: MIT
#include "benchoptions.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace {

constexpr int kUsageExitCode = 2;
// The smallest text that still holds "<nick>:<phase>:<seq>:<ns>:".
constexpr int kMinSize = 64;
constexpr int kMaxSize = 4000;   // PROTOCOL.md: text is at most 4,000 characters
constexpr long kMaxRooms = 1000; // ROOMS.md: chat-server's default --max-rooms

bool toLong(const char *text, long minimum, long maximum, long &out)
{
    char *end = nullptr;
    errno = 0;
    const long value = std::strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < minimum || value > maximum)
        return false;
    out = value;
    return true;
}

bool toDouble(const char *text, double minimum, double maximum, double &out)
{
    char *end = nullptr;
    const double value = std::strtod(text, &end);
    if (end == text || *end != '\0' || !(value >= minimum && value <= maximum))
        return false;
    out = value;
    return true;
}

// "N,N,...": at least one number, each in [minimum, maximum].
bool toLongList(const char *text, long minimum, long maximum, std::vector<long> &out)
{
    std::string_view rest = text;
    out.clear();
    while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        const std::string item(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        long value = 0;
        if (!toLong(item.c_str(), minimum, maximum, value))
            return false;
        out.push_back(value);
    }
    return !out.empty();
}

// "SxB:M,..." — senders x size : messages per sender, for example "1x64:1000,10x1024:100".
bool parsePhases(const char *text, std::vector<PhaseSpec> &phases)
{
    std::string_view rest = text;
    phases.clear();
    while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        const std::string item(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        PhaseSpec phase;
        char tail = '\0';
        if (std::sscanf(item.c_str(), "%dx%d:%d%c", &phase.senders, &phase.size, &phase.messages, &tail) != 3 ||
            phase.senders < 0 || phase.size < kMinSize || phase.size > kMaxSize || phase.messages < 1)
            return false;
        phases.push_back(phase);
    }
    return !phases.empty();
}

} // namespace

void BenchOptions::printUsage(bool toStdout)
{
    std::fprintf(toStdout ? stdout : stderr,
                 "usage: chat-bench [options]\n"
                 "Load generator for chat-server (JSON mode). Prints one JSON line on stdout.\n"
                 "  --host ADDR          loopback server address only (default 127.0.0.1)\n"
                 "  --port N[,N...]      server port (default 55555); with several, client i\n"
                 "                       connects to the (i mod count)-th (servers sharing a room)\n"
                 "  -n, --clients N      registered connections (default 10)\n"
                 "  -s, --senders N      how many of them send (default 1; 0: connect only);\n"
                 "                       with --rooms, how many in each room\n"
                 "  --rooms N            spread the clients over N rooms #bench-0.. (client i in\n"
                 "                       room i mod N, joined with hello); each sender says to its\n"
                 "                       room, and a delivery from another room fails the run\n"
                 "  -m, --messages N     messages per sender (default 100)\n"
                 "  --size BYTES         message text length, %d..%d (default 64)\n"
                 "  --rate R             messages/s per sender; 0 = closed loop (default 0)\n"
                 "  --window W           outstanding messages per sender (default 16)\n"
                 "  --duration S         stop sending after S seconds (default: no limit)\n"
                 "  --timeout S          end the whole run after S seconds (default 60)\n"
                 "  --connect-timeout S  give up registering clients after S seconds\n"
                 "  --phases LIST        several measurements over the same clients, one report\n"
                 "                       line each: SENDERSxSIZE:MESSAGES,... e.g. 1x64:500,10x1024:50\n"
                 "                       (with --rooms, SENDERS in each room)\n"
                 "  --connect-parallel N connections being set up at once (default 32)\n"
                 "  --quiet-ms MS        silence that ends the settle phase (default 300)\n"
                 "  --per-source N       connections per 127.0.0.x source address (default 5000)\n"
                 "  --server-pid PID[,PID...] sample these servers' RSS and CPU time (summed)\n"
                 "  --prefix P           nick prefix (default b); use another for a second copy\n"
                 "  --label L            copied into the report\n"
                 "Exit: 0 ok; 1 lost, duplicated, reordered or corrupt deliveries (with --rooms,\n"
                 "also foreign ones), or clients that failed to register; 2 usage; 3 timeout.\n",
                 kMinSize, kMaxSize);
}

std::optional<BenchOptions> BenchOptions::parse(int argc, char *argv[], int &exitCode)
{
    BenchOptions options;
    exitCode = kUsageExitCode;
    for (int i = 1; i < argc; ++i) {
        const std::string_view name = argv[i];
        if (name == "-h" || name == "--help") {
            printUsage(true);
            exitCode = 0;
            return std::nullopt;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "chat-bench: %s needs a value (or is unknown)\n", argv[i]);
            return std::nullopt;
        }
        const char *value = argv[++i];
        long n = 0;
        std::vector<long> list;
        bool ok = true;
        if (name == "--host") {
            options.host = value;
        } else if (name == "--port") {
            ok = toLongList(value, 1, 65535, list);
            options.ports.clear();
            for (const long port : list)
                options.ports.push_back(std::uint16_t(port));
        } else if (name == "-n" || name == "--clients") {
            ok = toLong(value, 1, 1'000'000, n);
            options.clients = int(n);
        } else if (name == "--rooms") {
            ok = toLong(value, 1, kMaxRooms, n);
            options.rooms = int(n);
        } else if (name == "-s" || name == "--senders") {
            ok = toLong(value, 0, 1'000'000, n);
            options.senders = int(n);
        } else if (name == "-m" || name == "--messages") {
            ok = toLong(value, 1, 100'000'000, n);
            options.messages = int(n);
        } else if (name == "--size") {
            ok = toLong(value, kMinSize, kMaxSize, n);
            options.size = int(n);
        } else if (name == "--rate") {
            ok = toDouble(value, 0, 1e7, options.rate);
        } else if (name == "--window") {
            ok = toLong(value, 1, 1'000'000, n);
            options.window = int(n);
        } else if (name == "--duration") {
            ok = toDouble(value, 0, 86400, options.duration);
        } else if (name == "--timeout") {
            ok = toDouble(value, 0.1, 86400, options.timeout);
        } else if (name == "--connect-timeout") {
            ok = toDouble(value, 0.1, 86400, options.connectTimeout);
        } else if (name == "--phases") {
            ok = parsePhases(value, options.phases);
        } else if (name == "--connect-parallel") {
            ok = toLong(value, 1, 100'000, n);
            options.connectParallel = int(n);
        } else if (name == "--quiet-ms") {
            ok = toLong(value, 0, 60'000, n);
            options.quietMs = int(n);
        } else if (name == "--per-source") {
            ok = toLong(value, 1, 1'000'000, n);
            options.connectionsPerSource = int(n);
        } else if (name == "--server-pid") {
            ok = toLongList(value, 1, 1L << 30, list);
            options.serverPids.clear();
            for (const long pid : list)
                options.serverPids.push_back(pid_t(pid));
        } else if (name == "--prefix") {
            options.prefix = value;
            ok = !options.prefix.empty() && options.prefix.size() <= 12 &&
                 options.prefix.find_first_of("0123456789:\"\\") == std::string::npos;
        } else if (name == "--label") {
            options.label = value;
            ok = options.label.find_first_of("\"\\") == std::string::npos;
        } else {
            std::fprintf(stderr, "chat-bench: unknown option %s\n", argv[i - 1]);
            printUsage(false);
            return std::nullopt;
        }
        if (!ok) {
            std::fprintf(stderr, "chat-bench: invalid value for %s: %s\n", argv[i - 1], value);
            return std::nullopt;
        }
    }
    if (options.phases.empty())
        options.phases.push_back(PhaseSpec{options.senders, options.size, options.messages});
    if (options.rooms > options.clients) {
        std::fprintf(stderr, "chat-bench: %d rooms need at least as many clients (%d)\n", options.rooms,
                     options.clients);
        return std::nullopt;
    }
    const int roomCount = std::max(1, options.rooms);
    for (const PhaseSpec &phase : options.phases) {
        if (long(phase.senders) * roomCount > options.clients) {
            std::fprintf(stderr, "chat-bench: %d senders in each of %d rooms exceed %d clients\n", phase.senders,
                         roomCount, options.clients);
            return std::nullopt;
        }
    }
    exitCode = 0;
    return options;
}
