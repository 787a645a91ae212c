// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QAbstractListModel>
#include <QList>
#include <QString>
#include <QStringList>

class ChatClient;

// The rooms one is in (#lobby first, then in joining order) for a front
// end's room list: each with its topic, the messages that arrived while
// another room was shown (unread), and whether one of them mentions the
// user's nickname. The room shown is the current room; its messages are
// read as they come.
//
// Fed by follow(ChatClient) or by hand (tests, a front end of its own).
class RoomListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomListModel)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(QString currentRoom READ currentRoom WRITE setCurrentRoom NOTIFY currentRoomChanged)

public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        TopicRole,
        UnreadRole,    // int: messages from others since the room was last current
        MentionedRole, // bool: one of them names the user (a whole word, any case)
        IsCurrentRole,
    };
    Q_ENUM(Role)

    explicit RoomListModel(QObject *parent = nullptr);
    ~RoomListModel() override;

    // Keeps the model in step with `client` (its rooms, topics and live
    // messages) from now on; the rooms it is in now are listed at once.
    void follow(ChatClient *client);

    // The rooms as ChatClient::rooms() lists them; rooms kept keep their
    // unread count, rows come and go as insertions and removals.
    void setRooms(const QStringList &rooms);
    QStringList rooms() const;
    int count() const { return int(m_rows.size()); }
    void setTopic(const QString &room, const QString &topic);
    // A live message: unread, and perhaps a mention, unless it is the
    // user's own (`self`) or its room is the current one.
    void addMessage(const Protocol::ChatMessage &message, const QString &self);

    // Empty: #lobby. Making a room current marks it read.
    void setCurrentRoom(const QString &room);
    QString currentRoom() const { return m_current; }
    void markRead(const QString &room);

    // The row of `room` compared as the server compares rooms, or -1.
    int indexOf(const QString &room) const;

    // Whether `text` names `nick` as a word of its own ("@alice:", not "malice").
    static bool mentions(const QString &text, const QString &nick);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged(int count);
    void currentRoomChanged(const QString &room);

private:
    struct Row {
        QString name;
        QString key; // Validation::roomKey
        QString topic;
        int unread = 0;
        bool mentioned = false;
    };

    void changed(int row, const QList<int> &roles);

    QList<Row> m_rows;
    QString m_current;
};
