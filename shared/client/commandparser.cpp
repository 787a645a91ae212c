// SPDX-License-Identifier: MIT
#include "commandparser.h"

#include "commandgrammar.h"
#include "validation.h"

#include <QCoreApplication>

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

// The request as it will be sent, or why it cannot be.
Command checked(const ClientFrame &frame)
{
    if (const auto *say = std::get_if<Say>(&frame)) {
        const Validation::TextResult text = Validation::checkText(say->text);
        if (!text.isValid())
            return Invalid{Validation::describe(text)};
        return ClientFrame{Say{text.text, say->action}};
    }
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
           tr("Anything else is a message to everyone; start it with // to send a text that begins with /.");
}

} // namespace CommandParser
