// SPDX-License-Identifier: MIT
#include "sentinelquery.h"

#include <algorithm>

using namespace Qt::StringLiterals;

SentinelQuery::SentinelQuery(RedisAddress address, qsizetype first, int perSentinelMsecs)
    : m_address(std::move(address)), m_perSentinelMsecs(perSentinelMsecs), m_first(first)
{
    askNext();
}

SentinelQuery::~SentinelQuery() = default;

QString SentinelQuery::currentName() const
{
    const RedisAddress::Endpoint &sentinel = m_address.sentinels.at(m_current);
    return u"sentinel %1:%2"_s.arg(sentinel.host).arg(sentinel.port);
}

void SentinelQuery::askNext()
{
    // The exchange reads the connect's socket: it goes first.
    m_exchange.reset();
    m_connect.reset();
    const qsizetype count = m_address.sentinels.size();
    while (m_asked < count) {
        m_current = (m_first + m_asked++) % count;
        const RedisAddress::Endpoint &sentinel = m_address.sentinels.at(m_current);
        m_askedSince.start();
        m_connect = std::make_unique<PendingConnect>(sentinel.host, sentinel.port, m_perSentinelMsecs);
        if (m_connect->state() != PendingConnect::State::Failed)
            return;
        m_failures.append(u"%1: %2"_s.arg(currentName(), m_connect->error()));
        m_connect.reset();
    }
    m_state = State::Failed;
    m_error = u"no Sentinel of %1 named the primary: %2"_s.arg(m_address.toString(), m_failures.join(u"; "_s));
}

void SentinelQuery::giveUp(const QString &why)
{
    m_failures.append(u"%1: %2"_s.arg(currentName(), why));
    askNext();
}

SentinelQuery::State SentinelQuery::poll(int waitMsecs)
{
    QElapsedTimer waited;
    waited.start();
    // A Sentinel that fails gives way to the next within the same call.
    while (m_state == State::InProgress) {
        const int wait = int(std::max<qint64>(0, waitMsecs - waited.elapsed()));
        if (m_connect && !m_exchange) {
            switch (m_connect->poll(wait)) {
            case PendingConnect::State::InProgress:
                return m_state;
            case PendingConnect::State::Failed:
                giveUp(m_connect->error());
                continue;
            case PendingConnect::State::Connected:
                break;
            }
            const int left = int(std::max<qint64>(0, m_perSentinelMsecs - m_askedSince.elapsed()));
            m_exchange = std::make_unique<RespExchange>(
                m_connect->socket(),
                QList<QList<QByteArray>>{{"SENTINEL", "get-master-addr-by-name", m_address.masterName.toUtf8()}}, left);
            continue;
        }
        switch (m_exchange->poll(wait)) {
        case RespExchange::State::InProgress:
            return m_state;
        case RespExchange::State::Failed:
            giveUp(m_exchange->error());
            continue;
        case RespExchange::State::Done:
            judgeAnswer();
            continue;
        }
    }
    return m_state;
}

void SentinelQuery::judgeAnswer()
{
    const RedisReply &reply = m_exchange->replies().constFirst();
    bool portOk = false;
    const uint port = reply.elements.size() == 2 ? reply.elements.at(1).string.toUInt(&portOk) : 0;
    if (reply.isError() || !portOk || port == 0 || port > 65535) {
        // A nil reply: this Sentinel does not know the name (a typo, or a
        // Sentinel of another deployment).
        giveUp(reply.isError() ? QString::fromUtf8(reply.string) : u"does not know %1"_s.arg(m_address.masterName));
        return;
    }
    m_primary = {QString::fromUtf8(reply.elements.at(0).string), quint16(port)};
    m_exchange.reset();
    m_connect.reset();
    m_state = State::Found;
}
