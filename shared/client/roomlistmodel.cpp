// SPDX-License-Identifier: MIT
#include "roomlistmodel.h"

#include "chatclient.h"
#include "validation.h"

#include <algorithm>

using namespace Protocol;

namespace {

// A nickname is letters, digits, '_', '-' and '.'; a mention is the name
// not glued to more of them.
bool isNickCharacter(QChar c)
{
    return c.isLetterOrNumber() || c.isMark() || c == u'_' || c == u'-';
}

} // namespace

RoomListModel::RoomListModel(QObject *parent) : QAbstractListModel(parent), m_current(lobby())
{}

RoomListModel::~RoomListModel() = default;

void RoomListModel::follow(ChatClient *client)
{
    connect(client, &ChatClient::roomsChanged, this, &RoomListModel::setRooms);
    connect(client, &ChatClient::roomEntered, this, [this](const RoomState &room) { setTopic(room.room, room.topic); });
    connect(client, &ChatClient::topicChanged, this,
            [this](const TopicChanged &topic) { setTopic(topic.room, topic.topic); });
    connect(client, &ChatClient::messageReceived, this,
            [this, client](const ChatMessage &message) { addMessage(message, client->nick()); });
    setRooms(client->rooms());
    for (const QString &room : client->rooms())
        setTopic(room, client->topic(room));
}

void RoomListModel::setRooms(const QStringList &rooms)
{
    const int before = count();
    QStringList keys;
    for (const QString &room : rooms)
        keys.append(Validation::roomKey(room));
    // Gone rooms first, then each wanted room in place: moved or new.
    for (int row = count() - 1; row >= 0; --row) {
        if (keys.contains(m_rows.at(row).key))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    for (int row = 0; row < rooms.size(); ++row) {
        const int found = indexOf(rooms.at(row));
        if (found == row) {
            if (m_rows.at(row).name != rooms.at(row)) {
                m_rows[row].name = rooms.at(row);
                changed(row, {Qt::DisplayRole, NameRole});
            }
            continue;
        }
        if (found > row) {
            beginMoveRows({}, found, found, {}, row);
            m_rows.move(found, row);
            endMoveRows();
            continue;
        }
        beginInsertRows({}, row, row);
        m_rows.insert(row, Row{rooms.at(row), keys.at(row), {}, 0, false});
        endInsertRows();
    }
    if (count() != before)
        emit countChanged(count());
}

QStringList RoomListModel::rooms() const
{
    QStringList names;
    for (const Row &row : m_rows)
        names.append(row.name);
    return names;
}

void RoomListModel::setTopic(const QString &room, const QString &topic)
{
    const int row = indexOf(room);
    if (row < 0 || m_rows.at(row).topic == topic)
        return;
    m_rows[row].topic = topic;
    changed(row, {TopicRole, Qt::ToolTipRole});
}

void RoomListModel::addMessage(const ChatMessage &message, const QString &self)
{
    const int row = indexOf(message.room);
    if (row < 0 || row == indexOf(m_current) || Validation::nickKey(message.from) == Validation::nickKey(self))
        return;
    Row &target = m_rows[row];
    ++target.unread;
    QList<int> roles{UnreadRole};
    if (!target.mentioned && mentions(message.text, self)) {
        target.mentioned = true;
        roles.append(MentionedRole);
    }
    changed(row, roles);
}

void RoomListModel::setCurrentRoom(const QString &room)
{
    const QString next = roomOrLobby(room);
    if (Validation::roomKey(next) == Validation::roomKey(m_current))
        return;
    const int oldRow = indexOf(m_current);
    m_current = next;
    if (oldRow >= 0)
        changed(oldRow, {IsCurrentRole});
    const int newRow = indexOf(m_current);
    if (newRow >= 0)
        changed(newRow, {IsCurrentRole});
    markRead(m_current);
    emit currentRoomChanged(m_current);
}

void RoomListModel::markRead(const QString &room)
{
    const int row = indexOf(room);
    if (row < 0 || (m_rows.at(row).unread == 0 && !m_rows.at(row).mentioned))
        return;
    m_rows[row].unread = 0;
    m_rows[row].mentioned = false;
    changed(row, {UnreadRole, MentionedRole});
}

int RoomListModel::indexOf(const QString &room) const
{
    const QString key = Validation::roomKey(roomOrLobby(room));
    const auto it = std::find_if(m_rows.cbegin(), m_rows.cend(), [&key](const Row &row) { return row.key == key; });
    return it == m_rows.cend() ? -1 : int(it - m_rows.cbegin());
}

bool RoomListModel::mentions(const QString &text, const QString &nick)
{
    if (nick.isEmpty())
        return false;
    for (qsizetype at = text.indexOf(nick, 0, Qt::CaseInsensitive); at >= 0;
         at = text.indexOf(nick, at + 1, Qt::CaseInsensitive)) {
        const qsizetype end = at + nick.size();
        const bool startsWord = at == 0 || !isNickCharacter(text.at(at - 1));
        const bool endsWord = end == text.size() || !isNickCharacter(text.at(end));
        if (startsWord && endsWord)
            return true;
    }
    return false;
}

int RoomListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant RoomListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return row.name;
    case TopicRole:
    case Qt::ToolTipRole:
        return row.topic;
    case UnreadRole:
        return row.unread;
    case MentionedRole:
        return row.mentioned;
    case IsCurrentRole:
        return Validation::roomKey(row.name) == Validation::roomKey(m_current);
    default:
        return {};
    }
}

QHash<int, QByteArray> RoomListModel::roleNames() const
{
    return {{NameRole, "name"},
            {TopicRole, "topic"},
            {UnreadRole, "unread"},
            {MentionedRole, "mentioned"},
            {IsCurrentRole, "isCurrent"}};
}

void RoomListModel::changed(int row, const QList<int> &roles)
{
    emit dataChanged(index(row), index(row), roles);
}
