// SPDX-License-Identifier: MIT
#include "failoverledger.h"

#include <algorithm>
#include <utility>

FailoverLedger::FailoverLedger(std::vector<bool> isListener)
{
    m_clients.resize(isListener.size());
    for (std::size_t i = 0; i < isListener.size(); ++i)
        m_clients[i].isListener = isListener[i];
}

void FailoverLedger::noteText(std::int64_t id, std::string_view text)
{
    m_deliveredTexts.emplace(text);
    const auto [known, inserted] = m_textOf.try_emplace(id, text);
    if (!inserted && known->second != text) {
        auto &texts = m_reused[id];
        texts.insert(known->second);
        texts.emplace(text);
    }
}

void FailoverLedger::accepted(std::int64_t id, std::string_view text)
{
    m_accepted.insert(id);
    noteText(id, text);
}

void FailoverLedger::refused(std::string_view text)
{
    m_refusedTexts.emplace(text);
}

void FailoverLedger::received(int clientIndex, std::int64_t id, std::string_view text)
{
    Client &client = m_clients[std::size_t(clientIndex)];
    noteText(id, text);
    const bool seenBefore = !client.ids.insert(id).second;
    if (id > client.highestId) {
        client.highestId = id;
        return;
    }
    // Not above the highest: the same message again, or one out of order
    // (a reused id with another text is counted by noteText as well).
    const auto known = m_textOf.find(id);
    if (seenBefore && known != m_textOf.end() && known->second == text) {
        ++client.duplicates;
        return;
    }
    ++client.reordered;
    if (m_firstReorder.empty())
        m_firstReorder = "client " + std::to_string(clientIndex) + ": id " + std::to_string(id) + " (" +
                         std::string(text) + ") after id " + std::to_string(client.highestId);
}

FailoverLedger::Figures FailoverLedger::figures() const
{
    Figures out;
    out.accepted = int(m_accepted.size());
    out.reusedIds = int(m_reused.size());
    out.firstReorder = m_firstReorder;
    if (!m_reused.empty()) {
        const auto &[id, texts] = *m_reused.begin();
        out.firstReuse = "id " + std::to_string(id) + ":";
        for (const std::string &text : texts)
            out.firstReuse += " " + text;
    }
    std::set<std::int64_t> lostSomewhere;
    for (const Client &client : m_clients) {
        out.reordered += client.reordered;
        out.duplicates += client.duplicates;
        if (!client.isListener)
            continue;
        ClientFigures figures;
        figures.received = int(client.ids.size()) + client.duplicates;
        figures.reordered = client.reordered;
        figures.duplicates = client.duplicates;
        for (const std::int64_t id : m_accepted) {
            if (client.ids.count(id) == 0) {
                ++figures.lost;
                lostSomewhere.insert(id);
            }
        }
        out.lostPairs += figures.lost;
        out.listeners.push_back(figures);
    }
    out.lostMessages = int(lostSomewhere.size());
    out.refusedButDelivered =
        int(std::count_if(m_refusedTexts.begin(), m_refusedTexts.end(),
                          [this](const std::string &t) { return m_deliveredTexts.count(t) > 0; }));
    return out;
}
