// SPDX-License-Identifier: MIT
#include "commandgrammar.h"

#include <QCoreApplication>

#include <algorithm>
#include <array>
#include <utility>

using namespace Protocol;

namespace CommandGrammar {
namespace {

constexpr const char *kContext = "CommandGrammar";
constexpr const char *kNone = "";

constexpr std::array kCommands{
    Entry{Command::Nick, u"nick", QT_TRANSLATE_NOOP("CommandGrammar", "NAME"),
          QT_TRANSLATE_NOOP("CommandGrammar", "change your nickname"), kNone},
    Entry{Command::Msg, u"msg", QT_TRANSLATE_NOOP("CommandGrammar", "NICK TEXT"),
          QT_TRANSLATE_NOOP("CommandGrammar", "whisper to one user"), kNone},
    Entry{Command::Me, u"me", QT_TRANSLATE_NOOP("CommandGrammar", "ACTION"),
          QT_TRANSLATE_NOOP("CommandGrammar", "say what you are doing"), kNone},
    Entry{Command::Join, u"join", QT_TRANSLATE_NOOP("CommandGrammar", "#ROOM"),
          QT_TRANSLATE_NOOP("CommandGrammar", "join a room (made if new) and talk there"), kNone},
    Entry{Command::Part, u"part", QT_TRANSLATE_NOOP("CommandGrammar", "[#ROOM] [MESSAGE]"),
          QT_TRANSLATE_NOOP("CommandGrammar", "leave a room (this one if none is named)"), kNone},
    Entry{Command::Rooms, u"rooms", kNone, QT_TRANSLATE_NOOP("CommandGrammar", "list the rooms"), kNone},
    Entry{Command::Topic, u"topic", QT_TRANSLATE_NOOP("CommandGrammar", "[TEXT]"),
          QT_TRANSLATE_NOOP("CommandGrammar", "show this room's topic, or set it"), kNone},
    Entry{Command::Who, u"who", QT_TRANSLATE_NOOP("CommandGrammar", "[#ROOM]"),
          QT_TRANSLATE_NOOP("CommandGrammar", "list the users in this room"), kNone},
    Entry{Command::Away, u"away", QT_TRANSLATE_NOOP("CommandGrammar", "[MESSAGE]"),
          QT_TRANSLATE_NOOP("CommandGrammar", "tell everyone you are away"), kNone},
    Entry{Command::Back, u"back", kNone, QT_TRANSLATE_NOOP("CommandGrammar", "you are back"), kNone},
    Entry{Command::Op, u"op", QT_TRANSLATE_NOOP("CommandGrammar", "PASSWORD"),
          QT_TRANSLATE_NOOP("CommandGrammar", "become an operator, who can also use:"), kNone},
    Entry{Command::Kick, u"kick", QT_TRANSLATE_NOOP("CommandGrammar", "NICK [REASON]"),
          QT_TRANSLATE_NOOP("CommandGrammar", "disconnect a user"), kNone, true},
    Entry{Command::Mute, u"mute", QT_TRANSLATE_NOOP("CommandGrammar", "NICK [MINUTES]"),
          QT_TRANSLATE_NOOP("CommandGrammar", "silence a user (default 10 minutes; 0 lifts it)"),
          QT_TRANSLATE_NOOP("CommandGrammar", "0 minutes lifts the mute"), true},
    Entry{Command::Unmute, u"unmute", QT_TRANSLATE_NOOP("CommandGrammar", "NICK"),
          QT_TRANSLATE_NOOP("CommandGrammar", "lift a mute"), kNone, true},
    Entry{Command::Slow, u"slow", QT_TRANSLATE_NOOP("CommandGrammar", "SECONDS"),
          QT_TRANSLATE_NOOP("CommandGrammar", "one message per SECONDS per user (0 turns it off)"),
          QT_TRANSLATE_NOOP("CommandGrammar", "0 turns slow mode off"), true},
    Entry{Command::Help, u"help", kNone, QT_TRANSLATE_NOOP("CommandGrammar", "show this help"), kNone},
    Entry{Command::Quit, u"quit", QT_TRANSLATE_NOOP("CommandGrammar", "[REASON]"),
          QT_TRANSLATE_NOOP("CommandGrammar", "leave the chat"), kNone},
};

// The help's layout: commands indented under the title, the operators'
// commands further under /op; the summaries of each group in one column,
// this far after the group's longest synopsis.
constexpr qsizetype kIndent = 2;
constexpr qsizetype kOperatorIndent = 4;
constexpr qsizetype kColumnGap = 3;

QString translated(const char *text)
{
    return *text ? QCoreApplication::translate(kContext, text) : QString();
}

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

// "#dev" as typed, or "dev" made "#dev"; empty stays empty.
QString roomName(const QString &word)
{
    if (word.isEmpty() || word.startsWith(u'#'))
        return word;
    return u'#' + word;
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
    case Command::Join:
        return word.isEmpty() || !rest.isEmpty() ? Result{Usage{command}} : Result{ClientFrame{Join{roomName(word)}}};
    case Command::Part:
        if (word.startsWith(u'#'))
            return ClientFrame{Part{word, rest}};
        return ClientFrame{Part{{}, argument}};
    case Command::Rooms:
        return ClientFrame{ListRooms{}};
    case Command::Topic:
        return argument.isEmpty() ? Result{ShowTopic{}} : Result{ClientFrame{SetTopic{{}, argument}}};
    case Command::Who:
        return !rest.isEmpty() ? Result{Usage{command}} : Result{ClientFrame{Who{roomName(word)}}};
    case Command::Away:
        return ClientFrame{SetAway{argument}};
    case Command::Back:
        return argument.isEmpty() ? Result{ClientFrame{SetBack{}}} : Result{Usage{command}};
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

QString synopsis(const Entry &entry)
{
    QString text = u'/' + entry.name.toString();
    const QString arguments = translated(entry.arguments);
    if (!arguments.isEmpty())
        text += u' ' + arguments;
    return text;
}

QString usage(Command command)
{
    const Entry &row = entry(command);
    const QString note = translated(row.usageNote);
    if (note.isEmpty())
        return synopsis(row);
    return synopsis(row) + u" (" + note + u')';
}

QStringList helpRows()
{
    // Synopses once: their (translated) lengths set each group's column.
    QStringList synopses;
    qsizetype width = 0;
    qsizetype operatorWidth = 0;
    for (const Entry &row : kCommands) {
        synopses.append(synopsis(row));
        qsizetype &groupWidth = row.operatorOnly ? operatorWidth : width;
        groupWidth = std::max(groupWidth, synopses.last().size() + kColumnGap);
    }
    QStringList rows;
    for (std::size_t i = 0; i < kCommands.size(); ++i) {
        const Entry &row = kCommands[i];
        const QString indent(row.operatorOnly ? kOperatorIndent : kIndent, u' ');
        rows.append(indent + synopses.at(qsizetype(i)).leftJustified(row.operatorOnly ? operatorWidth : width) +
                    translated(row.summary));
    }
    return rows;
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
