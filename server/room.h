// SPDX-License-Identifier: MIT
#pragma once

#include "broadcast.h"
#include "history.h"
#include "protocol.h"
#include "serverconfig.h"

#include <QHash>
#include <QObject>

#include <deque>

class Connection;

// The one room: who is in it, under which nickname, and the single order in
// which everything happens. Requests come in through handle(); events go out
// to every member through the published() signal, each encoded once.
class Room final : public QObject
{
    Q_OBJECT

public:
    explicit Room(const ServerConfig &config, QObject *parent = nullptr);

    void handle(Connection *connection, const Protocol::ClientFrame &frame);
    // Registers a text-mode connection under the lowest free guest nick (no-op once registered).
    void admitGuest(Connection *connection);
    // Removes a member (no-op for a connection that never registered).
    void leave(Connection *connection, Protocol::LeaveReason reason, const QString &message = {});

    QStringList users() const;
    int memberCount() const { return int(m_members.size()); }
    qint64 lastMessageId() const { return m_lastMessageId; }

signals:
    void published(const Broadcast &event);

private:
    friend struct RoomRequestVisitor;

    void hello(Connection *connection, const Protocol::Hello &hello);
    void say(Connection *connection, const Protocol::Say &say);
    void whisper(Connection *connection, const Protocol::Whisper &whisper);
    void rename(Connection *connection, const Protocol::Nick &nick);
    void bye(Connection *connection, const Protocol::Bye &bye);

    void admit(Connection *connection, const QString &nick);
    QString freeGuestNick() const;
    // Checks a nickname for `connection`; sends the error and returns false if it cannot have it.
    bool checkNickFor(Connection *connection, const QString &nick, const QString &ref, QString *normalized);
    void publish(Protocol::ServerFrame frame, const Connection *except = nullptr);

    const ServerConfig &m_config;
    QHash<QString, Connection *> m_members; // by Validation::nickKey
    History m_history;
    qint64 m_lastMessageId = 0;
    // Events raised while a broadcast is under way (a slow consumer dropped
    // mid-fan-out) wait here, so every member sees one and the same order.
    bool m_publishing = false;
    std::deque<Broadcast> m_pending;
};
