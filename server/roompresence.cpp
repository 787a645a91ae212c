// SPDX-License-Identifier: MIT
// Room's presence requests (docs/protocol.md, "Presence"): `away` and
// `back`. Away state lives in the Roster, which follows the backend's events,
// so with --redis every instance lists the same users as away.
#include "room.h"

#include "frametypename.h"
#include "timestamp.h"
#include "validation.h"

using namespace Qt::StringLiterals;
using namespace Protocol;

void Room::away(const Requester &from, const SetAway &away)
{
    const Validation::TopicResult checked = Validation::checkAwayMessage(away.message);
    if (!checked.isValid()) {
        reply(from, Error{ErrorCode::TextInvalid, Validation::describeAwayMessage(checked), typeName<SetAway>()});
        return;
    }
    const Away event{from.nick, checked.topic, Timestamp::now()};
    // Nothing changes for the others: the asker alone hears it is so.
    if (m_roster.awayMessage(Validation::nickKey(from.nick)) == checked.topic) {
        reply(from, event);
        return;
    }
    share(from, event, typeName<SetAway>());
}

void Room::back(const Requester &from)
{
    const Back event{from.nick, Timestamp::now()};
    if (!m_roster.awayMessage(Validation::nickKey(from.nick))) {
        reply(from, event);
        return;
    }
    share(from, event, typeName<SetBack>());
}

void Room::applyPresence(const ServerFrame &frame)
{
    if (const auto *away = std::get_if<Away>(&frame))
        m_roster.setAway(Validation::nickKey(away->nick), away->message);
    else if (const auto *back = std::get_if<Back>(&frame))
        m_roster.clearAway(Validation::nickKey(back->nick));
}
