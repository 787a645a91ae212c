// SPDX-License-Identifier: MIT
#include "testserver.h"

#include "chatserver.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace TestServer {

ServerConfig config()
{
    ServerConfig c;
    c.host = QHostAddress(QHostAddress::LocalHost);
    c.port = 0;
    return c;
}

std::unique_ptr<ChatServer> start(const ServerConfig &config)
{
    auto server = std::make_unique<ChatServer>(config);
    if (!server->listen())
        return nullptr;
    return server;
}

void quietLogs()
{
    QLoggingCategory::setFilterRules(u"qtchat.*.debug=false\nqtchat.*.info=false\nqtchat.info=false"_s);
}

} // namespace TestServer
