// SPDX-License-Identifier: MIT
#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

// chat-console's command line and environment:
//   chat-console [--host H] [--port P] [--nick NAME] [--room #ROOM] [--check]
//                [--json] [--tls [--ca FILE | --accept-new-cert]]
// An option beats CHAT_HOST / CHAT_PORT / CHAT_ROOM, which beat
// localhost:55555 and #lobby.
struct ConsoleOptions {
    QString host;
    quint16 port = 0;
    QString nick; // empty: ask on stdin
    QString room; // joined at registration and current; empty: #lobby
    bool check = false;
    bool json = false;
    bool tls = false; // --tls, or implied by --ca
    QString caFile;   // verify against this CA instead of trust on first use
    bool acceptNewCert = false;

    // What parse() decided: options to run with, or text to print and an
    // exit status (--help, --version, a usage error).
    struct Parsed;
    static Parsed parse(const QStringList &arguments, const QProcessEnvironment &environment);
};

struct ConsoleOptions::Parsed {
    ConsoleOptions options;
    std::optional<int> exitCode; // set: print `output` and exit
    QString output;
    bool outputIsError = false;
};
