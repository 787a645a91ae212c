// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QObject>
#include <QString>

class ChatClient;
class QAction;
class QSettings;

// How much a conversation may interrupt: every message from others, only
// those that mention the user (a whisper always does), or nothing.
enum class NotificationLevel {
    AllMessages,
    MentionsOnly,
    Nothing,
};

// The user's notification choices, kept in chat-gui's settings: a level
// per server and conversation (group "notifications", key
// "HOST_PORT/CONVERSATION", the conversation's key), and the global
// Do-not-disturb. Without settings they last for the session.
class NotificationSettings final : public QObject
{
    Q_OBJECT

public:
    NotificationSettings(ChatClient *client, QSettings *settings, QObject *parent = nullptr);
    ~NotificationSettings() override;

    // Rooms ("#dev") interrupt for mentions only; direct conversations for everything.
    static NotificationLevel defaultLevel(const QString &conversation);
    // The level of a room or direct conversation on the server the client is on.
    NotificationLevel level(const QString &conversation) const;
    void setLevel(const QString &conversation, NotificationLevel level);

    bool doNotDisturb() const;
    void setDoNotDisturb(bool on);
    // A checkable action for the menus (the window's and the tray's), in step with doNotDisturb().
    QAction *doNotDisturbAction() const { return m_doNotDisturbAction; }

    // "qtchat keeps running in the tray" is said once, ever.
    bool trayNoticeShown() const;
    void setTrayNoticeShown();

signals:
    void levelChanged(const QString &conversation, NotificationLevel level);
    void doNotDisturbChanged(bool on);

private:
    QString levelKey(const QString &conversation) const;
    QVariant value(const QString &key) const;
    void setValue(const QString &key, const QVariant &value);

    ChatClient *m_client;
    QSettings *m_settings;
    QHash<QString, QVariant> m_session; // when there are no settings
    QAction *m_doNotDisturbAction;
};
