// SPDX-License-Identifier: MIT
// RedisMessageLog's batches stored without waiting (issue #16): the room's
// thread sends one step and goes on; the step's completion, on the same
// thread's event loop (RedisConnection::sendPipeline), sends the next. A run
// of #lobby's posts is one step (post.lua, pipelined); a post to another
// room is two (nextid.lua, then roomappend.lua into the room's stream, which
// may live in another slot of a Redis Cluster), taken again from the id
// when another instance's newer message got into that stream first, as
// appendToRoom() does. One step at a time keeps the ids in the order of the
// posts, and finishAppends() can wait for the whole batch.
#include "redismessagelog.h"

#include <utility>

using Protocol::ChatMessage;

struct RedisMessageLog::Appending {
    QList<Post> posts;
    QList<Appended> stored; // the outcome of each post so far, in order
    AppendedDone done;
    // Why the connection broke: what had not been sent then fails with it.
    std::optional<QString> broken;

    const Post &next() const { return posts.at(stored.size()); }
};

bool RedisMessageLog::startAppendAll(const QList<Post> &posts, const AppendedDone &done)
{
    if (posts.isEmpty())
        return false;
    auto appending = std::make_shared<Appending>(Appending{posts, {}, done, std::nullopt});
    appending->stored.reserve(posts.size());
    return sendNextStep(appending);
}

void RedisMessageLog::finishAppends()
{
    // A completion sends the batch's next step: waited for as well.
    while (m_redis.hasPending())
        m_redis.finishPending();
}

bool RedisMessageLog::sendNextStep(const AppendingPtr &appending)
{
    if (!isLobbys(appending->next().message))
        return sendTakeId(appending, 0);
    QList<LuaScript::Invocation> run;
    for (qsizetype i = appending->stored.size(); i < appending->posts.size(); ++i) {
        if (!isLobbys(appending->posts.at(i).message))
            break;
        run.append(postOf(appending->posts.at(i)));
    }
    return m_postScript.startCallAll(m_redis, run, [this, appending](const QList<RedisConnection::Result> &results) {
        for (const RedisConnection::Result &result : results)
            record(*appending, result);
        continueAppending(appending);
    });
}

bool RedisMessageLog::sendTakeId(const AppendingPtr &appending, int attempt)
{
    const LuaScript::Invocation takeId{{m_keys.sequence(), m_keys.epoch()}, {m_epoch}};
    return m_nextIdScript.startCallAll(
        m_redis, {takeId}, [this, appending, attempt](const QList<RedisConnection::Result> &results) {
            const RedisConnection::Result &number = results.constFirst();
            if (!RedisConnection::errorOf(number).isEmpty()) {
                record(*appending, number);
            } else if (!sendRoomAppend(appending, std::get<RedisReply>(number).integer, attempt)) {
                record(*appending, m_redis.lastError());
            } else {
                return;
            }
            continueAppending(appending);
        });
}

bool RedisMessageLog::sendRoomAppend(const AppendingPtr &appending, qint64 id, int attempt)
{
    return m_roomAppendScript.startCallAll(m_redis, {roomAppendOf(appending->next(), id)},
                                           [this, appending, attempt](const QList<RedisConnection::Result> &results) {
                                               const RedisConnection::Result &added = results.constFirst();
                                               const bool takeAnother =
                                                   isNewerIdFirst(RedisConnection::errorOf(added)) &&
                                                   attempt + 1 < kRoomAppendAttempts;
                                               if (!takeAnother) {
                                                   record(*appending, added);
                                               } else if (!sendTakeId(appending, attempt + 1)) {
                                                   record(*appending, m_redis.lastError());
                                               } else {
                                                   return;
                                               }
                                               continueAppending(appending);
                                           });
}

void RedisMessageLog::record(Appending &appending, const RedisConnection::Result &result)
{
    if (const auto *why = std::get_if<QString>(&result); why && !appending.broken)
        appending.broken = *why;
    appending.stored.append(storedFrom(appending.next().message, result));
}

void RedisMessageLog::continueAppending(const AppendingPtr &appending)
{
    while (appending->stored.size() < appending->posts.size()) {
        // Not sent on another connection: a broken pipeline fails the rest too.
        if (appending->broken) {
            appending->stored.append(*appending->broken);
            continue;
        }
        if (sendNextStep(appending))
            return;
        appending->broken = m_redis.lastError();
    }
    appending->done(appending->stored);
}
