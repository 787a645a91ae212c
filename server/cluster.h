// SPDX-License-Identifier: MIT
#pragma once

#include "clusterheartbeat.h"
#include "luascript.h"
#include "protocol.h"
#include "redisaddress.h"
#include "redisconnection.h"
#include "roomstream.h"
#include "sequenceguard.h"
#include "streamreader.h"
#include "wire.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>
#include <utility>

// This instance's part in a room shared through Redis (--redis; issue #8,
// docs/architecture.md "Cluster: several servers through Redis"). It writes what happens
// here as entries of the room's stream (nickname claims and the `joined`
// entry in one Lua script, so the claim is atomic across instances), reads
// the stream back with a StreamReader for the Room to apply, keeps this
// instance's presence alive (a ClusterHeartbeat on its own thread), and
// removes the users of instances whose heartbeat stopped.
//
// Writes are sent without waiting (the start* functions; the synchronous
// ones remain for rare paths and tests); when Redis is away they fail at
// once and the room tells the user. After a reconnect the claims are
// repaired against the users still here (resync) before anything else is
// written, also without waiting (clustersetup.cpp): writes are refused
// until its answer came.
class Cluster final : public QObject
{
    Q_OBJECT

public:
    enum class Claim { Granted, Taken, Unavailable };

    // What the room looks like when this instance joins it.
    struct Snapshot {
        QList<std::pair<QString, QString>> roster; // (nick key, nick)
        QStringList ops;                           // nick keys
        qint64 slowSeconds = 0;
        QList<std::pair<QString, QDateTime>> mutes; // (nick key, end); some may have ended
        QByteArray lastEntryId = "0-0";
        qint64 newestMessageId = 0;
        QList<Protocol::ChatMessage> recent;     // the newest messages, oldest first
        QList<std::pair<QString, QString>> away; // (nick key, away message)
    };
    // The users this instance serves now, as (nick key, nick).
    using LocalUsers = std::function<QList<std::pair<QString, QString>>()>;

    // Presence is renewed every `heartbeatMsecs`; an instance silent for
    // three of them counts as gone, and its users leave the room.
    Cluster(const RedisAddress &address, int heartbeatMsecs, LocalUsers localUsers, QObject *parent = nullptr,
            const QByteArray &keyPrefix = RoomStream::kDefaultPrefix);
    ~Cluster() override;

    // Registers this instance and reads the room; the caller then applies
    // entries from follow(). A readable sentence when Redis cannot be used.
    // `recentMessages`: how many of the newest messages the snapshot brings.
    std::variant<Snapshot, QString> join(int recentMessages);
    void follow(const QByteArray &afterId);
    // Removes this instance's presence (its users have left already).
    void leaveCluster();

    QByteArray instanceId() const { return m_instance; }
    // What is cleaned before the users of instances whose heartbeat stopped
    // are reaped (their rooms' memberships): sent without waiting, it calls
    // `then` with whether it was done, from the event loop; false when
    // nothing could be sent. Without one, the users are reaped at once.
    using RoomsReaper = std::function<bool(const QList<QByteArray> &instances, const std::function<void(bool)> &then)>;
    void setRoomsReaper(RoomsReaper reaper) { m_roomsReaper = std::move(reaper); }
    enum class EpochCheck { Steady, RolledBack, Failed };
    // Why the claims were repaired (resynced()): after a new connection or a
    // relisting (this instance may have been reaped, and the others told its
    // users left), or as part of the repair after a rollback (nobody was).
    enum class Resync { Reconnected, RolledBack };
    Q_ENUM(Resync)
    // Whether Redis was rolled back since this instance last looked
    // (clusterrollback.cpp): if so, the sequence is raised above what was
    // delivered here, the claims are repaired, the room is read again and
    // rolledBack() says so. Waits for it all: for startup (join()) and tests.
    EpochCheck checkEpoch();
    using EpochCheckDone = std::function<void(EpochCheck)>;
    // checkEpoch() without waiting: run at every heartbeat, on a new
    // connection and when an append is refused. A steady answer only adopts
    // the epoch; a rollback is repaired in the same chain of answers (the
    // claims' resync, then the room read again), and writes are refused
    // (ensureReady()) until it is, as they would have come before the room
    // read again. `done` (may be empty) gets the outcome from the event loop
    // or finishEpochCheck(), never inside this call; the repair's effects
    // (resynced(), rolledBack()) come on a turn of their own, before it.
    // One check at a time: asked while one is in flight, another follows it
    // (an append refused now must be checked after it was refused) unless
    // that one repaired a rollback. False: nothing was sent (Redis away).
    bool startCheckEpoch(EpochCheckDone done = {});
    bool epochCheckInFlight() const { return m_epochCheck != nullptr; }
    // Waits for the check in flight, its repair and any check after it:
    // their `done`s are called before this returns.
    void finishEpochCheck();
    // A message id handed to this instance's clients (SequenceGuard).
    void delivered(qint64 id) { m_guard.delivered(id); }
    // Before a write (here, or elsewhere: the message log): connects if it
    // may (RedisConnection's bound, at most kConnectWaitMsecs). False: Redis
    // is away, or the connection is new and its set-up (the epoch check and
    // the claims' repair, clustersetup.cpp) is under way without waiting;
    // the write is refused as when Redis is away.
    bool ensureReady();

    // `resumeHash` (empty: none) is kept with the claim in the `resume` hash.
    Claim claimNick(const QString &key, const QString &nick, Wire::ConnectionId connection,
                    const QByteArray &resumeHash);
    using ClaimDone = std::function<void(Claim)>;
    // claimNick() without waiting for Redis's answer (the script's FCALL as
    // a pipeline of one, RedisConnection::sendPipeline): true when it was
    // sent; `done` then comes from the event loop, or from finishAnswer().
    // False: nothing was sent (Redis is away), claimNick() says so at once.
    // While it is in flight this instance's own timers leave Redis alone
    // (they would wait for its answer and hand it over inside their work).
    // Several answers may be in flight (this, startTakeOver(), startRename(),
    // startSendTo(), startShare()); their `done`s come in the order sent.
    bool startClaimNick(const QString &key, const QString &nick, Wire::ConnectionId connection,
                        const QByteArray &resumeHash, ClaimDone done);
    // takeOver(), rename(), sendTo() and share() as startClaimNick() is to claimNick().
    bool startTakeOver(const QString &key, const QString &nick, const QByteArray &presentedHash,
                       const QByteArray &newHash, const Protocol::Left &left, Wire::ConnectionId connection,
                       ClaimDone done);
    bool startRename(const QString &oldKey, const QString &newKey, const Protocol::Renamed &renamed, ClaimDone done);
    bool startSendTo(const QString &key, RoomStream::Kind kind, const Protocol::ServerFrame &frame,
                     Wire::ConnectionId from, ClaimDone done);
    bool startShare(const Protocol::ServerFrame &frame, std::function<void(bool)> done);
    // Waits for the answers in flight, if any: their `done`s are called before this returns.
    void finishAnswer();
    bool answerInFlight() const { return m_answersInFlight > 0; }
    // A resume through this instance of a nickname another instance holds
    // (resume.lua): Granted when the hash matched and the claim moved here;
    // the old holder's kick (`bye resumed`), `left` and our `joined`
    // follow on the stream.
    Claim takeOver(const QString &key, const QString &nick, const QByteArray &presentedHash, const QByteArray &newHash,
                   const Protocol::Left &left, Wire::ConnectionId connection);
    Claim rename(const QString &oldKey, const QString &newKey, const Protocol::Renamed &renamed);
    // False when Redis is away; the claim is then released by the resync
    // after the reconnect (or by other instances, when the heartbeat stops).
    bool release(const QString &key, const Protocol::Left &left);
    // release() without waiting for Redis's answer, and without an answer
    // to wait for: nobody is told (the user is gone), so the room goes on at
    // once and this is no answer in flight; a failure is logged and repaired
    // as release()'s is. False: nothing was sent (Redis is away).
    bool startRelease(const QString &key, const Protocol::Left &left);
    // An event for everyone (opped, muted, unmuted, slow, away, back).
    bool share(const Protocol::ServerFrame &frame);
    // For one user, wherever they are (whisper, kick): Taken means no such user.
    Claim sendTo(const QString &key, RoomStream::Kind kind, const Protocol::ServerFrame &frame,
                 Wire::ConnectionId from);

signals:
    void entriesArrived(const QList<RoomStream::Entry> &entries);
    // Users of this instance whose nickname another instance took while
    // Redis could not be reached from here (nick keys).
    void nicknamesLost(const QStringList &keys);
    // The claims were repaired after a reconnect, a relisting or a rollback.
    void resynced(Cluster::Resync why);
    // The epoch appends must name from now on (MessageLog::expectEpoch).
    void epochAdopted(const QByteArray &epoch);
    // Redis was rolled back; the room as read again.
    void rolledBack(const Cluster::Snapshot &snapshot);

private:
    RedisConnection::Result run(const LuaScript &script, const QList<QByteArray> &keys,
                                const QList<QByteArray> &arguments);
    // What run() logs of a script's result: its error, and Redis coming and going.
    void noteResult(const RedisConnection::Result &result);
    // run() without waiting (LuaScript::startCallAll), as the answer in flight.
    bool startRun(const LuaScript &script, const LuaScript::Invocation &invocation,
                  std::function<void(const RedisConnection::Result &)> done);
    LuaScript::Invocation claimInvocation(const QString &key, const QString &nick, Wire::ConnectionId connection,
                                          const QByteArray &resumeHash) const;
    LuaScript::Invocation takeOverInvocation(const QString &key, const QString &nick, const QByteArray &presentedHash,
                                             const QByteArray &newHash, const Protocol::Left &left,
                                             Wire::ConnectionId connection) const;
    LuaScript::Invocation renameInvocation(const QString &oldKey, const QString &newKey,
                                           const Protocol::Renamed &renamed) const;
    LuaScript::Invocation epochInvocation() const;
    LuaScript::Invocation releaseInvocation(const QString &key, const Protocol::Left &left) const;
    LuaScript::Invocation sendToInvocation(const QString &key, RoomStream::Kind kind,
                                           const Protocol::ServerFrame &frame, Wire::ConnectionId from) const;
    // The script and invocation of share(): the presence script for `away`
    // and `back`, the event script otherwise.
    std::pair<const LuaScript *, LuaScript::Invocation> shareInvocation(const Protocol::ServerFrame &frame) const;
    // share()'s answer: whether it was done (a presence event for a user
    // already gone is done, with nothing to say).
    static bool sharedFrom(bool presence, const RedisConnection::Result &result);
    // A claim, rename or event script's answer: 1 done, 0 refused.
    static Claim claimFrom(const RedisConnection::Result &result);
    // FUNCTION LOAD of the scripts startRun(), startRelease() and
    // reapUsers() send, so that Redis knows them before they are sent on
    // this connection: one pipeline, not waited for.
    bool loadScriptsSentWithoutWaiting();
    bool resync(Resync why = Resync::Reconnected);
    LuaScript::Invocation resyncInvocation(const QList<std::pair<QString, QString>> &users) const;
    // resync()'s answer: the connection synced, the nicknames lost reported.
    void adoptResync(Resync why, qsizetype users, const RedisReply &reply);
    // A new connection's set-up without waiting (clustersetup.cpp): the
    // functions loaded, the epoch checked (startCheckEpoch()) and the claims
    // repaired (startResync()), sent together.
    void startSetUp();
    void startResync();
    // The answer of startResync(), on a turn of its own.
    void resyncAnswered(quint64 sent, quint64 connection, const QList<std::pair<QString, QString>> &users,
                        const RedisConnection::Result &result);
    // The room as it is after the stream's last entry (snapshot.lua).
    std::variant<Snapshot, QString> readSnapshot();
    LuaScript::Invocation snapshotInvocation() const;
    std::variant<Snapshot, QString> snapshotFrom(const RedisConnection::Result &result) const;
    // The epoch check in flight (clusterrollback.cpp), and its repair.
    struct PendingEpochCheck {
        QByteArray known; // the epoch this instance knew when it was sent
        QList<EpochCheckDone> waiters;
        bool repairing = false; // a rollback found: writes wait
        SequenceGuard::Verdict found = SequenceGuard::Verdict::Steady;
        QList<std::pair<QString, QString>> users; // the repair's resync sent them
        quint64 resyncSent = 0;                   // its number (m_resyncsSent)
        quint64 connection = 0;                   // sent on this one
        std::optional<RedisReply> resynced;
        std::optional<Snapshot> snapshot;
        bool relistedMeanwhile = false;
        std::optional<EpochCheck> outcome; // known: completeEpochCheck() is due
    };
    bool sendEpochCheck(QList<EpochCheckDone> &waiters);
    void epochAnswered(const RedisConnection::Result &result);
    void repairResynced(const RedisConnection::Result &result);
    void repairSnapshotRead(const RedisConnection::Result &result);
    // The outcome known: applied and told on a turn of its own (or in finishEpochCheck()).
    void epochCheckFinished(EpochCheck outcome);
    void completeEpochCheck();
    static QStringList keysOf(const QList<std::pair<QString, QString>> &users);
    // The event script's invocation: `arguments` up to the mute end, then the entry's fields.
    LuaScript::Invocation eventInvocation(QList<QByteArray> arguments, const QList<QByteArray> &fields) const;
    // `away` or `back`: the away hash and the entry in one script.
    LuaScript::Invocation presenceInvocation(const Protocol::ServerFrame &frame) const;
    // Removes the users of instances the heartbeat found silent, after
    // their rooms (m_roomsReaper), without waiting (clusterasync.cpp).
    void reap(const ClusterHeartbeat::Silent &silent);
    void reapUsers(const ClusterHeartbeat::Silent &silent);
    // No beat after this: before this instance leaves, and at the end.
    void stopHeartbeat();
    void readEntries(const QList<StreamEntry> &raw);

    RoomStream::Keys m_keys;
    QByteArray m_instance;
    LocalUsers m_localUsers;
    RedisConnection m_redis;
    StreamReader m_reader;
    // Lives in m_heartbeatThread, which deletes it when it ends (then null).
    ClusterHeartbeat *m_beat;
    QThread m_heartbeatThread;
    // Repairs the claims after Redis was away even when nobody writes.
    QTimer m_readyCheck;
    int m_heartbeatMsecs;
    quint64 m_syncedConnection = 0;
    // Every resync sent counts; an answer is adopted only if no resync was
    // sent after it (a rollback's repair, a relisting's set-up).
    quint64 m_resyncsSent = 0;
    std::optional<quint64> m_setUpResync; // the set-up's resync in flight
    bool m_wasAvailable = true;
    int m_answersInFlight = 0; // startRun() sent them, not answered yet
    std::unique_ptr<PendingEpochCheck> m_epochCheck;
    // Asked while a check was in flight: answered by the next one.
    QList<EpochCheckDone> m_nextCheckWaiters;
    // One reaping at a time: the heartbeat finds them silent again meanwhile.
    bool m_reaping = false;
    RoomsReaper m_roomsReaper;
    int m_recentMessages = 0;
    SequenceGuard m_guard;
    // server/lua/*.lua
    LuaScript m_claimScript;
    LuaScript m_renameScript;
    LuaScript m_releaseScript;
    LuaScript m_eventScript;
    LuaScript m_presenceScript;
    LuaScript m_reapScript;
    LuaScript m_resyncScript;
    LuaScript m_resumeScript;
    LuaScript m_snapshotScript;
    LuaScript m_epochScript;
};
