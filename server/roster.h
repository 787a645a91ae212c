// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

// Everyone in a room shared by several instances, by nick key
// (Validation::nickKey): what `welcome` and `users` list there. Kept up to
// date from the room's stream, so every instance lists the same users.
class Roster final
{
public:
    void add(const QString &key, const QString &nick) { m_nicks.insert(key, nick); }
    void remove(const QString &key);
    void rename(const QString &oldKey, const QString &newKey, const QString &nick);
    void setOp(const QString &key);
    // Presence (docs/protocol.md, "Presence"): away until cleared, renamed
    // or removed with the user.
    void setAway(const QString &key, const QString &message);
    void clearAway(const QString &key) { m_away.remove(key); }

    bool contains(const QString &key) const { return m_nicks.contains(key); }
    int size() const { return int(m_nicks.size()); }
    QString nick(const QString &key) const { return m_nicks.value(key); }
    // Sorted by key, the order `users` promises.
    QStringList users() const { return m_nicks.values(); }
    QStringList operators() const;
    std::optional<QString> awayMessage(const QString &key) const;
    // The away users among `nicksByKey` (nick key -> nick), by nick.
    Protocol::AwayMessages awayAmong(const QMap<QString, QString> &nicksByKey) const;
    Protocol::AwayMessages away() const { return awayAmong(m_nicks); }

private:
    QMap<QString, QString> m_nicks; // sorted by key
    QSet<QString> m_ops;
    QMap<QString, QString> m_away; // nick key -> away message
};
