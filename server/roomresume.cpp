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

Wire::ConnectionId Room::resumedHolder(const Requester &from, const Hello &hello) const
{
    if (hello.resume.isEmpty())
        return 0;
    const Validation::NickResult checked = Validation::checkNick(hello.nick);
    if (!checked.isValid())
        return 0;
    const QString key = Validation::nickKey(checked.nick);
    const Wire::ConnectionId holder = m_idByKey.value(key);
    // A holder still waiting for its welcome has not been given a token yet.
    if (holder == 0 || holder == from.id || m_members.value(holder).awaitingWelcome)
        return 0;
    return m_backend->resumable(key, ResumeToken::hash(hello.resume)) ? holder : 0;
}

void Room::dropResumed(Wire::ConnectionId holder)
{
    // A copy: removeMember() erases the entry.
    const Member old = m_members.value(holder);
    qCInfo(lcRoom).noquote() << old.nick << "is taken back with its resume token by a new connection";
    // To the others it is a lost connection, which is what happened; the
    // new connection's `joined` follows at once.
    removeMember(holder, LeaveReason::Disconnected, {});
    old.channel->queueClose(holder, Wire::encode(old.mode, ServerBye{kResumedByeReason.toString()}, old.nick));
}
