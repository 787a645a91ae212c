// SPDX-License-Identifier: MIT
#include "textcommand.h"

using namespace Qt::StringLiterals;

namespace TextCommand {
namespace {

// Splits "/cmd rest of line" into the command word and the rest.
std::pair<QString, QString> splitCommand(const QString &line)
{
    const qsizetype space = line.indexOf(u' ');
    if (space < 0)
        return {line.mid(1).toLower(), {}};
    return {line.mid(1, space - 1).toLower(), line.mid(space + 1).trimmed()};
}

Parsed usage(const QString &text)
{
    return {std::nullopt, {u"* usage: "_s + text}};
}

// A whole number >= 0, as the JSON frames take it.
std::optional<qint64> count(const QString &text)
{
    bool ok = false;
    const qint64 n = text.toLongLong(&ok);
    if (!ok || n < 0)
        return std::nullopt;
    return n;
}

Parsed moderationCommand(const QString &command, const QString &rest)
{
    const qsizetype space = rest.indexOf(u' ');
    const QString nick = space < 0 ? rest : rest.left(space);
    const QString argument = space < 0 ? QString() : rest.mid(space + 1).trimmed();
    if (command == u"op") {
        if (rest.isEmpty())
            return usage(u"/op PASSWORD"_s);
        return {Protocol::Op{rest}, {}};
    }
    if (command == u"kick") {
        if (nick.isEmpty())
            return usage(u"/kick NICK [REASON]"_s);
        return {Protocol::Kick{nick, argument}, {}};
    }
    if (command == u"mute") {
        if (nick.isEmpty())
            return usage(u"/mute NICK [MINUTES]"_s);
        if (argument.isEmpty())
            return {Protocol::Mute{nick, std::nullopt}, {}};
        const std::optional<qint64> minutes = count(argument);
        if (!minutes)
            return usage(u"/mute NICK [MINUTES]"_s);
        return {Protocol::Mute{nick, minutes}, {}};
    }
    if (command == u"unmute") {
        if (nick.isEmpty() || !argument.isEmpty())
            return usage(u"/unmute NICK"_s);
        return {Protocol::Unmute{nick}, {}};
    }
    // "slow"
    const std::optional<qint64> seconds = count(rest);
    if (!seconds)
        return usage(u"/slow SECONDS (0 turns slow mode off)"_s);
    return {Protocol::Slow{*seconds}, {}};
}

} // namespace

QStringList helpLines()
{
    // /quit stays the last line: clients and tests read the help up to it.
    return {
        u"* Type a line and press Enter to talk to everyone. Commands:"_s,
        u"*   /nick NAME       change your nickname"_s,
        u"*   /msg NICK TEXT   whisper to one user"_s,
        u"*   /me ACTION       say what you are doing"_s,
        u"*   /who             list the users online"_s,
        u"*   /op PASSWORD     become an operator, who can also use:"_s,
        u"*     /kick NICK [REASON]    disconnect a user"_s,
        u"*     /mute NICK [MINUTES]   silence a user (default 10 minutes; 0 lifts it)"_s,
        u"*     /unmute NICK           lift a mute"_s,
        u"*     /slow SECONDS          one message per SECONDS per user (0 turns it off)"_s,
        u"*   /help            show this help"_s,
        u"*   /quit            leave the chat"_s,
    };
}

Parsed parse(const QString &line)
{
    // "//text" sends "/text" as an ordinary message, as in IRC clients.
    if (line.startsWith(u"//"))
        return {Protocol::Say{line.mid(1), false}, {}};
    if (!line.startsWith(u'/'))
        return {Protocol::Say{line, false}, {}};

    const auto [command, rest] = splitCommand(line);
    if (command == u"nick") {
        if (rest.isEmpty())
            return usage(u"/nick NAME"_s);
        return {Protocol::Nick{rest}, {}};
    }
    if (command == u"msg") {
        const qsizetype space = rest.indexOf(u' ');
        if (rest.isEmpty() || space < 0)
            return usage(u"/msg NICK TEXT"_s);
        return {Protocol::Whisper{rest.left(space), rest.mid(space + 1)}, {}};
    }
    if (command == u"me") {
        if (rest.isEmpty())
            return usage(u"/me ACTION"_s);
        return {Protocol::Say{rest, true}, {}};
    }
    if (command == u"who")
        return {Protocol::Who{}, {}};
    if (command == u"help")
        return {std::nullopt, helpLines()};
    if (command == u"quit")
        return {Protocol::Bye{rest}, {}};
    if (command == u"op" || command == u"kick" || command == u"mute" || command == u"unmute" || command == u"slow")
        return moderationCommand(command, rest);
    return {std::nullopt, {u"* error: unknown command /%1 (type /help for the list)"_s.arg(command)}};
}

} // namespace TextCommand
