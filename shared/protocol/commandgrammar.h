// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QString>
#include <QStringList>
#include <QStringView>

#include <span>
#include <variant>

// The slash commands, parsed in one place for the server's text mode and both
// clients: a typed line becomes a protocol request, a local outcome (/help), a
// usage error naming the command, or an unknown command. Plain text is a
// message to everyone; "//text" sends a text that begins with "/".
//
// Each side frames the texts of the table its own way: the server answers
// "* usage: …" lines (docs/protocol.md), the clients translated sentences.
namespace CommandGrammar {

enum class Command {
    Nick,
    Msg,
    Me,
    Join,
    Part,
    Rooms,
    Topic,
    Who,
    Away,
    Back,
    Op,
    Kick,
    Mute,
    Unmute,
    Slow,
    Help,
    Quit
};

// One row of the command table, which the help and usage texts are built
// from. The texts for people are English source texts of the translation
// context "CommandGrammar": the clients show them translated, the server
// (which has no translator) as they are. Read them through the functions below.
struct Entry {
    Command command;
    QStringView name;      // without the "/"
    const char *arguments; // as the help lists them ("NICK [REASON]"); "" for none
    const char *summary;   // what the command does, for the help
    const char *usageNote; // added to the usage text ("0 turns slow mode off"); "" for none
    bool operatorOnly = false;
};

// Every command, in the order the help lists them.
std::span<const Entry> commands();
const Entry &entry(Command command);

// "/kick NICK [REASON]"; the arguments in the user's language.
QString synopsis(const Entry &entry);
// The synopsis and the usage note: "/slow SECONDS (0 turns slow mode off)".
QString usage(Command command);
// The help's table, one aligned line per command in the order of commands():
// "  /nick NAME        change your nickname", and the operators' commands
// indented under /op ("    /kick NICK [REASON]    disconnect a user").
QStringList helpRows();

struct Help {
    friend bool operator==(const Help &, const Help &) = default;
};

// "/topic" alone: show the current room's topic. Each side knows the
// current room (the server per text-mode user, a client per window).
struct ShowTopic {
    friend bool operator==(const ShowTopic &, const ShowTopic &) = default;
};

// A known command whose arguments are missing or malformed.
struct Usage {
    Command command;
    friend bool operator==(const Usage &, const Usage &) = default;
};

// A "/word" that is no command; `word` as typed, without the "/".
struct Unknown {
    QString word;
    friend bool operator==(const Unknown &, const Unknown &) = default;
};

using Result = std::variant<Protocol::ClientFrame, Help, ShowTopic, Usage, Unknown>;

// `line` as it came, not trimmed: only a line starting with "/" is a command.
// /quit is the request Bye. Texts and nicknames are not validated here: the
// server validates what it receives, the clients before sending.
// Rooms: a request that leaves its `room` empty (a message, /me, /who,
// /part without a room, /topic TEXT) means the current room, which each
// side fills in; "/join dev" means "#dev", as in IRC clients.
Result parse(const QString &line);

} // namespace CommandGrammar
