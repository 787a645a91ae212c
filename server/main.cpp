// SPDX-License-Identifier: MIT
#include "chatserver.h"
#include "messagelog.h"
#include "servercommandline.h"
#include "serverlogging.h"
#include "shutdownsignals.h"

#include <QCoreApplication>

#include <cstdio>

namespace {
// Like a usage error: the server cannot run as configured.
constexpr int kStoreExitCode = 2;
} // namespace

int main(int argc, char *argv[])
{
    ShutdownSignals::block();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("chat-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QTCHAT_VERSION));

    ServerCommandLine commandLine;
    switch (commandLine.parse(QCoreApplication::arguments(), QProcessEnvironment::systemEnvironment())) {
    case ServerCommandLine::Outcome::ShowHelp:
    case ServerCommandLine::Outcome::ShowVersion:
        std::fprintf(stdout, "%s\n", qPrintable(commandLine.text()));
        return 0;
    case ServerCommandLine::Outcome::Invalid:
        std::fprintf(stderr, "chat-server: %s\n", qPrintable(commandLine.text()));
        return ServerCommandLine::kUsageExitCode;
    case ServerCommandLine::Outcome::Run:
        break;
    }

    ServerLogging::configure(commandLine.config().logLevel);
    ServerLogging::raiseFileLimit();

    MessageLog::Opened log = MessageLog::open(commandLine.config());
    if (const auto *error = std::get_if<QString>(&log)) {
        std::fprintf(stderr, "chat-server: cannot open the message store: %s\n", qPrintable(*error));
        return kStoreExitCode;
    }
    ChatServer server(commandLine.config(), std::move(std::get<std::unique_ptr<MessageLog>>(log)));
    if (!server.listen())
        return 1;

    ShutdownSignals shutdownSignals;
    QObject::connect(&shutdownSignals, &ShutdownSignals::received, &server, &ChatServer::shutdown);
    QObject::connect(&server, &ChatServer::finished, &app, &QCoreApplication::quit);
    return app.exec();
}
