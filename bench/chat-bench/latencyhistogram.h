// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <vector>

// Log-linear histogram of latencies in microseconds: exact below 128 µs,
// then 64 buckets per power of two (at most 1.6 % error), so millions of
// deliveries cost a few kilobytes instead of a sorted array.
class LatencyHistogram
{
public:
    LatencyHistogram();

    void record(std::int64_t micros);
    std::uint64_t count() const { return m_count; }
    std::int64_t max() const { return m_max; }
    // The value below which the fraction p (0..1] of the samples lie.
    std::int64_t percentile(double p) const;

private:
    static int bucketOf(std::uint64_t micros);
    static std::int64_t upperBoundOf(int bucket);

    std::vector<std::uint64_t> m_buckets;
    std::uint64_t m_count = 0;
    std::int64_t m_max = 0;
};
