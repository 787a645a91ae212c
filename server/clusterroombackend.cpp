// SPDX-License-Identifier: MIT
#include "clusterroombackend.h"

#include "timestamp.h"
#include "validation.h"

#include <QLoggingCategory>

using namespace Protocol;

Q_DECLARE_LOGGING_CATEGORY(lcRoom)

ClusterRoomBackend::ClusterRoomBackend(const RedisAddress &address, int heartbeatMsecs, int history,
                                       std::unique_ptr<MessageLog> log, QObject *parent)
    : RoomBackend(parent)
    , m_log(std::move(log))
    , m_history(history)
    , m_cluster(address, heartbeatMsecs, [this] { return localUsers(); })
    , m_rooms(address, m_cluster.instanceId(), recentMessagesFor(history))
{
    connect(&m_cluster, &Cluster::entriesArrived, this, &ClusterRoomBackend::read);
    connect(&m_cluster, &Cluster::nicknamesLost, this, &RoomBackend::nicknamesLost);
    // The dead instances' rooms are cleaned before their users are reaped.
    m_cluster.setRoomsReaper([this](const QList<QByteArray> &instances, const std::function<void(bool)> &then) {
        return m_rooms.startReap(instances, then);
    });
    // Direct: done before a rollback's `room` frames are sent (readAgain).
    connect(&m_cluster, &Cluster::resynced, this, [this](Cluster::Resync why) {
        m_rooms.repair();
        m_rooms.restore(localUsers(), why == Cluster::Resync::RolledBack ? ClusterRooms::Restore::Silently
                                                                         : ClusterRooms::Restore::Announced);
    });
    connect(&m_cluster, &Cluster::epochAdopted, this, [this](const QByteArray &epoch) { m_log->expectEpoch(epoch); });
    connect(&m_cluster, &Cluster::rolledBack, this, &ClusterRoomBackend::readAgain);
    connect(&m_rooms, &ClusterRooms::entryRead, this, &ClusterRoomBackend::readRoom);
    connect(&m_rooms, &ClusterRooms::followed, this, [this](const QString &, const QList<ChatMessage> &recent) {
        for (const ChatMessage &message : recent)
            m_recent->insert(message);
        if (!recent.isEmpty())
            m_recent->continueFrom(recent.constLast().id + 1);
    });
    // Not followed, its history here would have a hole when it is followed again.
    connect(&m_rooms, &ClusterRooms::unfollowed, this, [this](const QString &roomKey) { m_recent->forget(roomKey); });
}

ClusterRoomBackend::~ClusterRoomBackend() = default;

std::variant<RoomBackend::State, QString> ClusterRoomBackend::start()
{
    const int capacity = MemoryMessageLog::capacityFor(m_history);
    auto joined = m_cluster.join(recentMessagesFor(m_history));
    if (const auto *error = std::get_if<QString>(&joined))
        return *error;
    const Cluster::Snapshot &snapshot = std::get<Cluster::Snapshot>(joined);
    m_recent = std::make_unique<MemoryMessageLog>(capacity);
    // The messages up to the snapshot; those after it come from the stream.
    for (const ChatMessage &message : snapshot.recent)
        m_recent->insert(message);
    m_recent->continueFrom(snapshot.newestMessageId + 1);
    m_cluster.follow(snapshot.lastEntryId);
    return State{snapshot.roster, snapshot.ops, snapshot.slowSeconds, snapshot.mutes, snapshot.away};
}

void ClusterRoomBackend::stop()
{
    // The Room's posts and answers in flight are answered before its users leave.
    finishAnswer();
    finishPosts();
    for (const auto &[key, nick] : localUsers()) {
        m_rooms.leaveAll(key);
        m_cluster.release(key, Left{nick, LeaveReason::Shutdown, Timestamp::now()});
    }
    m_cluster.leaveCluster();
    m_stopped = true;
}

RoomBackend::Outcome ClusterRoomBackend::outcomeOf(Cluster::Claim claim)
{
    switch (claim) {
    case Cluster::Claim::Granted:
        return Outcome::Done;
    case Cluster::Claim::Taken:
        return Outcome::Refused;
    case Cluster::Claim::Unavailable:
        break;
    }
    return Outcome::Unavailable;
}

RoomBackend::Outcome ClusterRoomBackend::claim(const QString &key, const QString &nick, Wire::ConnectionId connection,
                                               const QByteArray &resumeHash)
{
    // The claim is the decision; the `joined` entry follows the stream, so
    // the history in the welcome is what came before it and nothing after
    // it is missed.
    return outcomeOf(m_cluster.claimNick(key, nick, connection, resumeHash));
}

bool ClusterRoomBackend::startClaim(const QString &key, const QString &nick, Wire::ConnectionId connection,
                                    const QByteArray &resumeHash, const OutcomeDone &done)
{
    return m_cluster.startClaimNick(key, nick, connection, resumeHash,
                                    [done](Cluster::Claim claim) { done(outcomeOf(claim)); });
}

RoomBackend::Outcome ClusterRoomBackend::takeOver(const QString &key, const QString &nick,
                                                  const QByteArray &presentedHash, const QByteArray &newHash,
                                                  const Left &left, Wire::ConnectionId connection)
{
    return outcomeOf(m_cluster.takeOver(key, nick, presentedHash, newHash, left, connection));
}

bool ClusterRoomBackend::startTakeOver(const QString &key, const QString &nick, const QByteArray &presentedHash,
                                       const QByteArray &newHash, const Left &left, Wire::ConnectionId connection,
                                       const OutcomeDone &done)
{
    return m_cluster.startTakeOver(key, nick, presentedHash, newHash, left, connection,
                                   [done](Cluster::Claim claim) { done(outcomeOf(claim)); });
}

RoomBackend::Outcome ClusterRoomBackend::rename(const QString &oldKey, const QString &newKey, const Renamed &renamed)
{
    // Reached when startRename() could send nothing. A user in rooms whose
    // rooms' connection is down is refused rather than renamed by waiting.
    if (!m_cluster.ensureReady() || m_rooms.isInAnyRoom(oldKey))
        return Outcome::Unavailable;
    // The rooms first, then the `renamed` entry: an instance that reads a
    // room before that entry and then the entry ends up right either way
    // (docs/architecture.md, "Rooms in the cluster"). Refused, it is undone.
    m_rooms.rename(oldKey, newKey, renamed.to);
    const Outcome outcome = outcomeOf(m_cluster.rename(oldKey, newKey, renamed));
    if (outcome != Outcome::Done)
        m_rooms.rename(newKey, oldKey, renamed.from);
    return outcome;
}

bool ClusterRoomBackend::startRename(const QString &oldKey, const QString &newKey, const Renamed &renamed,
                                     const OutcomeDone &done)
{
    if (!m_rooms.isInAnyRoom(oldKey))
        return m_cluster.startRename(oldKey, newKey, renamed, [done](Cluster::Claim claim) { done(outcomeOf(claim)); });
    // As rename(): the rooms first, then the `renamed` entry, sent from the
    // rooms' answer; refused, the rooms are renamed back.
    return m_rooms.startRename(oldKey, newKey, renamed.to, [this, oldKey, newKey, renamed, done] {
        const auto undo = [this, oldKey, newKey, renamed] {
            // Not connected: waited for, so that the rooms here follow the nick back.
            if (!m_rooms.startRename(newKey, oldKey, renamed.from, [] {}))
                m_rooms.rename(newKey, oldKey, renamed.from);
        };
        const bool sent = m_cluster.startRename(oldKey, newKey, renamed, [undo, done](Cluster::Claim claim) {
            const Outcome outcome = outcomeOf(claim);
            if (outcome != Outcome::Done)
                undo();
            done(outcome);
        });
        if (!sent) {
            undo();
            done(Outcome::Unavailable);
        }
    });
}

void ClusterRoomBackend::finishAnswer()
{
    // An answer on one connection may send the next step on the other: a
    // claim's hello rooms, a rename's `renamed` after its rooms.
    do {
        m_cluster.finishAnswer();
        m_rooms.finishPending();
    } while (m_cluster.answerInFlight() || m_rooms.hasPending());
}

void ClusterRoomBackend::release(const QString &key, const Left &left)
{
    if (m_stopped)
        return; // stop() already said so for everyone here
    // Out of its rooms first: whoever reads the room after the `left` finds
    // the user gone from it.
    m_rooms.leaveAll(key);
    // When Redis is away, the resync after the reconnect releases the
    // nickname (and says the user left).
    if (!m_cluster.startRelease(key, left))
        qCInfo(lcRoom).noquote() << "the shared room will hear that" << left.nick << "left once Redis is back";
}

bool ClusterRoomBackend::startRelease(const QString &key, const Left &left, const OutcomeDone &done)
{
    if (m_stopped)
        return false;
    return m_rooms.startLeaveAll(key, [this, key, left, done] {
        // After the rooms, as release() does; on the cluster's connection,
        // before any claim the room asks after this answer.
        if (!m_cluster.startRelease(key, left))
            qCInfo(lcRoom).noquote() << "the shared room will hear that" << left.nick << "left once Redis is back";
        done(Outcome::Done);
    });
}

RoomBackend::Posted ClusterRoomBackend::post(const ChatMessage &message)
{
    return postAll({MessageLog::Post{message}}).constFirst();
}

QList<RoomBackend::Posted> ClusterRoomBackend::postAll(const QList<MessageLog::Post> &posts)
{
    QList<Posted> posted(posts.size(), Posted{Outcome::Unavailable});
    if (!m_cluster.ensureReady())
        return posted;
    answerStored(posts, m_log->appendAll(posts), [&posted](const QList<Posted> &answer) { posted = answer; });
    finishPosts();
    return posted;
}

bool ClusterRoomBackend::startPostAll(const QList<MessageLog::Post> &posts, const PostsDone &done)
{
    // Not ready: postAll() refuses them at once, without a round trip.
    if (!m_cluster.ensureReady())
        return false;
    return m_log->startAppendAll(
        posts, [this, posts, done](const QList<MessageLog::Appended> &stored) { answerStored(posts, stored, done); });
}

void ClusterRoomBackend::finishPosts()
{
    m_log->finishAppends();
    // A batch with refused posts waits for the epoch check, then for its
    // posts sent again.
    while (m_batchesRechecking > 0) {
        m_cluster.finishEpochCheck();
        m_log->finishAppends();
    }
}

void ClusterRoomBackend::answerStored(const QList<MessageLog::Post> &posts, const QList<MessageLog::Appended> &stored,
                                      const PostsDone &done)
{
    // Refused: perhaps because Redis was rolled back (the log checks the
    // epoch); once that is repaired, the refused messages get ids above
    // every one delivered here, still in their order. Posts said meanwhile
    // are refused (Cluster::ensureReady()) and come after them.
    QList<qsizetype> refused;
    for (qsizetype i = 0; i < stored.size(); ++i) {
        if (std::holds_alternative<QString>(stored.at(i)))
            refused.append(i);
    }
    if (refused.isEmpty()) {
        done(postedFrom(stored));
        return;
    }
    ++m_batchesRechecking;
    const bool checking = m_cluster.startCheckEpoch([this, posts, stored, refused, done](Cluster::EpochCheck check) {
        --m_batchesRechecking;
        if (check != Cluster::EpochCheck::RolledBack) {
            done(postedFrom(stored));
            return;
        }
        QList<MessageLog::Post> again;
        again.reserve(refused.size());
        for (const qsizetype i : refused)
            again.append(posts.at(i));
        const bool sent = m_log->startAppendAll(again, [this, merged = QList<MessageLog::Appended>(stored), refused,
                                                        done](const QList<MessageLog::Appended> &retried) mutable {
            for (qsizetype n = 0; n < refused.size(); ++n)
                merged[refused.at(n)] = retried.at(n);
            done(postedFrom(merged));
        });
        if (!sent)
            done(postedFrom(stored));
    });
    if (!checking) {
        --m_batchesRechecking;
        done(postedFrom(stored));
    }
}

QList<RoomBackend::Posted> ClusterRoomBackend::postedFrom(const QList<MessageLog::Appended> &stored)
{
    QList<Posted> posted;
    posted.reserve(stored.size());
    for (const MessageLog::Appended &appended : stored) {
        if (const auto *message = std::get_if<ChatMessage>(&appended)) {
            m_cluster.delivered(message->id);
            posted.append(*message); // sent when it is read back
        } else if (const auto *repeated = std::get_if<MessageLog::Repeated>(&appended)) {
            posted.append(*repeated); // in the stream already: for its author alone
        } else {
            posted.append(Outcome::Unavailable);
        }
    }
    return posted;
}

RoomBackend::Outcome ClusterRoomBackend::share(const ServerFrame &frame)
{
    return m_cluster.share(frame) ? Outcome::Done : Outcome::Unavailable;
}

bool ClusterRoomBackend::startShare(const ServerFrame &frame, const OutcomeDone &done)
{
    return m_cluster.startShare(frame, [done](bool shared) { done(shared ? Outcome::Done : Outcome::Unavailable); });
}

RoomBackend::Outcome ClusterRoomBackend::sendTo(const QString &key, RoomStream::Kind kind, const ServerFrame &frame,
                                                Wire::ConnectionId from)
{
    // The target's server carries it out when it reads the entry.
    return outcomeOf(m_cluster.sendTo(key, kind, frame, from));
}

bool ClusterRoomBackend::startSendTo(const QString &key, RoomStream::Kind kind, const ServerFrame &frame,
                                     Wire::ConnectionId from, const OutcomeDone &done)
{
    return m_cluster.startSendTo(key, kind, frame, from, [done](Cluster::Claim claim) { done(outcomeOf(claim)); });
}

int ClusterRoomBackend::recentMessagesFor(int history)
{
    // One more than kept, so that the log knows older ones were left out.
    const int capacity = MemoryMessageLog::capacityFor(history);
    return capacity > 0 ? capacity + 1 : 0;
}

bool ClusterRoomBackend::keepMessage(const ChatMessage &message)
{
    m_cluster.delivered(message.id);
    return m_recent->insert(message);
}

void ClusterRoomBackend::readAgain(const Cluster::Snapshot &snapshot)
{
    // What the room has now that this instance has not: the users here are
    // told with the history as it is now (Room::tellHistoryLost).
    for (const ChatMessage &message : snapshot.recent)
        keepMessage(message);
    m_rooms.followAgain();
    qCInfo(lcRoom).noquote() << "the shared room was rolled back; telling the users here they may have missed "
                                "messages";
    emit historyLost();
}

void ClusterRoomBackend::emitEntry(const RoomStream::Entry &entry)
{
    const bool fromHere = entry.instance == m_cluster.instanceId();
    emit happened(Event{entry.kind, entry.frame, fromHere ? entry.connection : 0, entry.target, entry.json});
}

void ClusterRoomBackend::read(const QList<RoomStream::Entry> &entries)
{
    for (const RoomStream::Entry &entry : entries) {
        if (entry.kind == RoomStream::Kind::Message) {
            if (!keepMessage(std::get<ChatMessage>(entry.frame)))
                continue; // already read (the start-up snapshot)
        } else if (const auto *left = std::get_if<Left>(&entry.frame); left && left->room.isEmpty()) {
            m_rooms.userLeft(Validation::nickKey(left->nick));
        } else if (const auto *renamed = std::get_if<Renamed>(&entry.frame)) {
            m_rooms.userRenamed(Validation::nickKey(renamed->from), Validation::nickKey(renamed->to), renamed->to);
        }
        emitEntry(entry);
    }
}

void ClusterRoomBackend::readRoom(const RoomStream::Entry &entry)
{
    if (const auto *message = std::get_if<ChatMessage>(&entry.frame); message && !keepMessage(*message))
        return;
    emitEntry(entry);
}

RoomBackend::Outcome ClusterRoomBackend::joinRoom(const QString &roomKey, const QString &nickKey, const Joined &joined,
                                                  Wire::ConnectionId connection, int maxRooms)
{
    if (!m_cluster.ensureReady())
        return Outcome::Unavailable;
    return m_rooms.join(roomKey, nickKey, joined, connection, maxRooms);
}

RoomBackend::Outcome ClusterRoomBackend::partRoom(const QString &roomKey, const QString &nickKey, const Left &left)
{
    if (!m_cluster.ensureReady())
        return Outcome::Unavailable;
    return m_rooms.part(roomKey, nickKey, left);
}

RoomBackend::Outcome ClusterRoomBackend::setTopic(const QString &roomKey, const TopicChanged &topic)
{
    if (!m_cluster.ensureReady())
        return Outcome::Unavailable;
    return m_rooms.setTopic(roomKey, topic);
}

bool ClusterRoomBackend::startJoinRoom(const QString &roomKey, const QString &nickKey, const Joined &joined,
                                       Wire::ConnectionId connection, int maxRooms, const OutcomeDone &done)
{
    // Not ready: joinRoom() says Unavailable at once.
    return m_cluster.ensureReady() && m_rooms.startJoin(roomKey, nickKey, joined, connection, maxRooms, done);
}

bool ClusterRoomBackend::startPartRoom(const QString &roomKey, const QString &nickKey, const Left &left,
                                       const OutcomeDone &done)
{
    return m_cluster.ensureReady() && m_rooms.startPart(roomKey, nickKey, left, done);
}

bool ClusterRoomBackend::startSetTopic(const QString &roomKey, const TopicChanged &topic, const OutcomeDone &done)
{
    return m_cluster.ensureReady() && m_rooms.startSetTopic(roomKey, topic, done);
}

std::optional<RoomBackend::RoomSnapshot> ClusterRoomBackend::room(const QString &roomKey) const
{
    return m_rooms.room(roomKey);
}
