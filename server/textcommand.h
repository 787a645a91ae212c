// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QString>
#include <QStringList>

#include <optional>

// Turns a line typed by a netcat/telnet user into the same request a JSON
// client would send, so the room handles both modes with one code path. The
// commands are CommandGrammar's; this adds the text mode's English answers
// ("* usage: …", the help lines built from the grammar's table).
namespace TextCommand {

struct Parsed {
    std::optional<Protocol::ClientFrame> frame; // what to do, if anything
    QStringList reply;                          // lines to show only to this user
    bool showTopic = false;                     // "/topic" alone: the room answers
};

Parsed parse(const QString &line);
QStringList helpLines();

} // namespace TextCommand
