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
    using CommandGrammar::Command;
    switch (command) {
    case Command::Nick:
        return tr("Usage: /nick NAME");
    case Command::Msg:
        return tr("Usage: /msg NICK TEXT");
    case Command::Me:
        return tr("Usage: /me ACTION");
    case Command::Op:
        return tr("Usage: /op PASSWORD");
    case Command::Kick:
        return tr("Usage: /kick NICK [REASON]");
    case Command::Mute:
        return tr("Usage: /mute NICK [MINUTES] (0 minutes lifts the mute)");
    case Command::Unmute:
        return tr("Usage: /unmute NICK");
    case Command::Slow:
        return tr("Usage: /slow SECONDS (0 turns slow mode off)");
    case Command::Who:
    case Command::Help:
    case Command::Quit:
        break; // they take any argument
    }
    return {};
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
    if (const auto *usage = std::get_if<CommandGrammar::Usage>(&result))
        return Invalid{usageText(usage->command)};
    const QString word = std::get<CommandGrammar::Unknown>(result).word;
    return Invalid{tr("Unknown command /%1. Type /help for the list of commands.").arg(word)};
}

QString helpText()
{
    return tr("Commands:\n"
              "  /nick NAME        change your nickname\n"
              "  /msg NICK TEXT    send a private message to NICK\n"
              "  /me ACTION        tell everyone what you are doing\n"
              "  /who              list who is online\n"
              "  /help             show this help\n"
              "  /quit [REASON]    leave the chat\n"
              "Operators (after /op PASSWORD):\n"
              "  /kick NICK [REASON]    disconnect NICK\n"
              "  /mute NICK [MINUTES]   silence NICK (default 10 minutes; 0 lifts it)\n"
              "  /unmute NICK           lift a mute\n"
              "  /slow SECONDS          one message per SECONDS per user (0 turns it off)\n"
              "Anything else is a message to everyone; start it with // to send a text that begins with /.");
}

} // namespace CommandParser
