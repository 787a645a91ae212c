// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>

#include <variant>

// Where a Redis server is, as --redis and CHAT_REDIS take it: either
// `redis://HOST[:PORT][/DB]` (the form redis-cli -u and most clients accept),
// or `redis-sentinel://HOST[:PORT][,HOST[:PORT]...]/MASTERNAME[/DB]`: the
// Sentinels to ask which server is the primary of MASTERNAME, so that a
// failover is followed without restarting anything.
struct RedisAddress {
    static constexpr quint16 kDefaultPort = 6379;
    static constexpr quint16 kDefaultSentinelPort = 26379;

    struct Endpoint {
        QString host;
        quint16 port = kDefaultPort;
        bool operator==(const Endpoint &) const = default;
    };

    // With Sentinel: empty until RedisConnection asked the Sentinels.
    QString host;
    quint16 port = kDefaultPort;
    int database = 0;
    // With Sentinel only: whom to ask, and for which primary.
    QList<Endpoint> sentinels;
    QString masterName;

    bool usesSentinel() const { return !masterName.isEmpty(); }

    // A server reached directly (redis://HOST:PORT/DB).
    static RedisAddress server(QString host, quint16 port, int database = 0)
    {
        RedisAddress address;
        address.host = std::move(host);
        address.port = port;
        address.database = database;
        return address;
    }
    // The address, or why `url` is not one (a sentence for the user).
    static std::variant<RedisAddress, QString> parse(const QString &url);
    QString toString() const;
};
