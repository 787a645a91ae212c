// SPDX-License-Identifier: MIT
#include "deliveryledger.h"

namespace {
constexpr int kBitsPerWord = 64;
constexpr std::int64_t kNoId = -1;
} // namespace

DeliveryLedger::DeliveryLedger(int receivers, int senders)
    : m_senders(senders)
    , m_streams(std::size_t(receivers) * std::size_t(senders))
    , m_lastId(std::size_t(receivers), kNoId)
    , m_received(std::size_t(receivers), 0)
    , m_idOf(std::size_t(senders))
{}

DeliveryLedger::Stream &DeliveryLedger::stream(int receiver, int sender)
{
    return m_streams[std::size_t(receiver) * std::size_t(m_senders) + std::size_t(sender)];
}

DeliveryLedger::Outcome DeliveryLedger::record(int receiver, int sender, int seq, std::int64_t id)
{
    Stream &s = stream(receiver, sender);
    const std::size_t word = std::size_t(seq / kBitsPerWord);
    const std::uint64_t bit = std::uint64_t(1) << (seq % kBitsPerWord);
    if (s.seen.size() <= word)
        s.seen.resize(word + 1 + s.seen.size() / 2, 0);
    if (s.seen[word] & bit) {
        ++m_duplicates;
        return Outcome::Duplicate;
    }
    s.seen[word] |= bit;
    ++m_unique;
    ++m_received[std::size_t(receiver)];

    bool inOrder = true;
    if (seq <= s.maxSeq)
        inOrder = false;
    else
        s.maxSeq = seq;

    std::int64_t &lastId = m_lastId[std::size_t(receiver)];
    if (id <= lastId)
        inOrder = false;
    else
        lastId = id;

    std::vector<std::int64_t> &ids = m_idOf[std::size_t(sender)];
    if (ids.size() <= std::size_t(seq))
        ids.resize(std::size_t(seq) + 1 + ids.size() / 2, kNoId);
    if (ids[std::size_t(seq)] == kNoId)
        ids[std::size_t(seq)] = id;
    else if (ids[std::size_t(seq)] != id)
        inOrder = false; // another receiver saw this message under another id

    if (inOrder)
        return Outcome::Fresh;
    ++m_outOfOrder;
    return Outcome::OutOfOrder;
}
