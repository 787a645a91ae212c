// SPDX-License-Identifier: MIT
#include "room.h"

#include "cluster.h"
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

// Guest nicknames tried when others' instances take them at the same moment.
constexpr int kGuestAttempts = 20;
} // namespace

struct RoomRequestVisitor {
    Room *room;
    const Room::Requester &from;

    void operator()(const Hello &f) const { room->hello(from, f); }
    void operator()(const Say &f) const { room->say(from, f); }
    void operator()(const Whisper &f) const { room->whisper(from, f); }
    void operator()(const Nick &f) const { room->rename(from, f); }
    void operator()(const Who &) const { room->reply(from, Users{room->users(), room->operators()}); }
    void operator()(const Ping &f) const { room->reply(from, Pong{f.id}); }
    void operator()(const Bye &f) const { room->bye(from, f); }
    void operator()(const Op &f) const { room->op(from, f); }
    void operator()(const Kick &f) const { room->kick(from, f); }
    void operator()(const Mute &f) const { room->mute(from, f); }
    void operator()(const Unmute &f) const { room->unmute(from, f); }
    void operator()(const Slow &f) const { room->slow(from, f); }
};

Room::Room(const ServerConfig &config, std::unique_ptr<MessageLog> log, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_log(std::move(log))
    , m_moderation(config.adminPassword, config.moderationClock)
{
    if (!m_config.redis)
        return;
    m_cluster = new Cluster(
        *m_config.redis, m_config.clusterHeartbeatMsecs, [this] { return localUsers(); }, this);
    connect(m_cluster, &Cluster::entriesArrived, this, &Room::applyShared);
    connect(m_cluster, &Cluster::nicknamesLost, this, &Room::dropLostNicknames);
}

Room::~Room() = default;

void Room::handle(Wire::ConnectionId id, Worker *worker, Wire::Mode mode, const Wire::Request &request)
{
    const auto member = m_members.constFind(id);
    Requester from{id, worker, mode, member == m_members.cend() ? QString() : member->nick};
    // A text-mode user joins as a guest with their first line, whatever it
    // is: a message, a command, even one that is only answered locally.
    if (from.nick.isEmpty() && mode == Wire::Mode::Text) {
        from.nick = admitGuest(from);
        if (from.nick.isEmpty())
            return;
    }

    if (const auto *error = std::get_if<Error>(&request.body)) {
        reply(from, *error);
        return;
    }
    if (const auto *lines = std::get_if<QStringList>(&request.body)) {
        if (mode == Wire::Mode::Text)
            deliver(id, worker, Wire::textLines(*lines));
        return;
    }
    dispatch(from, std::get<ClientFrame>(request.body));
}

void Room::dispatch(const Requester &from, const ClientFrame &frame)
{
    if (from.nick.isEmpty() && !std::holds_alternative<Hello>(frame) && !std::holds_alternative<Ping>(frame) &&
        !std::holds_alternative<Bye>(frame)) {
        reply(from, Error{ErrorCode::NotRegistered, u"send a hello with your nickname first"_s, typeName(frame)});
        return;
    }
    std::visit(RoomRequestVisitor{this, from}, frame);
}

void Room::hello(const Requester &from, const Hello &hello)
{
    if (!from.nick.isEmpty()) {
        reply(from,
              Error{ErrorCode::AlreadyRegistered, u"you are already registered as %1"_s.arg(from.nick), u"hello"_s});
        return;
    }
    const std::optional<QString> nick = checkNickFor(from, hello.nick, u"hello"_s);
    if (!nick)
        return;
    switch (admit(from, *nick, hello.since)) {
    case Admission::Admitted:
        return;
    case Admission::Taken:
        reply(from, Error{ErrorCode::NickTaken, u"the nickname %1 is taken"_s.arg(*nick), u"hello"_s});
        return;
    case Admission::Unavailable:
        replyUnavailable(from, u"hello"_s);
        return;
    }
}

Room::Admission Room::admit(const Requester &from, const QString &nick, std::optional<qint64> since)
{
    const QString key = Validation::nickKey(nick);
    if (m_cluster) {
        // The claim is the decision; the welcome waits for the `joined`
        // entry, so the history is what came before it and nothing after
        // it is missed.
        const Cluster::Claim claim = m_cluster->claimNick(key, nick, from.id);
        if (claim != Cluster::Claim::Granted)
            return claim == Cluster::Claim::Taken ? Admission::Taken : Admission::Unavailable;
    }
    m_members.insert(from.id, Member{nick, from.worker, from.mode, m_cluster != nullptr, since, {}});
    m_idByKey.insert(key, from.id);
    if (from.mode == Wire::Mode::Text)
        ++m_textMembers;
    qCInfo(lcRoom).noquote() << "connection" << from.id << "joined as" << nick;
    if (m_cluster)
        return Admission::Admitted;

    queueWelcome(from.worker, from.id, Wire::encode(from.mode, welcomeFor(nick, since), nick));
    setMember(from.worker, from.id, true);
    publish(Joined{nick, Timestamp::now()}, from.id);
    return Admission::Admitted;
}

QString Room::admitGuest(const Requester &from)
{
    int after = 0;
    for (int attempt = 0; attempt < kGuestAttempts; ++attempt) {
        const QString nick = freeGuestNick(after);
        switch (admit(from, nick)) {
        case Admission::Admitted:
            return nick;
        case Admission::Taken: // by another instance a moment ago: the next number
            after = nick.mid(kGuestPrefix.size()).toInt();
            continue;
        case Admission::Unavailable:
            replyUnavailable(from, {});
            return {};
        }
    }
    reply(from, Error{ErrorCode::NickTaken, u"no guest nickname is free; try again"_s, {}});
    return {};
}

qsizetype Room::largestWelcomeBytes(const ServerConfig &config)
{
    if (config.history <= 0)
        return 0;
    // UTF-8 takes at most 4 bytes per code point and 3 per UTF-16 unit; the
    // frame's own fields (id, ts, quotes) add well under 200 bytes.
    constexpr qsizetype kFrameOverheadBytes = 200;
    const qsizetype longestMessage = 4 * (kMaxTextLength + kMaxNickLength) + kFrameOverheadBytes;
    const qsizetype fullHistory = qsizetype(config.history) * longestMessage;
    const qsizetype largestResume = 3 * kMaxResumeTextChars + qsizetype(kMaxResumeMessages) * kFrameOverheadBytes;
    return std::max(fullHistory, largestResume);
}

Welcome Room::welcomeFor(const QString &nick, std::optional<qint64> since) const
{
    Welcome welcome{nick, users(), {}, kServerName, kVersion};
    welcome.ops = operators();
    welcome.slow = int(m_moderation.slowSeconds());
    if (m_config.history == 0)
        return welcome;
    // An id this log never handed out (a client of an earlier, in-memory
    // server) says nothing about what was missed: the usual history then.
    if (!since || *since >= history().nextId()) {
        welcome.history = history().last(m_config.history);
        return welcome;
    }
    MessageLog::Page page = history().after(*since, kMaxResumeMessages);
    // Bound the frame too: 1000 messages of 4000 characters would exceed
    // what a client accepts in one line, and the connection's send queue.
    qsizetype chars = 0;
    qsizetype keep = 0;
    for (auto it = page.messages.crbegin(); it != page.messages.crend(); ++it, ++keep) {
        chars += it->text.size() + it->from.size();
        if (chars > kMaxResumeTextChars)
            break;
    }
    if (keep < page.messages.size()) {
        page.messages.remove(0, page.messages.size() - keep);
        page.truncated = true;
    }
    welcome.history = std::move(page.messages);
    welcome.truncated = page.truncated;
    return welcome;
}

void Room::say(const Requester &from, const Say &say)
{
    if (!mayPost(from, u"say"_s, true))
        return;
    const Validation::TextResult text = Validation::checkText(say.text);
    if (!text.isValid()) {
        reply(from, Error{ErrorCode::TextInvalid, Validation::describe(text), u"say"_s});
        return;
    }
    if (m_cluster && !m_cluster->ensureReady()) {
        replyUnavailable(from, u"say"_s);
        return;
    }
    const MessageLog::Appended stored =
        m_log->append(ChatMessage{0, from.nick, text.text, Timestamp::now(), say.action});
    if (m_cluster && std::holds_alternative<QString>(stored)) {
        replyUnavailable(from, u"say"_s);
        return;
    }
    if (const auto *error = std::get_if<QString>(&stored)) {
        // The log said why (and logged it); the sender learns it was not sent, and may try again.
        qCWarning(lcRoom).noquote() << "message from" << from.nick << "refused: the store failed:" << *error;
        reply(from, Error{ErrorCode::StoreFailed,
                          u"the server could not store your message, so it was not sent; try again later"_s, u"say"_s});
        return;
    }
    const ChatMessage &message = std::get<ChatMessage>(stored);
    m_moderation.posted(from.id);
    qCDebug(lcRoom).noquote() << "message" << message.id << "from" << message.from << ":" << message.text;
    if (!m_cluster) // a shared room's message is sent when it is read back
        publish(message);
}

void Room::whisper(const Requester &from, const Whisper &whisper)
{
    // Muted users cannot whisper either; slow mode is about the room, whispers are not.
    if (!mayPost(from, u"whisper"_s, false))
        return;
    if (m_cluster) {
        const std::optional<std::pair<QString, QString>> to = findUser(from, whisper.to, u"whisper"_s);
        if (!to)
            return;
        const Validation::TextResult text = Validation::checkText(whisper.text);
        if (!text.isValid()) {
            reply(from, Error{ErrorCode::TextInvalid, Validation::describe(text), u"whisper"_s});
            return;
        }
        const WhisperMessage frame{from.nick, to->second, text.text, Timestamp::now()};
        switch (m_cluster->sendTo(to->first, RoomStream::Kind::Whisper, frame, from.id)) {
        case Cluster::Claim::Granted:
            return;
        case Cluster::Claim::Taken: // gone since the roster said so
            reply(from, Error{ErrorCode::NoSuchUser, u"no user named %1"_s.arg(whisper.to), u"whisper"_s});
            return;
        case Cluster::Claim::Unavailable:
            replyUnavailable(from, u"whisper"_s);
            return;
        }
    }
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
    if (m_cluster) {
        const Renamed renamed{from.nick, *nick, Timestamp::now()};
        switch (m_cluster->rename(Validation::nickKey(from.nick), Validation::nickKey(*nick), renamed)) {
        case Cluster::Claim::Granted:
            break;
        case Cluster::Claim::Taken:
            reply(from, Error{ErrorCode::NickTaken, u"the nickname %1 is taken"_s.arg(*nick), u"nick"_s});
            return;
        case Cluster::Claim::Unavailable:
            replyUnavailable(from, u"nick"_s);
            return;
        }
        // Here at once (later requests speak as the new nick); the roster,
        // mutes and the broadcast follow the stream.
        m_idByKey.remove(Validation::nickKey(from.nick));
        m_idByKey.insert(Validation::nickKey(*nick), from.id);
        m_members[from.id].nick = *nick;
        qCInfo(lcRoom).noquote() << from.nick << "is now" << *nick;
        return;
    }
    m_idByKey.remove(Validation::nickKey(from.nick));
    m_idByKey.insert(Validation::nickKey(*nick), from.id);
    m_moderation.renamed(Validation::nickKey(from.nick), Validation::nickKey(*nick));
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

void Room::removeMember(Wire::ConnectionId id, LeaveReason reason, const QString &message, const QString &by)
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
    m_moderation.forget(id);
    qCInfo(lcRoom).noquote() << nick << "left:" << leaveReasonName(reason);
    const Left left{nick, reason, Timestamp::now(), message.left(kMaxTextLength), by};
    if (!m_cluster) {
        publish(left);
        return;
    }
    if (m_leftCluster)
        return; // stop() already said so for everyone here
    // When Redis is away, the resync after the reconnect releases the
    // nickname (and says the user left).
    if (!m_cluster->release(Validation::nickKey(nick), left))
        qCInfo(lcRoom).noquote() << "the shared room will hear that" << nick << "left once Redis is back";
}

QStringList Room::users() const
{
    if (m_cluster)
        return m_roster.users();
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

QStringList Room::operators() const
{
    if (m_cluster)
        return m_roster.operators();
    QStringList ops = users();
    ops.removeIf(
        [this](const QString &nick) { return !m_moderation.isOp(m_idByKey.value(Validation::nickKey(nick))); });
    return ops;
}

QString Room::freeGuestNick(int after) const
{
    for (int n = after + 1;; ++n) {
        const QString nick = kGuestPrefix + QString::number(n);
        if (!m_idByKey.contains(nick) && !m_roster.contains(nick))
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
    const bool takenHere = holder != m_idByKey.cend() && *holder != from.id;
    // A shared room's roster knows the other instances' users (the claim in
    // Redis decides a race; this saves the round trip).
    const bool takenElsewhere = m_cluster && m_roster.contains(Validation::nickKey(checked.nick)) &&
                                Validation::nickKey(checked.nick) != Validation::nickKey(from.nick);
    if (takenHere || takenElsewhere) {
        reply(from, Error{ErrorCode::NickTaken, u"the nickname %1 is taken"_s.arg(checked.nick), ref});
        return std::nullopt;
    }
    return checked.nick;
}

void Room::reply(const Requester &to, const ServerFrame &frame)
{
    deliver(to.id, to.worker, Wire::encode(to.mode, frame, to.nick));
}

void Room::deliver(Wire::ConnectionId id, Worker *worker, const QByteArray &bytes)
{
    if (m_cluster) {
        const auto member = m_members.find(id);
        if (member != m_members.end() && member->awaitingWelcome) {
            member->held.append(bytes);
            return;
        }
    }
    send(worker, id, bytes);
}

void Room::replyUnavailable(const Requester &to, const QString &ref)
{
    reply(to, Error{ErrorCode::ClusterUnavailable,
                    u"this server cannot reach the shared room (Redis) right now, so that was not done; "
                    u"try again in a moment"_s,
                    ref});
}

void Room::publish(const ServerFrame &frame, Wire::ConnectionId except)
{
    const BroadcastPtr broadcast = std::make_shared<const Broadcast>(frame, except, m_textMembers > 0);
    Handoff::send(broadcast.get());
    emit published(broadcast);
}

void Room::send(Worker *worker, Wire::ConnectionId id, const QByteArray &bytes)
{
    QMetaObject::invokeMethod(
        worker, [worker, id, bytes] { worker->send(id, bytes); }, Qt::QueuedConnection);
}

void Room::queueWelcome(Worker *worker, Wire::ConnectionId id, const QByteArray &bytes)
{
    QMetaObject::invokeMethod(
        worker, [worker, id, bytes] { worker->sendWelcome(id, bytes); }, Qt::QueuedConnection);
}

void Room::closeAfter(Worker *worker, Wire::ConnectionId id, const QByteArray &last)
{
    QMetaObject::invokeMethod(
        worker, [worker, id, last] { worker->closeAfter(id, last); }, Qt::QueuedConnection);
}

void Room::setMember(Worker *worker, Wire::ConnectionId id, bool member)
{
    QMetaObject::invokeMethod(
        worker, [worker, id, member] { worker->setMember(id, member); }, Qt::QueuedConnection);
}
