// SPDX-License-Identifier: MIT
// chat-bench: a load generator for chat-server; one JSON line on stdout.
#include "benchoptions.h"
#include "benchreport.h"
#include "loadgenerator.h"

#include <csignal>
#include <cstdio>

namespace {
constexpr int kExitOk = 0;
constexpr int kExitDeliveryFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitTimeout = 3;
} // namespace

int main(int argc, char *argv[])
{
    int exitCode = 0;
    const std::optional<BenchOptions> options = BenchOptions::parse(argc, argv, exitCode);
    if (!options)
        return exitCode;
    ::signal(SIGPIPE, SIG_IGN);

    bool timedOut = false;
    bool failed = false;
    auto print = [&timedOut, &failed](const BenchReport &report) {
        std::printf("%s\n", report.toJson().c_str());
        std::fflush(stdout);
        timedOut = timedOut || report.timedOut;
        failed = failed || !report.deliveryOk() || report.connectFailures > 0;
    };
    LoadGenerator generator(*options);
    std::string error;
    if (!generator.run(print, error)) {
        std::fprintf(stderr, "chat-bench: %s\n", error.c_str());
        return kExitUsage;
    }
    if (timedOut)
        return kExitTimeout;
    return failed ? kExitDeliveryFailure : kExitOk;
}
