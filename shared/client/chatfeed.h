// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class ChatClient;
class MessageLogModel;
class UserListModel;

// Feeds what a ChatClient reports into the two models the window shows:
// messages, whispers and events become rows of the MessageLogModel (the
// history of every (re)join merged without duplicates), the user list
// follows usersChanged. Widget-free, so it is tested without a window.
class ChatFeed final : public QObject
{
    Q_OBJECT

public:
    ChatFeed(ChatClient *client, MessageLogModel *log, UserListModel *users, QObject *parent = nullptr);
    ~ChatFeed() override;

signals:
    // Someone else wrote something the user may want to be told about.
    void messageArrived(bool mentionsMe, bool isWhisper);

private:
    // `truncated`: the server could not send everything missed since the last message seen.
    void onRegistered(const QString &nick, int historyAdded, bool truncated);
    void onStateChanged();
    void onConnectionError(const QString &message);

    ChatClient *m_client;
    MessageLogModel *m_log;
    UserListModel *m_users;
    bool m_wasOnline = false;
    bool m_outageReported = false;
};
