// SPDX-License-Identifier: MIT
#include "redisaddress.h"

#include <QUrl>

#include <optional>

using namespace Qt::StringLiterals;

namespace {
constexpr QStringView kSentinelScheme = u"redis-sentinel://";

// The database after a `/`, or -1 when it is not a number.
int databaseOf(const QString &text)
{
    if (text.isEmpty())
        return 0;
    bool ok = false;
    const int database = text.toInt(&ok);
    return ok && database >= 0 ? database : -1;
}

// HOST[:PORT] or [IPV6][:PORT]; nullopt when it is neither.
std::optional<RedisAddress::Endpoint> endpointOf(const QString &text, quint16 defaultPort)
{
    QString host = text;
    QString port;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u']');
        if (close < 0)
            return std::nullopt;
        host = text.mid(1, close - 1);
        const QString rest = text.mid(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(u':'))
            return std::nullopt;
        port = rest.mid(1);
        if (rest == u":"_s)
            return std::nullopt;
    } else if (const qsizetype colon = text.lastIndexOf(u':'); colon >= 0) {
        host = text.left(colon);
        port = text.mid(colon + 1);
        if (port.isEmpty())
            return std::nullopt;
    }
    if (host.isEmpty() || host.contains(u':') != text.startsWith(u'['))
        return std::nullopt;
    RedisAddress::Endpoint endpoint{host, defaultPort};
    if (!port.isEmpty()) {
        bool ok = false;
        const uint number = port.toUInt(&ok);
        if (!ok || number == 0 || number > 65535)
            return std::nullopt;
        endpoint.port = quint16(number);
    }
    return endpoint;
}

std::variant<RedisAddress, QString> parseSentinel(const QString &url)
{
    const QString usage = u"%1: write redis-sentinel://HOST[:PORT][,HOST[:PORT]...]/MASTERNAME[/DB], for example "
                          u"redis-sentinel://10.0.0.1:26379,10.0.0.2:26379/mymaster"_s.arg(url);
    const QStringList parts = url.mid(kSentinelScheme.size()).split(u'/');
    if (parts.size() < 2 || parts.size() > 3 || parts.at(1).isEmpty())
        return usage;
    RedisAddress address;
    for (const QString &sentinel : parts.at(0).split(u',')) {
        const auto endpoint = endpointOf(sentinel, RedisAddress::kDefaultSentinelPort);
        if (!endpoint)
            return usage;
        address.sentinels.append(*endpoint);
    }
    address.masterName = parts.at(1);
    if (address.masterName.contains(u'?') || address.masterName.contains(u'#') || address.masterName.contains(u'@'))
        return usage;
    address.database = databaseOf(parts.value(2));
    if (address.database < 0)
        return u"%1: the database after the master name must be a number (0, 1, ...)"_s.arg(url);
    return address;
}
} // namespace

std::variant<RedisAddress, QString> RedisAddress::parse(const QString &text)
{
    const QString url = text.trimmed();
    if (url.startsWith(kSentinelScheme))
        return parseSentinel(url);
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.scheme() != u"redis"_s || parsed.host().isEmpty())
        return u"%1 is not a Redis address; write redis://HOST:PORT, for example redis://127.0.0.1:6379, "
               u"or redis-sentinel://HOST:PORT[,HOST:PORT...]/MASTERNAME"_s.arg(text);
    if (!parsed.userInfo().isEmpty() || parsed.hasQuery() || parsed.hasFragment())
        return u"%1: only redis://HOST[:PORT][/DB] is supported (no password, query or fragment)"_s.arg(text);
    RedisAddress address;
    address.host = parsed.host();
    const int port = parsed.port(kDefaultPort);
    if (port <= 0 || port > 65535)
        return u"%1: the port must be between 1 and 65535"_s.arg(text);
    address.port = quint16(port);
    QString path = parsed.path();
    if (path.startsWith(u'/'))
        path.remove(0, 1);
    address.database = databaseOf(path);
    if (address.database < 0)
        return u"%1: the database after the / must be a number (0, 1, ...)"_s.arg(text);
    return address;
}

QString RedisAddress::toString() const
{
    if (!usesSentinel())
        return u"redis://%1:%2/%3"_s.arg(host).arg(port).arg(database);
    QStringList endpoints;
    for (const Endpoint &sentinel : sentinels) {
        const QString shownHost = sentinel.host.contains(u':') ? u"[%1]"_s.arg(sentinel.host) : sentinel.host;
        endpoints.append(u"%1:%2"_s.arg(shownHost).arg(sentinel.port));
    }
    return u"redis-sentinel://%1/%2/%3"_s.arg(endpoints.join(u','), masterName).arg(database);
}
