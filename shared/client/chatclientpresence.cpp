// SPDX-License-Identifier: MIT
// ChatClient's presence (docs/protocol.md, "Presence"): saying away and
// back, who is away with what message, and this user's own away, which
// the server forgets with the connection and the client says again.
#include "chatclientprivate.h"

#include "nicklist.h"
#include "validation.h"

using namespace Protocol;

// ---- requests ----

QString ChatClient::setAway(const QString &message)
{
    const Validation::TopicResult checked = Validation::checkAwayMessage(message);
    if (!checked.isValid())
        return Validation::describeAwayMessage(checked);
    if (!d->sendRequest(SetAway{checked.topic}))
        return tr("Not connected: you can say you are away after reconnecting.");
    return {};
}

QString ChatClient::setBack()
{
    if (!d->sendRequest(SetBack{}))
        return tr("Not connected: you can say you are back after reconnecting.");
    return {};
}

// ---- state ----

AwayMessages ChatClient::awayUsers() const
{
    return d->awayUsers;
}

bool ChatClient::isAway() const
{
    return d->ownAway.has_value();
}

QString ChatClient::awayMessage() const
{
    return d->ownAway.value_or(QString());
}

// ---- incoming frames ----

void ChatClient::Private::setAwayUsers(const AwayMessages &away)
{
    if (away == awayUsers)
        return;
    awayUsers = away;
    emit q->awayUsersChanged(awayUsers);
}

void ChatClient::Private::handle(const Away &f)
{
    if (NickList::same(f.nick, nick))
        ownAway = f.message;
    emit q->userAway(f);
    AwayMessages away = awayUsers;
    away.insert(f.nick, f.message);
    setAwayUsers(away);
}

void ChatClient::Private::handle(const Back &f)
{
    if (NickList::same(f.nick, nick))
        ownAway.reset();
    emit q->userBack(f);
    AwayMessages away = awayUsers;
    away.remove(f.nick);
    setAwayUsers(away);
}

void ChatClient::Private::restoreAway()
{
    // A new connection is not away (the server keeps presence per
    // connection): say so again if this user was. Behind the rooms a resume
    // waits for, like everything the outbox holds.
    if (ownAway && !NickList::contains(awayUsers.keys(), nick))
        sendRequest(SetAway{*ownAway});
}
