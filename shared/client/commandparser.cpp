// SPDX-License-Identifier: MIT
#include "commandparser.h"

#include "commandgrammar.h"
#include "validation.h"

#include <QCoreApplication>

#include <optional>

using namespace Protocol;

namespace CommandParser {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CommandParser", text);
}

QString usageText(CommandGrammar::Command command)
{
    return tr("Usage: %1").arg(CommandGrammar::usage(command));
}

// A room the user named; empty stays empty (the current room).
std::optional<QString> checkedRoom(const QString &room, QString &why)
{
    if (room.isEmpty())
        return room;
    const Validation::RoomResult result = Validation::checkRoom(room);
    if (!result.isValid()) {
        why = Validation::describe(result);
        return std::nullopt;
    }
    return result.room;
}

// The rooms' requests as they will be sent, or why they cannot be.
std::optional<Command> checkedRoomRequest(const ClientFrame &frame)
{
    QString why;
    if (const auto *join = std::get_if<Join>(&frame)) {
        const std::optional<QString> room = checkedRoom(join->room, why);
        return room ? Command{ClientFrame{Join{*room}}} : Command{Invalid{why}};
    }
    if (const auto *part = std::get_if<Part>(&frame)) {
        const std::optional<QString> room = checkedRoom(part->room, why);
        if (!room)
            return Invalid{why};
        if (part->message.isEmpty())
            return ClientFrame{Part{*room, {}}};
        const Validation::TextResult text = Validation::checkText(part->message);
        if (!text.isValid())
            return Invalid{Validation::describe(text)};
        return ClientFrame{Part{*room, text.text}};
    }
    if (const auto *topic = std::get_if<SetTopic>(&frame)) {
        const std::optional<QString> room = checkedRoom(topic->room, why);
        if (!room)
            return Invalid{why};
        const Validation::TopicResult text = Validation::checkTopic(topic->topic);
        if (!text.isValid())
            return Invalid{Validation::describe(text)};
        return ClientFrame{SetTopic{*room, text.topic}};
    }
    if (const auto *who = std::get_if<Who>(&frame)) {
        const std::optional<QString> room = checkedRoom(who->room, why);
        return room ? Command{ClientFrame{Who{*room}}} : Command{Invalid{why}};
    }
    return std::nullopt;
}

// The request as it will be sent, or why it cannot be.
Command checked(const ClientFrame &frame)
{
    if (const auto *say = std::get_if<Say>(&frame)) {
        const Validation::TextResult text = Validation::checkText(say->text);
        if (!text.isValid())
            return Invalid{Validation::describe(text)};
        return ClientFrame{Say{text.text, say->action, say->room}};
    }
    if (std::optional<Command> roomRequest = checkedRoomRequest(frame))
        return *std::move(roomRequest);
    if (const auto *whisper = std::get_if<Whisper>(&frame)) {
        const Validation::NickResult nick = Validation::checkNick(whisper->to);
        if (!nick.isValid())
            return Invalid{Validation::describe(nick)};
        const Validation::TextResult text = Validation::checkText(whisper->text);
        if (!text.isValid())
            return Invalid{Validation::describe(text)};
        return ClientFrame{Whisper{nick.nick, text.text}};
    }
    if (const auto *nick = std::get_if<Nick>(&frame)) {
        const Validation::NickResult checkedNick = Validation::checkNick(nick->nick);
        if (!checkedNick.isValid())
            return Invalid{Validation::describe(checkedNick)};
        return ClientFrame{Nick{checkedNick.nick}};
    }
    return frame;
}

} // namespace

Command parse(const QString &line)
{
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty())
        return Empty{};
    const CommandGrammar::Result result = CommandGrammar::parse(trimmed);
    if (const auto *frame = std::get_if<ClientFrame>(&result))
        return checked(*frame);
    if (std::holds_alternative<CommandGrammar::Help>(result))
        return Help{};
    if (std::holds_alternative<CommandGrammar::ShowTopic>(result))
        return ShowTopic{};
    if (const auto *usage = std::get_if<CommandGrammar::Usage>(&result))
        return Invalid{usageText(usage->command)};
    const QString word = std::get<CommandGrammar::Unknown>(result).word;
    return Invalid{tr("Unknown command /%1. Type /help for the list of commands.").arg(word)};
}

QString helpText()
{
    return tr("Commands:") + u'\n' + CommandGrammar::helpRows().join(u'\n') + u'\n' +
           tr("Anything else is a message to the room you are in (#lobby at first: everyone); start it with // "
              "to send a text that begins with /.");
}

} // namespace CommandParser
