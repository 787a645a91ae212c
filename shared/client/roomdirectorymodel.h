// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QAbstractListModel>
#include <QList>

// The server's rooms as a `rooms` answer lists them (#lobby included,
// sorted like nicknames): name, member count and topic, for a front end's
// "join a room" list. Each answer replaces the rows.
class RoomDirectoryModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomDirectoryModel)

public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        UsersRole, // int: members
        TopicRole,
        KeyRole, // Validation::roomKey, for comparing with what a user typed
    };
    Q_ENUM(Role)

    explicit RoomDirectoryModel(QObject *parent = nullptr);
    ~RoomDirectoryModel() override;

    void setList(const Protocol::RoomList &list);
    // The row of `room` compared as the server compares rooms, or -1.
    int indexOf(const QString &room) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    // DisplayRole: "#dev (2 users): release on Friday", translated.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<Protocol::RoomInfo> m_rooms;
    QStringList m_keys;
};
