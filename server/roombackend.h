// SPDX-License-Identifier: MIT
#pragma once

#include "messagelog.h"
#include "protocol.h"
#include "roomstream.h"
#include "serverconfig.h"
#include "wire.h"

#include <QDateTime>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>
#include <variant>

// Where the Room's decisions take effect: claimed nicknames, posted
// messages, shared events, words for one user. The room asks, the backend
// answers whether it was done, and what happened comes back to the room
// through happened(), in the one order of the room. The room of one server
// (LocalRoomBackend) does it at once, inside the call; a cluster of servers
// sharing the room through Redis (ClusterRoomBackend, --redis) when it reads
// it back from the room's stream, its own events included. So the Room has
// one code path for both, and tests can give it a backend of their own.
class RoomBackend : public QObject
{
    Q_OBJECT

public:
    enum class Outcome {
        Done,
        Refused,     // the nickname is taken, or no user has it
        Unavailable, // the cluster cannot be reached right now
        NotStored,   // the message log failed (it logged why)
    };
    // Something that happened in the room, in the room's order.
    struct Event {
        RoomStream::Kind kind = RoomStream::Kind::Event;
        Protocol::ServerFrame frame;
        // The connection of this server it came from (joined, whisper); 0
        // when it came from elsewhere (another instance, or no connection).
        Wire::ConnectionId from = 0;
        QString target; // nick key (whisper, kick)
        // The frame's JSON line when it came encoded (RoomStream::Entry::json).
        QByteArray json = {};
    };
    // The room as it is when this server starts serving it.
    struct State {
        QList<std::pair<QString, QString>> roster; // (nick key, nick)
        QStringList ops;                           // nick keys
        qint64 slowSeconds = 0;
        QList<std::pair<QString, QDateTime>> mutes; // (nick key, end); some may have ended
        QList<std::pair<QString, QString>> away;    // (nick key, away message)
    };
    // A room other than #lobby as it is now: its record and its members.
    struct RoomSnapshot {
        MessageLog::RoomRecord record;
        QList<std::pair<QString, QString>> members; // (nick key, nick)
    };
    // The users this server serves now, as (nick key, nick).
    using LocalUsers = std::function<QList<std::pair<QString, QString>>()>;

    // The backend `config` asks for (--redis or not), owning `log`.
    static std::unique_ptr<RoomBackend> create(const ServerConfig &config, std::unique_ptr<MessageLog> log);

    ~RoomBackend() override;

    void setLocalUsers(LocalUsers localUsers) { m_localUsers = std::move(localUsers); }

    // Before the server listens: the room as it is, or why it cannot be
    // joined (a sentence).
    virtual std::variant<State, QString> start() = 0;
    // At shutdown: the users still here leave, and nothing said after
    // this leaves this server.
    virtual void stop() = 0;
    // Where the histories of `welcome` and `room`, and resumes, are read.
    virtual const MessageLog &history() const = 0;

    // Each one's event comes back through happened() when it is Done.
    // `resumeHash` (ResumeToken::hash; empty: none) is kept with the claim,
    // moved by a rename and dropped with the claim.
    virtual Outcome claim(const QString &key, const QString &nick, Wire::ConnectionId connection,
                          const QByteArray &resumeHash) = 0;
    // The answer to a claim, event or word started without waiting.
    using OutcomeDone = std::function<void(Outcome)>;
    // claim() without waiting for the answer (issue #16: a reconnect storm's
    // hellos are not one round trip each on the room's thread): true when
    // the claim was sent and `done` will be called with what claim() would
    // have returned, from the event loop or from finishAnswer(), never
    // inside this call; false when this backend cannot: then nothing was
    // sent and the caller uses claim(). One answer in flight at a time (this,
    // startTakeOver(), startRename(), startSendTo() or startShare()), but
    // several claims when overlapsClaims(), and none while a batch of posts
    // is in flight: the Room settles the one before the other.
    virtual bool startClaim(const QString &key, const QString &nick, Wire::ConnectionId connection,
                            const QByteArray &resumeHash, const OutcomeDone &done);
    // rename(), sendTo() and share() as startClaim() is to claim().
    virtual bool startRename(const QString &oldKey, const QString &newKey, const Protocol::Renamed &renamed,
                             const OutcomeDone &done);
    virtual bool startSendTo(const QString &key, RoomStream::Kind kind, const Protocol::ServerFrame &frame,
                             Wire::ConnectionId from, const OutcomeDone &done);
    virtual bool startShare(const Protocol::ServerFrame &frame, const OutcomeDone &done);
    // Waits for the answers started without waiting, if any, and calls their
    // `done`s before it returns (bounded by the backend's command timeout).
    virtual void finishAnswer() {}
    // Whether several claims (startClaim(), startTakeOver()) may be in
    // flight at once, their `done`s called in the order they were started.
    virtual bool overlapsClaims() const { return false; }
    // A nickname another server of the cluster holds (alive or dead), taken
    // over with its token (`presentedHash`) in one step: Done when the hash
    // matched; then a Kick event with `bye` resumed for `key` (its `from` is
    // `connection`, which must not be closed), `left`, and the `joined` from
    // `connection` come through happened(). Refused when it did not match.
    virtual Outcome takeOver(const QString &key, const QString &nick, const QByteArray &presentedHash,
                             const QByteArray &newHash, const Protocol::Left &left, Wire::ConnectionId connection);
    // takeOver() as startClaim() is to claim().
    virtual bool startTakeOver(const QString &key, const QString &nick, const QByteArray &presentedHash,
                               const QByteArray &newHash, const Protocol::Left &left, Wire::ConnectionId connection,
                               const OutcomeDone &done);
    virtual Outcome rename(const QString &oldKey, const QString &newKey, const Protocol::Renamed &renamed) = 0;
    virtual void release(const QString &key, const Protocol::Left &left) = 0;
    // release() as startClaim() is to claim(), for a release that has to
    // wait for something first (a member of rooms besides #lobby leaves
    // them first): `done` once what the release waits for is answered and
    // the release itself has been sent, so a claim asked after it goes
    // after it. False: call release().
    virtual bool startRelease(const QString &key, const Protocol::Left &left, const OutcomeDone &done);
    // The message as stored (with its id), or why it was not.
    // Or, with a cid its author had posted before, the message stored then.
    using Posted = std::variant<Protocol::ChatMessage, Outcome, MessageLog::Repeated>;
    virtual Posted post(const Protocol::ChatMessage &message) = 0;
    // Several messages, each as post() would, in order (their ids follow
    // it), one result each. By default post() for each; a backend whose
    // post is a network round trip sends them together and says so with
    // batchesPosts(), and then the Room gathers a batch's posts for one call.
    virtual QList<Posted> postAll(const QList<MessageLog::Post> &posts);
    virtual bool batchesPosts() const { return false; }
    // The answer to a batch started with startPostAll(), one Posted per post.
    using PostsDone = std::function<void(const QList<Posted> &)>;
    // postAll() without waiting for the answer: true when the posts were
    // sent and `done` will be called with what postAll() would have
    // returned, from the event loop or from finishPosts(), never inside this
    // call; false when this backend cannot (or not for these posts): then
    // nothing was sent and the caller uses postAll(). One batch at a time:
    // call finishPosts() before starting another.
    virtual bool startPostAll(const QList<MessageLog::Post> &posts, const PostsDone &done);
    // Waits for the batch started with startPostAll(), if any, and calls its
    // `done` before it returns (bounded by the backend's command timeout).
    virtual void finishPosts() {}
    // An event for everyone (opped, muted, unmuted, slow).
    virtual Outcome share(const Protocol::ServerFrame &frame) = 0;
    // For the user `key`, wherever they are (whisper, kick); Refused: no such user.
    virtual Outcome sendTo(const QString &key, RoomStream::Kind kind, const Protocol::ServerFrame &frame,
                           Wire::ConnectionId from) = 0;

    // Rooms (ROOMS.md). The user `nickKey` joins the room `roomKey` (not
    // #lobby), made if it has no members; `joined.room` is the name as asked,
    // the event carries the name as created. Refused: `maxRooms` rooms have
    // members already and this one has none.
    virtual Outcome joinRoom(const QString &roomKey, const QString &nickKey, const Protocol::Joined &joined,
                             Wire::ConnectionId connection, int maxRooms) = 0;
    // The event is `left` (reason part) with the room as created.
    virtual Outcome partRoom(const QString &roomKey, const QString &nickKey, const Protocol::Left &left) = 0;
    // #lobby included; the event carries the room as created.
    virtual Outcome setTopic(const QString &roomKey, const Protocol::TopicChanged &topic) = 0;
    // joinRoom(), partRoom() and setTopic() as startClaim() is to claim():
    // `done` comes later, finishAnswer() waits for it.
    virtual bool startJoinRoom(const QString &roomKey, const QString &nickKey, const Protocol::Joined &joined,
                               Wire::ConnectionId connection, int maxRooms, const OutcomeDone &done);
    virtual bool startPartRoom(const QString &roomKey, const QString &nickKey, const Protocol::Left &left,
                               const OutcomeDone &done);
    virtual bool startSetTopic(const QString &roomKey, const Protocol::TopicChanged &topic, const OutcomeDone &done);
    // A room with members as it is now (nullopt: none), and #lobby's record.
    virtual std::optional<RoomSnapshot> room(const QString &roomKey) const = 0;
    // Every room with members, #lobby not included; `users` counts them all.
    virtual QList<Protocol::RoomInfo> rooms() const = 0;
    // How many rooms have members, and how many of `roomKeys` have none
    // (the check of a hello's rooms against --max-rooms). From room() and
    // rooms() here; one round trip with --redis.
    struct RoomCount {
        int held = 0;
        int empty = 0;
    };
    virtual RoomCount countRooms(const QStringList &roomKeys) const;
    using CountDone = std::function<void(RoomCount)>;
    // countRooms() as startClaim() is to claim(): false (the default) when
    // the backend answers at once, then call countRooms().
    virtual bool startCountRooms(const QStringList &roomKeys, const CountDone &done);
    using RoomsDone = std::function<void(const QList<Protocol::RoomInfo> &)>;
    // rooms() as startClaim() is to claim(): false (the default) when the
    // backend answers at once, then call rooms().
    virtual bool startListRooms(const RoomsDone &done);

signals:
    void happened(const RoomBackend::Event &event);
    // Users here whose nickname another server took while this one could
    // not reach the cluster (nick keys).
    void nicknamesLost(const QStringList &keys);
    // The shared room lost messages (Redis was rolled back): the users here
    // may have missed some; the history now is the room as read again.
    void historyLost();

protected:
    explicit RoomBackend(QObject *parent = nullptr);
    QList<std::pair<QString, QString>> localUsers() const;

private:
    LocalUsers m_localUsers;
};
