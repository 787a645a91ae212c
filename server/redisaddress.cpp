// SPDX-License-Identifier: MIT
#include "redisaddress.h"

#include <QUrl>

using namespace Qt::StringLiterals;

std::variant<RedisAddress, QString> RedisAddress::parse(const QString &url)
{
    const QUrl parsed(url.trimmed(), QUrl::StrictMode);
    if (!parsed.isValid() || parsed.scheme() != u"redis"_s || parsed.host().isEmpty())
        return u"%1 is not a Redis address; write redis://HOST:PORT, for example redis://127.0.0.1:6379"_s.arg(url);
    if (!parsed.userInfo().isEmpty() || parsed.hasQuery() || parsed.hasFragment())
        return u"%1: only redis://HOST[:PORT][/DB] is supported (no password, query or fragment)"_s.arg(url);
    RedisAddress address;
    address.host = parsed.host();
    const int port = parsed.port(kDefaultPort);
    if (port <= 0 || port > 65535)
        return u"%1: the port must be between 1 and 65535"_s.arg(url);
    address.port = quint16(port);
    QString path = parsed.path();
    if (path.startsWith(u'/'))
        path.remove(0, 1);
    if (!path.isEmpty()) {
        bool ok = false;
        address.database = path.toInt(&ok);
        if (!ok || address.database < 0)
            return u"%1: the database after the / must be a number (0, 1, ...)"_s.arg(url);
    }
    return address;
}

QString RedisAddress::toString() const
{
    return u"redis://%1:%2/%3"_s.arg(host).arg(port).arg(database);
}
