// SPDX-License-Identifier: MIT
#include "chatclientprivate.h"

#include "errortext.h"
#include "framecodec.h"
#include "frametypename.h"
#include "nicklist.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_LOGGING_CATEGORY(lcClient, "qtchat.client", QtWarningMsg)

namespace {

constexpr int kConnectTimeoutMsecs = 10 * 1000;
// A polite quit waits this long for the server to close after our `bye`.
constexpr int kCloseDeadlineMsecs = 2000;

} // namespace

// ---- connection lifecycle ----

void ChatClient::Private::setState(State newState)
{
    if (state == newState)
        return;
    state = newState;
    qCDebug(lcClient) << "state" << newState;
    emit q->stateChanged(newState);
}

void ChatClient::Private::dropSocket()
{
    connectTimer.stop();
    pingTimer.stop();
    idleTimer.stop();
    pumpTimer.stop();
    pingSentAt.clear();
    if (!socket)
        return;
    // A fresh socket per attempt: nothing the old one still emits can reach us.
    QObject::disconnect(socket, nullptr, q, nullptr);
    socket->abort();
    socket->deleteLater();
    socket = nullptr;
}

void ChatClient::Private::startConnection()
{
    dropSocket();
    reconnectCountdown.stop();
    reader = LineReader(kMaxServerFrameBytes);
    serverSaidBye = false;
    wasKicked = false;
    wasTakenOver = false;
    lastSocketError = QAbstractSocket::UnknownSocketError;
    certificateRefused = false;
    tlsErrors.clear();

    QSslSocket *sslSocket = nullptr;
    if (tls) {
        sslSocket = new QSslSocket(q);
        trust.configure(*sslSocket);
        // Registration starts once the channel is encrypted and trusted, not at the TCP connect.
        QObject::connect(sslSocket, &QSslSocket::encrypted, q, [this] { onEncrypted(); });
        QObject::connect(sslSocket, &QSslSocket::sslErrors, q, [this](const QList<QSslError> &errors) {
            QStringList texts;
            for (const QSslError &error : errors)
                texts.append(error.errorString());
            tlsErrors = texts.join(u"; "_s);
        });
        socket = sslSocket;
    } else {
        socket = new QTcpSocket(q);
        QObject::connect(socket, &QTcpSocket::connected, q, [this] { onConnected(); });
    }
    QObject::connect(socket, &QTcpSocket::readyRead, q, [this] { onReadyRead(); });
    QObject::connect(socket, &QTcpSocket::errorOccurred, q,
                     [this](QAbstractSocket::SocketError error) { onSocketError(error); });
    QObject::connect(socket, &QTcpSocket::disconnected, q, [this] { onDisconnected(); });

    setState(State::Connecting);
    qCInfo(lcClient) << "connecting to" << host << port;
    connectTimer.start(kConnectTimeoutMsecs);
    if (sslSocket)
        sslSocket->connectToHostEncrypted(host, port); // the host name is verified with --ca
    else
        socket->connectToHost(host, port);
}

void ChatClient::Private::onEncrypted()
{
    auto *sslSocket = qobject_cast<QSslSocket *>(socket);
    if (!sslSocket)
        return;
    const QSslCertificate presented = sslSocket->peerCertificate();
    const QString pinned = trust.pinnedFingerprint(host, port);
    switch (trust.check(host, port, presented)) {
    case ServerTrust::Verdict::Trusted:
        break;
    case ServerTrust::Verdict::PinnedNow:
        qCInfo(lcClient).noquote() << "pinned the certificate of" << host << port
                                   << ServerTrust::fingerprint(presented);
        emit q->certificatePinned(host, port, ServerTrust::fingerprint(presented));
        break;
    case ServerTrust::Verdict::Changed: {
        const QString presentedFingerprint = ServerTrust::fingerprint(presented);
        const QString hostName = host;
        const quint16 hostPort = port;
        if (acceptChangedCertificate) {
            trust.pin(host, port, presentedFingerprint);
            emit q->certificateChanged(hostName, hostPort, pinned, presentedFingerprint);
            break;
        }
        certificateRefused = true;
        lastSocketError = QAbstractSocket::SslHandshakeFailedError;
        emit q->certificateChanged(hostName, hostPort, pinned, presentedFingerprint);
        connectionEnded(tr("The certificate of %1:%2 is not the one trusted before: someone may be between you "
                           "and the server, or the server has a new certificate. Not connecting.\n"
                           "Trusted:   %3\nPresented: %4")
                            .arg(hostName)
                            .arg(hostPort)
                            .arg(pinned, presentedFingerprint));
        return;
    }
    }
    onConnected();
}

void ChatClient::Private::onConnected()
{
    connectTimer.stop();
    socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    outbox.resetPacing();
    setState(State::Registering);
    sendHello();
    pingTimer.start();
    idleTimer.start();
}

void ChatClient::Private::sendHello()
{
    // Back after a lost connection: ask for what we missed, so nothing is
    // lost and nothing is shown twice (docs/protocol.md, "Resuming").
    // Every other room is resumed after its own last id the same way.
    std::optional<qint64> since;
    if (registeredOnce)
        since = roster.lobbyRoom().lastMessageId;
    const QList<RoomRequest> rooms = roster.helloRooms();
    awaitedRoomStates = rooms.size();
    Hello hello{nick, clientName, since, rooms};
    if (registeredOnce)
        hello.resume = resumeToken;
    send(hello);
}

void ChatClient::Private::onReadyRead()
{
    // Any byte proves the server is alive: ping only after a quiet spell.
    pingTimer.start();
    idleTimer.start();
    reader.append(socket->readAll());
    while (socket) {
        const std::optional<QByteArray> line = reader.takeLine();
        if (!line)
            break;
        handleLine(*line);
    }
    if (socket && reader.hasOverflowed()) {
        lastSocketError = QAbstractSocket::UnknownSocketError;
        connectionEnded(tr("The server sent a frame that is too large; reconnecting."));
    }
}

void ChatClient::Private::onSocketError(QAbstractSocket::SocketError error)
{
    // The end of a connection that was up is handled by onDisconnected().
    if (error == QAbstractSocket::RemoteHostClosedError)
        return;
    lastSocketError = error;
    connectionEnded(describeSocketError(error));
}

void ChatClient::Private::onDisconnected()
{
    if (lastSocketError == QAbstractSocket::UnknownSocketError)
        lastSocketError = QAbstractSocket::RemoteHostClosedError;
    connectionEnded(serverSaidBye ? tr("The server closed the connection.")
                                  : tr("The connection to the server was lost."));
}

QString ChatClient::Private::describeSocketError(QAbstractSocket::SocketError error) const
{
    return ErrorText::describeSocketError(error, host, port, socket ? socket->errorString() : QString(), tlsErrors);
}

void ChatClient::Private::connectionEnded(const QString &message)
{
    if (!socket)
        return;
    dropSocket();
    // Frames in flight may or may not have reached the server; the next
    // `welcome` tells (see Outbox::confirmFromHistory).
    outbox.requeueInFlight();
    emit q->connectionError(message);

    if (quitReason) {
        // Leaving anyway: what is left stays in the outbox.
        quitReason.reset();
        setState(State::Disconnected);
        QTimer::singleShot(0, q, [this] { emit q->closed(); });
        return;
    }
    if (!autoReconnect || !registeredOnce || wasKicked || wasTakenOver || certificateRefused) {
        setState(State::Disconnected);
        return;
    }
    const int delay = backoff.nextDelay();
    reconnectCountdown.start(delay);
    setState(State::Reconnecting);
    emit q->reconnectScheduled(delay);
}

void ChatClient::Private::closePolitely(const QString &reason)
{
    quitReason.reset();
    reconnectCountdown.stop();
    // Leaving on purpose: nobody is to take this nickname back with it.
    resumeToken.clear();
    QTcpSocket *closing = socket;
    const bool connected = closing && closing->state() == QAbstractSocket::ConnectedState;
    if (connected) {
        send(Bye{reason});
        // Everything in flight was written before the `bye`, and the server
        // handles one connection's frames in order.
        outbox.forgetInFlight();
        // Out of the lifecycle handlers, but left to deliver the `bye`.
        QObject::disconnect(closing, nullptr, q, nullptr);
        socket = nullptr;
        auto done = std::make_shared<bool>(false);
        const auto finish = [this, closing, done] {
            if (*done)
                return;
            *done = true;
            closing->abort();
            closing->deleteLater();
            emit q->closed();
        };
        QObject::connect(closing, &QTcpSocket::disconnected, q, finish, Qt::QueuedConnection);
        // Replies to requests sent before the `bye` (a /who, an echo) still
        // arrive; show them, unless a new connection has started meanwhile.
        const auto readRest = [this, closing] {
            if (socket)
                return;
            reader.append(closing->readAll());
            while (const std::optional<QByteArray> line = reader.takeLine())
                handleLine(*line);
        };
        QObject::connect(closing, &QTcpSocket::readyRead, q, readRest);
        // Lines already read but not handled yet (we may be inside onReadyRead).
        QTimer::singleShot(0, closing, readRest);
        QTimer::singleShot(kCloseDeadlineMsecs, q, finish);
        closing->disconnectFromHost();
    }
    dropSocket();
    setState(State::Disconnected);
    if (!connected)
        QTimer::singleShot(0, q, [this] { emit q->closed(); });
}

void ChatClient::Private::send(const ClientFrame &frame)
{
    if (!socket || socket->state() != QAbstractSocket::ConnectedState)
        return;
    outbox.spendToken();
    socket->write(FrameCodec::encode(frame));
}

// ---- incoming frames ----

void ChatClient::Private::handleLine(const QByteArray &line)
{
    // The greeting and anything else that is not an object is for humans.
    if (!FrameCodec::looksLikeJsonObject(line))
        return;
    emit q->frameReceived(line);
    auto decoded = FrameCodec::decodeServerFrame(line);
    if (const auto *error = std::get_if<FrameCodec::DecodeError>(&decoded)) {
        qCWarning(lcClient) << "ignoring a frame the client does not understand:" << error->message;
        return;
    }
    std::visit([this](const auto &frame) { handle(frame); }, std::get<ServerFrame>(decoded));
}

void ChatClient::Private::handle(const Welcome &f)
{
    if (state != State::Registering)
        return;
    const QString previousNick = nick;
    RoomRoster::Room &lobbyRoom = roster.lobbyRoom();
    const qint64 previousLastId = lobbyRoom.lastMessageId;
    hadPendingAtWelcome = !outbox.isEmpty();
    nick = f.nick;
    lobbyRoom.users = NickList::sorted(f.users);
    lobbyRoom.entered = true;
    operators = NickList::sorted(f.ops);
    awayUsers = f.away;
    slowSeconds = f.slow;
    // Each welcome's token replaces the last, which the server forgot.
    resumeToken = f.resume;
    registeredOnce = true;
    backoff.reset();
    outbox.confirmFromHistory(f.history, previousNick, previousLastId);
    for (const ChatMessage &m : f.history)
        lobbyRoom.lastMessageId = std::max(lobbyRoom.lastMessageId, m.id);
    // A version-1 server ignores hello.rooms and sends no `room` frames.
    if (f.protocol < 2)
        awaitedRoomStates = 0;

    // Online first: a front end reacting to registered() may send at once.
    setState(State::Online);
    emit q->registered(f);
    if (!previousNick.isEmpty() && previousNick != nick)
        emit q->nickChanged(nick);
    emit q->usersChanged(roster.lobbyRoom().users);
    emit q->operatorsChanged(operators);
    emit q->awayUsersChanged(awayUsers);
    restoreAway();
    if (awaitedRoomStates == 0)
        resumeSending();
}

void ChatClient::Private::resumeSending()
{
    pump();
    if (hadPendingAtWelcome && outbox.isEmpty())
        emit q->outboxDrained();
    hadPendingAtWelcome = false;
}

void ChatClient::Private::handle(const WhisperMessage &f)
{
    emit q->whisperReceived(f);
    if (NickList::same(f.from, nick))
        confirm(Outbox::Kind::Whisper);
}

void ChatClient::Private::setOperators(QStringList ops)
{
    ops = NickList::sorted(ops);
    if (ops == operators)
        return;
    operators = ops;
    emit q->operatorsChanged(operators);
}

void ChatClient::Private::handle(const Opped &f)
{
    emit q->userOpped(f);
    if (!NickList::contains(operators, f.nick))
        setOperators(operators + QStringList{f.nick});
}

void ChatClient::Private::handle(const SlowMode &f)
{
    slowSeconds = f.seconds;
    emit q->slowModeChanged(f);
}

bool ChatClient::Private::sendRequest(const ClientFrame &frame)
{
    if (state != State::Online)
        return false;
    outbox.enqueue(frame);
    pump();
    return true;
}

void ChatClient::Private::setUsers(const QStringList &next)
{
    roster.lobbyRoom().users = NickList::sorted(next);
    emit q->usersChanged(roster.lobbyRoom().users);
}

void ChatClient::Private::handle(const Pong &f)
{
    if (!f.id.isDouble())
        return;
    const auto it = pingSentAt.constFind(f.id.toInteger());
    if (it == pingSentAt.cend())
        return;
    const qint64 roundTrip = clock.elapsed() - it.value();
    pingSentAt.erase(it);
    emit q->pongReceived(roundTrip);
}

void ChatClient::Private::handle(const Error &f)
{
    if (f.code == ErrorCode::ServerFull) {
        emit q->registrationRefused(f);
        return;
    }
    const bool aboutHello = f.code == ErrorCode::NickInvalid || f.code == ErrorCode::NickTaken;
    if (state == State::Registering && aboutHello) {
        if (registeredOnce && f.code == ErrorCode::NickTaken) {
            // Usually our own previous connection, which the server has not
            // noticed is dead yet: try again later instead of asking the user.
            lastSocketError = QAbstractSocket::UnknownSocketError;
            connectionEnded(tr("The nickname %1 is still in use; trying again.").arg(nick));
            return;
        }
        emit q->registrationRefused(f);
        return;
    }
    const bool aboutHelloRooms = f.code == ErrorCode::RoomInvalid || f.code == ErrorCode::TooManyRooms;
    if (state == State::Registering && aboutHelloRooms && f.ref == typeName<Hello>()) {
        registerWithoutRooms(f);
        return;
    }

    if (f.ref == typeName<Say>() || f.ref == typeName<Whisper>()) {
        const Outbox::Kind kind = f.ref == typeName<Say>() ? Outbox::Kind::Say : Outbox::Kind::Whisper;
        if (f.code == ErrorCode::RateLimited) {
            // Not lost: back to the front of the queue, tried again later.
            qCInfo(lcClient) << "rate-limited; retrying";
            outbox.retryFirstInFlight(kind);
            pump();
            return;
        }
        // Redis away for a moment (a failover): sent again with its cid,
        // which the server never posts twice; reported only if it lasts.
        if (f.code == ErrorCode::ClusterUnavailable && kind == Outbox::Kind::Say &&
            outbox.retryUnavailableFirstInFlight()) {
            qCInfo(lcClient) << "the server cannot reach the shared room; sending again shortly";
            pump();
            return;
        }
        // Too many requests wait for the server's room: refused unseen, so
        // sent again after a pause; reported only if it lasts.
        if (f.code == ErrorCode::ServerBusy && outbox.retryBusyFirstInFlight(kind)) {
            qCInfo(lcClient) << "the server is busy; sending again shortly";
            pump();
            return;
        }
        emit q->errorReceived(f);
        confirm(kind);
        return;
    }
    emit q->errorReceived(f);
}

void ChatClient::Private::handle(const ServerBye &f)
{
    serverSaidBye = true;
    emit q->serverClosing(f.reason);
    if (f.reason == leaveReasonName(LeaveReason::Kicked)) {
        wasKicked = true;
        resumeToken.clear();
        emit q->kicked(f.by, f.message);
    } else if (f.reason == kResumedByeReason) {
        wasTakenOver = true;
        resumeToken.clear();
    }
}

void ChatClient::Private::confirm(Outbox::Kind kind)
{
    if (!outbox.confirmFirstInFlight(kind))
        return;
    if (outbox.isEmpty())
        emit q->outboxDrained();
}

// ---- outgoing messages ----

void ChatClient::Private::pump()
{
    pumpTimer.stop();
    // After a reconnect, nothing goes out before the rooms are back.
    while (state == State::Online && awaitedRoomStates == 0 && outbox.hasQueued()) {
        const int wait = outbox.msecsUntilNextSend();
        if (wait > 0) {
            pumpTimer.start(wait);
            return;
        }
        send(outbox.takeNextToSend());
    }
    if (quitReason && !outbox.hasQueued()) {
        const QString reason = *quitReason;
        closePolitely(reason);
    }
}
