// SPDX-License-Identifier: MIT
#include "roster.h"

void Roster::remove(const QString &key)
{
    m_nicks.remove(key);
    m_ops.remove(key);
}

void Roster::rename(const QString &oldKey, const QString &newKey, const QString &nick)
{
    m_nicks.remove(oldKey);
    m_nicks.insert(newKey, nick);
    if (oldKey != newKey && m_ops.remove(oldKey))
        m_ops.insert(newKey);
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
