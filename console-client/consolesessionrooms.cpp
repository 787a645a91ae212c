// SPDX-License-Identifier: MIT
// ConsoleSession's rooms: the current room, and the lines about rooms.
#include "consolesession.h"

#include "eventtext.h"
#include "frametypename.h"
#include "validation.h"

using namespace Qt::StringLiterals;
using namespace Protocol;

void ConsoleSession::wireRooms()
{
    ChatClient *c = m_client;
    connect(c, &ChatClient::roomEntered, this, [this](const RoomState &room) {
        // "You are in #dev …", its members, and what was said there (after a
        // reconnect: what was missed).
        m_output.system(EventText::systemLine(EventText::roomEnteredSentence(room)));
        m_output.system(EventText::systemLine(EventText::roomUserList(room.room, room.users)));
        for (const ChatMessage &message : room.history)
            m_output.event(EventText::renderMessage(message));
        if (room.truncated)
            m_output.system(EventText::systemLine(EventText::historyTruncatedSentence()));
        if (Validation::roomKey(room.room) == Validation::roomKey(m_currentRoom))
            setCurrentRoom(room.room); // as the server spells it
    });
    connect(c, &ChatClient::roomLeft, this, [this](const QString &room) {
        if (Validation::roomKey(room) == Validation::roomKey(m_currentRoom))
            setCurrentRoom(lobby());
    });
    connect(c, &ChatClient::topicChanged, this,
            [this](const TopicChanged &f) { m_output.event(EventText::render(f), TerminalStyle::Role::System); });
    connect(c, &ChatClient::roomListReceived, this,
            [this](const RoomList &list) { m_output.system(EventText::render(list)); });
    connect(c, &ChatClient::errorReceived, this, [this](const Error &error) {
        // The room /join made current could not be joined: back to #lobby.
        if (error.ref == typeName<Join>() && !m_client->isInRoom(m_currentRoom))
            setCurrentRoom(lobby());
    });
}

void ConsoleSession::followCurrentRoom(const CommandParser::Command &command, const ChatClient::InputResult &result)
{
    if (result.kind != ChatClient::InputResult::Kind::Sent)
        return;
    // At once rather than when the server answers, so the lines after a
    // /join go to the room joined, and those after a /part to #lobby.
    if (const auto *join = CommandParser::request<Protocol::Join>(command)) {
        const QString known = m_client->roomName(join->room);
        setCurrentRoom(known.isEmpty() ? join->room : known);
        return;
    }
    const auto *part = CommandParser::request<Protocol::Part>(command);
    if (part && (part->room.isEmpty() || Validation::roomKey(part->room) == Validation::roomKey(m_currentRoom)))
        setCurrentRoom(lobby());
}

void ConsoleSession::setCurrentRoom(const QString &room)
{
    const bool changed = Validation::roomKey(room) != Validation::roomKey(m_currentRoom);
    m_currentRoom = room;
    if (m_phase == Phase::Chatting && m_interactive)
        m_output.setChatPrompt(m_currentRoom + u"> "_s);
    if (changed && m_interactive)
        m_output.system(tr("* You are talking in %1 now.").arg(m_currentRoom));
}
