// SPDX-License-Identifier: MIT
#pragma once

#include "serverconfig.h"

#include <QProcessEnvironment>
#include <QStringList>

// chat-server's options, from the command line or CHAT_* environment
// variables (containers use those); the command line wins.
class ServerCommandLine final
{
public:
    enum class Outcome { Run, ShowHelp, ShowVersion, Invalid };
    static constexpr int kUsageExitCode = 2;

    ServerCommandLine();

    Outcome parse(const QStringList &arguments, const QProcessEnvironment &environment);

    const ServerConfig &config() const { return m_config; }
    // What to print for ShowHelp / ShowVersion / Invalid.
    QString text() const { return m_text; }

private:
    bool apply(const QString &name, const QString &value);
    bool checkTls();

    ServerConfig m_config;
    QString m_text;
    QString m_redisError; // why --redis's URL is not one, for the message
};
