// SPDX-License-Identifier: MIT
#include "listener.h"

namespace {
// When an instance of a cluster dies, all its clients reconnect to the
// others within milliseconds. Qt's default backlog of 50 overflowed with 100
// of them, and the kernel then dropped SYNs that the clients only sent
// again a second later (bench/recovery.sh kill). The kernel caps it at
// net.core.somaxconn (4096 on Debian 12).
constexpr int kListenBacklog = 1024;
} // namespace

Listener::Listener(QObject *parent) : QTcpServer(parent)
{
    setListenBacklogSize(kListenBacklog);
}

void Listener::incomingConnection(qintptr socketDescriptor)
{
    emit connectionAccepted(socketDescriptor);
}
