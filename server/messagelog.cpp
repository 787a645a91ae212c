// SPDX-License-Identifier: MIT
#include "messagelog.h"

#include "memorymessagelog.h"
#include "redismessagelog.h"
#include "serverconfig.h"
#include "sqlitemessagelog.h"

MessageLog::Opened MessageLog::open(const ServerConfig &config)
{
    if (config.redis)
        return RedisMessageLog::open(*config.redis);
    if (!config.store.isEmpty())
        return SqliteMessageLog::open(config.store);
    return std::unique_ptr<MessageLog>(
        std::make_unique<MemoryMessageLog>(MemoryMessageLog::capacityFor(config.history)));
}

QList<MessageLog::Appended> MessageLog::appendAll(const QList<Post> &posts)
{
    QList<Appended> stored;
    stored.reserve(posts.size());
    for (const Post &post : posts)
        stored.append(append(post.message));
    return stored;
}
