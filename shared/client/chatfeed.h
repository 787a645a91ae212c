// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QPointer>

class ChatClient;
class MessageLogModel;
class UserListModel;

// Feeds what a ChatClient reports about #lobby into the two models the
// window shows (other rooms: ConversationListModel): messages, whispers and
// events become rows of the MessageLogModel (the
// history of every (re)join merged without duplicates), the user list
// follows usersChanged. Widget-free, so it is tested without a window.
class ChatFeed final : public QObject
{
    Q_OBJECT

public:
    ChatFeed(ChatClient *client, MessageLogModel *log, UserListModel *users, QObject *parent = nullptr);
    ~ChatFeed() override;

    // Where notices and errors that belong to no room go (refusals,
    // connection news, moderation, /help): the conversation the user looks
    // at. nullptr: the log given to the constructor.
    void setNoticeLog(MessageLogModel *log);
    // Whispers are shown elsewhere (a direct conversation of their own,
    // ConversationListModel), not in this log.
    void setWhispersShownApart(bool apart);

signals:
    // Someone else wrote something the user may want to be told about.
    void messageArrived(bool mentionsMe, bool isWhisper);

private:
    // `truncated`: the server could not send everything missed since the last message seen.
    void onRegistered(const QString &nick, int historyAdded, bool truncated);
    void onStateChanged();
    void onConnectionError(const QString &message);

    ChatClient *m_client;
    MessageLogModel *notices() const;

    MessageLogModel *m_log;
    QPointer<MessageLogModel> m_noticeLog;
    UserListModel *m_users;
    bool m_whispersApart = false;
    bool m_wasOnline = false;
    bool m_outageReported = false;
};
