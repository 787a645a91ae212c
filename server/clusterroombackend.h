// SPDX-License-Identifier: MIT
#pragma once

#include "cluster.h"
#include "clusterrooms.h"
#include "memorymessagelog.h"
#include "roombackend.h"

// The room served by a cluster of servers through Redis (--redis;
// docs/architecture.md, "Cluster: several servers through Redis"), through this server's
// Cluster: what the Room asks is written to the room's stream, and comes
// back through happened() when it is read back, in the stream's order.
class ClusterRoomBackend final : public RoomBackend
{
    Q_OBJECT

public:
    // `log` stores the messages (a RedisMessageLog); `history` messages are
    // kept for welcomes.
    ClusterRoomBackend(const RedisAddress &address, int heartbeatMsecs, int history, std::unique_ptr<MessageLog> log,
                       QObject *parent = nullptr);
    ~ClusterRoomBackend() override;

    std::variant<State, QString> start() override;
    void stop() override;
    // The messages read back so far, so none is sent twice.
    const MessageLog &history() const override { return m_recent ? *m_recent : *m_log; }

    Outcome claim(const QString &key, const QString &nick, Wire::ConnectionId connection,
                  const QByteArray &resumeHash) override;
    // The claim script as a pipeline of one (Cluster::startClaimNick).
    bool startClaim(const QString &key, const QString &nick, Wire::ConnectionId connection,
                    const QByteArray &resumeHash, const OutcomeDone &done) override;
    // The rename script as a pipeline of one (Cluster::startRename); a
    // member of rooms is renamed in them first, all in one pipeline on the
    // rooms' connection, and the rename script is sent from its answer.
    bool startRename(const QString &oldKey, const QString &newKey, const Protocol::Renamed &renamed,
                     const OutcomeDone &done) override;
    // The event script as a pipeline of one (Cluster::startSendTo, startShare).
    bool startSendTo(const QString &key, RoomStream::Kind kind, const Protocol::ServerFrame &frame,
                     Wire::ConnectionId from, const OutcomeDone &done) override;
    bool startShare(const Protocol::ServerFrame &frame, const OutcomeDone &done) override;
    // A claim or event waits on the cluster's connection, a room's join,
    // part or topic on the rooms' own (ClusterRooms).
    void finishAnswer() override;
    Outcome takeOver(const QString &key, const QString &nick, const QByteArray &presentedHash,
                     const QByteArray &newHash, const Protocol::Left &left, Wire::ConnectionId connection) override;
    // One Redis connection answers them in the order sent.
    bool overlapsClaims() const override { return true; }
    bool startTakeOver(const QString &key, const QString &nick, const QByteArray &presentedHash,
                       const QByteArray &newHash, const Protocol::Left &left, Wire::ConnectionId connection,
                       const OutcomeDone &done) override;
    Outcome rename(const QString &oldKey, const QString &newKey, const Protocol::Renamed &renamed) override;
    // Sent without waiting for Redis (Cluster::startRelease) once the user
    // is out of its rooms (which waits here; the Room uses startRelease()).
    void release(const QString &key, const Protocol::Left &left) override;
    // A member of rooms besides #lobby: out of them without waiting (one
    // pipeline on the rooms' connection), then the release, sent from their answers.
    bool startRelease(const QString &key, const Protocol::Left &left, const OutcomeDone &done) override;
    Posted post(const Protocol::ChatMessage &message) override;
    // Pipelined to Redis (RedisMessageLog::appendAll): one round trip for a
    // batch of #lobby's messages instead of one each.
    QList<Posted> postAll(const QList<MessageLog::Post> &posts) override;
    // #lobby's posts: one pipeline whose replies are read as they come
    // (RedisMessageLog::startAppendAll). A post refused is retried once
    // a rollback is found and repaired (Cluster::startCheckEpoch), all
    // without waiting; the batch is answered after that.
    bool startPostAll(const QList<MessageLog::Post> &posts, const PostsDone &done) override;
    // Also the epoch check a refused post waits for, and the retry.
    void finishPosts() override;
    bool batchesPosts() const override { return true; }
    Outcome share(const Protocol::ServerFrame &frame) override;
    Outcome sendTo(const QString &key, RoomStream::Kind kind, const Protocol::ServerFrame &frame,
                   Wire::ConnectionId from) override;

    // Rooms (ClusterRooms): each room's own stream, followed while the room
    // has members here.
    Outcome joinRoom(const QString &roomKey, const QString &nickKey, const Protocol::Joined &joined,
                     Wire::ConnectionId connection, int maxRooms) override;
    Outcome partRoom(const QString &roomKey, const QString &nickKey, const Protocol::Left &left) override;
    Outcome setTopic(const QString &roomKey, const Protocol::TopicChanged &topic) override;
    bool startJoinRoom(const QString &roomKey, const QString &nickKey, const Protocol::Joined &joined,
                       Wire::ConnectionId connection, int maxRooms, const OutcomeDone &done) override;
    bool startPartRoom(const QString &roomKey, const QString &nickKey, const Protocol::Left &left,
                       const OutcomeDone &done) override;
    bool startSetTopic(const QString &roomKey, const Protocol::TopicChanged &topic, const OutcomeDone &done) override;
    std::optional<RoomSnapshot> room(const QString &roomKey) const override;
    QList<Protocol::RoomInfo> rooms() const override { return m_rooms.rooms(); }
    bool startListRooms(const RoomsDone &done) override { return m_rooms.startListRooms(done); }
    RoomCount countRooms(const QStringList &roomKeys) const override { return m_rooms.countRooms(roomKeys); }
    bool startCountRooms(const QStringList &roomKeys, const CountDone &done) override
    {
        return m_rooms.startCountRooms(roomKeys, done);
    }

private:
    // What the log stored, answered: a refused post is retried once a
    // rollback is repaired (the epoch checked without waiting), then `done`.
    void answerStored(const QList<MessageLog::Post> &posts, const QList<MessageLog::Appended> &stored,
                      const PostsDone &done);
    // What the log stored, as posts; the stored ids marked delivered.
    QList<Posted> postedFrom(const QList<MessageLog::Appended> &stored);
    static Outcome outcomeOf(Cluster::Claim claim);
    // How many messages a snapshot brings for a `--history`.
    static int recentMessagesFor(int history);
    void read(const QList<RoomStream::Entry> &entries);
    void readRoom(const RoomStream::Entry &entry);
    void emitEntry(const RoomStream::Entry &entry);
    // False when the message is one this instance has already (the snapshot's).
    bool keepMessage(const Protocol::ChatMessage &message);
    // After a rollback (Cluster::rolledBack).
    void readAgain(const Cluster::Snapshot &snapshot);

    std::unique_ptr<MessageLog> m_log;
    int m_history;
    Cluster m_cluster;
    ClusterRooms m_rooms;
    std::unique_ptr<MemoryMessageLog> m_recent;
    bool m_stopped = false;      // after stop(): our users' leaving was said already
    int m_batchesRechecking = 0; // with refused posts, waiting for the epoch check
};
