// SPDX-License-Identifier: MIT
#include "room.h"

#include "connection.h"
#include "timestamp.h"
#include "validation.h"

#include <QLoggingCategory>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_LOGGING_CATEGORY(lcRoom, "qtchat.server.room")

namespace {
const QString kServerName = u"chat-server/" QTCHAT_VERSION ""_s;
const QString kGuestPrefix = u"guest"_s;
} // namespace

struct RoomRequestVisitor {
    Room *room;
    Connection *connection;

    void operator()(const Hello &f) const { room->hello(connection, f); }
    void operator()(const Say &f) const { room->say(connection, f); }
    void operator()(const Whisper &f) const { room->whisper(connection, f); }
    void operator()(const Nick &f) const { room->rename(connection, f); }
    void operator()(const Who &) const { connection->sendFrame(Users{room->users()}); }
    void operator()(const Ping &f) const { connection->sendFrame(Pong{f.id}); }
    void operator()(const Bye &f) const { room->bye(connection, f); }
};

Room::Room(const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_history(config.history)
{
}

void Room::handle(Connection *connection, const ClientFrame &frame)
{
    if (!connection->isActive())
        return;
    if (!connection->isRegistered()) {
        // A text-mode user joins as a guest with their first line.
        if (connection->mode() == Connection::Mode::Text)
            admit(connection, freeGuestNick());
        else if (!std::holds_alternative<Hello>(frame) && !std::holds_alternative<Ping>(frame)
                 && !std::holds_alternative<Bye>(frame)) {
            connection->sendFrame(Error{ErrorCode::NotRegistered,
                                        u"send a hello with your nickname first"_s, typeName(frame)});
            return;
        }
    }
    std::visit(RoomRequestVisitor{this, connection}, frame);
}

void Room::admitGuest(Connection *connection)
{
    if (connection->isActive() && !connection->isRegistered() && connection->mode() == Connection::Mode::Text)
        admit(connection, freeGuestNick());
}

void Room::hello(Connection *connection, const Hello &hello)
{
    if (connection->isRegistered()) {
        connection->sendFrame(Error{ErrorCode::AlreadyRegistered,
                                    u"you are already registered as %1"_s.arg(connection->nick()), u"hello"_s});
        return;
    }
    QString nick;
    if (!checkNickFor(connection, hello.nick, u"hello"_s, &nick))
        return;
    admit(connection, nick);
}

void Room::admit(Connection *connection, const QString &nick)
{
    connection->setNick(nick);
    m_members.insert(Validation::nickKey(nick), connection);
    connect(this, &Room::published, connection, &Connection::deliver);
    qCInfo(lcRoom).noquote() << "connection" << connection->serial() << "joined as" << nick;

    connection->sendFrame(Welcome{nick, users(), m_history.last(), kServerName, kVersion});
    publish(Joined{nick, Timestamp::now()}, connection);
}

void Room::say(Connection *connection, const Say &say)
{
    const Validation::TextResult text = Validation::checkText(say.text);
    if (!text.isValid()) {
        connection->sendFrame(Error{ErrorCode::TextInvalid, Validation::describe(text), u"say"_s});
        return;
    }
    ChatMessage message{++m_lastMessageId, connection->nick(), text.text, Timestamp::now(), say.action};
    qCDebug(lcRoom).noquote() << "message" << message.id << "from" << message.from << ":" << message.text;
    m_history.append(message);
    publish(std::move(message));
}

void Room::whisper(Connection *connection, const Whisper &whisper)
{
    Connection *recipient = m_members.value(Validation::nickKey(whisper.to));
    if (!recipient) {
        connection->sendFrame(Error{ErrorCode::NoSuchUser, u"no user named %1"_s.arg(whisper.to), u"whisper"_s});
        return;
    }
    const Validation::TextResult text = Validation::checkText(whisper.text);
    if (!text.isValid()) {
        connection->sendFrame(Error{ErrorCode::TextInvalid, Validation::describe(text), u"whisper"_s});
        return;
    }
    const WhisperMessage frame{connection->nick(), recipient->nick(), text.text, Timestamp::now()};
    qCDebug(lcRoom).noquote() << "whisper from" << frame.from << "to" << frame.to << ":" << frame.text;
    recipient->sendFrame(frame);
    if (recipient != connection)
        connection->sendFrame(frame);
}

void Room::rename(Connection *connection, const Nick &request)
{
    QString nick;
    if (!checkNickFor(connection, request.nick, u"nick"_s, &nick))
        return;
    const QString oldNick = connection->nick();
    m_members.remove(Validation::nickKey(oldNick));
    m_members.insert(Validation::nickKey(nick), connection);
    connection->setNick(nick);
    qCInfo(lcRoom).noquote() << oldNick << "is now" << nick;
    publish(Renamed{oldNick, nick, Timestamp::now()});
}

void Room::bye(Connection *connection, const Bye &bye)
{
    // The reason is shown to everyone, so it obeys the rules for text (no
    // terminal escapes for text-mode users); one that does not is left out.
    const Validation::TextResult reason = Validation::checkText(bye.reason);
    const QString message = reason.isValid() ? reason.text : QString();
    // Leave first so the others hear `left` before anything the closing socket might still cause.
    leave(connection, LeaveReason::Quit, message);
    connection->closeAfter(ServerBye{leaveReasonName(LeaveReason::Quit)}, LeaveReason::Quit, message);
}

void Room::leave(Connection *connection, LeaveReason reason, const QString &message)
{
    if (!connection->isRegistered())
        return;
    const QString key = Validation::nickKey(connection->nick());
    if (m_members.value(key) != connection)
        return;
    m_members.remove(key);
    disconnect(this, &Room::published, connection, &Connection::deliver);
    qCInfo(lcRoom).noquote() << connection->nick() << "left:" << leaveReasonName(reason);
    publish(Left{connection->nick(), reason, Timestamp::now(), message.left(kMaxTextLength)});
}

QStringList Room::users() const
{
    QList<std::pair<QString, QString>> keyed; // (key, nick): fold each nick once, not per comparison
    keyed.reserve(m_members.size());
    for (auto it = m_members.cbegin(); it != m_members.cend(); ++it)
        keyed.append({it.key(), it.value()->nick()});
    std::sort(keyed.begin(), keyed.end());
    QStringList nicks;
    nicks.reserve(keyed.size());
    for (const auto &[key, nick] : keyed)
        nicks.append(nick);
    return nicks;
}

QString Room::freeGuestNick() const
{
    for (int n = 1;; ++n) {
        const QString nick = kGuestPrefix + QString::number(n);
        if (!m_members.contains(nick))
            return nick;
    }
}

bool Room::checkNickFor(Connection *connection, const QString &requested, const QString &ref, QString *normalized)
{
    const Validation::NickResult checked = Validation::checkNick(requested);
    if (!checked.isValid()) {
        connection->sendFrame(Error{ErrorCode::NickInvalid, Validation::describe(checked), ref});
        return false;
    }
    const Connection *holder = m_members.value(Validation::nickKey(checked.nick));
    if (holder == connection && checked.nick == connection->nick()) {
        connection->sendFrame(Error{ErrorCode::NickTaken, u"you are already called %1"_s.arg(checked.nick), ref});
        return false;
    }
    if (holder && holder != connection) {
        connection->sendFrame(Error{ErrorCode::NickTaken, u"the nickname %1 is taken"_s.arg(checked.nick), ref});
        return false;
    }
    *normalized = checked.nick;
    return true;
}

void Room::publish(ServerFrame frame, const Connection *except)
{
    m_pending.emplace_back(std::move(frame), except);
    if (m_publishing)
        return;
    m_publishing = true;
    while (!m_pending.empty()) {
        const Broadcast event = std::move(m_pending.front());
        m_pending.pop_front();
        emit published(event);
    }
    m_publishing = false;
}
