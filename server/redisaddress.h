// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <variant>

// Where a Redis server is: `redis://HOST[:PORT][/DB]`, as --redis and
// CHAT_REDIS take it (the form redis-cli -u and most clients accept).
struct RedisAddress {
    static constexpr quint16 kDefaultPort = 6379;

    QString host;
    quint16 port = kDefaultPort;
    int database = 0;

    // The address, or why `url` is not one (a sentence for the user).
    static std::variant<RedisAddress, QString> parse(const QString &url);
    QString toString() const;
};
