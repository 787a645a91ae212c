// SPDX-License-Identifier: MIT
#pragma once

#include "luascript.h"
#include "messagelog.h"
#include "redisaddress.h"
#include "redisconnection.h"
#include "roomstream.h"

#include <memory>

// Messages in the shared room's Redis Stream (--redis): one Lua script
// takes the next number from the sequence key and adds the entry with that
// number as its id, so every instance's messages share one increasing
// sequence. Reads go backwards over the stream (XREVRANGE), counting messages.
//
// The room of a clustered server appends here but learns of messages
// (its own included) only by reading the stream (see Cluster), so that
// every client of every instance sees one order.
class RedisMessageLog final : public MessageLog
{
public:
    // Connects and checks that Redis answers (and is 7.0 or newer, for the
    // stream ids the room uses).
    static Opened open(const RedisAddress &address, const QByteArray &keyPrefix = RoomStream::kDefaultPrefix);

    // A room's message (other than #lobby's) takes its number from the one
    // sequence, then goes to the room's own stream as "<id>-0"; when a newer
    // number got there first, it takes another (ids may have gaps, and
    // increase along each stream).
    Appended append(const Protocol::ChatMessage &message) override;
    // #lobby's messages pipelined (one round trip for a run of them, their
    // ids in this order); another room's one by one, as append().
    QList<Appended> appendAll(const QList<Post> &posts) override;
    // appendAll() one step after another without waiting
    // (redismessagelogasync.cpp): a run of #lobby's messages is one
    // pipeline, another room's message two steps (its id, then its entry),
    // each sent from the previous one's completion, so the ids still follow
    // the order of `posts`. A broken connection fails the step under way and
    // every post after it, unsent, as a broken pipeline does.
    bool startAppendAll(const QList<Post> &posts, const AppendedDone &done) override;
    void finishAppends() override;
    Page after(const QString &roomKey, qint64 id, int limit) const override;
    QList<Protocol::ChatMessage> last(const QString &roomKey, int count) const override;
    qint64 nextId() const override;
    // Appends fail (no id taken) while Redis's epoch is another one (empty: not checked).
    void expectEpoch(const QByteArray &epoch) override { m_epoch = epoch; }
    // A room's record as the cluster keeps it (ClusterRooms writes it).
    std::optional<RoomRecord> room(const QString &roomKey) const override;
    QString saveRoom(const QString &roomKey, const RoomRecord &record) override;

private:
    // Ids a room's message takes before it gives up: each was taken by
    // another instance's message in that room first.
    static constexpr int kRoomAppendAttempts = 100;

    RedisMessageLog(const RedisAddress &address, const QByteArray &keyPrefix);

    // The number of the newest message, or nullopt when Redis cannot be read.
    std::optional<qint64> newestId() const;
    Appended appendToRoom(const Post &post);
    // roomappend.lua's keys and arguments for `post` under the id nextid.lua took.
    LuaScript::Invocation roomAppendOf(const Post &post, qint64 id) const;
    static bool isNewerIdFirst(const QString &error);
    // A batch being stored by startAppendAll(), and its steps.
    struct Appending;
    using AppendingPtr = std::shared_ptr<Appending>;
    // Sends the step that stores the next post(s); false when nothing could be sent.
    bool sendNextStep(const AppendingPtr &appending);
    bool sendTakeId(const AppendingPtr &appending, int attempt);
    bool sendRoomAppend(const AppendingPtr &appending, qint64 id, int attempt);
    // The outcome of the first post that has none yet.
    static void record(Appending &appending, const RedisConnection::Result &result);
    // The next step, or `done` once every post has its outcome.
    void continueAppending(const AppendingPtr &appending);
    static bool isLobbys(const Protocol::ChatMessage &message);
    LuaScript::Invocation postOf(const Post &post) const;
    // The key of a post's cid (RoomStream::Keys::cid), and the scripts'
    // arguments for it: its lifetime and the message's ts.
    QByteArray cidKey(const Post &post) const;
    static QList<QByteArray> cidArguments(const Protocol::ChatMessage &message);
    // The message as stored (its id from Redis), Repeated when Redis
    // answered {id, ts} of an earlier post with the same cid, or the error.
    static Appended storedFrom(const Protocol::ChatMessage &message, const RedisConnection::Result &result);
    // #lobby's messages, pipelined.
    QList<Appended> appendToLobby(const QList<Post> &posts);
    QByteArray streamOf(const QString &roomKey) const;
    // A room's newest messages after `id`, at most `count`, oldest first;
    // `more` says whether there were more after `id`. Empty when Redis
    // cannot be read.
    QList<Protocol::ChatMessage> newestIn(const QString &roomKey, qint64 id, int count, bool *more) const;

    RoomStream::Keys m_keys;
    // Reads are const for the interface; a connection that reconnects is not.
    mutable RedisConnection m_redis;
    QByteArray m_epoch;
    LuaScript m_postScript;       // server/lua/post.lua
    LuaScript m_nextIdScript;     // server/lua/nextid.lua
    LuaScript m_roomAppendScript; // server/lua/roomappend.lua
};
