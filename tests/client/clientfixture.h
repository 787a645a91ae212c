// SPDX-License-Identifier: MIT
#pragma once

#include "chatclient.h"

#include <QJsonObject>
#include <QString>

#include <memory>

class QTcpServer;
class QTcpSocket;

// What the ChatClient suites share: a client under the suite's name, joined
// and waited for by signals, and the two ends of a fake server that reads
// the client's frames.
namespace ClientFixture {

inline constexpr int kWaitMsecs = 5000;

enum class Retry {
    Automatic, // the client's own backoff
    Manual,    // so long that the test decides when to retry (reconnectNow)
};

std::unique_ptr<ChatClient> makeClient(const QString &suite, Retry retry = Retry::Automatic);
// Connects to 127.0.0.1 (or `host`) and waits for `welcome`.
bool connectAs(ChatClient &client, quint16 port, const QString &nick,
               const QString &host = QStringLiteral("127.0.0.1"));
// Joins a room and waits for the server's `room`.
bool join(ChatClient &client, const QString &room);

// The fake server's side: the next client that connects, and its next frame.
std::unique_ptr<QTcpSocket> nextConnection(QTcpServer &server);
QJsonObject readFrame(QTcpSocket &socket);

} // namespace ClientFixture
