// SPDX-License-Identifier: MIT
#include "notificationpolicy.h"

#include "chatclient.h"
#include "conversationlistmodel.h"
#include "desktopnotifier.h"
#include "guilogging.h"
#include "notificationsettings.h"
#include "validation.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace {

// Notification bubbles show a few lines; the rest is in the window.
constexpr int kMaxBodyLength = 200;

QString shortened(const QString &text)
{
    if (text.size() <= kMaxBodyLength)
        return text;
    return text.left(kMaxBodyLength - 1) + u'…';
}

} // namespace

NotificationPolicy::NotificationPolicy(ChatClient *client, NotificationSettings *settings, QObject *parent)
    : QObject(parent), m_client(client), m_settings(settings), m_windowActive([] { return false; })
{}

NotificationPolicy::~NotificationPolicy() = default;

void NotificationPolicy::follow(ConversationListModel *conversations)
{
    connect(conversations, &ConversationListModel::messageArrived, this,
            [this, conversations](int row, const QString &from, const QString &text, bool mentionsMe, bool direct) {
                consider({conversations->name(row), from, text, mentionsMe, direct});
            });
}

void NotificationPolicy::setNotifier(DesktopNotifier *notifier)
{
    if (m_notifier)
        disconnect(m_notifier, nullptr, this, nullptr);
    m_notifier = notifier;
    if (m_notifier)
        connect(m_notifier, &DesktopNotifier::clicked, this, &NotificationPolicy::openRequested);
}

void NotificationPolicy::setWindowActive(std::function<bool()> isActive)
{
    m_windowActive = std::move(isActive);
}

bool NotificationPolicy::shouldNotify(const Arrival &arrival) const
{
    if (m_windowActive() || m_settings->doNotDisturb())
        return false;
    if (Validation::nickKey(arrival.from) == Validation::nickKey(m_client->nick()))
        return false;
    switch (m_settings->level(arrival.conversation)) {
    case NotificationLevel::AllMessages:
        return true;
    case NotificationLevel::MentionsOnly:
        // A whisper is addressed to the user by nature.
        return arrival.mentionsMe || arrival.direct;
    case NotificationLevel::Nothing:
        return false;
    }
    return false;
}

void NotificationPolicy::consider(const Arrival &arrival)
{
    if (!shouldNotify(arrival))
        return;
    if (m_pending.isEmpty())
        QTimer::singleShot(0, this, &NotificationPolicy::flush);
    m_pending.append(arrival);
}

void NotificationPolicy::flush()
{
    const QList<Arrival> pending = std::exchange(m_pending, {});
    // The window may have been activated, or Do-not-disturb turned on, since.
    if (pending.isEmpty() || !m_notifier || m_windowActive() || m_settings->doNotDisturb())
        return;
    const Arrival &last = pending.constLast();
    QString title;
    QString body;
    if (pending.size() > 1) {
        title = tr("%n new message(s)", nullptr, int(pending.size()));
        body = last.direct
                   ? tr("%1: %2", "the newest of several: who whispered what").arg(last.from, shortened(last.text))
                   : tr("%1 in %2: %3", "the newest of several: who wrote in which room what")
                         .arg(last.from, last.conversation, shortened(last.text));
    } else {
        title = last.direct ? tr("%1 whispers", "a notification's title: who whispered").arg(last.from)
                            : tr("%1 in %2", "a notification's title: who wrote in which room (bob in #dev)")
                                  .arg(last.from, last.conversation);
        body = shortened(last.text);
    }
    qCDebug(lcGuiNotify) << "notifying about" << pending.size() << "message(s), the last in" << last.conversation;
    if (m_notifier->canShow())
        m_notifier->show(title, body, last.conversation);
    m_notifier->alert();
}
