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

// A whole number >= 0; nullopt for anything else.
std::optional<qint64> count(const QString &text)
{
    bool ok = false;
    const qint64 n = text.toLongLong(&ok);
    if (!ok || n < 0)
        return std::nullopt;
    return n;
}

Command moderationCommand(const QString &name, const QString &argument)
{
    const auto [nick, rest] = splitFirstWord(argument);
    if (name == u"op") {
        if (argument.isEmpty())
            return Invalid{tr("Usage: /op PASSWORD")};
        return Op{argument};
    }
    if (name == u"kick") {
        if (nick.isEmpty())
            return Invalid{tr("Usage: /kick NICK [REASON]")};
        return Kick{nick, rest};
    }
    if (name == u"mute") {
        if (nick.isEmpty())
            return Invalid{tr("Usage: /mute NICK [MINUTES] (0 minutes lifts the mute)")};
        if (rest.isEmpty())
            return Mute{nick, std::nullopt};
        const std::optional<qint64> minutes = count(rest);
        if (!minutes)
            return Invalid{tr("Usage: /mute NICK [MINUTES] (0 minutes lifts the mute)")};
        return Mute{nick, minutes};
    }
    if (name == u"unmute") {
        if (nick.isEmpty() || !rest.isEmpty())
            return Invalid{tr("Usage: /unmute NICK")};
        return Unmute{nick};
    }
    const std::optional<qint64> seconds = count(argument);
    if (!seconds)
        return Invalid{tr("Usage: /slow SECONDS (0 turns slow mode off)")};
    return Slow{*seconds};
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
    if (name == u"op" || name == u"kick" || name == u"mute" || name == u"unmute" || name == u"slow")
        return moderationCommand(name, argument);
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
