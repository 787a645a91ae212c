// SPDX-License-Identifier: MIT
#pragma once

#include <QTcpServer>

// The acceptor: it only takes connections off the listening socket and hands
// their descriptors on; everything else belongs to ChatServer and Connection.
class Listener final : public QTcpServer
{
    Q_OBJECT

public:
    explicit Listener(QObject *parent = nullptr);

signals:
    void connectionAccepted(qintptr socketDescriptor);

protected:
    void incomingConnection(qintptr socketDescriptor) override;
};
