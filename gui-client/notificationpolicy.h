// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

class ChatClient;
class ConversationListModel;
class DesktopNotifier;
class NotificationSettings;

// Decides which messages become desktop notifications, and sends them to a
// DesktopNotifier: a message from someone else, while the window is not
// active, unless Do-not-disturb is on, as the conversation's level allows
// (everything, mentions and whispers, or nothing). What arrives in one
// event-loop turn (a burst, or what a reconnect brings) is one notification.
// Without a tray the taskbar alert is all there is.
class NotificationPolicy final : public QObject
{
    Q_OBJECT

public:
    struct Arrival {
        QString conversation; // as the sidebar names it: "#dev", or the other person
        QString from;
        QString text;
        bool mentionsMe = false;
        bool direct = false;
    };

    NotificationPolicy(ChatClient *client, NotificationSettings *settings, QObject *parent = nullptr);
    ~NotificationPolicy() override;

    // Considers every message of `conversations` from now on.
    void follow(ConversationListModel *conversations);
    void setNotifier(DesktopNotifier *notifier);
    DesktopNotifier *notifier() const { return m_notifier; }
    // Whether the user is looking at the window (the tests fake it: offscreen activation is unreliable).
    void setWindowActive(std::function<bool()> isActive);

    bool shouldNotify(const Arrival &arrival) const;
    // Notifies about `arrival` at the end of this event-loop turn, if it should.
    void consider(const Arrival &arrival);

signals:
    // The user clicked the notification about `conversation`.
    void openRequested(const QString &conversation);

private:
    void flush();

    ChatClient *m_client;
    NotificationSettings *m_settings;
    QPointer<DesktopNotifier> m_notifier;
    std::function<bool()> m_windowActive;
    QList<Arrival> m_pending;
};
