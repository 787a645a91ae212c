// SPDX-License-Identifier: MIT
#include "consoleoptions.h"

#include "exitcode.h"
#include "protocol.h"
#include "validation.h"

#include <QCommandLineParser>
#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace {

const QString kHostVariable = u"CHAT_HOST"_s;
const QString kPortVariable = u"CHAT_PORT"_s;
const QString kRoomVariable = u"CHAT_ROOM"_s;
const QString kDefaultHost = u"localhost"_s;

QString tr(const char *text)
{
    return QCoreApplication::translate("ConsoleOptions", text);
}

std::optional<quint16> parsePort(const QString &text)
{
    bool ok = false;
    const uint port = text.trimmed().toUInt(&ok);
    if (!ok || port == 0 || port > 65535)
        return std::nullopt;
    return quint16(port);
}

ConsoleOptions::Parsed usageError(const QString &message)
{
    ConsoleOptions::Parsed parsed;
    parsed.exitCode = ExitCode::kUsage;
    parsed.outputIsError = true;
    parsed.output = QCoreApplication::applicationName() + u": "_s + message + u'\n' +
                    tr("Try '%1 --help' for more information.").arg(QCoreApplication::applicationName()) + u'\n';
    return parsed;
}

QString description()
{
    return tr("A terminal client for qtchat. Type a line to talk to the current room (#lobby, where everyone "
              "is, at first); /join #ROOM enters a room and makes it current, /part leaves it, /rooms lists "
              "the rooms, /topic shows or sets the topic; /help lists the commands; exit or /quit leaves.\n"
              "\n"
              "Environment:\n"
              "  CHAT_HOST, CHAT_PORT  server address when --host / --port are not given\n"
              "  CHAT_ROOM             the room to talk in when --room is not given\n"
              "  NO_COLOR              set to turn colours off (they are only used on a terminal)\n"
              "\n"
              "Exit status:\n"
              "  0 ok   1 cannot connect (--check: server not answering)   2 bad usage\n"
              "  3 unknown host   4 nickname refused   5 server full   6 server closed the session\n"
              "  7 some input was refused or could not be delivered\n"
              "  130/143 interrupted (SIGINT/SIGTERM), after leaving politely");
}

} // namespace

ConsoleOptions::Parsed ConsoleOptions::parse(const QStringList &arguments, const QProcessEnvironment &environment)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description());
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption hostOption(
        u"host"_s, tr("Server host name or address (default: $CHAT_HOST or %1).").arg(kDefaultHost), tr("host"));
    const QCommandLineOption portOption(
        u"port"_s, tr("Server TCP port (default: $CHAT_PORT or %1).").arg(Protocol::kDefaultPort), tr("port"));
    const QCommandLineOption nickOption(u"nick"_s, tr("Nickname; without it chat-console asks for one."), tr("name"));
    const QCommandLineOption roomOption(
        u"room"_s,
        tr("Join this room when registering and talk there: lines go to it, also from a pipe "
           "(default: $CHAT_ROOM or #lobby). The # may be left out."),
        tr("room"));
    const QCommandLineOption checkOption(
        u"check"_s, tr("Health check: connect, ping, print the answer time, exit (no user is registered)."));
    const QCommandLineOption jsonOption(u"json"_s,
                                        tr("Print the server's raw frames on stdout, one JSON object per line."));
    const QCommandLineOption tlsOption(
        u"tls"_s,
        tr("Connect with TLS. The server's certificate is trusted on first use: its fingerprint is "
           "remembered in ~/.config/qtchat/known-servers.ini, and a different certificate later is refused."));
    const QCommandLineOption caOption(
        u"ca"_s,
        tr("With TLS (implies --tls): accept only certificates this CA (PEM) signed for the host name; no pinning."),
        tr("file"));
    const QCommandLineOption acceptNewCertOption(
        u"accept-new-cert"_s,
        tr("With TLS: if the server's certificate changed since it was first trusted, trust the new one. "
           "Use it only after checking the new fingerprint (the server logs it at startup)."));
    parser.addOptions({hostOption, portOption, nickOption, roomOption, checkOption, jsonOption, tlsOption, caOption,
                       acceptNewCertOption});

    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return usageError(tr("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));

    Parsed parsed;
    if (parser.isSet(helpOption)) {
        parsed.exitCode = ExitCode::kOk;
        parsed.output = parser.helpText();
        return parsed;
    }
    if (parser.isSet(versionOption)) {
        parsed.exitCode = ExitCode::kOk;
        parsed.output = QCoreApplication::applicationName() + u' ' + QCoreApplication::applicationVersion() + u'\n';
        return parsed;
    }

    ConsoleOptions &options = parsed.options;
    options.host = parser.isSet(hostOption) ? parser.value(hostOption) : environment.value(kHostVariable);
    if (options.host.trimmed().isEmpty()) {
        if (parser.isSet(hostOption))
            return usageError(tr("--host needs a host name"));
        options.host = kDefaultHost;
    }
    options.host = options.host.trimmed();

    options.port = Protocol::kDefaultPort;
    if (parser.isSet(portOption)) {
        const auto port = parsePort(parser.value(portOption));
        if (!port)
            return usageError(tr("--port %1 is not a port number (1-65535)").arg(parser.value(portOption)));
        options.port = *port;
    } else if (!environment.value(kPortVariable).isEmpty()) {
        const auto port = parsePort(environment.value(kPortVariable));
        if (!port)
            return usageError(
                tr("%1=%2 is not a port number (1-65535)").arg(kPortVariable, environment.value(kPortVariable)));
        options.port = *port;
    }

    if (parser.isSet(nickOption)) {
        options.nick = parser.value(nickOption);
        if (options.nick.trimmed().isEmpty())
            return usageError(tr("--nick needs a nickname"));
    }
    const bool roomGiven = parser.isSet(roomOption);
    const QString room = (roomGiven ? parser.value(roomOption) : environment.value(kRoomVariable)).trimmed();
    if (roomGiven && room.isEmpty())
        return usageError(tr("--room needs a room name"));
    if (!room.isEmpty()) {
        // "dev" means "#dev", as with /join.
        const Validation::RoomResult checked = Validation::checkRoom(room.startsWith(u'#') ? room : u'#' + room);
        if (!checked.isValid() && roomGiven)
            return usageError(tr("--room %1 is not a room name: %2").arg(room, Validation::describe(checked)));
        if (!checked.isValid())
            return usageError(
                tr("%1=%2 is not a room name: %3").arg(kRoomVariable, room, Validation::describe(checked)));
        options.room = checked.room;
    }
    options.check = parser.isSet(checkOption);
    options.json = parser.isSet(jsonOption);
    options.caFile = parser.value(caOption);
    if (parser.isSet(caOption) && options.caFile.trimmed().isEmpty())
        return usageError(tr("--ca needs a file"));
    options.tls = parser.isSet(tlsOption) || !options.caFile.isEmpty();
    options.acceptNewCert = parser.isSet(acceptNewCertOption);
    if (options.acceptNewCert && !options.caFile.isEmpty())
        return usageError(tr("--accept-new-cert is for trust on first use; with --ca nothing is pinned"));
    if (options.check && (!options.caFile.isEmpty() || options.acceptNewCert))
        return usageError(tr("--check --tls trusts any certificate; --ca and --accept-new-cert do not apply"));
    return parsed;
}
