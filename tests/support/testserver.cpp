// SPDX-License-Identifier: MIT
#include "testserver.h"

#include "chatserver.h"
#include "messagelog.h"

#include <QDebug>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace TestServer {

ServerConfig config()
{
    ServerConfig c;
    c.host = QHostAddress(QHostAddress::LocalHost);
    c.port = 0;
    // Several workers whatever the machine, so every integration test (and its
    // ThreadSanitizer run) crosses threads the way a production server does.
    c.threads = 4;
    return c;
}

std::unique_ptr<ChatServer> start(const ServerConfig &config)
{
    MessageLog::Opened log = MessageLog::open(config);
    if (const auto *error = std::get_if<QString>(&log)) {
        qWarning().noquote() << "cannot open the message log:" << *error;
        return nullptr;
    }
    auto server = std::make_unique<ChatServer>(config, std::move(std::get<std::unique_ptr<MessageLog>>(log)));
    if (!server->listen())
        return nullptr;
    return server;
}

void quietLogs()
{
    QLoggingCategory::setFilterRules(u"qtchat.*.debug=false\nqtchat.*.info=false\nqtchat.info=false"_s);
}

} // namespace TestServer
