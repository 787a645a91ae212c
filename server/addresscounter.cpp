// SPDX-License-Identifier: MIT
#include "addresscounter.h"

AddressCounter::AddressCounter(int limit) : m_limit(limit)
{}

bool AddressCounter::tryAcquire(const QHostAddress &address)
{
    if (!isEnabled())
        return true;
    int &count = m_counts[normalized(address)];
    if (count >= m_limit)
        return false;
    ++count;
    return true;
}

void AddressCounter::release(const QHostAddress &address)
{
    if (!isEnabled())
        return;
    const auto it = m_counts.find(normalized(address));
    if (it == m_counts.end())
        return;
    // Erased at zero so that addresses seen once do not accumulate.
    if (--it.value() <= 0)
        m_counts.erase(it);
}

int AddressCounter::count(const QHostAddress &address) const
{
    return m_counts.value(normalized(address), 0);
}

QHostAddress AddressCounter::normalized(const QHostAddress &address)
{
    bool isMappedIPv4 = false;
    const quint32 ipv4 = address.toIPv4Address(&isMappedIPv4);
    if (isMappedIPv4)
        return QHostAddress(ipv4);
    return address;
}
