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

    BenchReport report;
    LoadGenerator generator(*options);
    if (!generator.run(report)) {
        std::fprintf(stderr, "chat-bench: %s\n", report.firstError.c_str());
        return kExitUsage;
    }
    std::printf("%s\n", report.toJson().c_str());
    std::fflush(stdout);

    if (report.timedOut)
        return kExitTimeout;
    if (!report.deliveryOk() || report.connectFailures > 0)
        return kExitDeliveryFailure;
    return kExitOk;
}
