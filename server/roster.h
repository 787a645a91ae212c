// SPDX-License-Identifier: MIT
#pragma once

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

    bool contains(const QString &key) const { return m_nicks.contains(key); }
    int size() const { return int(m_nicks.size()); }
    QString nick(const QString &key) const { return m_nicks.value(key); }
    // Sorted by key, the order `users` promises.
    QStringList users() const { return m_nicks.values(); }
    QStringList operators() const;

private:
    QMap<QString, QString> m_nicks; // sorted by key
    QSet<QString> m_ops;
};
