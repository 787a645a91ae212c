// SPDX-License-Identifier: MIT
// Room's part that follows its backend (RoomBackend): joining the room, and
// acting on what the backend says happened, in the room's order (with
// --redis, the cluster's stream; docs/architecture.md, "Cluster: several servers through Redis").
#include "room.h"

#include "validation.h"

#include <QLoggingCategory>

#include <utility>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_DECLARE_LOGGING_CATEGORY(lcRoom)

std::optional<QString> Room::start()
{
    auto started = m_backend->start();
    if (const auto *error = std::get_if<QString>(&started))
        return *error;
    const RoomBackend::State &state = std::get<RoomBackend::State>(started);
    if (const std::optional<RoomBackend::RoomSnapshot> lobbyRoom = m_backend->room(lobby()))
        m_lobbyTopic = lobbyRoom->record.topic;
    for (const auto &[key, nick] : state.roster)
        m_roster.add(key, nick);
    for (const QString &key : state.ops)
        m_roster.setOp(key);
    for (const auto &[key, message] : state.away)
        m_roster.setAway(key, message);
    m_moderation.setSlowSeconds(state.slowSeconds);
    for (const auto &[key, until] : state.mutes) {
        if (const qint64 left = msecsUntil(until); left > 0)
            m_moderation.mute(key, left);
    }
    return std::nullopt;
}

void Room::stop()
{
    settleAnswer(); // its user is one of those who leave below
    settlePosts();  // said before the shutdown: posted, not dropped
    // Said before the shutdown too; each removal may put a release in flight.
    while (eventsWaiting()) {
        applyWaitingEvents();
        settleAnswer();
        settlePosts();
    }
    m_backend->stop();
}

QList<std::pair<QString, QString>> Room::localUsers() const
{
    QList<std::pair<QString, QString>> users;
    users.reserve(m_members.size());
    for (auto it = m_members.cbegin(); it != m_members.cend(); ++it) {
        if (!m_claiming.contains(it.key()))
            users.append({Validation::nickKey(it->nick), it->nick});
    }
    return users;
}

void Room::apply(const RoomBackend::Event &event)
{
    take(event);
}

void Room::take(BackendNews news)
{
    // A member removed now would wait for the posts and answers in flight
    // (its posts are answered before its `left`, a claim in flight before
    // its release): the removal waits instead, and what comes after it keeps
    // its place behind it. Within a round trip, and nothing waits on Redis.
    if (!m_eventsWaiting.empty() || (inFlight() && removesMember(news))) {
        m_eventsWaiting.push_back(std::move(news));
        return;
    }
    applyNow(news);
}

bool Room::removesMember(const BackendNews &news) const
{
    if (const auto *lost = std::get_if<LostNickname>(&news))
        return m_idByKey.contains(lost->key);
    const auto &event = std::get<RoomBackend::Event>(news);
    return event.kind == RoomStream::Kind::Kick && m_idByKey.contains(event.target);
}

void Room::applyWaitingEvents()
{
    while (!m_eventsWaiting.empty()) {
        if (removesMember(m_eventsWaiting.front())) {
            // Posts said before it go first, as removeMember() would have them.
            if (!inFlight())
                flushPosts();
            if (inFlight())
                return; // again when they are answered (RoomInbox)
        }
        const BackendNews next = std::move(m_eventsWaiting.front());
        m_eventsWaiting.pop_front();
        applyNow(next);
    }
}

void Room::applyNow(const BackendNews &news)
{
    if (const auto *lost = std::get_if<LostNickname>(&news))
        dropLostNickname(lost->key);
    else
        applyRead(std::get<RoomBackend::Event>(news));
}

void Room::applyRead(const RoomBackend::Event &event)
{
    switch (event.kind) {
    case RoomStream::Kind::Message:
        if (const auto *message = std::get_if<ChatMessage>(&event.frame))
            publishToRoom(message->room, event.frame, 0, event.json);
        return;
    case RoomStream::Kind::Whisper:
        applyWhisper(event);
        return;
    case RoomStream::Kind::Kick:
        if (const auto *bye = std::get_if<ServerBye>(&event.frame); bye && bye->reason == kResumedByeReason)
            applyResumedKick(event);
        else if (bye && m_idByKey.contains(event.target))
            kickHere(m_idByKey.value(event.target), *bye);
        return;
    case RoomStream::Kind::Event:
        applyEvent(event);
        return;
    }
}

void Room::applyEvent(const RoomBackend::Event &event)
{
    const ServerFrame &frame = event.frame;
    Wire::ConnectionId except = 0;
    if (const auto *joined = std::get_if<Joined>(&frame); joined && !joined->room.isEmpty()) {
        applyRoomJoined(event, *joined);
        return;
    }
    if (const auto *left = std::get_if<Left>(&frame); left && !left->room.isEmpty()) {
        applyRoomLeft(*left);
        return;
    }
    if (const auto *topic = std::get_if<TopicChanged>(&frame)) {
        applyTopic(*topic);
        return;
    }
    if (const auto *joined = std::get_if<Joined>(&frame)) {
        m_roster.add(Validation::nickKey(joined->nick), joined->nick);
        const auto member = m_members.constFind(event.from);
        if (member != m_members.cend() && member->awaitingWelcome) {
            sendWelcome(event.from, joined->nick);
            except = event.from;
        }
    } else if (const auto *left = std::get_if<Left>(&frame)) {
        m_roster.remove(Validation::nickKey(left->nick));
        m_released.remove(Validation::nickKey(left->nick));
        leaveAllRooms(Validation::nickKey(left->nick));
    } else if (const auto *renamed = std::get_if<Renamed>(&frame)) {
        // Our own rename read back before its answer proves it was done: the
        // member speaks as its new nick from here on (Room::answerRename).
        if (m_renaming && m_renaming->nick == renamed->to &&
            m_idByKey.value(Validation::nickKey(renamed->from)) == m_renaming->id) {
            renameHere(m_renaming->id, renamed->from, renamed->to);
            m_renaming.reset();
        }
        m_roster.rename(Validation::nickKey(renamed->from), Validation::nickKey(renamed->to), renamed->to);
        renameInRooms(Validation::nickKey(renamed->from), Validation::nickKey(renamed->to), renamed->to);
        m_moderation.renamed(Validation::nickKey(renamed->from), Validation::nickKey(renamed->to));
    } else if (const auto *opped = std::get_if<Opped>(&frame)) {
        m_roster.setOp(Validation::nickKey(opped->nick));
    } else if (std::holds_alternative<Away>(frame) || std::holds_alternative<Back>(frame)) {
        applyPresence(frame);
    } else {
        applyModeration(frame);
    }
    publish(frame, except);
}

void Room::sendWelcome(Wire::ConnectionId id, const QString &joinedAs)
{
    Member &member = m_members[id];
    member.awaitingWelcome = false;
    // Under the nickname of the `joined` being applied, not the member's
    // present one: a rename handled since (held below) would otherwise show
    // in the welcome before the `renamed` that says it.
    Welcome welcome = welcomeFor(joinedAs, member.since);
    welcome.resume = member.resumeToken;
    member.channel->queueWelcome(id, Wire::encode(member.mode, welcome, joinedAs));
    for (const QByteArray &bytes : std::as_const(member.held))
        member.channel->queueReply(id, bytes);
    member.held.clear();
    // Copied first: handling a request may change m_members.
    ReplyChannel *const channel = member.channel;
    const Wire::Mode mode = member.mode;
    const QList<Wire::Request> deferred = std::exchange(member.deferred, {});
    for (const Wire::Request &request : deferred) {
        handle(id, channel, mode, request);
        if (!m_members.contains(id))
            return; // gone (a `bye`): no membership to announce
    }
    // After the deferred requests' replies: the worker answers a `ping`
    // itself only from here on (Worker::answerHere).
    channel->queueMembership(id, true);
}

void Room::applyWhisper(const RoomBackend::Event &event)
{
    const auto *whisper = std::get_if<WhisperMessage>(&event.frame);
    if (!whisper)
        return;
    const Wire::ConnectionId recipient = m_idByKey.value(event.target);
    if (recipient != 0) {
        const Member &member = m_members[recipient];
        deliver(recipient, member.channel, Wire::encode(member.mode, *whisper, member.nick));
    }
    // The sender's copy comes back too: it shows the whisper went out, and
    // says when the recipient is away (as IRC's RPL_AWAY does).
    if (event.from == 0 || event.from == recipient)
        return;
    const auto sender = m_members.constFind(event.from);
    if (sender == m_members.cend())
        return;
    WhisperMessage echo = *whisper;
    echo.away = m_roster.awayMessage(event.target);
    deliver(event.from, sender->channel, Wire::encode(sender->mode, echo, sender->nick));
}

void Room::dropLostNicknames(const QStringList &keys)
{
    for (const QString &key : keys)
        take(LostNickname{key});
}

void Room::dropLostNickname(const QString &key)
{
    const Wire::ConnectionId id = m_idByKey.value(key);
    if (id == 0)
        return;
    const Member member = m_members.value(id);
    qCWarning(lcRoom).noquote() << member.nick << "lost the nickname to another instance while Redis was away";
    removeMember(id, LeaveReason::Disconnected, {});
    member.channel->queueClose(
        id, Wire::encode(member.mode,
                         Error{ErrorCode::NickTaken,
                               u"while this server could not reach the others, someone else took the "
                               u"nickname %1; connect again with another one"_s.arg(member.nick),
                               {}},
                         member.nick));
}

void Room::tellHistoryLost()
{
    // `truncated` is how the protocol says "there were messages you did not
    // get"; a `room` frame may come again for a room one is in (as a `join`
    // of it answers), so every client can take it.
    QHash<QString, QByteArray> encoded[2]; // room key -> frame, per mode: encoded once
    for (auto member = m_members.cbegin(); member != m_members.cend(); ++member) {
        if (member->awaitingWelcome)
            continue;
        QStringList roomKeys{lobby()};
        roomKeys += member->rooms.keys();
        QHash<QString, QByteArray> &frames = encoded[member->mode == Wire::Mode::Json ? 0 : 1];
        for (const QString &roomKey : std::as_const(roomKeys)) {
            auto frame = frames.find(roomKey);
            if (frame == frames.end()) {
                RoomState state = roomStateFor(roomKey, std::nullopt);
                state.truncated = true;
                frame = frames.insert(roomKey, Wire::encode(member->mode, state));
            }
            deliver(member.key(), member->channel, *frame);
        }
    }
}
