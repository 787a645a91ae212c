// SPDX-License-Identifier: MIT
#include "roster.h"

void Roster::remove(const QString &key)
{
    m_nicks.remove(key);
    m_ops.remove(key);
    m_away.remove(key);
}

void Roster::rename(const QString &oldKey, const QString &newKey, const QString &nick)
{
    m_nicks.remove(oldKey);
    m_nicks.insert(newKey, nick);
    if (oldKey != newKey && m_ops.remove(oldKey))
        m_ops.insert(newKey);
    if (oldKey != newKey && m_away.contains(oldKey))
        m_away.insert(newKey, m_away.take(oldKey));
}

void Roster::setAway(const QString &key, const QString &message)
{
    if (m_nicks.contains(key))
        m_away.insert(key, message);
}

std::optional<QString> Roster::awayMessage(const QString &key) const
{
    const auto it = m_away.constFind(key);
    if (it == m_away.cend())
        return std::nullopt;
    return *it;
}

Protocol::AwayMessages Roster::awayAmong(const QMap<QString, QString> &nicksByKey) const
{
    Protocol::AwayMessages away;
    for (auto it = m_away.cbegin(); it != m_away.cend(); ++it) {
        if (const auto nick = nicksByKey.constFind(it.key()); nick != nicksByKey.cend())
            away.insert(*nick, it.value());
    }
    return away;
}

void Roster::setOp(const QString &key)
{
    if (m_nicks.contains(key))
        m_ops.insert(key);
}

QStringList Roster::operators() const
{
    QStringList ops;
    for (auto it = m_nicks.cbegin(); it != m_nicks.cend(); ++it) {
        if (m_ops.contains(it.key()))
            ops.append(it.value());
    }
    return ops;
}
