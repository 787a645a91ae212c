// SPDX-License-Identifier: MIT
#include "latencyhistogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace {
constexpr int kExactBuckets = 128;
constexpr int kSubBucketBits = 6; // 64 sub-buckets per power of two
constexpr int kSubBuckets = 1 << kSubBucketBits;
constexpr int kMaxShift = 64 - kSubBucketBits;
constexpr int kBucketCount = kExactBuckets + kMaxShift * kSubBuckets;
} // namespace

LatencyHistogram::LatencyHistogram() : m_buckets(kBucketCount, 0)
{}

int LatencyHistogram::bucketOf(std::uint64_t micros)
{
    if (micros < std::uint64_t(kExactBuckets))
        return int(micros);
    const int msb = 63 - std::countl_zero(micros);
    const int shift = msb - kSubBucketBits; // >= 1, so (micros >> shift) is in [64, 128)
    return kExactBuckets + (shift - 1) * kSubBuckets + int(micros >> shift) - kSubBuckets;
}

std::int64_t LatencyHistogram::upperBoundOf(int bucket)
{
    if (bucket < kExactBuckets)
        return bucket;
    const int shift = (bucket - kExactBuckets) / kSubBuckets + 1;
    const std::int64_t sub = (bucket - kExactBuckets) % kSubBuckets + kSubBuckets;
    return ((sub + 1) << shift) - 1;
}

void LatencyHistogram::record(std::int64_t micros)
{
    const std::uint64_t value = micros < 0 ? 0 : std::uint64_t(micros);
    ++m_buckets[std::size_t(bucketOf(value))];
    ++m_count;
    m_max = std::max(m_max, std::int64_t(value));
}

std::int64_t LatencyHistogram::percentile(double p) const
{
    if (m_count == 0)
        return 0;
    const auto rank = std::uint64_t(std::ceil(p * double(m_count)));
    std::uint64_t seen = 0;
    for (int bucket = 0; bucket < kBucketCount; ++bucket) {
        seen += m_buckets[std::size_t(bucket)];
        if (seen >= std::max<std::uint64_t>(rank, 1))
            return std::min(upperBoundOf(bucket), m_max);
    }
    return m_max;
}
