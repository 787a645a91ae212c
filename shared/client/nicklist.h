// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

// Lists of nicknames as the client keeps them (the users online, the
// operators): sorted for display, matched the way the server matches them
// (Validation::nickKey), so "Alice" and "alice" are one user.
class NickList
{
public:
    NickList() = delete;

    static bool same(const QString &a, const QString &b);
    static bool contains(const QStringList &nicks, const QString &nick);
    static QStringList sorted(QStringList nicks);
    static QStringList without(QStringList nicks, const QString &nick);
    static QStringList renamed(QStringList nicks, const QString &from, const QString &to);
};
