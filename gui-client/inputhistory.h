// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

// What the user sent, for Up/Down recall in the input box, like a shell:
// the newest entry comes first, the draft being typed is kept aside while
// browsing and comes back after the newest entry.
class InputHistory final
{
public:
    static constexpr int kDefaultCapacity = 100;

    explicit InputHistory(int capacity = kDefaultCapacity);

    // Empty lines and a repeat of the newest entry are not recorded.
    void add(const QString &entry);

    // One step back in time; `draft` is what the input holds now (kept when
    // browsing starts). nullopt at the oldest entry.
    std::optional<QString> previous(const QString &draft);
    // One step forward; after the newest entry, the kept draft. nullopt when not browsing.
    std::optional<QString> next();

    // Leaves browsing mode (the user edited or sent the recalled text).
    void stopBrowsing();
    bool isBrowsing() const { return m_position >= 0; }

    int size() const { return int(m_entries.size()); }
    int capacity() const { return m_capacity; }
    const QStringList &entries() const { return m_entries; } // oldest first

private:
    QStringList m_entries;
    int m_capacity;
    int m_position = -1; // index into m_entries while browsing
    QString m_draft;
};
