// SPDX-License-Identifier: MIT
#include "serverfixture.h"

#include "chatserver.h"
#include "testserver.h"

#include <QSignalSpy>

namespace {
constexpr int kStopTimeoutMsecs = 5000;
}

ServerFixture::ServerFixture(ServerConfig config) : m_config(std::move(config))
{
    m_port = m_reservation.port();
}

ServerFixture::~ServerFixture() = default;

bool ServerFixture::start()
{
    if (m_port == 0)
        return false; // no port could be reserved
    m_server.reset(); // a running one gives up the port first (start() restarts it)
    ServerConfig config = m_config;
    config.host = QHostAddress::LocalHost;
    config.port = m_port;
    if (config.threads == 0)
        config.threads = 4; // several workers on any machine, as TestServer::config()
    m_server = TestServer::start(config);
    return m_server != nullptr;
}

bool ServerFixture::start(const ServerConfig &config)
{
    m_config = config;
    return start();
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
