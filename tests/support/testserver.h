// SPDX-License-Identifier: MIT
#pragma once

#include "serverconfig.h"

#include <memory>

class ChatServer;

// Runs a real ChatServer inside the test process.
namespace TestServer {

// The defaults of PROTOCOL.md, but on 127.0.0.1, a port the system picks and 4 worker threads.
ServerConfig config();

// A listening server with the message log the config asks for (config.store),
// or nullptr if the log could not be opened or it could not listen (the test should fail).
std::unique_ptr<ChatServer> start(const ServerConfig &config = TestServer::config());

// Keeps the server's per-connection info logging out of test output
// (warnings still show). Call once, e.g. from initTestCase().
void quietLogs();

} // namespace TestServer
