// SPDX-License-Identifier: MIT
// chat-console: a terminal client for qtchat. See docs/console.md.
#include "consoleoptions.h"
#include "consoleoutput.h"
#include "consolesession.h"
#include "healthcheck.h"

#include <QCoreApplication>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"chat-console"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(QTCHAT_VERSION));

    const ConsoleOptions::Parsed parsed =
        ConsoleOptions::parse(QCoreApplication::arguments(), QProcessEnvironment::systemEnvironment());
    if (parsed.exitCode) {
        const QByteArray text = parsed.output.toUtf8();
        std::fputs(text.constData(), parsed.outputIsError ? stderr : stdout);
        return *parsed.exitCode;
    }

    const ConsoleOptions &options = parsed.options;
    if (options.check) {
        // The probe's one line is for people and health logs, never JSON.
        ConsoleOutput output(false);
        HealthCheck check(options.host, options.port, options.tls, output);
        QObject::connect(&check, &HealthCheck::finished, &app, &QCoreApplication::exit, Qt::QueuedConnection);
        check.start();
        return QCoreApplication::exec();
    }

    ConsoleSession session(options);
    QObject::connect(&session, &ConsoleSession::finished, &app, &QCoreApplication::exit, Qt::QueuedConnection);
    session.start();
    return QCoreApplication::exec();
}
