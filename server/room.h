// SPDX-License-Identifier: MIT
#pragma once

#include "broadcast.h"
#include "messagelog.h"
#include "moderation.h"
#include "replychannel.h"
#include "roombackend.h"
#include "roster.h"
#include "serverconfig.h"
#include "wire.h"

#include <QHash>
#include <QObject>

#include <memory>
#include <optional>

// The one room and the server's single ordering point: who is in it, under
// which nickname, and the one order in which everything happens. It lives in
// the main thread; workers hand it requests through queued signals, and it
// answers through each one's ReplyChannel, so everything reaching one
// connection keeps the order in which the room decided it.
//
// The room decides here (checks, moderation rights); its RoomBackend carries
// it out (nickname claims, messages, events) and tells it what happened, in
// the room's one order: at once for a room of one server, or as read back
// from the Redis stream when a cluster of servers serves it (--redis;
// docs/architecture.md, "Cluster: several servers through Redis"). The room acts on what it
// is told (state, broadcasts), its own events included, the same either way.
class Room final : public QObject
{
    Q_OBJECT

public:
    // The characters (UTF-16 units) of text and sender names a resuming
    // `welcome` carries at most: about 3 MiB of UTF-8 at worst, within the
    // default 4 MiB send queue and the 16 MiB line the project's clients accept.
    static constexpr qsizetype kMaxResumeTextChars = 1024 * 1024;
    // About the largest `welcome` this configuration can send, in bytes: a
    // full history of the longest messages, or the largest resume.
    static qsizetype largestWelcomeBytes(const ServerConfig &config);

    Room(const ServerConfig &config, std::unique_ptr<RoomBackend> backend, QObject *parent = nullptr);
    ~Room() override;

    // Before the server listens: joins the room (with --redis, the
    // cluster's). Why it cannot, as a sentence.
    std::optional<QString> start();
    // At shutdown: this server's users leave the cluster (with --redis).
    void stop();

    void handle(Wire::ConnectionId id, ReplyChannel *channel, Wire::Mode mode, const Wire::Request &request);
    // A connection is leaving on its own (closed, flood, too large, slow).
    void leave(Wire::ConnectionId id, ReplyChannel *channel, Wire::Mode mode, Protocol::LeaveReason reason,
               const Wire::LastWords &last);

    QStringList users() const;
    // The operators among users(), in the same order.
    QStringList operators() const;
    int memberCount() const { return int(m_members.size()); }
    qint64 lastMessageId() const { return history().nextId() - 1; }

signals:
    void published(const BroadcastPtr &event);

private:
    friend struct RoomRequestVisitor;

    struct Member {
        QString nick;
        ReplyChannel *channel = nullptr;
        Wire::Mode mode = Wire::Mode::Json;
        // Admitted (nickname claimed) but its `joined` event not back from
        // the backend yet. Replies wait in `held` until its welcome.
        bool awaitingWelcome = false;
        std::optional<qint64> since;
        QList<QByteArray> held;
    };
    enum class Admission { Admitted, Taken, Unavailable };
    struct Requester {
        Wire::ConnectionId id;
        ReplyChannel *channel;
        Wire::Mode mode;
        QString nick; // empty until registered
    };

    void dispatch(const Requester &from, const Protocol::ClientFrame &frame);
    void hello(const Requester &from, const Protocol::Hello &hello);
    void say(const Requester &from, const Protocol::Say &say);
    void whisper(const Requester &from, const Protocol::Whisper &whisper);
    void rename(const Requester &from, const Protocol::Nick &nick);
    void bye(const Requester &from, const Protocol::Bye &bye);
    // Moderation (docs/protocol.md); state in m_moderation.
    void op(const Requester &from, const Protocol::Op &op);
    void kick(const Requester &from, const Protocol::Kick &kick);
    void mute(const Requester &from, const Protocol::Mute &mute);
    void unmute(const Requester &from, const Protocol::Unmute &unmute);
    void slow(const Requester &from, const Protocol::Slow &slow);
    bool checkOperator(const Requester &from, const QString &ref);
    // For /kick, /mute, /unmute: the user called `nick` if `from` is an
    // operator (as findUser), or an error to `from` and nullopt.
    std::optional<std::pair<QString, QString>> operatorTarget(const Requester &from, const QString &nick,
                                                              const QString &ref);
    // Refuses (and returns false) when a mute or slow mode forbids `from` to post now.
    bool mayPost(const Requester &from, const QString &ref, bool slowModeApplies);
    void kickHere(Wire::ConnectionId id, const Protocol::ServerBye &bye);
    // A mute, unmute or slow mode, for everyone.
    void announce(const Requester &from, const Protocol::ServerFrame &frame, const QString &ref);
    void applyModeration(const Protocol::ServerFrame &frame);

    Admission admit(const Requester &from, const QString &nick, std::optional<qint64> since = std::nullopt);
    // A text-mode user's guest nickname, admitted; empty when none could be (error sent).
    QString admitGuest(const Requester &from);
    Protocol::Welcome welcomeFor(const QString &nick, std::optional<qint64> since) const;
    void removeMember(Wire::ConnectionId id, Protocol::LeaveReason reason, const QString &message,
                      const QString &by = {});
    QString freeGuestNick(int after = 0) const;
    // The user called `nick` anywhere in the room, as (nick key, nick); or
    // an error to `from` and nullopt.
    std::optional<std::pair<QString, QString>> findUser(const Requester &from, const QString &nick, const QString &ref);
    std::optional<QString> checkNickFor(const Requester &from, const QString &nick, const QString &ref);
    void reply(const Requester &to, const Protocol::ServerFrame &frame);
    // To one connection, after its welcome if that is still to come.
    void deliver(Wire::ConnectionId id, ReplyChannel *channel, const QByteArray &bytes);
    void replyUnavailable(const Requester &to, const QString &ref);
    // A whisper or kick for the user `to` (nick key, nick as asked),
    // wherever they are; `from` hears why not if it cannot be sent.
    void sendToUser(const Requester &from, const std::pair<QString, QString> &to, RoomStream::Kind kind,
                    const Protocol::ServerFrame &frame, const QString &ref);

    // What the backend says happened, in the room's order.
    void apply(const RoomBackend::Event &event);
    void applyEvent(const RoomBackend::Event &event);
    void applyWhisper(const RoomBackend::Event &event);
    void sendWelcome(Wire::ConnectionId id);
    void dropLostNicknames(const QStringList &keys);
    QList<std::pair<QString, QString>> localUsers() const;
    const MessageLog &history() const { return m_backend->history(); }
    void publish(const Protocol::ServerFrame &frame, Wire::ConnectionId except = 0);
    // A mute's end is wall-clock time, so a mute learnt later (read back from
    // the stream, or from the start-up snapshot) still ends when it was meant to.
    static qint64 msecsUntil(const QDateTime &until);

    const ServerConfig &m_config;
    QHash<Wire::ConnectionId, Member> m_members;
    QHash<QString, Wire::ConnectionId> m_idByKey; // by Validation::nickKey
    int m_textMembers = 0;
    Wire::ConnectionId m_claiming = 0; // in m_members while its nickname is being claimed
    std::unique_ptr<RoomBackend> m_backend;
    Moderation m_moderation;
    // Everyone in the room, here and on other servers, as the backend said.
    Roster m_roster;
};
