// SPDX-License-Identifier: MIT
#include "nicklist.h"

#include "validation.h"

#include <algorithm>

bool NickList::same(const QString &a, const QString &b)
{
    return Validation::nickKey(a) == Validation::nickKey(b);
}

bool NickList::contains(const QStringList &nicks, const QString &nick)
{
    const QString key = Validation::nickKey(nick);
    return std::any_of(nicks.cbegin(), nicks.cend(),
                       [&key](const QString &other) { return Validation::nickKey(other) == key; });
}

QStringList NickList::sorted(QStringList nicks)
{
    std::sort(nicks.begin(), nicks.end(), Validation::nickLessThan);
    return nicks;
}

QStringList NickList::without(QStringList nicks, const QString &nick)
{
    nicks.removeIf([&nick](const QString &other) { return same(other, nick); });
    return nicks;
}

QStringList NickList::renamed(QStringList nicks, const QString &from, const QString &to)
{
    for (QString &nick : nicks) {
        if (same(nick, from))
            nick = to;
    }
    return nicks;
}
