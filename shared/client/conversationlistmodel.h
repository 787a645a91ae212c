// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QAbstractListModel>
#include <QList>
#include <QString>

class ChatClient;
class MessageLogModel;
class UserListModel;

// What chat-gui's sidebar lists: the rooms one is in (#lobby first, then in
// joining order) and then the direct conversations (whispers grouped by the
// other person, in the order they started). Each row owns its scrollback
// and its user list (a room's members; for a direct conversation the two
// people), except #lobby's, which ChatFeed fills and the caller owns.
//
// It counts unread messages from others per row, and whether one of them
// mentions the user; the current row's messages are read as they come.
// Rows are known by their key: a room's Validation::roomKey (starts with
// '#'), or the other person's Validation::nickKey for a direct conversation.
class ConversationListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConversationListModel)

public:
    enum Role {
        NameRole = Qt::UserRole + 1, // "#dev", or the other person's nick
        KeyRole,
        IsDirectRole,
        TopicRole,
        UnreadRole,    // int: messages from others since the row was last current
        MentionedRole, // bool: one of them names the user
        IsCurrentRole,
    };
    Q_ENUM(Role)

    ConversationListModel(MessageLogModel *lobbyLog, UserListModel *lobbyUsers, QObject *parent = nullptr);
    ~ConversationListModel() override;

    // Keeps the rows in step with `client` (rooms, members, topics, live
    // messages, whispers) from now on.
    void follow(ChatClient *client);
    void setScrollback(int rows);

    // The key a room or a nickname is known by.
    static QString keyFor(const QString &name);
    int indexOf(const QString &name) const; // -1 if there is no such row
    QString name(int row) const;
    bool isDirect(int row) const;
    QString topic(int row) const;
    MessageLogModel *log(int row) const;
    UserListModel *users(int row) const;
    int unread(int row) const;
    bool isMentioned(int row) const;

    // The direct conversation with `nick`, opened if needed; its row.
    int openDirect(const QString &nick);
    // Forgets a direct conversation (rooms go when one leaves them).
    void closeDirect(int row);

    // Makes `row` current (marked read). Leaving the current room makes #lobby current.
    void setCurrent(int row);
    int current() const;
    QString currentName() const { return name(current()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void currentChanged(int row);
    // Someone else wrote in row `row` (not necessarily the current one):
    // `from` wrote `text`, live or missed while the connection was down.
    void messageArrived(int row, const QString &from, const QString &text, bool mentionsMe, bool isDirect);

private:
    struct Row {
        QString name;
        QString key;
        bool direct = false;
        QString topic;
        int unread = 0;
        bool mentioned = false;
        // The newest message id seen, and whether the room was entered
        // before: what a resume brings beyond it was missed while away.
        qint64 lastId = 0;
        bool entered = false;
        MessageLogModel *log = nullptr;
        UserListModel *users = nullptr;
    };

    int roomCount() const;
    int ensureRoom(const QString &room);
    Row makeRow(const QString &name, bool direct);
    void removeRow(int row);
    void syncRooms(const QStringList &rooms);
    void onRoomEntered(const Protocol::RoomState &room);
    // The history of a `welcome` or `room`: on a resume, what arrived while
    // away counts as unread, as if it had come live.
    void countMissed(int row, const QList<Protocol::ChatMessage> &history);
    void onMessage(const Protocol::ChatMessage &message);
    void onWhisper(const Protocol::WhisperMessage &whisper);
    void onTopic(const Protocol::TopicChanged &topic);
    void onSelfRenamed(const QString &nick);
    void onRenamed(const Protocol::Renamed &renamed);
    void countUnread(int row, const QString &from, const QString &text);
    void changed(int row, const QList<int> &roles);

    ChatClient *m_client = nullptr;
    QList<Row> m_rows;
    QString m_currentKey;
    int m_scrollback = 0;
};
