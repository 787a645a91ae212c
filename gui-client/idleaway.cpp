// SPDX-License-Identifier: MIT
#include "idleaway.h"

#include "chatclient.h"
#include "nicklist.h"

#include <QCoreApplication>
#include <QEvent>

IdleAway::IdleAway(ChatClient *client, QObject *parent) : QObject(parent), m_client(client)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &IdleAway::goAway);
    // A away or back the user asked for is theirs: input no longer ends it.
    connect(m_client, &ChatClient::userAway, this, [this](const Protocol::Away &away) {
        if (NickList::same(away.nick, m_client->nick()) && away.message != idleMessage())
            m_automatic = false;
    });
    connect(m_client, &ChatClient::userBack, this, [this](const Protocol::Back &back) {
        if (NickList::same(back.nick, m_client->nick()))
            m_automatic = false;
    });
    QCoreApplication::instance()->installEventFilter(this);
}

IdleAway::~IdleAway()
{
    QCoreApplication::instance()->removeEventFilter(this);
}

void IdleAway::setIdleMsecs(int msecs)
{
    m_idleMsecs = std::max(0, msecs);
    if (m_idleMsecs == 0) {
        m_timer.stop();
        return;
    }
    m_timer.start(m_idleMsecs);
}

QString IdleAway::idleMessage()
{
    return tr("Idle");
}

bool IdleAway::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::KeyPress:
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

void IdleAway::goAway()
{
    // Already away (by hand, or from before a reconnect): nothing to add.
    if (m_client->state() != ChatClient::State::Online || m_client->isAway())
        return;
    if (m_client->setAway(idleMessage()).isEmpty())
        m_automatic = true;
}

void IdleAway::onInput()
{
    if (m_idleMsecs > 0)
        m_timer.start(m_idleMsecs);
    if (!m_automatic)
        return;
    m_automatic = false;
    if (m_client->isAway())
        m_client->setBack();
}
