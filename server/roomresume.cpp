// SPDX-License-Identifier: MIT
// Room's part that lets a client take its nickname back with the resume
// token of its last `welcome` (docs/protocol.md, "Taking a nickname back"):
// a client whose old connection is half dead (no FIN, no RST yet) would
// otherwise get nick-taken until keepalive or the idle deadline noticed.
#include "room.h"

#include "resumetoken.h"
#include "validation.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_DECLARE_LOGGING_CATEGORY(lcRoom)

Room::Resumption Room::resumptionFor(const Requester &from, const Hello &hello)
{
    if (hello.resume.isEmpty())
        return {};
    const Validation::NickResult checked = Validation::checkNick(hello.nick);
    if (!checked.isValid())
        return {};
    const QString key = Validation::nickKey(checked.nick);
    const Wire::ConnectionId holder = m_idByKey.value(key);
    if (holder == 0) {
        // Held by another server (alive, or dead and not yet reaped): its
        // claim moves here in one step if the token matches (RoomBackend::takeOver).
        return Resumption{0, m_roster.contains(key)};
    }
    // A holder still waiting for its welcome has not been given a token yet.
    if (holder == from.id || m_members.value(holder).awaitingWelcome)
        return {};
    // Judged here, without a round trip: the backend keeps this same
    // token's hash with the claim (a rename moves it along), and a take-over
    // through another server kicks the holder here (applyResumedKick).
    const QString &token = m_members.value(holder).resumeToken;
    if (token.isEmpty() || ResumeToken::hash(token) != ResumeToken::hash(hello.resume))
        return {};
    return Resumption{holder, false};
}

void Room::dropResumed(Wire::ConnectionId holder, const std::function<void()> &thenClaim)
{
    // A copy: removeMember() erases the entry.
    const Member old = m_members.value(holder);
    qCInfo(lcRoom).noquote() << old.nick << "is taken back with its resume token by a new connection";
    // Told first: the release may be answered at once, and the claim follows it.
    old.channel->queueClose(holder, Wire::encode(old.mode, ServerBye{kResumedByeReason.toString()}, old.nick));
    // To the others it is a lost connection, which is what happened; the
    // new connection's `joined` follows its release.
    removeMember(holder, LeaveReason::Disconnected, {}, {}, thenClaim);
}

void Room::applyResumedKick(const RoomBackend::Event &event)
{
    const Wire::ConnectionId holder = m_idByKey.value(event.target);
    // On the resuming server the nickname already names the new connection.
    if (holder == 0 || holder == event.from)
        return;
    dropResumed(holder);
}
