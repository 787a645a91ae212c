// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QString>

#include <variant>

// What a user typed, understood once for both front ends: CommandGrammar's
// result, with the request checked as the server would (Validation) and
// every complaint a sentence for the user. /quit is the request Bye.
//
// QObject-free and socket-free, so it is tested on its own; messages go
// through QCoreApplication::translate (context "CommandParser").
namespace CommandParser {

struct Help {
};

// "/topic" alone: show the current room's topic (known to the client).
struct ShowTopic {
};

// A blank line: nothing to do, and nothing worth complaining about.
struct Empty {
};

// Not sent; `message` tells the user why (unknown command, missing argument,
// invalid nickname or text).
struct Invalid {
    QString message;
};

// A request is trimmed, its text and nicknames valid (and NFC-normalised)
// per Validation::checkText and Validation::checkNick.
using Command = std::variant<Protocol::ClientFrame, Help, ShowTopic, Empty, Invalid>;

Command parse(const QString &line);

// The request in `command`, if it is one of type Frame.
template<typename Frame> const Frame *request(const Command &command)
{
    const auto *frame = std::get_if<Protocol::ClientFrame>(&command);
    return frame ? std::get_if<Frame>(frame) : nullptr;
}

// The list of commands, several lines, for /help and the console's --help.
QString helpText();

} // namespace CommandParser
