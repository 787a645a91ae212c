// SPDX-License-Identifier: MIT
#include "listener.h"

Listener::Listener(QObject *parent) : QTcpServer(parent)
{}

void Listener::incomingConnection(qintptr socketDescriptor)
{
    emit connectionAccepted(socketDescriptor);
}
