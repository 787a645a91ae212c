// SPDX-License-Identifier: MIT
#include "chatclient.h"

#include "chatclientprivate.h"
#include "commandparser.h"
#include "nicklist.h"

#include <QCoreApplication>
#include <QSslSocket>
#include <QTcpSocket>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace {

constexpr int kDefaultPingIntervalMsecs = 30 * 1000;
constexpr int kDefaultIdleTimeoutMsecs = 60 * 1000;

} // namespace

// ---- public interface ----

ChatClient::ChatClient(QObject *parent) : QObject(parent), d(std::make_unique<Private>(this))
{
    d->clock.start();
    d->clientName = QCoreApplication::applicationName() + u'/' + QCoreApplication::applicationVersion();
    d->pingTimer.setInterval(kDefaultPingIntervalMsecs);
    d->idleTimer.setInterval(kDefaultIdleTimeoutMsecs);
    d->idleTimer.setSingleShot(true);
    d->connectTimer.setSingleShot(true);
    d->pumpTimer.setSingleShot(true);

    connect(&d->pingTimer, &QTimer::timeout, this, &ChatClient::ping);
    connect(&d->idleTimer, &QTimer::timeout, this, [this] {
        d->lastSocketError = QAbstractSocket::SocketTimeoutError;
        d->connectionEnded(tr("No answer from the server for %n second(s).", nullptr, d->idleTimer.interval() / 1000));
    });
    connect(&d->connectTimer, &QTimer::timeout, this, [this] {
        d->lastSocketError = QAbstractSocket::SocketTimeoutError;
        d->connectionEnded(d->describeSocketError(QAbstractSocket::SocketTimeoutError));
    });
    connect(&d->reconnectCountdown, &Countdown::expired, this, [this] { d->startConnection(); });
    connect(&d->reconnectCountdown, &Countdown::secondsLeftChanged, this, &ChatClient::reconnectCountdownChanged);
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
    d->resumeToken.clear();
    // Starting over: the rooms wanted so far are joined afresh, and an away
    // from an earlier session is not carried into this one (a reconnect
    // keeps it: Private::restoreAway).
    d->roster.startOver();
    d->ownAway.reset();
    d->quitReason.reset();
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
    d->reconnectCountdown.stop();
    if (d->state == State::Online && d->outbox.hasQueued()) {
        // pump() says goodbye once the paced queue is empty.
        d->quitReason = reason;
        return;
    }
    d->closePolitely(reason);
}

void ChatClient::reconnectNow()
{
    if (d->state != State::Reconnecting)
        return;
    d->startConnection();
}

ChatClient::InputResult ChatClient::submitInput(const QString &line, const QString &currentRoom)
{
    return submitCommand(CommandParser::parse(line), currentRoom);
}

ChatClient::InputResult ChatClient::submitCommand(const CommandParser::Command &command, const QString &currentRoom)
{
    if (std::holds_alternative<CommandParser::Help>(command))
        return {InputResult::Kind::Local, CommandParser::helpText()};
    if (std::holds_alternative<CommandParser::ShowTopic>(command))
        return showTopic(currentRoom);
    if (std::holds_alternative<CommandParser::Empty>(command))
        return {InputResult::Kind::Invalid, {}};
    if (const auto *invalid = std::get_if<CommandParser::Invalid>(&command))
        return {InputResult::Kind::Invalid, invalid->message};

    const bool offline = d->state != State::Online;
    InputResult result;
    const ClientFrame &request = std::get<ClientFrame>(command);
    // A request without a room is about the current one.
    const auto inRoom = [&currentRoom](const QString &room) { return room.isEmpty() ? currentRoom : room; };
    if (const auto *sayRequest = std::get_if<Say>(&request)) {
        say(sayRequest->text, sayRequest->action, inRoom(sayRequest->room));
        result.queued = offline;
    } else if (const auto *whisperRequest = std::get_if<Whisper>(&request)) {
        whisper(whisperRequest->to, whisperRequest->text);
        result.queued = offline;
    } else if (const auto *nickRequest = std::get_if<Nick>(&request)) {
        changeNick(nickRequest->nick);
        result.queued = offline;
    } else if (const auto *who = std::get_if<Who>(&request)) {
        if (offline)
            return {InputResult::Kind::Invalid, tr("Not connected: the user list is updated after reconnecting.")};
        requestUsers(inRoom(who->room));
    } else if (const auto *join = std::get_if<Join>(&request)) {
        return roomResult(joinRoom(join->room), offline);
    } else if (const auto *part = std::get_if<Part>(&request)) {
        return roomResult(partRoom(inRoom(part->room), part->message), false);
    } else if (const auto *topicRequest = std::get_if<SetTopic>(&request)) {
        return roomResult(setTopic(inRoom(topicRequest->room), topicRequest->topic), false);
    } else if (std::holds_alternative<ListRooms>(request)) {
        return roomResult(requestRooms(), false);
    } else if (const auto *awayRequest = std::get_if<SetAway>(&request)) {
        return roomResult(setAway(awayRequest->message), false);
    } else if (std::holds_alternative<SetBack>(request)) {
        return roomResult(setBack(), false);
    } else if (const auto *bye = std::get_if<Bye>(&request)) {
        disconnectFromServer(bye->reason);
        return {InputResult::Kind::Quit, {}};
    } else if (!d->sendRequest(request)) {
        return {InputResult::Kind::Invalid, tr("Not connected: moderation commands need a connection.")};
    }
    return result;
}

ChatClient::InputResult ChatClient::roomResult(const QString &error, bool queued)
{
    if (!error.isEmpty())
        return {InputResult::Kind::Invalid, error};
    InputResult result;
    result.queued = queued;
    return result;
}

ChatClient::InputResult ChatClient::showTopic(const QString &room) const
{
    const QString name = roomName(room);
    if (name.isEmpty())
        return {InputResult::Kind::Invalid, tr("You are not in %1.").arg(roomOrLobby(room))};
    const QString current = topic(name);
    if (current.isEmpty())
        return {InputResult::Kind::Local, tr("%1 has no topic.").arg(name)};
    return {InputResult::Kind::Local, tr("The topic of %1: %2").arg(name, current)};
}

void ChatClient::say(const QString &text, bool action, const QString &room)
{
    // The server trims too; trimming here keeps the text comparable with
    // the echo and with `welcome` history after a reconnect. #lobby goes
    // without a room, as version 1 of the protocol sends it.
    d->outbox.enqueue(Say{text.trimmed(), action, RoomRoster::isLobby(room) ? QString() : room, d->newCid()});
    emit messageQueued(unconfirmedCount());
    d->pump();
}

void ChatClient::whisper(const QString &to, const QString &text)
{
    d->outbox.enqueue(Whisper{to, text.trimmed()});
    emit messageQueued(unconfirmedCount());
    d->pump();
}

void ChatClient::changeNick(const QString &nick)
{
    switch (d->state) {
    case State::Online:
        // Behind any messages still waiting, like everything typed.
        d->outbox.enqueue(Nick{nick});
        d->pump();
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

void ChatClient::requestUsers(const QString &room)
{
    if (d->state != State::Online)
        return;
    d->outbox.enqueue(Who{RoomRoster::isLobby(room) ? QString() : room});
    d->pump();
}

void ChatClient::becomeOperator(const QString &password)
{
    d->sendRequest(Op{password});
}

void ChatClient::kick(const QString &nick, const QString &reason)
{
    d->sendRequest(Kick{nick, reason});
}

void ChatClient::mute(const QString &nick, std::optional<qint64> minutes)
{
    d->sendRequest(Mute{nick, minutes});
}

void ChatClient::unmute(const QString &nick)
{
    d->sendRequest(Unmute{nick});
}

void ChatClient::setSlowMode(qint64 seconds)
{
    d->sendRequest(Slow{seconds});
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
    return d->roster.lobbyRoom().users;
}

QStringList ChatClient::operators() const
{
    return d->operators;
}

bool ChatClient::isOperator(const QString &nick) const
{
    return NickList::contains(d->operators, nick);
}

qint64 ChatClient::slowModeSeconds() const
{
    return d->slowSeconds;
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
    return d->roster.lobbyRoom().lastMessageId;
}

int ChatClient::msecsUntilReconnect() const
{
    if (d->state != State::Reconnecting)
        return -1;
    return d->reconnectCountdown.remainingMsecs();
}

int ChatClient::secondsUntilReconnect() const
{
    if (d->state != State::Reconnecting)
        return -1;
    return d->reconnectCountdown.secondsLeft();
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

void ChatClient::setClock(Clock *clock)
{
    d->reconnectCountdown.setClock(clock);
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

QString ChatClient::setTls(bool enabled, const QString &caFile)
{
    d->tls = enabled;
    return d->trust.setCaFile(enabled ? caFile : QString());
}

bool ChatClient::usesTls() const
{
    return d->tls;
}

void ChatClient::setPinFile(const QString &path)
{
    d->trust.setPinFile(path);
}

void ChatClient::setAcceptChangedCertificate(bool accept)
{
    d->acceptChangedCertificate = accept;
}

void ChatClient::trustCertificate(const QString &host, quint16 port, const QString &fingerprint)
{
    d->trust.pin(host, port, fingerprint);
}

bool ChatClient::isEncrypted() const
{
    const auto *sslSocket = qobject_cast<const QSslSocket *>(d->socket);
    return sslSocket && sslSocket->isEncrypted();
}

QString ChatClient::serverFingerprint() const
{
    const auto *sslSocket = qobject_cast<const QSslSocket *>(d->socket);
    return sslSocket && sslSocket->isEncrypted() ? ServerTrust::fingerprint(sslSocket->peerCertificate()) : QString();
}

QAbstractSocket::SocketError ChatClient::lastSocketError() const
{
    return d->lastSocketError;
}

bool ChatClient::hasRegistered() const
{
    return d->registeredOnce;
}
