// SPDX-License-Identifier: MIT
// Room's nickname claims for a plain `hello`, answered later when the
// backend can (RoomBackend::startClaim; with --redis one pipelined FCALL
// whose reply is read on the event loop): a reconnect storm's hundred
// hellos are then no hundred round trips on the room's thread (issue #16).
//
// The order stays the room's one order because nothing is handled while a
// claim is in flight: RoomInbox stops at every request and leave after the
// hello (Room::mustWait) until the claim is answered, and whatever else
// would touch the backend first waits for the answer here (settleClaim():
// handle(), a flush of posts, a member removed, stop()). One thing is in
// flight at a time: the hello's handle() settled the posts before it, and a
// flush settles the claim. Requests are counted handled once the claim is
// answered (RoomInbox), as for posts: a worker answers a `ping` itself only
// after everything before it was answered.
#include "room.h"

#include "frametypename.h"
#include "validation.h"

using namespace Qt::StringLiterals;
using namespace Protocol;

void Room::claimForHello(const HelloClaim &claim)
{
    const QString key = Validation::nickKey(claim.nick);
    const QByteArray resumeHash = enterClaiming(claim.from, claim.nick, claim.hello.since);
    const auto answered = [this, claim](RoomBackend::Outcome outcome) {
        m_claimInFlight = false;
        answerClaim(claim, outcome);
    };
    if (m_backend->startClaim(key, claim.nick, claim.from.id, resumeHash, answered)) {
        m_claimInFlight = true;
        ++m_batchesStarted;
        return;
    }
    continueHello(claim, claimed(claim.from, claim.nick, m_backend->claim(key, claim.nick, claim.from.id, resumeHash)));
}

void Room::answerClaim(const HelloClaim &claim, RoomBackend::Outcome outcome)
{
    // RoomInbox holds the workers' wake-ups and counts the requests that
    // waited for this claim handled once its answers are queued.
    emit inFlightAnswering();
    continueHello(claim, claimed(claim.from, claim.nick, outcome));
    ++m_batchesAnswered;
    emit inFlightAnswered();
    // Queued by a caller that handled a `say` without waiting (not RoomInbox).
    if (!m_queuedPosts.isEmpty())
        scheduleFlush();
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

void Room::settleClaim()
{
    if (m_claimInFlight)
        m_backend->finishClaim();
    Q_ASSERT(!m_claimInFlight);
}
