// SPDX-License-Identifier: MIT
#pragma once

#include "broadcast.h"
#include "messagelog.h"
#include "moderation.h"
#include "serverconfig.h"
#include "wire.h"

#include <QHash>
#include <QObject>

#include <memory>
#include <optional>

class Worker;

// The one room and the server's single ordering point: who is in it, under
// which nickname, and the one order in which everything happens. It lives in
// the main thread; workers hand it requests through queued signals, and it
// answers through queued calls, so everything reaching one connection keeps
// the order in which the room decided it.
class Room final : public QObject
{
    Q_OBJECT

public:
    Room(const ServerConfig &config, std::unique_ptr<MessageLog> log, QObject *parent = nullptr);
    ~Room() override;

    void handle(Wire::ConnectionId id, Worker *worker, Wire::Mode mode, const Wire::Request &request);
    // A worker's connection is leaving on its own (closed, flood, too large, slow).
    void leave(Wire::ConnectionId id, Worker *worker, Wire::Mode mode, Protocol::LeaveReason reason,
               const Wire::LastWords &last);

    QStringList users() const;
    // The operators among users(), in the same order.
    QStringList operators() const;
    int memberCount() const { return int(m_members.size()); }
    qint64 lastMessageId() const { return m_log->nextId() - 1; }

signals:
    void published(const BroadcastPtr &event);

private:
    friend struct RoomRequestVisitor;

    struct Member {
        QString nick;
        Worker *worker = nullptr;
        Wire::Mode mode = Wire::Mode::Json;
    };
    struct Requester {
        Wire::ConnectionId id;
        Worker *worker;
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
    // The member called `nick`, or an error to `from` and nullopt.
    std::optional<Wire::ConnectionId> findMember(const Requester &from, const QString &nick, const QString &ref);
    // Refuses (and returns false) when a mute or slow mode forbids `from` to post now.
    bool mayPost(const Requester &from, const QString &ref, bool slowModeApplies);

    void admit(const Requester &from, const QString &nick, std::optional<qint64> since = std::nullopt);
    Protocol::Welcome welcomeFor(const QString &nick, std::optional<qint64> since) const;
    void removeMember(Wire::ConnectionId id, Protocol::LeaveReason reason, const QString &message,
                      const QString &by = {});
    QString freeGuestNick() const;
    std::optional<QString> checkNickFor(const Requester &from, const QString &nick, const QString &ref);
    void reply(const Requester &to, const Protocol::ServerFrame &frame);
    void publish(const Protocol::ServerFrame &frame, Wire::ConnectionId except = 0);

    // Cross-thread calls into a worker, queued behind everything sent before.
    static void send(Worker *worker, Wire::ConnectionId id, const QByteArray &bytes);
    static void closeAfter(Worker *worker, Wire::ConnectionId id, const QByteArray &last);
    static void setMember(Worker *worker, Wire::ConnectionId id, bool member);

    const ServerConfig &m_config;
    QHash<Wire::ConnectionId, Member> m_members;
    QHash<QString, Wire::ConnectionId> m_idByKey; // by Validation::nickKey
    int m_textMembers = 0;
    std::unique_ptr<MessageLog> m_log;
    Moderation m_moderation;
};
