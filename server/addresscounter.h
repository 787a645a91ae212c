// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QHostAddress>

// Open connections per remote address, for --max-per-ip. ChatServer keeps
// one in the main thread, where connections are accepted and where every
// worker reports a closed connection, so it needs no lock.
//
// An IPv4 client reaching a dual-stack listener shows up as an IPv4-mapped
// IPv6 address (::ffff:192.0.2.1); it is counted as the IPv4 address, so
// one host is one key whichever way it came in.
class AddressCounter final
{
public:
    // A limit of 0 counts nothing and refuses nothing.
    explicit AddressCounter(int limit);

    bool isEnabled() const { return m_limit > 0; }
    int limit() const { return m_limit; }

    // Counts one more connection from `address`; false, and nothing counted,
    // when the address already has `limit` connections.
    bool tryAcquire(const QHostAddress &address);
    // One connection from `address` has closed.
    void release(const QHostAddress &address);

    int count(const QHostAddress &address) const;
    // Addresses with at least one connection (the map never keeps zeros).
    qsizetype addressCount() const { return m_counts.size(); }

    static QHostAddress normalized(const QHostAddress &address);

private:
    int m_limit;
    QHash<QHostAddress, int> m_counts;
};
