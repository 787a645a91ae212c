// SPDX-License-Identifier: MIT
#pragma once

// ChatClient's private half: connection lifecycle, frame handling and the
// outbox. Only chatclient.cpp and chatclientprivate.cpp include this.

#include "chatclient.h"
#include "countdown.h"
#include "linereader.h"
#include "outbox.h"
#include "roomroster.h"
#include "servertrust.h"

#include <QElapsedTimer>
#include <QHash>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTimer>

#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcClient)

struct ChatClient::Private {
    explicit Private(ChatClient *owner) : q(owner) {}

    void startConnection();
    void dropSocket();
    void onConnected();
    void onEncrypted();
    void onReadyRead();
    void onSocketError(QAbstractSocket::SocketError error);
    void onDisconnected();
    void connectionEnded(const QString &message);
    void closePolitely(const QString &reason);
    void send(const Protocol::ClientFrame &frame);
    void sendHello();
    void setState(State newState);

    void handleLine(const QByteArray &line);
    void handle(const Protocol::Welcome &f);
    void handle(const Protocol::ChatMessage &f);
    void handle(const Protocol::WhisperMessage &f);
    void handle(const Protocol::Joined &f);
    void handle(const Protocol::Left &f);
    void handle(const Protocol::Renamed &f);
    void handle(const Protocol::Users &f);
    void handle(const Protocol::Pong &f);
    void handle(const Protocol::Error &f);
    void handle(const Protocol::ServerBye &f);
    void handle(const Protocol::Opped &f);
    void handle(const Protocol::Muted &f) { emit q->userMuted(f); }
    void handle(const Protocol::Unmuted &f) { emit q->userUnmuted(f); }
    void handle(const Protocol::SlowMode &f);
    // Presence (chatclientpresence.cpp).
    void handle(const Protocol::Away &f);
    void handle(const Protocol::Back &f);
    void setAwayUsers(const Protocol::AwayMessages &away);
    // After `welcome`: asks to be away again if this user was before.
    void restoreAway();
    // Rooms (chatclientrooms.cpp).
    void handle(const Protocol::RoomState &f);
    void handle(const Protocol::TopicChanged &f);
    void handle(const Protocol::RoomList &f) { emit q->roomListReceived(f); }
    // hello.rooms was refused (room-invalid, too-many-rooms): register
    // without the rooms rather than not at all.
    void registerWithoutRooms(const Protocol::Error &f);
    void leftRoom(const QString &room);
    // After `welcome` and the `room` frames of hello.rooms: what the outbox
    // holds goes out, each room's doubtful messages checked against its history.
    void resumeSending();
    void setOperators(QStringList ops);
    // Moderation requests: in order behind what was typed before, only online.
    bool sendRequest(const Protocol::ClientFrame &frame);
    void setUsers(const QStringList &users);
    void setRoomUsers(const QString &room, const QStringList &users);
    void emitRoomsChanged() { emit q->roomsChanged(roster.names()); }
    void confirm(Outbox::Kind kind);
    void pump();

    QString describeSocketError(QAbstractSocket::SocketError error) const;

    // `welcome` carries up to 100 messages of up to 4,000 characters, far
    // more than the 64 KiB the server accepts from clients.
    static constexpr qsizetype kMaxServerFrameBytes = 16 * 1024 * 1024;

    ChatClient *q;
    QTcpSocket *socket = nullptr;
    LineReader reader{kMaxServerFrameBytes};
    QTimer connectTimer;
    QTimer pingTimer;
    QTimer idleTimer;
    Countdown reconnectCountdown;
    QTimer pumpTimer;
    Backoff backoff;
    Outbox outbox;

    State state = State::Disconnected;
    QString host;
    quint16 port = 0;
    QString nick;
    // The rooms one is in, #lobby first; its users are everyone online.
    RoomRoster roster;
    // `room` frames still owed for the last hello.rooms; sending waits for them.
    qsizetype awaitedRoomStates = 0;
    bool hadPendingAtWelcome = false;
    QStringList operators;
    Protocol::AwayMessages awayUsers;
    // What this user asked to be, kept across reconnects (away belongs to
    // the server's connection): the away message, or nullopt when not away.
    std::optional<QString> ownAway;
    qint64 slowSeconds = 0;
    QString clientName;
    QAbstractSocket::SocketError lastSocketError = QAbstractSocket::UnknownSocketError;
    bool tls = false;
    ServerTrust trust;
    bool acceptChangedCertificate = false;
    bool certificateRefused = false; // no reconnecting into a certificate we refused
    QString tlsErrors;               // what the last handshake complained about
    bool autoReconnect = true;
    bool registeredOnce = false;
    bool serverSaidBye = false;
    // Kicked by an operator: coming straight back would defeat the kick.
    bool wasKicked = false;
    // Another connection took our nickname over with our resume token (`bye`
    // resumed): another session of ours is online, so we must not fight it.
    bool wasTakenOver = false;
    // The last welcome's resume token (docs/protocol.md, "Taking a nickname
    // back"): a reconnect takes the nickname back with it at once, even
    // while the server still counts the old connection as alive. Empty: none.
    QString resumeToken;
    // Set while a polite quit waits for the paced queue to empty.
    std::optional<QString> quitReason;

    // Each say's cid (docs/protocol.md, "Posting again safely"): random per
    // client, so that two clients of one user never share one, then a count.
    QString cidPrefix = QString::number(QRandomGenerator::global()->generate64(), 36);
    quint64 nextCid = 1;
    QString newCid() { return cidPrefix + u'-' + QString::number(nextCid++, 36); }

    QElapsedTimer clock;
    qint64 nextPingId = 1;
    QHash<qint64, qint64> pingSentAt; // ping id -> clock.elapsed()
};
