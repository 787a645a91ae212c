// SPDX-License-Identifier: MIT
#include "roomdirectorymodel.h"

#include "validation.h"

using namespace Protocol;

RoomDirectoryModel::RoomDirectoryModel(QObject *parent) : QAbstractListModel(parent)
{}

RoomDirectoryModel::~RoomDirectoryModel() = default;

void RoomDirectoryModel::setList(const RoomList &list)
{
    beginResetModel();
    m_rooms = list.rooms;
    m_keys.clear();
    for (const RoomInfo &room : std::as_const(m_rooms))
        m_keys.append(Validation::roomKey(room.room));
    endResetModel();
}

int RoomDirectoryModel::indexOf(const QString &room) const
{
    return int(m_keys.indexOf(Validation::roomKey(room)));
}

int RoomDirectoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rooms.size());
}

QVariant RoomDirectoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RoomInfo &room = m_rooms.at(index.row());
    switch (role) {
    case Qt::DisplayRole: {
        const QString head = tr("%1 (%n user(s))", nullptr, room.users).arg(room.room);
        return room.topic.isEmpty() ? head : tr("%1: %2").arg(head, room.topic);
    }
    case Qt::ToolTipRole:
        return room.topic;
    case NameRole:
        return room.room;
    case UsersRole:
        return room.users;
    case TopicRole:
        return room.topic;
    case KeyRole:
        return m_keys.at(index.row());
    default:
        return {};
    }
}

QHash<int, QByteArray> RoomDirectoryModel::roleNames() const
{
    return {{NameRole, "name"}, {UsersRole, "users"}, {TopicRole, "topic"}, {KeyRole, "key"}};
}
