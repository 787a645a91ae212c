// SPDX-License-Identifier: MIT
#include "roomswitcher.h"

#include "chatfeed.h"
#include "chatinput.h"
#include "conversationlistmodel.h"
#include "eventtext.h"
#include "findbar.h"
#include "guilogging.h"
#include "messagelogmodel.h"
#include "messageview.h"
#include "userlistmodel.h"
#include "userlistpanel.h"

using namespace Qt::StringLiterals;

RoomSwitcher::RoomSwitcher(ChatClient *client, ConversationListModel *conversations, ChatFeed *feed, const Panes &panes,
                           QObject *parent)
    : QObject(parent), m_client(client), m_conversations(conversations), m_feed(feed), m_panes(panes)
{
    connect(m_conversations, &ConversationListModel::currentChanged, this, &RoomSwitcher::show);
    connect(m_client, &ChatClient::roomEntered, this, [this](const Protocol::RoomState &room) {
        if (m_pendingRoom.isEmpty() || ConversationListModel::keyFor(room.room) != m_pendingRoom)
            return;
        m_pendingRoom.clear();
        m_conversations->setCurrent(m_conversations->indexOf(room.room));
    });
    connect(m_client, &ChatClient::roomListReceived, this, [this](const Protocol::RoomList &list) {
        if (!m_roomListAsked)
            return; // asked for the topics (registered) or by the join dialog
        m_roomListAsked = false;
        currentLog()->appendNotice(EventText::roomListLines(list).join(u'\n'));
    });
    // #lobby's topic comes only with the list of rooms.
    connect(m_client, &ChatClient::registered, this, [this] { m_client->requestRooms(); });
    connect(m_client, &ChatClient::usersChanged, this, &RoomSwitcher::updateNicks);
    connect(m_client, &ChatClient::roomUsersChanged, this, &RoomSwitcher::updateNicks);
    connect(m_client, &ChatClient::registered, this, &RoomSwitcher::updateNicks);
    m_feed->setWhispersShownApart(true);
    if (m_client->state() == ChatClient::State::Online)
        m_client->requestRooms(); // the window opens on the first `welcome`
    show(m_conversations->current());
}

RoomSwitcher::~RoomSwitcher() = default;

MessageLogModel *RoomSwitcher::currentLog() const
{
    return m_conversations->log(m_conversations->current());
}

ChatClient::InputResult RoomSwitcher::submit(const QString &line)
{
    const int row = m_conversations->current();
    if (!m_conversations->isDirect(row)) {
        const CommandParser::Command command = CommandParser::parse(line);
        if (const auto *join = CommandParser::request<Protocol::Join>(command))
            showRoomWhenEntered(join->room);
        if (CommandParser::request<Protocol::ListRooms>(command))
            m_roomListAsked = true; // /rooms: the answer is shown
        return m_client->submitCommand(command, m_conversations->name(row));
    }
    // "//text" is a text that starts with "/", as everywhere.
    const bool command = line.startsWith(u'/') && !line.startsWith(u"//"_s);
    if (command)
        return m_client->submitInput(line);
    const QString text = line.startsWith(u"//"_s) ? line.mid(1) : line;
    return m_client->submitInput(u"/msg %1 %2"_s.arg(m_conversations->name(row), text));
}

void RoomSwitcher::openDirect(const QString &nick)
{
    m_conversations->setCurrent(m_conversations->openDirect(nick));
}

void RoomSwitcher::showRoomWhenEntered(const QString &room)
{
    const int row = m_conversations->indexOf(room);
    if (row >= 0 && !m_conversations->isDirect(row)) {
        m_conversations->setCurrent(row);
        return;
    }
    m_pendingRoom = ConversationListModel::keyFor(room);
}

void RoomSwitcher::show(int row)
{
    MessageLogModel *log = m_conversations->log(row);
    if (!log)
        return;
    const QString key = m_conversations->data(m_conversations->index(row), ConversationListModel::KeyRole).toString();
    if (!m_shownKey.isEmpty() && key != m_shownKey)
        m_drafts.insert(m_shownKey, m_panes.input->text());
    if (key != m_shownKey)
        m_panes.input->setText(m_drafts.take(key));
    m_shownKey = key;
    qCDebug(lcGuiApp) << "showing" << m_conversations->name(row);
    m_panes.view->setLogModel(log);
    m_panes.view->scrollToNewest();
    m_panes.findBar->followViewModel();
    m_panes.users->setModel(m_conversations->users(row));
    m_feed->setNoticeLog(log);
    updateNicks();
}

void RoomSwitcher::updateNicks()
{
    const int row = m_conversations->current();
    if (m_conversations->isDirect(row))
        m_panes.input->setNicks({m_client->nick(), m_conversations->name(row)});
    else
        m_panes.input->setNicks(m_client->roomUsers(m_conversations->name(row)));
}
