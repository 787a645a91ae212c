// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <optional>
#include <variant>

// What a user typed, understood once for both front ends: plain text is a
// message to everyone, a leading "/" starts one of the commands the server's
// text mode also knows (/nick /msg /me /who /help /quit, and the
// operators' /op /kick /mute /unmute /slow). "//text" sends a
// text that begins with "/".
//
// QObject-free and socket-free, so it is tested on its own; messages go
// through QCoreApplication::translate (context "CommandParser").
namespace CommandParser {

struct Say {
    QString text;        // trimmed and valid per Validation::checkText
    bool action = false; // /me
};

struct Whisper {
    QString to;
    QString text;
};

struct Nick {
    QString nick; // NFC-normalised and valid per Validation::checkNick
};

struct Who {
};

struct Help {
};

struct Quit {
    QString reason;
};

// Moderation (docs/protocol.md): the server decides who may.
struct Op {
    QString password;
};

struct Kick {
    QString nick;
    QString reason;
};

struct Mute {
    QString nick;
    std::optional<qint64> minutes; // none: the server's default; 0 lifts the mute
};

struct Unmute {
    QString nick;
};

struct Slow {
    qint64 seconds = 0;
};

// A blank line: nothing to do, and nothing worth complaining about.
struct Empty {
};

// Not sent; `message` tells the user why (unknown command, missing argument,
// invalid nickname or text).
struct Invalid {
    QString message;
};

using Command = std::variant<Say, Whisper, Nick, Who, Help, Quit, Empty, Invalid, Op, Kick, Mute, Unmute, Slow>;

Command parse(const QString &line);

// The list of commands, several lines, for /help and the console's --help.
QString helpText();

} // namespace CommandParser
