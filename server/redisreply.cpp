// SPDX-License-Identifier: MIT
#include "redisreply.h"

#include <hiredis/hiredis.h>

RedisReply RedisReply::from(const redisReply &reply)
{
    RedisReply copy;
    switch (reply.type) {
    case REDIS_REPLY_STATUS:
        copy.type = Type::Status;
        break;
    case REDIS_REPLY_ERROR:
        copy.type = Type::Error;
        break;
    case REDIS_REPLY_INTEGER:
        copy.type = Type::Integer;
        copy.integer = reply.integer;
        return copy;
    case REDIS_REPLY_STRING:
        copy.type = Type::String;
        break;
    case REDIS_REPLY_ARRAY:
        copy.type = Type::Array;
        copy.elements.reserve(qsizetype(reply.elements));
        for (size_t i = 0; i < reply.elements; ++i)
            copy.elements.append(from(*reply.element[i]));
        return copy;
    default:
        return copy; // nil
    }
    copy.string = QByteArray(reply.str, qsizetype(reply.len));
    return copy;
}
