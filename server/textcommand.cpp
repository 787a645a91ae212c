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

} // namespace

QStringList helpLines()
{
    return {
        u"* Type a line and press Enter to talk to everyone. Commands:"_s,
        u"*   /nick NAME       change your nickname"_s,
        u"*   /msg NICK TEXT   whisper to one user"_s,
        u"*   /me ACTION       say what you are doing"_s,
        u"*   /who             list the users online"_s,
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
    return {std::nullopt, {u"* error: unknown command /%1 (type /help for the list)"_s.arg(command)}};
}

} // namespace TextCommand
