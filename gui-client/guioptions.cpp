// SPDX-License-Identifier: MIT
#include "guioptions.h"

#include "messagelogmodel.h"

#include <QCommandLineParser>
#include <QCoreApplication>

using namespace Qt::StringLiterals;

GuiOptions GuiOptions::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("GuiOptions", "Desktop client for chat-server."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption host(u"host"_s, QCoreApplication::translate("GuiOptions", "Server host to fill in."),
                                  QCoreApplication::translate("GuiOptions", "host"));
    const QCommandLineOption port(u"port"_s, QCoreApplication::translate("GuiOptions", "Server port to fill in."),
                                  QCoreApplication::translate("GuiOptions", "port"));
    const QCommandLineOption nick(u"nick"_s, QCoreApplication::translate("GuiOptions", "Nickname to fill in."),
                                  QCoreApplication::translate("GuiOptions", "nick"));
    const QCommandLineOption autoConnect(
        u"connect"_s, QCoreApplication::translate("GuiOptions", "Connect right away when the values are valid."));
    const QCommandLineOption language(
        u"lang"_s,
        QCoreApplication::translate("GuiOptions", "User interface language (en, ko); default: the system's."),
        QCoreApplication::translate("GuiOptions", "language"));
    const QCommandLineOption scrollback(
        u"scrollback"_s,
        QCoreApplication::translate("GuiOptions", "Messages kept in the window (default %1).")
            .arg(MessageLogModel::kDefaultScrollback),
        QCoreApplication::translate("GuiOptions", "rows"));
    const QCommandLineOption settings(
        u"settings"_s, QCoreApplication::translate("GuiOptions", "Settings file to use instead of the usual one."),
        QCoreApplication::translate("GuiOptions", "file"));
    const QCommandLineOption tls(u"tls"_s,
                                 QCoreApplication::translate("GuiOptions", "Tick the TLS box: connect encrypted."));
    const QCommandLineOption ca(
        u"ca"_s,
        QCoreApplication::translate("GuiOptions", "CA certificate (PEM) to verify the server with (implies --tls)."),
        QCoreApplication::translate("GuiOptions", "file"));
    const QCommandLineOption awayAfter(
        u"away-after"_s,
        QCoreApplication::translate("GuiOptions",
                                    "Say you are away after this many minutes without input (0: never; default 10)."),
        QCoreApplication::translate("GuiOptions", "minutes"));
    parser.addOptions({host, port, nick, autoConnect, language, scrollback, settings, tls, ca, awayAfter});

    GuiOptions options;
    if (!parser.parse(arguments)) {
        options.error = parser.errorText();
        return options;
    }
    if (parser.isSet(help) || parser.isSet(version)) {
        options.exitNow = true;
        if (parser.isSet(help))
            parser.showHelp(); // exits
        parser.showVersion();  // exits
    }
    if (!parser.positionalArguments().isEmpty()) {
        options.error = QCoreApplication::translate("GuiOptions", "Unexpected argument: %1")
                            .arg(parser.positionalArguments().constFirst());
        return options;
    }

    options.host = parser.value(host).trimmed();
    options.nick = parser.value(nick).trimmed();
    options.autoConnect = parser.isSet(autoConnect);
    options.language = parser.value(language).trimmed();
    options.settingsFile = parser.value(settings);
    options.caFile = parser.value(ca).trimmed();
    options.tls = parser.isSet(tls) || !options.caFile.isEmpty();
    if (parser.isSet(port)) {
        bool ok = false;
        const uint value = parser.value(port).toUInt(&ok);
        if (!ok || value == 0 || value > 65535) {
            options.error = QCoreApplication::translate("GuiOptions", "The port must be a number from 1 to 65535.");
            return options;
        }
        options.port = quint16(value);
    }
    if (parser.isSet(scrollback)) {
        bool ok = false;
        const int value = parser.value(scrollback).toInt(&ok);
        if (!ok || value < MessageLogModel::kMinimumScrollback) {
            options.error = QCoreApplication::translate("GuiOptions", "The scrollback must be a number of at least %1.")
                                .arg(MessageLogModel::kMinimumScrollback);
            return options;
        }
        options.scrollback = value;
    }
    if (parser.isSet(awayAfter)) {
        bool ok = false;
        const int value = parser.value(awayAfter).toInt(&ok);
        if (!ok || value < 0) {
            options.error = QCoreApplication::translate(
                "GuiOptions", "The minutes before going away must be a whole number, 0 or more.");
            return options;
        }
        options.awayAfterMinutes = value;
    }
    return options;
}

QString GuiOptions::languageFrom(const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if ((argument == u"--lang" || argument == u"-lang") && i + 1 < arguments.size())
            return arguments.at(i + 1);
        if (argument.startsWith(u"--lang="))
            return argument.mid(7);
    }
    return {};
}
