// SPDX-License-Identifier: MIT
#include "conversationlistmodel.h"

#include "chatclient.h"
#include "eventtext.h"
#include "messagelogmodel.h"
#include "userlistmodel.h"
#include "validation.h"

#include <algorithm>

using namespace Protocol;
using namespace Qt::StringLiterals;

ConversationListModel::ConversationListModel(MessageLogModel *lobbyLog, UserListModel *lobbyUsers, QObject *parent)
    : QAbstractListModel(parent)
{
    Row lobbyRow;
    lobbyRow.name = lobby();
    lobbyRow.key = keyFor(lobbyRow.name);
    lobbyRow.log = lobbyLog;
    lobbyRow.users = lobbyUsers;
    m_rows.append(lobbyRow);
    m_currentKey = lobbyRow.key;
}

ConversationListModel::~ConversationListModel() = default;

void ConversationListModel::follow(ChatClient *client)
{
    m_client = client;
    connect(client, &ChatClient::roomsChanged, this, &ConversationListModel::syncRooms);
    connect(client, &ChatClient::roomEntered, this, &ConversationListModel::onRoomEntered);
    connect(client, &ChatClient::messageReceived, this, &ConversationListModel::onMessage);
    connect(client, &ChatClient::whisperReceived, this, &ConversationListModel::onWhisper);
    connect(client, &ChatClient::topicChanged, this, &ConversationListModel::onTopic);
    // The only way to learn #lobby's topic: `welcome` has none.
    connect(client, &ChatClient::roomListReceived, this, [this](const RoomList &list) {
        for (const RoomInfo &room : list.rooms) {
            const int row = indexOf(room.room);
            if (row >= 0 && !m_rows.at(row).direct && m_rows.at(row).topic != room.topic) {
                m_rows[row].topic = room.topic;
                changed(row, {TopicRole, Qt::ToolTipRole});
            }
        }
    });
    connect(client, &ChatClient::nickChanged, this, &ConversationListModel::onSelfRenamed);
    connect(client, &ChatClient::registered, this, [this](const Welcome &welcome) {
        onSelfRenamed(welcome.nick);
        countMissed(0, welcome.history);
    });
    connect(client, &ChatClient::userRenamed, this, &ConversationListModel::onRenamed);
    connect(client, &ChatClient::roomUsersChanged, this, [this](const QString &room, const QStringList &users) {
        const int row = indexOf(room);
        if (row > 0 && !m_rows.at(row).direct)
            m_rows.at(row).users->setUsers(users);
    });
    connect(client, &ChatClient::operatorsChanged, this, [this](const QStringList &operators) {
        for (const Row &row : std::as_const(m_rows))
            row.users->setOperators(operators);
    });
    connect(client, &ChatClient::awayUsersChanged, this, [this](const AwayMessages &away) {
        for (const Row &row : std::as_const(m_rows))
            row.users->setAwayUsers(away);
    });
    const auto inRoom = [this](const QString &room) -> MessageLogModel * {
        const int row = room.isEmpty() || EventText::isLobby(room) ? -1 : indexOf(room);
        return row > 0 && !m_rows.at(row).direct ? m_rows.at(row).log : nullptr;
    };
    connect(client, &ChatClient::userJoined, this, [inRoom](const Joined &joined) {
        if (MessageLogModel *log = inRoom(joined.room))
            log->appendJoined(joined);
    });
    connect(client, &ChatClient::userLeft, this, [this, inRoom](const Left &left) {
        if (MessageLogModel *log = inRoom(left.room)) {
            log->appendLeft(left);
            return;
        }
        // Gone from the server: tell the rooms (and the direct conversation) they were in.
        if (!left.room.isEmpty())
            return;
        for (int row = 1; row < m_rows.size(); ++row) {
            if (m_rows.at(row).users->indexOf(left.nick) >= 0)
                m_rows.at(row).log->appendLeft(left);
        }
    });
    onSelfRenamed(client->nick());
    syncRooms(client->rooms());
}

void ConversationListModel::setScrollback(int rows)
{
    m_scrollback = rows;
    for (const Row &row : std::as_const(m_rows))
        row.log->setScrollback(rows);
}

QString ConversationListModel::keyFor(const QString &name)
{
    return name.startsWith(u'#') ? Validation::roomKey(name) : Validation::nickKey(name);
}

int ConversationListModel::indexOf(const QString &name) const
{
    const QString key = keyFor(name.isEmpty() ? lobby() : name);
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).key == key)
            return row;
    }
    return -1;
}

QString ConversationListModel::name(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).name : QString();
}

bool ConversationListModel::isDirect(int row) const
{
    return row >= 0 && row < m_rows.size() && m_rows.at(row).direct;
}

QString ConversationListModel::topic(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).topic : QString();
}

MessageLogModel *ConversationListModel::log(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).log : nullptr;
}

UserListModel *ConversationListModel::users(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).users : nullptr;
}

int ConversationListModel::unread(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).unread : 0;
}

bool ConversationListModel::isMentioned(int row) const
{
    return row >= 0 && row < m_rows.size() && m_rows.at(row).mentioned;
}

int ConversationListModel::openDirect(const QString &nick)
{
    const int existing = indexOf(nick);
    if (existing >= 0)
        return existing;
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(makeRow(nick, true));
    endInsertRows();
    return row;
}

void ConversationListModel::closeDirect(int row)
{
    if (isDirect(row))
        removeRow(row);
}

void ConversationListModel::setCurrent(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    const int previous = current();
    m_currentKey = m_rows.at(row).key;
    m_rows[row].unread = 0;
    m_rows[row].mentioned = false;
    if (previous != row && previous >= 0)
        changed(previous, {IsCurrentRole});
    changed(row, {IsCurrentRole, UnreadRole, MentionedRole});
    if (previous != row)
        emit currentChanged(row);
}

int ConversationListModel::current() const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).key == m_currentKey)
            return row;
    }
    return 0;
}

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return row.name;
    case Qt::ToolTipRole:
    case TopicRole:
        return row.topic;
    case KeyRole:
        return row.key;
    case IsDirectRole:
        return row.direct;
    case UnreadRole:
        return row.unread;
    case MentionedRole:
        return row.mentioned;
    case IsCurrentRole:
        return row.key == m_currentKey;
    default:
        return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return {{NameRole, "name"},          {KeyRole, "key"},       {IsDirectRole, "isDirect"},
            {TopicRole, "topic"},        {UnreadRole, "unread"}, {MentionedRole, "mentioned"},
            {IsCurrentRole, "isCurrent"}};
}

int ConversationListModel::roomCount() const
{
    int count = 0;
    while (count < m_rows.size() && !m_rows.at(count).direct)
        ++count;
    return count;
}

int ConversationListModel::ensureRoom(const QString &room)
{
    const int existing = indexOf(room);
    if (existing >= 0)
        return existing;
    const int row = roomCount();
    beginInsertRows({}, row, row);
    m_rows.insert(row, makeRow(room, false));
    endInsertRows();
    return row;
}

ConversationListModel::Row ConversationListModel::makeRow(const QString &name, bool direct)
{
    Row row;
    row.name = name;
    row.key = keyFor(name);
    row.direct = direct;
    row.log = new MessageLogModel(this);
    if (m_scrollback > 0)
        row.log->setScrollback(m_scrollback);
    row.users = new UserListModel(this);
    const QString self = m_client ? m_client->nick() : QString();
    row.log->setSelf(self);
    row.users->setSelf(self);
    if (m_client) {
        row.users->setOperators(m_client->operators());
        row.users->setAwayUsers(m_client->awayUsers());
    }
    if (direct)
        row.users->setUsers(QStringList{self, name});
    return row;
}

void ConversationListModel::removeRow(int row)
{
    if (row <= 0 || row >= m_rows.size())
        return;
    const bool wasCurrent = m_rows.at(row).key == m_currentKey;
    if (wasCurrent)
        setCurrent(0);
    beginRemoveRows({}, row, row);
    const Row gone = m_rows.takeAt(row);
    endRemoveRows();
    // Views may still hold them until the current event is done.
    gone.log->deleteLater();
    gone.users->deleteLater();
}

void ConversationListModel::syncRooms(const QStringList &rooms)
{
    for (int row = roomCount() - 1; row > 0; --row) {
        const QString key = m_rows.at(row).key;
        const bool kept =
            std::any_of(rooms.cbegin(), rooms.cend(), [&key](const QString &room) { return keyFor(room) == key; });
        if (!kept)
            removeRow(row);
    }
    for (const QString &room : rooms) {
        const int row = ensureRoom(room);
        if (m_rows.at(row).name != room) { // spelled as the server spells it
            m_rows[row].name = room;
            changed(row, {NameRole});
        }
    }
}

void ConversationListModel::onRoomEntered(const RoomState &room)
{
    const int row = ensureRoom(room.room);
    Row &r = m_rows[row];
    r.users->setUsers(room.users);
    if (r.topic != room.topic) {
        r.topic = room.topic;
        changed(row, {TopicRole});
    }
    if (row == 0)
        return; // #lobby's history comes with `welcome`
    countMissed(row, room.history);
    const bool first = r.log->rowCount() == 0;
    r.log->mergeHistory(room.history);
    if (first)
        r.log->appendNotice(EventText::roomEnteredSentence(room));
    if (room.truncated)
        r.log->appendNotice(EventText::historyTruncatedSentence());
}

void ConversationListModel::onMessage(const ChatMessage &message)
{
    const int row = indexOf(message.room.isEmpty() ? lobby() : message.room);
    if (row < 0)
        return;
    // #lobby's log is fed by ChatFeed.
    if (row > 0 && !m_rows.at(row).log->appendMessage(message))
        return;
    m_rows[row].lastId = std::max(m_rows.at(row).lastId, message.id);
    countUnread(row, message.from, message.text);
}

void ConversationListModel::countMissed(int row, const QList<ChatMessage> &history)
{
    const bool resuming = m_rows.at(row).entered;
    m_rows[row].entered = true;
    for (const ChatMessage &message : history) {
        if (message.id <= m_rows.at(row).lastId)
            continue;
        m_rows[row].lastId = message.id;
        if (resuming)
            countUnread(row, message.from, message.text);
    }
}

void ConversationListModel::onWhisper(const WhisperMessage &whisper)
{
    const QString self = m_client ? m_client->nick() : QString();
    const bool own = Validation::nickKey(whisper.from) == Validation::nickKey(self);
    const int row = openDirect(own ? whisper.to : whisper.from);
    m_rows.at(row).log->appendWhisper(whisper);
    countUnread(row, whisper.from, whisper.text);
}

void ConversationListModel::onTopic(const TopicChanged &topic)
{
    const int row = indexOf(topic.room);
    if (row < 0)
        return;
    m_rows[row].topic = topic.topic;
    changed(row, {TopicRole, Qt::ToolTipRole});
    m_rows.at(row).log->appendNotice(EventText::topicSentence(topic), topic.ts);
}

void ConversationListModel::onSelfRenamed(const QString &nick)
{
    for (int row = 1; row < m_rows.size(); ++row) {
        const Row &r = m_rows.at(row);
        r.log->setSelf(nick);
        r.users->setSelf(nick);
        if (r.direct)
            r.users->setUsers(QStringList{nick, r.name});
    }
}

void ConversationListModel::onRenamed(const Renamed &renamed)
{
    const int row = indexOf(renamed.from);
    if (row < 0 || !m_rows.at(row).direct || indexOf(renamed.to) >= 0)
        return;
    Row &r = m_rows[row];
    const bool wasCurrent = r.key == m_currentKey;
    r.name = renamed.to;
    r.key = keyFor(renamed.to);
    if (wasCurrent)
        m_currentKey = r.key;
    r.users->setUsers(QStringList{m_client ? m_client->nick() : QString(), r.name});
    r.log->appendRenamed(renamed);
    changed(row, {NameRole, KeyRole});
}

void ConversationListModel::countUnread(int row, const QString &from, const QString &text)
{
    const QString self = m_client ? m_client->nick() : QString();
    if (Validation::nickKey(from) == Validation::nickKey(self))
        return;
    Row &r = m_rows[row];
    const bool mention = MessageLogModel::mentions(text, self);
    emit messageArrived(row, from, text, mention, r.direct);
    if (r.key == m_currentKey)
        return;
    ++r.unread;
    // In a direct conversation everything is addressed to the user.
    r.mentioned = r.mentioned || mention || r.direct;
    changed(row, {UnreadRole, MentionedRole});
}

void ConversationListModel::changed(int row, const QList<int> &roles)
{
    const QModelIndex at = index(row);
    emit dataChanged(at, at, roles);
}
