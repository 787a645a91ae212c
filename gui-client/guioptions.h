// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

// chat-gui's command line:
//   chat-gui [--host H] [--port P] [--nick N] [--connect] [--lang L] [--scrollback N] [--tls] [--ca FILE]
//            [--away-after MINUTES]
struct GuiOptions {
    QString host;     // empty: the remembered one
    quint16 port = 0; // 0: the remembered one
    QString nick;     // empty: the remembered one
    bool autoConnect = false;
    bool tls = false;     // false: the remembered choice
    QString caFile;       // implies tls
    QString language;     // empty: the system's
    int scrollback = 0;   // 0: MessageLogModel::kDefaultScrollback
    QString settingsFile; // empty: the usual per-user location
    // Auto-away after this many idle minutes (0: never); nullopt: the
    // remembered setting (IdleAway, docs/gui.md "Presence").
    std::optional<int> awayAfterMinutes;

    // An error message for the user, or empty when all went well.
    QString error;
    bool exitNow = false; // --help or --version was handled (printed)

    // Parses arguments (argv[0] included). Prints --help/--version itself.
    static GuiOptions parse(const QStringList &arguments);

    // The --lang value, found before translations are loaded (so that
    // --help can already be translated).
    static QString languageFrom(const QStringList &arguments);
};
