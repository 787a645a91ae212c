// SPDX-License-Identifier: MIT
#include "commandgrammar.h"

#include <algorithm>
#include <array>
#include <utility>

using namespace Protocol;

namespace CommandGrammar {
namespace {

constexpr std::array kCommands{
    Entry{Command::Nick, u"nick", u"NAME", u"change your nickname"},
    Entry{Command::Msg, u"msg", u"NICK TEXT", u"whisper to one user"},
    Entry{Command::Me, u"me", u"ACTION", u"say what you are doing"},
    Entry{Command::Who, u"who", {}, u"list the users online"},
    Entry{Command::Op, u"op", u"PASSWORD", u"become an operator, who can also use:"},
    Entry{Command::Kick, u"kick", u"NICK [REASON]", u"disconnect a user", true},
    Entry{Command::Mute, u"mute", u"NICK [MINUTES]", u"silence a user (default 10 minutes; 0 lifts it)", true},
    Entry{Command::Unmute, u"unmute", u"NICK", u"lift a mute", true},
    Entry{Command::Slow, u"slow", u"SECONDS", u"one message per SECONDS per user (0 turns it off)", true},
    Entry{Command::Help, u"help", {}, u"show this help"},
    Entry{Command::Quit, u"quit", {}, u"leave the chat"},
};

// Splits "word rest of the line" at the first run of whitespace.
std::pair<QString, QString> splitFirstWord(const QString &text)
{
    qsizetype end = 0;
    while (end < text.size() && !text.at(end).isSpace())
        ++end;
    return {text.left(end), text.mid(end).trimmed()};
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

// The request for a known command; `argument` is the rest of the line, trimmed.
Result request(Command command, const QString &argument)
{
    const auto [word, rest] = splitFirstWord(argument);
    switch (command) {
    case Command::Nick:
        return argument.isEmpty() ? Result{Usage{command}} : Result{ClientFrame{Nick{argument}}};
    case Command::Msg:
        return word.isEmpty() || rest.isEmpty() ? Result{Usage{command}} : Result{ClientFrame{Whisper{word, rest}}};
    case Command::Me:
        return argument.isEmpty() ? Result{Usage{command}} : Result{ClientFrame{Say{argument, true}}};
    case Command::Who:
        return ClientFrame{Who{}};
    case Command::Op:
        return argument.isEmpty() ? Result{Usage{command}} : Result{ClientFrame{Op{argument}}};
    case Command::Kick:
        return word.isEmpty() ? Result{Usage{command}} : Result{ClientFrame{Kick{word, rest}}};
    case Command::Mute: {
        if (word.isEmpty())
            return Usage{command};
        if (rest.isEmpty())
            return ClientFrame{Mute{word, std::nullopt}};
        const std::optional<qint64> minutes = count(rest);
        return minutes ? Result{ClientFrame{Mute{word, minutes}}} : Result{Usage{command}};
    }
    case Command::Unmute:
        return word.isEmpty() || !rest.isEmpty() ? Result{Usage{command}} : Result{ClientFrame{Unmute{word}}};
    case Command::Slow: {
        const std::optional<qint64> seconds = count(argument);
        return seconds ? Result{ClientFrame{Slow{*seconds}}} : Result{Usage{command}};
    }
    case Command::Help:
        return Help{};
    case Command::Quit:
        return ClientFrame{Bye{argument}};
    }
    return Usage{command};
}

} // namespace

std::span<const Entry> commands()
{
    return kCommands;
}

const Entry &entry(Command command)
{
    return *std::find_if(kCommands.cbegin(), kCommands.cend(),
                         [command](const Entry &row) { return row.command == command; });
}

Result parse(const QString &line)
{
    if (line.startsWith(u"//"))
        return ClientFrame{Say{line.mid(1), false}};
    if (!line.startsWith(u'/'))
        return ClientFrame{Say{line, false}};
    const auto [word, argument] = splitFirstWord(line.mid(1));
    const QString name = word.toLower();
    const auto row = std::find_if(kCommands.cbegin(), kCommands.cend(),
                                  [&name](const Entry &candidate) { return candidate.name == name; });
    if (row == kCommands.cend())
        return Unknown{word};
    return request(row->command, argument);
}

} // namespace CommandGrammar
