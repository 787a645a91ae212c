// SPDX-License-Identifier: MIT
#pragma once

#include "reservedport.h"
#include "serverconfig.h"

#include <memory>

class ChatServer;

// A real ChatServer in the test's own event loop (TestServer), on 127.0.0.1
// and a port reserved for the fixture's lifetime (ReservedPort::Use::Shared),
// so a test can stop it and start it again on the same port while other
// tests run in parallel: nobody else can be handed that port in between.
class ServerFixture final
{
public:
    explicit ServerFixture(ServerConfig config = {});
    ~ServerFixture();

    // Listens on the fixture's reserved port, the first time and every time
    // after; a server still running is dropped first (as kill()).
    bool start();
    // The same with another configuration from now on (its host and port
    // are the fixture's), for suites whose tests each want their own.
    bool start(const ServerConfig &config);
    // The server's own shutdown: `bye` `shutdown` to everyone, then gone.
    bool stop();
    // Gone without a word, as when the process is killed.
    void kill();

    bool isRunning() const { return m_server != nullptr; }
    quint16 port() const { return m_port; }
    ChatServer *server() const { return m_server.get(); }

private:
    ServerConfig m_config;
    ReservedPort m_reservation{ReservedPort::Use::Shared};
    std::unique_ptr<ChatServer> m_server;
    quint16 m_port = 0;
};
