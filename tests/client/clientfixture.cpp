// SPDX-License-Identifier: MIT
#include "clientfixture.h"

#include "backoff.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

namespace ClientFixture {

namespace {
constexpr int kManualBackoffMsecs = 60 * 1000;
}

std::unique_ptr<ChatClient> makeClient(const QString &suite, Retry retry)
{
    auto client = std::make_unique<ChatClient>();
    client->setClientName(suite);
    if (retry == Retry::Manual)
        client->setBackoff(Backoff(kManualBackoffMsecs, kManualBackoffMsecs, 0.0));
    return client;
}

bool connectAs(ChatClient &client, quint16 port, const QString &nick, const QString &host)
{
    QSignalSpy registered(&client, &ChatClient::registered);
    client.connectToServer(host, port, nick);
    return registered.wait(kWaitMsecs) && client.state() == ChatClient::State::Online;
}

bool join(ChatClient &client, const QString &room)
{
    QSignalSpy entered(&client, &ChatClient::roomEntered);
    return client.joinRoom(room).isEmpty() && entered.wait(kWaitMsecs);
}

std::unique_ptr<QTcpSocket> nextConnection(QTcpServer &server)
{
    if (!server.hasPendingConnections() && !QTest::qWaitFor([&] { return server.hasPendingConnections(); }, kWaitMsecs))
        return nullptr;
    return std::unique_ptr<QTcpSocket>(server.nextPendingConnection());
}

QJsonObject readFrame(QTcpSocket &socket)
{
    if (!socket.canReadLine() && !QTest::qWaitFor([&] { return socket.canReadLine(); }, kWaitMsecs))
        return {};
    return QJsonDocument::fromJson(socket.readLine()).object();
}

} // namespace ClientFixture
