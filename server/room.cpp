// SPDX-License-Identifier: MIT
#include "room.h"

#include "handoff.h"
#include "timestamp.h"
#include "validation.h"
#include "worker.h"

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
    const Room::Requester &from;

    void operator()(const Hello &f) const { room->hello(from, f); }
    void operator()(const Say &f) const { room->say(from, f); }
    void operator()(const Whisper &f) const { room->whisper(from, f); }
    void operator()(const Nick &f) const { room->rename(from, f); }
    void operator()(const Who &) const { room->reply(from, Users{room->users()}); }
    void operator()(const Ping &f) const { room->reply(from, Pong{f.id}); }
    void operator()(const Bye &f) const { room->bye(from, f); }
};

Room::Room(const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_history(config.history)
{
}

void Room::handle(Wire::ConnectionId id, Worker *worker, Wire::Mode mode, const Wire::Request &request)
{
    const auto member = m_members.constFind(id);
    Requester from{id, worker, mode, member == m_members.cend() ? QString() : member->nick};
    // A text-mode user joins as a guest with their first line, whatever it
    // is: a message, a command, even one that is only answered locally.
    if (from.nick.isEmpty() && mode == Wire::Mode::Text) {
        from.nick = freeGuestNick();
        admit(from, from.nick);
    }

    if (const auto *error = std::get_if<Error>(&request.body)) {
        reply(from, *error);
        return;
    }
    if (const auto *lines = std::get_if<QStringList>(&request.body)) {
        if (mode == Wire::Mode::Text)
            send(worker, id, Wire::textLines(*lines));
        return;
    }
    dispatch(from, std::get<ClientFrame>(request.body));
}

void Room::dispatch(const Requester &from, const ClientFrame &frame)
{
    if (from.nick.isEmpty() && !std::holds_alternative<Hello>(frame) && !std::holds_alternative<Ping>(frame)
        && !std::holds_alternative<Bye>(frame)) {
        reply(from, Error{ErrorCode::NotRegistered, u"send a hello with your nickname first"_s, typeName(frame)});
        return;
    }
    std::visit(RoomRequestVisitor{this, from}, frame);
}

void Room::hello(const Requester &from, const Hello &hello)
{
    if (!from.nick.isEmpty()) {
        reply(from, Error{ErrorCode::AlreadyRegistered, u"you are already registered as %1"_s.arg(from.nick),
                          u"hello"_s});
        return;
    }
    if (const std::optional<QString> nick = checkNickFor(from, hello.nick, u"hello"_s))
        admit(from, *nick);
}

void Room::admit(const Requester &from, const QString &nick)
{
    m_members.insert(from.id, Member{nick, from.worker, from.mode});
    m_idByKey.insert(Validation::nickKey(nick), from.id);
    if (from.mode == Wire::Mode::Text)
        ++m_textMembers;
    qCInfo(lcRoom).noquote() << "connection" << from.id << "joined as" << nick;

    reply(Requester{from.id, from.worker, from.mode, nick},
          Welcome{nick, users(), m_history.last(), kServerName, kVersion});
    setMember(from.worker, from.id, true);
    publish(Joined{nick, Timestamp::now()}, from.id);
}

void Room::say(const Requester &from, const Say &say)
{
    const Validation::TextResult text = Validation::checkText(say.text);
    if (!text.isValid()) {
        reply(from, Error{ErrorCode::TextInvalid, Validation::describe(text), u"say"_s});
        return;
    }
    const ChatMessage message{++m_lastMessageId, from.nick, text.text, Timestamp::now(), say.action};
    qCDebug(lcRoom).noquote() << "message" << message.id << "from" << message.from << ":" << message.text;
    m_history.append(message);
    publish(message);
}

void Room::whisper(const Requester &from, const Whisper &whisper)
{
    const auto recipientId = m_idByKey.constFind(Validation::nickKey(whisper.to));
    if (recipientId == m_idByKey.cend()) {
        reply(from, Error{ErrorCode::NoSuchUser, u"no user named %1"_s.arg(whisper.to), u"whisper"_s});
        return;
    }
    const Validation::TextResult text = Validation::checkText(whisper.text);
    if (!text.isValid()) {
        reply(from, Error{ErrorCode::TextInvalid, Validation::describe(text), u"whisper"_s});
        return;
    }
    const Member &recipient = m_members[*recipientId];
    const WhisperMessage frame{from.nick, recipient.nick, text.text, Timestamp::now()};
    qCDebug(lcRoom).noquote() << "whisper from" << frame.from << "to" << frame.to << ":" << frame.text;
    reply(Requester{*recipientId, recipient.worker, recipient.mode, recipient.nick}, frame);
    if (*recipientId != from.id)
        reply(from, frame);
}

void Room::rename(const Requester &from, const Nick &request)
{
    const std::optional<QString> nick = checkNickFor(from, request.nick, u"nick"_s);
    if (!nick)
        return;
    m_idByKey.remove(Validation::nickKey(from.nick));
    m_idByKey.insert(Validation::nickKey(*nick), from.id);
    m_members[from.id].nick = *nick;
    qCInfo(lcRoom).noquote() << from.nick << "is now" << *nick;
    publish(Renamed{from.nick, *nick, Timestamp::now()});
}

void Room::bye(const Requester &from, const Bye &bye)
{
    // The reason is shown to everyone, so it obeys the rules for text (no
    // terminal escapes for text-mode users); one that does not is left out.
    const Validation::TextResult reason = Validation::checkText(bye.reason);
    removeMember(from.id, LeaveReason::Quit, reason.isValid() ? reason.text : QString());
    closeAfter(from.worker, from.id, Wire::encode(from.mode, ServerBye{leaveReasonName(LeaveReason::Quit)}));
}

void Room::leave(Wire::ConnectionId id, Worker *worker, Wire::Mode mode, LeaveReason reason,
                 const Wire::LastWords &last)
{
    const QString nick = m_members.value(id).nick;
    removeMember(id, reason, {});
    if (last.frame)
        closeAfter(worker, id, Wire::encode(mode, *last.frame, nick));
}

void Room::removeMember(Wire::ConnectionId id, LeaveReason reason, const QString &message)
{
    const auto member = m_members.constFind(id);
    if (member == m_members.cend())
        return;
    const QString nick = member->nick;
    if (member->mode == Wire::Mode::Text)
        --m_textMembers;
    setMember(member->worker, id, false);
    m_idByKey.remove(Validation::nickKey(nick));
    m_members.erase(member);
    qCInfo(lcRoom).noquote() << nick << "left:" << leaveReasonName(reason);
    publish(Left{nick, reason, Timestamp::now(), message.left(kMaxTextLength)});
}

QStringList Room::users() const
{
    QList<std::pair<QString, QString>> keyed; // (key, nick): fold each nick once, not per comparison
    keyed.reserve(m_idByKey.size());
    for (auto it = m_idByKey.cbegin(); it != m_idByKey.cend(); ++it)
        keyed.append({it.key(), m_members.value(it.value()).nick});
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
        if (!m_idByKey.contains(nick))
            return nick;
    }
}

std::optional<QString> Room::checkNickFor(const Requester &from, const QString &requested, const QString &ref)
{
    const Validation::NickResult checked = Validation::checkNick(requested);
    if (!checked.isValid()) {
        reply(from, Error{ErrorCode::NickInvalid, Validation::describe(checked), ref});
        return std::nullopt;
    }
    const auto holder = m_idByKey.constFind(Validation::nickKey(checked.nick));
    if (holder != m_idByKey.cend() && *holder == from.id && checked.nick == from.nick) {
        reply(from, Error{ErrorCode::NickTaken, u"you are already called %1"_s.arg(checked.nick), ref});
        return std::nullopt;
    }
    if (holder != m_idByKey.cend() && *holder != from.id) {
        reply(from, Error{ErrorCode::NickTaken, u"the nickname %1 is taken"_s.arg(checked.nick), ref});
        return std::nullopt;
    }
    return checked.nick;
}

void Room::reply(const Requester &to, const ServerFrame &frame)
{
    send(to.worker, to.id, Wire::encode(to.mode, frame, to.nick));
}

void Room::publish(const ServerFrame &frame, Wire::ConnectionId except)
{
    const BroadcastPtr broadcast = std::make_shared<const Broadcast>(frame, except, m_textMembers > 0);
    Handoff::send(broadcast.get());
    emit published(broadcast);
}

void Room::send(Worker *worker, Wire::ConnectionId id, const QByteArray &bytes)
{
    QMetaObject::invokeMethod(worker, [worker, id, bytes] { worker->send(id, bytes); }, Qt::QueuedConnection);
}

void Room::closeAfter(Worker *worker, Wire::ConnectionId id, const QByteArray &last)
{
    QMetaObject::invokeMethod(worker, [worker, id, last] { worker->closeAfter(id, last); }, Qt::QueuedConnection);
}

void Room::setMember(Worker *worker, Wire::ConnectionId id, bool member)
{
    QMetaObject::invokeMethod(worker, [worker, id, member] { worker->setMember(id, member); },
                              Qt::QueuedConnection);
}
