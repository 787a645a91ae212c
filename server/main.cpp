// SPDX-License-Identifier: MIT
#include "chatserver.h"
#include "servercommandline.h"
#include "serverlogging.h"
#include "shutdownsignals.h"

#include <QCoreApplication>

#include <cstdio>

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

    ChatServer server(commandLine.config());
    if (!server.listen())
        return 1;

    ShutdownSignals shutdownSignals;
    QObject::connect(&shutdownSignals, &ShutdownSignals::received, &server, &ChatServer::shutdown);
    QObject::connect(&server, &ChatServer::finished, &app, &QCoreApplication::quit);
    return app.exec();
}
