// SPDX-License-Identifier: MIT
#include "commandparser.h"

#include "validation.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace CommandParser {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CommandParser", text);
}

// Splits "word rest of the line" at the first run of whitespace.
std::pair<QString, QString> splitFirstWord(const QString &text)
{
    qsizetype end = 0;
    while (end < text.size() && !text.at(end).isSpace())
        ++end;
    return {text.left(end), text.mid(end).trimmed()};
}

Command sayCommand(const QString &text, bool action)
{
    const Validation::TextResult checked = Validation::checkText(text);
    if (!checked.isValid())
        return Invalid{Validation::describe(checked)};
    return Say{checked.text, action};
}

Command nickCommand(const QString &argument)
{
    if (argument.isEmpty())
        return Invalid{tr("Usage: /nick NAME")};
    const Validation::NickResult checked = Validation::checkNick(argument);
    if (!checked.isValid())
        return Invalid{Validation::describe(checked)};
    return Nick{checked.nick};
}

Command whisperCommand(const QString &argument)
{
    const auto [to, text] = splitFirstWord(argument);
    if (to.isEmpty() || text.isEmpty())
        return Invalid{tr("Usage: /msg NICK TEXT")};
    const Validation::NickResult nick = Validation::checkNick(to);
    if (!nick.isValid())
        return Invalid{Validation::describe(nick)};
    const Validation::TextResult checked = Validation::checkText(text);
    if (!checked.isValid())
        return Invalid{Validation::describe(checked)};
    return Whisper{nick.nick, checked.text};
}

Command meCommand(const QString &argument)
{
    if (argument.isEmpty())
        return Invalid{tr("Usage: /me ACTION")};
    return sayCommand(argument, true);
}

} // namespace

Command parse(const QString &line)
{
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty())
        return Empty{};
    if (!trimmed.startsWith(u'/'))
        return sayCommand(trimmed, false);
    // "//etc" is the escape for a message that starts with a slash.
    if (trimmed.startsWith(u"//"))
        return sayCommand(trimmed.mid(1), false);

    const auto [word, argument] = splitFirstWord(trimmed.mid(1));
    const QString name = word.toLower();
    if (name == u"nick")
        return nickCommand(argument);
    if (name == u"msg")
        return whisperCommand(argument);
    if (name == u"me")
        return meCommand(argument);
    if (name == u"who")
        return Who{};
    if (name == u"help")
        return Help{};
    if (name == u"quit")
        return Quit{argument};
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
              "Anything else is a message to everyone; start it with // to send a text that begins with /.");
}

} // namespace CommandParser
