// SPDX-License-Identifier: MIT
#include "inputhistory.h"

#include <algorithm>

InputHistory::InputHistory(int capacity) : m_capacity(std::max(1, capacity))
{}

void InputHistory::add(const QString &entry)
{
    stopBrowsing();
    if (entry.trimmed().isEmpty())
        return;
    if (!m_entries.isEmpty() && m_entries.constLast() == entry)
        return;
    m_entries.append(entry);
    if (m_entries.size() > m_capacity)
        m_entries.removeFirst();
}

std::optional<QString> InputHistory::previous(const QString &draft)
{
    if (m_entries.isEmpty())
        return std::nullopt;
    if (m_position < 0) {
        m_draft = draft;
        m_position = int(m_entries.size());
    }
    if (m_position == 0)
        return std::nullopt;
    --m_position;
    return m_entries.at(m_position);
}

std::optional<QString> InputHistory::next()
{
    if (m_position < 0)
        return std::nullopt;
    ++m_position;
    if (m_position >= m_entries.size()) {
        const QString draft = m_draft;
        stopBrowsing();
        return draft;
    }
    return m_entries.at(m_position);
}

void InputHistory::stopBrowsing()
{
    m_position = -1;
    m_draft.clear();
}
