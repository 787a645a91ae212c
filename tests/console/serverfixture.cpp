// SPDX-License-Identifier: MIT
#include "serverfixture.h"

#include "chatserver.h"
#include "messagelog.h"

#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTcpServer>

using namespace Qt::StringLiterals;

namespace {
constexpr int kStopTimeoutMsecs = 5000;
}

ServerFixture::ServerFixture(ServerConfig config) : m_config(std::move(config))
{
    m_config.host = QHostAddress::LocalHost;
    if (m_config.threads == 0)
        m_config.threads = 4; // several workers on any machine, as TestServer::config()
    m_port = 0;
}

ServerFixture::~ServerFixture() = default;

bool ServerFixture::start()
{
    ServerConfig config = m_config;
    config.port = m_port;
    MessageLog::Opened log = MessageLog::open(config);
    if (std::holds_alternative<QString>(log))
        return false;
    m_server = std::make_unique<ChatServer>(config, std::move(std::get<std::unique_ptr<MessageLog>>(log)));
    if (!m_server->listen()) {
        m_server.reset();
        return false;
    }
    m_port = m_server->serverPort();
    return true;
}

bool ServerFixture::stop()
{
    if (!m_server)
        return true;
    QSignalSpy finished(m_server.get(), &ChatServer::finished);
    m_server->shutdown();
    const bool done = !finished.isEmpty() || finished.wait(kStopTimeoutMsecs);
    m_server.reset();
    return done;
}

void ServerFixture::kill()
{
    m_server.reset();
}

quint16 ServerFixture::deadPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

void ServerFixture::quietLogging()
{
    QLoggingCategory::setFilterRules(u"qtchat.server*.info=false\nqtchat.server*.debug=false"_s);
}
