// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

// CLOCK_MONOTONIC in nanoseconds: the one clock chat-bench puts into message
// texts and compares on receipt (sender and receivers share the machine).
namespace MonotonicClock {

std::int64_t nowNs();

constexpr std::int64_t kNsPerMs = 1'000'000;
constexpr std::int64_t kNsPerSecond = 1'000'000'000;

constexpr double seconds(std::int64_t ns)
{
    return double(ns) / double(kNsPerSecond);
}

constexpr double milliseconds(std::int64_t ns)
{
    return double(ns) / double(kNsPerMs);
}

} // namespace MonotonicClock
