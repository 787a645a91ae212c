// SPDX-License-Identifier: MIT
// Room's requests whose backend answer comes later when the backend can
// (RoomBackend::startClaim, startTakeOver, startSendTo, startShare; with
// --redis one pipelined FCALL whose reply is read on the event loop): a
// hello's nickname claim or take-over with its resume token, a text-mode
// guest's claim (Room::admitGuest), a whisper or kick, a shared event (op,
// mute, unmute, slow, away, back). A reconnect
// storm's hundred hellos, or a busy room's whispers, are then no round
// trips waited for on the room's thread (issue #16).
//
// The order stays the room's one order because nothing is handled while an
// answer is in flight: RoomInbox stops at every request and leave after it
// (Room::mustWait) until it is answered, and whatever else would touch the
// backend first waits for the answer here (settleAnswer(): handle(), a
// flush of posts, a member removed, stop()); a removal the backend says
// (a kick read back, a nickname lost) waits instead (Room::take). One thing is in flight at a
// time: the request's handle() settled the posts before it, and a flush
// settles the answer. Requests are counted handled once it is answered
// (RoomInbox), as for posts: a worker answers a `ping` itself only after
// everything before it was answered. What the answer does is what the
// synchronous call's caller did next: each caller ends with its request.
#include "room.h"

#include "frametypename.h"
#include "resumetoken.h"
#include "timestamp.h"
#include "validation.h"

#include <algorithm>
#include <memory>
#include <utility>

using namespace Qt::StringLiterals;
using namespace Protocol;

void Room::askBackend(const AnswerStart &start, const std::function<RoomBackend::Outcome()> &now,
                      const RoomBackend::OutcomeDone &answer, Overlap overlap)
{
    // One answer in flight, or only claims: a release removeMember() just
    // started (dropping a connection before its nickname is taken over) goes first.
    if (m_answersInFlight > m_claimsInFlight)
        settleAnswer();
    const bool isClaim = overlap == Overlap::WithClaims;
    // Asked from another answer (a guest's next number, a hello's claim
    // after its count, the release before it): the same request's batch,
    // counted handled once its last answer came.
    const std::shared_ptr<int> batch = m_answeringBatch ? m_answeringBatch : std::make_shared<int>(0);
    const auto answered = [this, answer, isClaim, batch](RoomBackend::Outcome outcome) {
        --m_answersInFlight;
        if (isClaim)
            --m_claimsInFlight;
        // RoomInbox holds the workers' wake-ups and counts the requests that
        // waited for this answer handled once its replies are queued.
        emit inFlightAnswering();
        std::shared_ptr<int> outer = std::exchange(m_answeringBatch, batch);
        answer(outcome);
        m_answeringBatch = std::move(outer);
        if (--*batch == 0)
            ++m_batchesAnswered;
        emit inFlightAnswered();
        // Queued by a caller that handled a `say` without waiting (not RoomInbox).
        if (!m_queuedPosts.isEmpty())
            scheduleFlush();
    };
    if (start(answered)) {
        ++m_answersInFlight;
        if (isClaim)
            ++m_claimsInFlight;
        if (++*batch == 1)
            ++m_batchesStarted;
        return;
    }
    // Answered in the order asked: those in flight first.
    settleAnswer();
    answer(now());
}

void Room::claimForHello(const HelloClaim &claim, Claiming claiming)
{
    const QString key = Validation::nickKey(claim.nick);
    // As it was known here before this claim: whom the take-over's `left` names.
    const QString holder = m_roster.nick(key);
    const QByteArray resumeHash = enterClaiming(claim.from, claim.nick, claim.hello.since);
    const auto answer = [this, claim](RoomBackend::Outcome outcome) {
        continueHello(claim, claimed(claim.from, claim.nick, outcome));
    };
    // Another hello may be claimed beside this one unless rooms follow it.
    const Overlap overlap = namesRooms(claim.hello) ? Overlap::Alone : Overlap::WithClaims;
    if (claiming == Claiming::Claim) {
        askBackend(
            [&](const RoomBackend::OutcomeDone &done) {
                return m_backend->startClaim(key, claim.nick, claim.from.id, resumeHash, done);
            },
            [&] { return m_backend->claim(key, claim.nick, claim.from.id, resumeHash); }, answer, overlap);
        return;
    }
    const QByteArray presented = ResumeToken::hash(claim.hello.resume);
    const Left left{holder, LeaveReason::Disconnected, Timestamp::now()};
    askBackend(
        [&](const RoomBackend::OutcomeDone &done) {
            return m_backend->startTakeOver(key, claim.nick, presented, resumeHash, left, claim.from.id, done);
        },
        [&] { return m_backend->takeOver(key, claim.nick, presented, resumeHash, left, claim.from.id); }, answer,
        overlap);
}

bool Room::namesRooms(const Hello &hello)
{
    return std::any_of(hello.rooms.cbegin(), hello.rooms.cend(),
                       [](const RoomRequest &request) { return Validation::roomKey(request.room) != lobby(); });
}

void Room::continueHello(const HelloClaim &claim, Admission admission)
{
    switch (admission) {
    case Admission::Admitted:
        joinHelloRooms(Requester{claim.from.id, claim.from.channel, claim.from.mode, claim.nick}, claim.rooms,
                       claim.hello);
        return;
    case Admission::Taken:
        reply(claim.from,
              Error{ErrorCode::NickTaken, u"the nickname %1 is taken"_s.arg(claim.nick), typeName<Hello>()});
        return;
    case Admission::Unavailable:
        replyUnavailable(claim.from, typeName<Hello>());
        return;
    }
}

void Room::sendToUser(const Requester &from, const std::pair<QString, QString> &to, RoomStream::Kind kind,
                      const ServerFrame &frame, const QString &ref)
{
    askBackend(
        [&](const RoomBackend::OutcomeDone &done) {
            return m_backend->startSendTo(to.first, kind, frame, from.id, done);
        },
        [&] { return m_backend->sendTo(to.first, kind, frame, from.id); },
        [this, from, nick = to.second, ref](RoomBackend::Outcome outcome) {
            switch (outcome) {
            case RoomBackend::Outcome::Done:
                return;
            case RoomBackend::Outcome::Refused: // gone since the roster said so
            case RoomBackend::Outcome::NotStored:
                reply(from, Error{ErrorCode::NoSuchUser, u"no user named %1"_s.arg(nick), ref});
                return;
            case RoomBackend::Outcome::Unavailable:
                replyUnavailable(from, ref);
                return;
            }
        });
}

void Room::share(const Requester &from, const ServerFrame &frame, const QString &ref)
{
    // Applied here when the backend says so (applyEvent), on every server.
    askBackend([&](const RoomBackend::OutcomeDone &done) { return m_backend->startShare(frame, done); },
               [&] { return m_backend->share(frame); },
               [this, from, ref](RoomBackend::Outcome outcome) {
                   if (outcome != RoomBackend::Outcome::Done)
                       replyUnavailable(from, ref);
               });
}

void Room::settleAnswer()
{
    if (m_answersInFlight > 0)
        m_backend->finishAnswer();
    Q_ASSERT(m_answersInFlight == 0);
}

bool Room::mayOverlapClaims(Wire::ConnectionId id, Wire::Mode mode, const Wire::Request *request) const
{
    // Only hellos' claims overlap, and only with each other: their answers
    // come in the order asked (one Redis connection), each touches only its
    // own connection, and a later request of that connection still waits
    // (it is a member from the claim on).
    if (m_answersInFlight != m_claimsInFlight || m_claimsInFlight >= kMaxClaimsInFlight)
        return false;
    if (m_postsInFlight || !m_queuedPosts.isEmpty() || !m_backend->overlapsClaims())
        return false;
    if (mode != Wire::Mode::Json || !request || m_members.contains(id))
        return false;
    const auto *frame = std::get_if<ClientFrame>(&request->body);
    const auto *hello = frame ? std::get_if<Hello>(frame) : nullptr;
    if (!hello)
        return false;
    // Rooms besides #lobby are counted and joined on the rooms' connection,
    // whose answers could overtake the claims': such a hello waits for them,
    // and is asked alone (claimForHello()).
    if (namesRooms(*hello))
        return false;
    // A token for a nickname an old connection here holds drops that
    // connection (Room::resumptionFor): after the answers.
    if (hello->resume.isEmpty())
        return true;
    const Validation::NickResult checked = Validation::checkNick(hello->nick);
    return !checked.isValid() || !m_idByKey.contains(Validation::nickKey(checked.nick));
}
