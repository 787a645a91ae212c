// SPDX-License-Identifier: MIT
#pragma once

#include "luascript.h"
#include "protocol.h"
#include "redisaddress.h"
#include "redisconnection.h"
#include "roombackend.h"
#include "roomstream.h"
#include "wire.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>
#include <utility>

class StreamReader;

// The rooms besides #lobby of a cluster of servers (--redis;
// docs/architecture.md, "Rooms in the cluster"): each room's record, members
// and stream under the room's own hash tag, the index of rooms with members
// (for `rooms` and --max-rooms), and this instance's room memberships, so
// that whoever reaps a dead instance can take its users out of their rooms.
// A Lua script here touches the keys of one room, or only global keys.
//
// This instance follows the stream of each room that has members here, with
// a StreamReader of its own per room, and keeps a mirror of the room
// (record, members) as the stream has been read so far: what room() answers
// for a followed room, so the Room's view and the stream agree.
class ClusterRooms final : public QObject
{
    Q_OBJECT

public:
    using Outcome = RoomBackend::Outcome;

    // `recentMessages`: how many of a room's newest messages a room's
    // snapshot brings when this instance starts to follow it.
    ClusterRooms(const RedisAddress &address, QByteArray instance, int recentMessages, QObject *parent = nullptr,
                 const QByteArray &keyPrefix = RoomStream::kDefaultPrefix);
    ~ClusterRooms() override;

    // As RoomBackend's; `setTopic` serves #lobby too.
    Outcome join(const QString &roomKey, const QString &nickKey, const Protocol::Joined &joined,
                 Wire::ConnectionId connection, int maxRooms);
    Outcome part(const QString &roomKey, const QString &nickKey, const Protocol::Left &left);
    Outcome setTopic(const QString &roomKey, const Protocol::TopicChanged &topic);
    std::optional<RoomBackend::RoomSnapshot> room(const QString &roomKey) const;
    QList<Protocol::RoomInfo> rooms() const;
    // RoomBackend::countRooms() in one pipeline read from the index (the
    // rooms with members), waited for.
    RoomBackend::RoomCount countRooms(const QStringList &roomKeys) const;
    // countRooms() without waiting, as startListRooms() is to rooms().
    bool startCountRooms(const QStringList &roomKeys, const RoomBackend::CountDone &done) const;
    // rooms() without waiting, as startJoin() is to join().
    bool startListRooms(const RoomBackend::RoomsDone &done) const;
    // join(), part() and setTopic() without waiting (clusterroomsasync.cpp):
    // true when the first step was sent; `done` is then called with what
    // they would have returned, from the event loop (each step is sent from
    // the previous one's reply) or from finishPending(), never inside this
    // call. False when not connected: nothing was sent, call the others.
    // One at a time (the Room has one such answer in flight).
    bool startJoin(const QString &roomKey, const QString &nickKey, const Protocol::Joined &joined,
                   Wire::ConnectionId connection, int maxRooms, const RoomBackend::OutcomeDone &done);
    bool startPart(const QString &roomKey, const QString &nickKey, const Protocol::Left &left,
                   const RoomBackend::OutcomeDone &done);
    bool startSetTopic(const QString &roomKey, const Protocol::TopicChanged &topic,
                       const RoomBackend::OutcomeDone &done);
    // leaveAll() without waiting: the user's removal from each of its rooms
    // is sent at once (one pipeline), and `done` is called once every one
    // is answered (whatever the answers: one not made is repaired after the
    // reconnect, as with leaveAll()), from the event loop or from
    // finishPending(), never inside this call. False when the user is in no
    // room besides #lobby or nothing could be sent: call leaveAll().
    bool startLeaveAll(const QString &nickKey, std::function<void()> done);
    // Waits for what was sent without waiting; every `done` is called
    // before it returns (each reply bounded by the command timeout).
    void finishPending();

    // The user `nickKey` of this instance leaves the server: out of its
    // rooms, before its `left` is written (so a room read after that
    // `left` never has the user).
    void leaveAll(const QString &nickKey);
    // Whether the user `nickKey` of this instance is in a room besides #lobby.
    bool isInAnyRoom(const QString &nickKey) const;
    // A user of this instance is renamed: its rooms' members follow.
    void rename(const QString &oldKey, const QString &newKey, const QString &nick);
    // rename() without waiting: here at once, every room's rename sent in
    // one pipeline, `done` from its reply (whatever it says: one not made
    // is repaired after the reconnect) on the event loop or in
    // finishPending(), inside this call only when the user is in no room
    // here. False when not connected: nothing changed, call rename().
    bool startRename(const QString &oldKey, const QString &newKey, const QString &nick, std::function<void()> done);
    // Whether anything sent without waiting is still unanswered.
    bool hasPending() const;
    // What the #lobby stream says about users, for the mirrors.
    void userLeft(const QString &nickKey);
    void userRenamed(const QString &oldKey, const QString &newKey, const QString &nick);
    // Before the users of `instances` (whose heartbeat stopped) are reaped:
    // their room memberships go first, listed, then each removed without an
    // entry, without waiting (Cluster::RoomsReaper). False while not
    // connected: a connect starts, without waiting.
    bool startReap(const QList<QByteArray> &instances, const std::function<void(bool done)> &then);
    // After Redis was away: memberships of users who left meanwhile go,
    // without waiting (the list read, then each removal sent from its answer).
    void repair();
    // How restore() tells the rooms' members about a member put back.
    enum class Restore {
        // After a rollback: nobody was told the member left, so nobody is
        // told it is back; every membership here is checked.
        Silently,
        // After this instance was reaped while it lived (or while Redis was
        // out of its reach): the others were told its users left the server,
        // so each member put back gets its `joined` in the room's stream.
        // Only memberships missing from memberships:<instance> are checked
        // (the reaper deletes that list; an instance that was not reaped
        // still has it whole, and pays one read).
        Announced,
    };
    // After the claims were repaired (Cluster::resynced): puts back in Redis
    // what only this instance knows, the memberships of its users
    // (`users`: nick key, nick) in the rooms it follows, with the rooms in
    // the index (docs/architecture.md, "Rollback detection"). Without
    // waiting (clusterroomsrestore.cpp): every membership is sent at once,
    // two round trips in all; one cut short is done in full by the next.
    void restore(const QList<std::pair<QString, QString>> &users, Restore how);
    // After Redis was rolled back (Cluster::rolledBack): a room's new
    // entries may get ids below the last its reader read, so a reader
    // ahead of its stream goes on from the stream's newest entry (asked of
    // every room in one pipeline, not waited for).
    void followAgain();

signals:
    // A room this instance follows from now on, and its newest messages then.
    void followed(const QString &roomKey, const QList<Protocol::ChatMessage> &recent);
    void unfollowed(const QString &roomKey);
    // One entry of a followed room's stream, the mirror already updated.
    void entryRead(const RoomStream::Entry &entry);

private:
    struct Followed {
        MessageLog::RoomRecord record;
        QHash<QString, QString> members; // nick key -> nick
        StreamReader *reader = nullptr;  // a child of this
    };

    RedisConnection::Result run(const LuaScript &script, const QList<QByteArray> &keys,
                                const QList<QByteArray> &arguments) const;
    using ResultDone = std::function<void(const RedisConnection::Result &)>;
    // run() without waiting: false when not connected. On a new connection
    // the scripts sent this way are loaded first, so that none is found
    // missing (and sent again) behind what was sent after it.
    bool startRun(const LuaScript &script, const QList<QByteArray> &keys, const QList<QByteArray> &arguments,
                  ResultDone done);
    // Connected, and the functions sent without waiting loaded on this
    // connection (sent first, not waited for); false when not connected.
    bool ensureLoaded() const;
    // rename() here (the rooms' members of this instance, the connection
    // that joined them); the rooms it was in.
    QStringList renameHere(const QString &oldKey, const QString &newKey);
    // What Redis keeps of those rooms follows (pipelined); a rename not
    // sent (not connected) is left to repair() after the reconnect.
    bool sendRename(const QStringList &roomKeys, const QString &oldKey, const QString &newKey, const QString &nick,
                    std::function<void()> done);
    // A followed room as its mirror has it; nullopt when not followed here.
    std::optional<RoomBackend::RoomSnapshot> mirrorOf(const QString &roomKey) const;
    // roomread.lua of a room (or #lobby), and what its answer says.
    LuaScript::Invocation readInvocation(const QString &roomKey) const;
    static std::optional<RoomBackend::RoomSnapshot> snapshotFrom(const QString &roomKey,
                                                                 const RedisConnection::Result &result);
    // Sent without waiting, and only a log line reads the reply: the
    // clean-up after a join or part, which the next step does not need.
    void sendAside(const QList<QByteArray> &command);
    void countOutAside(const QString &roomKey);
    // A start...() and then its answer, waited for: the synchronous calls.
    Outcome waitFor(const std::function<bool(const RoomBackend::OutcomeDone &)> &start);
    // `start` (connecting first, waiting, when it says not connected), then
    // every reply it leads to; false when nothing could be sent.
    bool startAndWait(const std::function<bool()> &start) const;
    // startJoin()'s last step, after the room's count: the join script.
    void sendJoin(const QString &roomKey, const QString &nickKey, const Protocol::Joined &joined,
                  Wire::ConnectionId connection, const RoomBackend::OutcomeDone &done);
    Outcome joinAnswered(const QString &roomKey, const QString &nickKey, Wire::ConnectionId connection, bool snapshot,
                         const RedisConnection::Result &result);
    Outcome partAnswered(const QString &roomKey, const QString &nickKey, const RedisConnection::Result &result);
    Outcome count(const QString &roomKey, bool in, int maxRooms = 0);
    // The index script's reply: Done when counted, Refused at the limit.
    static Outcome countedIn(const RedisConnection::Result &result);
    QByteArray membership(const QString &roomKey, const QString &nickKey) const;
    // Takes the member out of the room without an entry; true when it was there.
    bool removeSilently(const QString &roomKey, const QString &nickKey, const QByteArray &instance);
    // The part script's invocation that does it (it answers 1 when it was there).
    LuaScript::Invocation silentRemoval(const QString &roomKey, const QString &nickKey,
                                        const QByteArray &instance) const;
    // restore()'s steps (clusterroomsrestore.cpp): one membership is
    // listed and counted in, then put back (roomrestore.lua) from the
    // count's answer; the last answer of a run finishes it.
    struct Restoring;
    void restoreMissing(const QHash<QString, QString> &nicks, const QSet<QByteArray> &listed,
                        const std::shared_ptr<Restoring> &run);
    bool sendRestore(const QString &roomKey, const QString &nickKey, const QString &nick,
                     const std::shared_ptr<Restoring> &run);
    bool sendRestoreScript(const QString &roomKey, const QString &nickKey, const QString &nick,
                           const std::shared_ptr<Restoring> &run);
    Outcome restoredFrom(const QString &roomKey, const QString &nickKey, const RedisConnection::Result &result);
    void restoreAnswered(Restoring &run, Outcome outcome);
    void restoreFinished(const Restoring &run);
    // repair()'s removal of one membership: the part script without an
    // entry, then the count and the listing, from its answer.
    void sendSilentRemoval(const QString &roomKey, const QString &nickKey);
    // leaveAll() could not remove a membership (Redis away): once the rooms'
    // connection is back, without waiting for it, repair() does.
    void repairOnceReachable();
    void follow(const QString &roomKey, const QList<RedisReply> &snapshot);
    void unfollowIfUnused(const QString &roomKey);
    void read(const QString &roomKey, const QList<StreamEntry> &raw);

    RoomStream::Keys m_keys;
    QByteArray m_instance;
    int m_recentMessages;
    // Reads are const for RoomBackend; a connection that reconnects is not.
    mutable RedisConnection m_redis;
    QHash<QString, Followed> m_followed;   // by room key
    QHash<QString, QSet<QString>> m_local; // room key -> nick keys of users here
    // nick key -> the connection that joined its rooms: a `joined` entry
    // that restore() writes names it, so that the user's own instance
    // answers it as the join it is (a `room` frame for that user alone).
    QHash<QString, Wire::ConnectionId> m_connections;
    // Members of this instance whose part is in flight (room key, nick
    // key): their `left` read back before the answer takes them out of
    // m_local, so the room is not followed on for nobody.
    QSet<std::pair<QString, QString>> m_parting;
    // The connection (RedisConnection::connectionCount) startRun() loaded the scripts on.
    mutable quint64 m_loadedOn = 0;
    // A restore() that Redis cut short, and how it was to tell the others.
    std::optional<Restore> m_unfinished;
    quint64 m_restoresStarted = 0;
    // server/lua/*.lua
    LuaScript m_indexScript;
    LuaScript m_joinScript;
    LuaScript m_partScript;
    LuaScript m_topicScript;
    LuaScript m_renameScript;
    LuaScript m_readScript;
    LuaScript m_restoreScript;
    // Runs repairOnceReachable() while it is due.
    QTimer m_repairRetry;
};
