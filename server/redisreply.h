// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>

struct redisReply;

// A copy of one hiredis reply, so that no hiredis type (or its manual
// freeing) leaves the two classes that talk to Redis.
struct RedisReply {
    enum class Type { Nil, Status, Error, Integer, String, Array };

    Type type = Type::Nil;
    qint64 integer = 0;
    QByteArray string; // Status, Error and String
    QList<RedisReply> elements;

    static RedisReply from(const redisReply &reply);
    bool isError() const { return type == Type::Error; }
    bool isNil() const { return type == Type::Nil; }
};
