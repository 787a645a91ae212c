// SPDX-License-Identifier: MIT
#include "idleaway.h"

#include "chatclient.h"
#include "nicklist.h"

#include <QCoreApplication>
#include <QEvent>

#include <algorithm>

IdleAway::IdleAway(ChatClient *client, QObject *parent) : QObject(parent), m_client(client)
{
    m_lastInput = now();
    m_wake.setSingleShot(true);
    connect(&m_wake, &QTimer::timeout, this, &IdleAway::check);
    // An away or back the user asked for is theirs: input no longer ends it.
    connect(m_client, &ChatClient::userAway, this, [this](const Protocol::Away &away) {
        if (NickList::same(away.nick, m_client->nick()) && away.message != idleMessage())
            m_automatic = false;
    });
    connect(m_client, &ChatClient::userBack, this, [this](const Protocol::Back &back) {
        if (NickList::same(back.nick, m_client->nick()))
            m_automatic = false;
    });
    // Idle time that ran out while offline counts once the connection is back.
    connect(m_client, &ChatClient::stateChanged, this, [this] {
        if (m_client->state() == ChatClient::State::Online)
            check();
    });
    QCoreApplication::instance()->installEventFilter(this);
}

IdleAway::~IdleAway()
{
    QCoreApplication::instance()->removeEventFilter(this);
}

void IdleAway::setClock(Clock *clock)
{
    if (m_clock)
        disconnect(m_clock, &Clock::advanced, this, &IdleAway::check);
    m_clock = clock;
    if (m_clock)
        connect(m_clock, &Clock::advanced, this, &IdleAway::check);
    m_lastInput = now();
    check();
}

void IdleAway::setIdleMsecs(int msecs)
{
    m_idleMsecs = std::max(0, msecs);
    check();
}

QString IdleAway::idleMessage()
{
    return tr("Idle");
}

bool IdleAway::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::InputMethod: // Korean and other composed input
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
        onInput();
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

qint64 IdleAway::now() const
{
    return m_clock ? m_clock->now() : m_steady.now();
}

void IdleAway::check()
{
    if (m_idleMsecs == 0) {
        m_wake.stop();
        return;
    }
    const qint64 idleFor = now() - m_lastInput;
    if (idleFor < m_idleMsecs) {
        m_wake.start(int(m_idleMsecs - idleFor));
        return;
    }
    m_wake.stop(); // the next input arms it again
    goAway();
}

void IdleAway::goAway()
{
    // Already away (by hand, or from before a reconnect): nothing to add.
    // Offline: check() runs again when the connection is back.
    if (m_client->state() != ChatClient::State::Online || m_client->isAway())
        return;
    if (m_client->setAway(idleMessage()).isEmpty())
        m_automatic = true;
}

void IdleAway::onInput()
{
    m_lastInput = now();
    if (m_idleMsecs > 0 && !m_wake.isActive())
        m_wake.start(m_idleMsecs);
    if (!m_automatic)
        return;
    m_automatic = false;
    // Even before the server confirmed the away: it answers in order, so
    // the user ends up back either way.
    m_client->setBack();
}
