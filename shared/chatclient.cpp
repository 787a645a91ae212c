// SPDX-License-Identifier: MIT
#include "chatclient.h"

#include "commandparser.h"
#include "framecodec.h"
#include "linereader.h"
#include "outbox.h"
#include "validation.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QLoggingCategory>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_LOGGING_CATEGORY(lcClient, "qtchat.client", QtWarningMsg)

namespace {

constexpr int kDefaultPingIntervalMsecs = 30 * 1000;
constexpr int kDefaultIdleTimeoutMsecs = 60 * 1000;
constexpr int kConnectTimeoutMsecs = 10 * 1000;
// A polite quit waits this long for the server to close after our `bye`.
constexpr int kCloseDeadlineMsecs = 2000;
// `welcome` carries up to 100 messages of up to 4,000 characters, far more
// than the 64 KiB the server accepts from clients.
constexpr qsizetype kMaxServerFrameBytes = 16 * 1024 * 1024;

bool sameNick(const QString &a, const QString &b)
{
    return Validation::nickKey(a) == Validation::nickKey(b);
}

void sortNicks(QStringList &nicks)
{
    std::sort(nicks.begin(), nicks.end(), Validation::nickLessThan);
}

} // namespace

struct ChatClient::Private {
    explicit Private(ChatClient *owner)
        : q(owner)
    {
    }

    void startConnection();
    void dropSocket();
    void onConnected();
    void onReadyRead();
    void onSocketError(QAbstractSocket::SocketError error);
    void onDisconnected();
    void connectionEnded(const QString &message);
    void send(const ClientFrame &frame);
    void sendHello();
    void setState(State newState);

    void handleLine(const QByteArray &line);
    void handle(const Welcome &f);
    void handle(const ChatMessage &f);
    void handle(const WhisperMessage &f);
    void handle(const Joined &f);
    void handle(const Left &f);
    void handle(const Renamed &f);
    void handle(const Users &f);
    void handle(const Pong &f);
    void handle(const Error &f);
    void handle(const ServerBye &f);
    void setUsers(QStringList users);
    void confirm(Outbox::Kind kind);
    void pump();

    QString describeSocketError(QAbstractSocket::SocketError error) const;

    ChatClient *q;
    QTcpSocket *socket = nullptr;
    LineReader reader{kMaxServerFrameBytes};
    QTimer connectTimer;
    QTimer pingTimer;
    QTimer idleTimer;
    QTimer reconnectTimer;
    QTimer pumpTimer;
    Backoff backoff;
    Outbox outbox;

    State state = State::Disconnected;
    QString host;
    quint16 port = 0;
    QString nick;
    QStringList users;
    QString clientName;
    qint64 lastMessageId = 0;
    QAbstractSocket::SocketError lastSocketError = QAbstractSocket::UnknownSocketError;
    bool autoReconnect = true;
    bool registeredOnce = false;
    bool serverSaidBye = false;

    QElapsedTimer clock;
    qint64 nextPingId = 1;
    QHash<qint64, qint64> pingSentAt; // ping id -> clock.elapsed()
};

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
    reconnectTimer.stop();
    reader = LineReader(kMaxServerFrameBytes);
    serverSaidBye = false;
    lastSocketError = QAbstractSocket::UnknownSocketError;

    socket = new QTcpSocket(q);
    QObject::connect(socket, &QTcpSocket::connected, q, [this] { onConnected(); });
    QObject::connect(socket, &QTcpSocket::readyRead, q, [this] { onReadyRead(); });
    QObject::connect(socket, &QTcpSocket::errorOccurred, q,
                     [this](QAbstractSocket::SocketError error) { onSocketError(error); });
    QObject::connect(socket, &QTcpSocket::disconnected, q, [this] { onDisconnected(); });

    setState(State::Connecting);
    qCInfo(lcClient) << "connecting to" << host << port;
    connectTimer.start(kConnectTimeoutMsecs);
    socket->connectToHost(host, port);
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
    send(Hello{nick, clientName});
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
    const QString address = u"%1:%2"_s.arg(host).arg(port);
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return tr("Connection refused by %1: is the server running?").arg(address);
    case QAbstractSocket::HostNotFoundError:
        return tr("Unknown host \"%1\".").arg(host);
    case QAbstractSocket::SocketTimeoutError:
        return tr("Timed out connecting to %1.").arg(address);
    case QAbstractSocket::NetworkError:
        return tr("Network error talking to %1.").arg(address);
    default:
        return tr("Connection to %1 failed: %2").arg(address, socket ? socket->errorString() : QString());
    }
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

    if (!autoReconnect || !registeredOnce) {
        setState(State::Disconnected);
        return;
    }
    const int delay = backoff.nextDelay();
    reconnectTimer.start(delay);
    setState(State::Reconnecting);
    emit q->reconnectScheduled(delay);
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
    const qint64 previousLastId = lastMessageId;
    nick = f.nick;
    registeredOnce = true;
    backoff.reset();
    outbox.confirmFromHistory(f.history, previousNick, previousLastId);
    for (const ChatMessage &m : f.history)
        lastMessageId = std::max(lastMessageId, m.id);

    emit q->registered(f);
    setState(State::Online);
    if (!previousNick.isEmpty() && previousNick != nick)
        emit q->nickChanged(nick);
    setUsers(f.users);
    pump();
    if (outbox.isEmpty())
        emit q->outboxDrained();
}

void ChatClient::Private::handle(const ChatMessage &f)
{
    lastMessageId = std::max(lastMessageId, f.id);
    emit q->messageReceived(f);
    if (sameNick(f.from, nick))
        confirm(Outbox::Kind::Say);
}

void ChatClient::Private::handle(const WhisperMessage &f)
{
    emit q->whisperReceived(f);
    if (sameNick(f.from, nick))
        confirm(Outbox::Kind::Whisper);
}

void ChatClient::Private::handle(const Joined &f)
{
    QStringList next = users;
    next.removeIf([&f](const QString &u) { return sameNick(u, f.nick); });
    next.append(f.nick);
    emit q->userJoined(f);
    setUsers(next);
}

void ChatClient::Private::handle(const Left &f)
{
    QStringList next = users;
    next.removeIf([&f](const QString &u) { return sameNick(u, f.nick); });
    emit q->userLeft(f);
    setUsers(next);
}

void ChatClient::Private::handle(const Renamed &f)
{
    QStringList next = users;
    for (QString &u : next) {
        if (sameNick(u, f.from))
            u = f.to;
    }
    const bool mine = sameNick(f.from, nick);
    if (mine)
        nick = f.to;
    emit q->userRenamed(f);
    if (mine)
        emit q->nickChanged(nick);
    setUsers(next);
}

void ChatClient::Private::handle(const Users &f)
{
    setUsers(f.users);
}

void ChatClient::Private::setUsers(QStringList next)
{
    sortNicks(next);
    users = next;
    emit q->usersChanged(users);
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

    if (f.ref == u"say" || f.ref == u"whisper") {
        const Outbox::Kind kind = f.ref == u"say" ? Outbox::Kind::Say : Outbox::Kind::Whisper;
        if (f.code == ErrorCode::RateLimited) {
            // Not lost: back to the front of the queue, tried again later.
            qCInfo(lcClient) << "rate-limited; retrying";
            outbox.retryFirstInFlight(kind);
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
    while (state == State::Online && outbox.hasQueued()) {
        const int wait = outbox.msecsUntilNextSend();
        if (wait > 0) {
            pumpTimer.start(wait);
            return;
        }
        send(outbox.takeNextToSend());
    }
}

// ---- public interface ----

ChatClient::ChatClient(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
{
    d->clock.start();
    d->clientName = QCoreApplication::applicationName() + u'/' + QCoreApplication::applicationVersion();
    d->pingTimer.setInterval(kDefaultPingIntervalMsecs);
    d->idleTimer.setInterval(kDefaultIdleTimeoutMsecs);
    d->idleTimer.setSingleShot(true);
    d->connectTimer.setSingleShot(true);
    d->reconnectTimer.setSingleShot(true);
    d->pumpTimer.setSingleShot(true);

    connect(&d->pingTimer, &QTimer::timeout, this, &ChatClient::ping);
    connect(&d->idleTimer, &QTimer::timeout, this, [this] {
        d->lastSocketError = QAbstractSocket::SocketTimeoutError;
        d->connectionEnded(tr("No answer from the server for %n second(s).", nullptr,
                              d->idleTimer.interval() / 1000));
    });
    connect(&d->connectTimer, &QTimer::timeout, this, [this] {
        d->lastSocketError = QAbstractSocket::SocketTimeoutError;
        d->connectionEnded(d->describeSocketError(QAbstractSocket::SocketTimeoutError));
    });
    connect(&d->reconnectTimer, &QTimer::timeout, this, [this] { d->startConnection(); });
    connect(&d->pumpTimer, &QTimer::timeout, this, [this] { d->pump(); });
}

ChatClient::~ChatClient()
{
    d->dropSocket();
}

void ChatClient::connectToServer(const QString &host, quint16 port, const QString &nick)
{
    d->host = host;
    d->port = port;
    d->nick = nick;
    d->registeredOnce = false;
    d->backoff.reset();
    d->startConnection();
}

void ChatClient::registerAs(const QString &nick)
{
    if (d->state == State::Registering) {
        d->nick = nick;
        d->sendHello();
        return;
    }
    if (d->state == State::Online) {
        changeNick(nick);
        return;
    }
    d->nick = nick;
    if (d->state == State::Disconnected)
        d->startConnection();
}

void ChatClient::disconnectFromServer(const QString &reason)
{
    d->reconnectTimer.stop();
    QTcpSocket *socket = d->socket;
    const bool connected = socket && socket->state() == QAbstractSocket::ConnectedState;
    if (connected) {
        d->send(Bye{reason});
        // Everything in flight was written before the `bye`, and the server
        // handles one connection's frames in order.
        d->outbox.forgetInFlight();
        // Detach the socket from the lifecycle handlers but let it finish.
        QObject::disconnect(socket, nullptr, this, nullptr);
        d->socket = nullptr;
        auto *deadline = new QTimer(socket);
        deadline->setSingleShot(true);
        connect(deadline, &QTimer::timeout, socket, &QTcpSocket::abort);
        connect(
            socket, &QTcpSocket::disconnected, this,
            [this, socket] {
                socket->deleteLater();
                emit closed();
            },
            Qt::QueuedConnection);
        deadline->start(kCloseDeadlineMsecs);
        socket->disconnectFromHost();
    }
    d->dropSocket();
    d->setState(State::Disconnected);
    if (!connected)
        QTimer::singleShot(0, this, &ChatClient::closed);
}

void ChatClient::reconnectNow()
{
    if (d->state != State::Reconnecting)
        return;
    d->startConnection();
}

ChatClient::InputResult ChatClient::submitInput(const QString &line)
{
    const CommandParser::Command command = CommandParser::parse(line);
    const bool offline = d->state != State::Online;
    InputResult result;

    if (const auto *sayCmd = std::get_if<CommandParser::Say>(&command)) {
        say(sayCmd->text, sayCmd->action);
        result.queued = offline;
    } else if (const auto *whisperCmd = std::get_if<CommandParser::Whisper>(&command)) {
        whisper(whisperCmd->to, whisperCmd->text);
        result.queued = offline;
    } else if (const auto *nickCmd = std::get_if<CommandParser::Nick>(&command)) {
        changeNick(nickCmd->nick);
        result.queued = offline;
    } else if (std::holds_alternative<CommandParser::Who>(command)) {
        if (offline)
            return {InputResult::Kind::Invalid, tr("Not connected: the user list is updated after reconnecting.")};
        requestUsers();
    } else if (std::holds_alternative<CommandParser::Help>(command)) {
        return {InputResult::Kind::Local, CommandParser::helpText()};
    } else if (const auto *quitCmd = std::get_if<CommandParser::Quit>(&command)) {
        disconnectFromServer(quitCmd->reason);
        return {InputResult::Kind::Quit, {}};
    } else if (std::holds_alternative<CommandParser::Empty>(command)) {
        return {InputResult::Kind::Invalid, {}};
    } else if (const auto *invalid = std::get_if<CommandParser::Invalid>(&command)) {
        return {InputResult::Kind::Invalid, invalid->message};
    }
    return result;
}

void ChatClient::say(const QString &text, bool action)
{
    // The server trims too; trimming here keeps the text comparable with
    // the echo and with `welcome` history after a reconnect.
    d->outbox.enqueue(Say{text.trimmed(), action});
    d->pump();
}

void ChatClient::whisper(const QString &to, const QString &text)
{
    d->outbox.enqueue(Whisper{to, text.trimmed()});
    d->pump();
}

void ChatClient::changeNick(const QString &nick)
{
    switch (d->state) {
    case State::Online:
        d->send(Nick{nick});
        return;
    case State::Registering:
        registerAs(nick);
        return;
    case State::Connecting:
    case State::Reconnecting:
    case State::Disconnected:
        // Used by the next `hello`.
        d->nick = nick;
        return;
    }
}

void ChatClient::requestUsers()
{
    if (d->state == State::Online)
        d->send(Who{});
}

void ChatClient::ping()
{
    if (!d->socket || d->socket->state() != QAbstractSocket::ConnectedState)
        return;
    const qint64 id = d->nextPingId++;
    d->pingSentAt.insert(id, d->clock.elapsed());
    d->send(Ping{QJsonValue(id)});
}

ChatClient::State ChatClient::state() const
{
    return d->state;
}

QString ChatClient::nick() const
{
    return d->nick;
}

QStringList ChatClient::users() const
{
    return d->users;
}

QString ChatClient::host() const
{
    return d->host;
}

quint16 ChatClient::port() const
{
    return d->port;
}

qint64 ChatClient::lastMessageId() const
{
    return d->lastMessageId;
}

int ChatClient::msecsUntilReconnect() const
{
    if (d->state != State::Reconnecting)
        return -1;
    return std::max(0, d->reconnectTimer.remainingTime());
}

int ChatClient::unconfirmedCount() const
{
    return int(d->outbox.size());
}

void ChatClient::setAutoReconnect(bool enabled)
{
    d->autoReconnect = enabled;
}

void ChatClient::setPingInterval(int msecs)
{
    d->pingTimer.setInterval(msecs);
}

void ChatClient::setIdleTimeout(int msecs)
{
    d->idleTimer.setInterval(msecs);
}

void ChatClient::setBackoff(const Backoff &backoff)
{
    d->backoff = backoff;
}

void ChatClient::setSendRate(double framesPerSecond, int burst)
{
    d->outbox.setRate(framesPerSecond, burst);
}

void ChatClient::setClientName(const QString &name)
{
    d->clientName = name;
}

QAbstractSocket::SocketError ChatClient::lastSocketError() const
{
    return d->lastSocketError;
}

bool ChatClient::hasRegistered() const
{
    return d->registeredOnce;
}
