// SPDX-License-Identifier: MIT
#pragma once

#include "serverconfig.h"

#include <memory>

class ChatServer;

// A real ChatServer in the test's own event loop (TestServer), on 127.0.0.1
// and a free port, that a test can stop and start again on the same port.
class ServerFixture final
{
public:
    explicit ServerFixture(ServerConfig config = {});
    ~ServerFixture();

    // Port 0 picks a free port the first time; start() again reuses it.
    bool start();
    // The server's own shutdown: `bye` `shutdown` to everyone, then gone.
    bool stop();
    // Gone without a word, as when the process is killed.
    void kill();

    bool isRunning() const { return m_server != nullptr; }
    quint16 port() const { return m_port; }
    ChatServer *server() const { return m_server.get(); }

    // A port on 127.0.0.1 where nobody listens.
    static quint16 deadPort();

private:
    ServerConfig m_config;
    std::unique_ptr<ChatServer> m_server;
    quint16 m_port = 0;
};
