// SPDX-License-Identifier: MIT
#include "room.h"

#include "frametypename.h"
#include "handoff.h"
#include "resumetoken.h"
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
    void operator()(const Who &f) const { room->who(from, f); }
    void operator()(const Ping &f) const { room->reply(from, Pong{f.id}); }
    void operator()(const Bye &f) const { room->bye(from, f); }
    void operator()(const Op &f) const { room->op(from, f); }
    void operator()(const Kick &f) const { room->kick(from, f); }
    void operator()(const Mute &f) const { room->mute(from, f); }
    void operator()(const Unmute &f) const { room->unmute(from, f); }
    void operator()(const Slow &f) const { room->slow(from, f); }
    void operator()(const Join &f) const { room->join(from, f); }
    void operator()(const Part &f) const { room->part(from, f); }
    void operator()(const SetTopic &f) const { room->setTopic(from, f); }
    void operator()(const ListRooms &) const { room->listRooms(from); }
    void operator()(const SetAway &f) const { room->away(from, f); }
    void operator()(const SetBack &) const { room->back(from); }
};

Room::Room(const ServerConfig &config, std::unique_ptr<RoomBackend> backend, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_backend(std::move(backend))
    , m_moderation(config.adminPassword, config.moderationClock)
{
    m_backend->setLocalUsers([this] { return localUsers(); });
    connect(m_backend.get(), &RoomBackend::happened, this, &Room::apply);
    connect(m_backend.get(), &RoomBackend::nicknamesLost, this, &Room::dropLostNicknames);
    connect(m_backend.get(), &RoomBackend::historyLost, this, &Room::tellHistoryLost);
}

Room::~Room() = default;

void Room::handle(Wire::ConnectionId id, ReplyChannel *channel, Wire::Mode mode, const Wire::Request &request)
{
    // Everything is answered after the answers in flight (roomanswers.cpp),
    // but another hello may be claimed beside hellos' claims.
    if (!mayOverlapClaims(id, mode, &request))
        settleAnswer();
    const auto member = m_members.constFind(id);
    if (member != m_members.cend() && member->awaitingWelcome) {
        m_members[id].deferred.append(request); // sendWelcome() handles it
        return;
    }
    // Anything but a member's `say` may depend on, or be answered after,
    // the posts queued before it (roomposts.cpp): they go first.
    if (member == m_members.cend() || !isSay(request))
        settlePosts();
    const Requester from{id, channel, mode, member == m_members.cend() ? QString() : member->nick};
    // A text-mode user joins as a guest with their first line, whatever it
    // is: a message, a command, even one that is only answered locally.
    if (from.nick.isEmpty() && mode == Wire::Mode::Text) {
        admitGuest(from, request);
        return;
    }
    handleFrom(from, request);
}

void Room::handleFrom(const Requester &from, const Wire::Request &request)
{
    if (const auto *error = std::get_if<Error>(&request.body)) {
        reply(from, *error);
        return;
    }
    if (const auto *lines = std::get_if<QStringList>(&request.body)) {
        if (from.mode == Wire::Mode::Text)
            deliver(from.id, from.channel, Wire::textLines(*lines));
        return;
    }
    if (std::holds_alternative<Wire::ShowTopic>(request.body)) {
        showTopic(from);
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
        reply(from, Error{ErrorCode::AlreadyRegistered, u"you are already registered as %1"_s.arg(from.nick),
                          typeName<Hello>()});
        return;
    }
    // With its resume token, a nickname held by an old connection (here or
    // on another server of the cluster) is not taken: the hello takes it over.
    const Resumption resumed = resumptionFor(from, hello);
    const std::optional<QString> nick =
        resumed.any() ? Validation::checkNick(hello.nick).nick : checkNickFor(from, hello.nick, typeName<Hello>());
    if (!nick)
        return;
    QList<RoomName> rooms;
    if (!checkHelloRooms(from, hello, rooms))
        return;
    countHelloRooms(HelloClaim{from, *nick, rooms, hello});
}

void Room::admitHello(const HelloClaim &claim)
{
    // Found again: after a count answered later, the holder here may have
    // gone meanwhile (taken over through another server).
    const Resumption resumed = resumptionFor(claim.from, claim.hello);
    // Neither waits for the backend when it can answer later: a reconnect
    // storm's users, with their tokens or without, are no round trip each
    // on the room's thread.
    const Claiming claiming = resumed.elsewhere ? Claiming::TakeOver : Claiming::Claim;
    // Taken back from an old connection here: that one leaves, and the
    // nickname is claimed as for anyone once its release is answered.
    if (resumed.here != 0) {
        dropResumed(resumed.here, [this, claim, claiming] { claimForHello(claim, claiming); });
        return;
    }
    claimForHello(claim, claiming);
}

QByteArray Room::enterClaiming(const Requester &from, const QString &nick, std::optional<qint64> since)
{
    // A member before the claim, as its `joined` event may come back before
    // the claim's answer; the welcome waits for that event (sendWelcome).
    Member member{nick, from.channel, from.mode, true, since, {}};
    // Text-mode users have no welcome frame to carry a token.
    if (from.mode == Wire::Mode::Json)
        member.resumeToken = ResumeToken::generate();
    QByteArray resumeHash = ResumeToken::hash(member.resumeToken);
    m_members.insert(from.id, member);
    m_idByKey.insert(Validation::nickKey(nick), from.id);
    if (from.mode == Wire::Mode::Text)
        ++m_textMembers;
    // Not one of localUsers() yet: a cluster that repairs its claims first
    // (after Redis was away) must not claim this one for it.
    m_claiming.insert(from.id);
    return resumeHash;
}

Room::Admission Room::claimed(const Requester &from, const QString &nick, RoomBackend::Outcome outcome)
{
    m_claiming.remove(from.id);
    const auto member = m_members.constFind(from.id);
    // Its `joined`, read back while the answer was on its way (a claim
    // answered later), shows the claim was made, whatever the answer says
    // (lost with a connection that broke after): it has had its welcome.
    if (outcome != RoomBackend::Outcome::Done && member != m_members.cend() && !member->awaitingWelcome) {
        qCInfo(lcRoom).noquote() << "the answer to the claim of" << nick
                                 << "was lost after its joined was read back: admitted";
        outcome = RoomBackend::Outcome::Done;
    }
    if (outcome != RoomBackend::Outcome::Done) {
        if (from.mode == Wire::Mode::Text)
            --m_textMembers;
        m_idByKey.remove(Validation::nickKey(nick));
        m_members.remove(from.id);
        return outcome == RoomBackend::Outcome::Refused ? Admission::Taken : Admission::Unavailable;
    }
    qCInfo(lcRoom).noquote() << "connection" << from.id << "joined as" << nick;
    return Admission::Admitted;
}

void Room::admitGuest(const Requester &from, const Wire::Request &request, int after, int attempt)
{
    if (attempt == kGuestAttempts) {
        reply(from, Error{ErrorCode::NickTaken, u"no guest nickname is free; try again"_s, {}});
        return;
    }
    const QString nick = freeGuestNick(after);
    const QString key = Validation::nickKey(nick);
    const QByteArray resumeHash = enterClaiming(from, nick, std::nullopt);
    // Answered later when the backend can (roomanswers.cpp); the line that
    // made the guest is then handled as theirs.
    askBackend(
        [&](const RoomBackend::OutcomeDone &done) {
            return m_backend->startClaim(key, nick, from.id, resumeHash, done);
        },
        [&] { return m_backend->claim(key, nick, from.id, resumeHash); },
        [this, from, request, nick, attempt](RoomBackend::Outcome outcome) {
            switch (claimed(from, nick, outcome)) {
            case Admission::Admitted:
                handleFrom(Requester{from.id, from.channel, from.mode, nick}, request);
                return;
            case Admission::Taken: // by another instance a moment ago: the next number
                admitGuest(from, request, nick.mid(kGuestPrefix.size()).toInt(), attempt + 1);
                return;
            case Admission::Unavailable:
                replyUnavailable(from, {});
                return;
            }
        });
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
    welcome.away = m_roster.away();
    MessageLog::Page page = historyFor(lobby(), since);
    welcome.history = std::move(page.messages);
    welcome.truncated = page.truncated;
    return welcome;
}

MessageLog::Page Room::historyFor(const QString &roomKey, std::optional<qint64> since) const
{
    if (m_config.history == 0)
        return {};
    // An id this log never handed out (a client of an earlier, in-memory
    // server) says nothing about what was missed: the usual history then.
    if (!since || *since >= history().nextId())
        return {history().last(roomKey, m_config.history), false};
    MessageLog::Page page = history().after(roomKey, *since, kMaxResumeMessages);
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
    return page;
}

void Room::whisper(const Requester &from, const Whisper &whisper)
{
    // Muted users cannot whisper either; slow mode is about the room, whispers are not.
    if (!mayPost(from, typeName<Whisper>(), false))
        return;
    const std::optional<std::pair<QString, QString>> to = findUser(from, whisper.to, typeName<Whisper>());
    if (!to)
        return;
    const Validation::TextResult text = Validation::checkText(whisper.text);
    if (!text.isValid()) {
        reply(from, Error{ErrorCode::TextInvalid, Validation::describe(text), typeName<Whisper>()});
        return;
    }
    const WhisperMessage frame{from.nick, to->second, text.text, Timestamp::now()};
    qCDebug(lcRoom).noquote() << "whisper from" << frame.from << "to" << frame.to << ":" << frame.text;
    // Both copies are sent when the backend says it went out (applyWhisper).
    sendToUser(from, {to->first, whisper.to}, RoomStream::Kind::Whisper, frame, typeName<Whisper>());
}

void Room::rename(const Requester &from, const Nick &request)
{
    const std::optional<QString> nick = checkNickFor(from, request.nick, typeName<Nick>());
    if (!nick)
        return;
    const Renamed renamed{from.nick, *nick, Timestamp::now()};
    const QString oldKey = Validation::nickKey(from.nick);
    const QString newKey = Validation::nickKey(*nick);
    // Answered later when the backend can (roomanswers.cpp): nothing of
    // this connection's is handled before, so it speaks as the new nick next.
    m_renaming = Renaming{from.id, *nick};
    askBackend(
        [&](const RoomBackend::OutcomeDone &done) { return m_backend->startRename(oldKey, newKey, renamed, done); },
        [&] { return m_backend->rename(oldKey, newKey, renamed); },
        [this, from, nick = *nick](RoomBackend::Outcome outcome) { answerRename(from, nick, outcome); });
}

void Room::answerRename(const Requester &from, const QString &nick, RoomBackend::Outcome outcome)
{
    // Its `renamed`, read back first, showed it was done (and renamed the member here).
    if (!std::exchange(m_renaming, std::nullopt))
        return;
    switch (outcome) {
    case RoomBackend::Outcome::Done:
        break;
    case RoomBackend::Outcome::Refused:
    case RoomBackend::Outcome::NotStored:
        reply(from, Error{ErrorCode::NickTaken, u"the nickname %1 is taken"_s.arg(nick), typeName<Nick>()});
        return;
    case RoomBackend::Outcome::Unavailable:
        replyUnavailable(from, typeName<Nick>());
        return;
    }
    renameHere(from.id, from.nick, nick);
}

void Room::renameHere(Wire::ConnectionId id, const QString &from, const QString &to)
{
    // Here at once (later requests speak as the new nick); the roster,
    // mutes and the broadcast follow the backend's event.
    m_idByKey.remove(Validation::nickKey(from));
    m_idByKey.insert(Validation::nickKey(to), id);
    m_members[id].nick = to;
    qCInfo(lcRoom).noquote() << from << "is now" << to;
}

void Room::bye(const Requester &from, const Bye &bye)
{
    // The reason is shown to everyone, so it obeys the rules for text (no
    // terminal escapes for text-mode users); one that does not is left out.
    const Validation::TextResult reason = Validation::checkText(bye.reason);
    removeMember(from.id, LeaveReason::Quit, reason.isValid() ? reason.text : QString());
    from.channel->queueClose(from.id, Wire::encode(from.mode, ServerBye{leaveReasonName(LeaveReason::Quit)}));
}

void Room::leave(Wire::ConnectionId id, ReplyChannel *channel, Wire::Mode mode, LeaveReason reason,
                 const Wire::LastWords &last)
{
    const QString nick = m_members.value(id).nick;
    removeMember(id, reason, {});
    if (last.frame)
        channel->queueClose(id, Wire::encode(mode, *last.frame, nick));
}

void Room::removeMember(Wire::ConnectionId id, LeaveReason reason, const QString &message, const QString &by,
                        const std::function<void()> &released)
{
    // A post queued before the member goes is posted (and answered) before
    // its `left`, as it was said before it left; a claim in flight (perhaps
    // its own) is answered first, so a claim made is released below. Only
    // stop() waits here: requests and leaves wait in RoomInbox, and what the
    // backend says removes a member waits too (Room::take), until nothing is
    // in flight.
    settleAnswer();
    settlePosts();
    const auto member = m_members.constFind(id);
    if (member == m_members.cend()) {
        if (released)
            released(); // nothing to release
        return;
    }
    const QString nick = member->nick;
    if (member->mode == Wire::Mode::Text)
        --m_textMembers;
    member->channel->queueMembership(id, false);
    for (auto room = member->rooms.cbegin(); room != member->rooms.cend(); ++room) {
        if (const auto mirrored = m_rooms.find(room.key()); mirrored != m_rooms.end())
            mirrored->local.remove(id);
    }
    m_idByKey.remove(Validation::nickKey(nick));
    m_members.erase(member);
    m_moderation.forget(id);
    qCInfo(lcRoom).noquote() << nick << "left:" << leaveReasonName(reason);
    const QString key = Validation::nickKey(nick);
    m_released.insert(key);
    const Left left{nick, reason, Timestamp::now(), message.left(kMaxTextLength), by};
    // Usually sent at once and not waited for (release()); a member of
    // rooms besides #lobby leaves them first, and that is an answer the
    // requests after it wait for (a hello taking the nickname again must
    // be claimed after its release).
    askBackend([&](const RoomBackend::OutcomeDone &done) { return m_backend->startRelease(key, left, done); },
               [&] {
                   m_backend->release(key, left);
                   return RoomBackend::Outcome::Done;
               },
               [released](RoomBackend::Outcome) {
                   if (released)
                       released();
               });
}

QStringList Room::users() const
{
    return m_roster.users();
}

QStringList Room::operators() const
{
    return m_roster.operators();
}

QString Room::freeGuestNick(int after) const
{
    for (int n = after + 1;; ++n) {
        QString nick = kGuestPrefix + QString::number(n);
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
    // The roster knows the other servers' users too (in a cluster the claim
    // in Redis decides a race; this saves the round trip).
    const QString key = Validation::nickKey(checked.nick);
    const bool takenElsewhere =
        m_roster.contains(key) && !m_released.contains(key) && key != Validation::nickKey(from.nick);
    if (takenHere || takenElsewhere) {
        reply(from, Error{ErrorCode::NickTaken, u"the nickname %1 is taken"_s.arg(checked.nick), ref});
        return std::nullopt;
    }
    return checked.nick;
}

void Room::reply(const Requester &to, const ServerFrame &frame)
{
    deliver(to.id, to.channel, Wire::encode(to.mode, frame, to.nick));
}

void Room::deliver(Wire::ConnectionId id, ReplyChannel *channel, const QByteArray &bytes)
{
    const auto member = m_members.find(id);
    if (member != m_members.end() && member->awaitingWelcome) {
        member->held.append(bytes);
        return;
    }
    channel->queueReply(id, bytes);
}

void Room::replyUnavailable(const Requester &to, const QString &ref)
{
    reply(to, Error{ErrorCode::ClusterUnavailable,
                    u"this server cannot reach the shared room (Redis) right now, so that was not done; "
                    u"try again in a moment"_s,
                    ref});
}

void Room::publish(const ServerFrame &frame, Wire::ConnectionId except,
                   const std::optional<QSet<Wire::ConnectionId>> &audience, const QByteArray &json)
{
    std::optional<QList<Wire::ConnectionId>> ids;
    if (audience) {
        if (audience->isEmpty())
            return; // a room with nobody here
        ids = QList<Wire::ConnectionId>(audience->cbegin(), audience->cend());
    }
    const BroadcastPtr broadcast =
        std::make_shared<const Broadcast>(frame, except, m_textMembers > 0, std::move(ids), json);
    Handoff::send(broadcast.get());
    emit published(broadcast);
}
