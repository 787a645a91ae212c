// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QString>
#include <QStringView>

#include <span>
#include <variant>

// The slash commands, parsed in one place for the server's text mode and both
// clients: a typed line becomes a protocol request, a local outcome (/help), a
// usage error naming the command, or an unknown command. Plain text is a
// message to everyone; "//text" sends a text that begins with "/".
//
// What each side tells its user is its own: the server answers "* usage: …"
// in English (docs/protocol.md), the clients translated sentences.
namespace CommandGrammar {

enum class Command { Nick, Msg, Me, Who, Op, Kick, Mute, Unmute, Slow, Help, Quit };

// One row of the command table, which the help texts are built from.
struct Entry {
    Command command;
    QStringView name;      // without the "/"
    QStringView arguments; // as the help lists them ("NICK [REASON]")
    QStringView summary;   // the server's help line, English
    bool operatorOnly = false;
};

// Every command, in the order the help lists them.
std::span<const Entry> commands();
const Entry &entry(Command command);

struct Help {
    friend bool operator==(const Help &, const Help &) = default;
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

using Result = std::variant<Protocol::ClientFrame, Help, Usage, Unknown>;

// `line` as it came, not trimmed: only a line starting with "/" is a command.
// /quit is the request Bye. Texts and nicknames are not validated here: the
// server validates what it receives, the clients before sending.
Result parse(const QString &line);

} // namespace CommandGrammar
