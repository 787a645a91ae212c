// SPDX-License-Identifier: MIT
#pragma once

#include <QHostAddress>
#include <QTcpSocket>

// A loopback port that belongs to this test for as long as the object lives.
//
// Why: a port found by listening on port 0 and closing again is free for any
// other test running in parallel (the kernel hands it out to the next port-0
// listener or outgoing connection), so "nobody listens there" and "I can
// listen there again" both race. Here the port stays bound by a socket that
// never listens:
//   - Refused(): not shared. Connections to it are refused (RST), and no
//     other socket can bind it: a port where nobody listens, for sure.
//   - Shared(): bound with SO_REUSEADDR. The kernel still never picks it for
//     port 0 (it skips ports already bound), but a server of this test that
//     binds it explicitly with SO_REUSEADDR (QTcpServer does, and so does
//     redis-server) may listen there, stop, and listen there again.
class ReservedPort final
{
public:
    enum class Use { Refused, Shared };

    explicit ReservedPort(Use use = Use::Refused)
    {
        const auto mode = use == Use::Shared ? QAbstractSocket::ShareAddress | QAbstractSocket::ReuseAddressHint
                                             : QAbstractSocket::DontShareAddress;
        if (m_socket.bind(QHostAddress(QHostAddress::LocalHost), 0, mode))
            m_port = m_socket.localPort();
    }

    // 0 when no port could be bound (the test should fail).
    quint16 port() const { return m_port; }

private:
    QTcpSocket m_socket;
    quint16 m_port = 0;
};
