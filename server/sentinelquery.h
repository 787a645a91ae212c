// SPDX-License-Identifier: MIT
#pragma once

#include "pendingconnect.h"
#include "redisaddress.h"
#include "respexchange.h"

#include <QElapsedTimer>
#include <QString>
#include <QStringList>

#include <memory>

// Which server is the primary, asked of the Sentinels in turn without
// waiting (issue #16): RedisConnection starts one when it connects through
// Sentinel and asks it later whether it has the answer, so a Sentinel that
// does not answer costs the room's thread a look, not its timeout. Each
// Sentinel is given `perSentinelMsecs` to take the connect and answer
// SENTINEL get-master-addr-by-name; one that fails or does not know the
// name gives way to the next.
class SentinelQuery final
{
public:
    enum class State { InProgress, Found, Failed };

    // Starts with the Sentinel at `first` (the one that answered last time).
    SentinelQuery(RedisAddress address, qsizetype first, int perSentinelMsecs);
    ~SentinelQuery();
    SentinelQuery(const SentinelQuery &) = delete;
    SentinelQuery &operator=(const SentinelQuery &) = delete;

    // Waits at most `waitMsecs` (0: not at all) for a Sentinel to name the primary.
    State poll(int waitMsecs = 0);
    State state() const { return m_state; }
    // The primary (Found only), and the index of the Sentinel that named it.
    RedisAddress::Endpoint primary() const { return m_primary; }
    qsizetype answeredBy() const { return m_current; }
    // Every Sentinel's failure (Failed only).
    QString error() const { return m_error; }

private:
    // Starts on the next Sentinel not asked yet; Failed when none is left.
    void askNext();
    // The Sentinel asked now failed for `why`: the next one.
    void giveUp(const QString &why);
    // The exchange's answer: Found, or the next Sentinel.
    void judgeAnswer();
    QString currentName() const;

    RedisAddress m_address;
    int m_perSentinelMsecs;
    qsizetype m_first;
    qsizetype m_asked = 0; // how many were started
    qsizetype m_current = -1;
    std::unique_ptr<PendingConnect> m_connect;
    std::unique_ptr<RespExchange> m_exchange;
    QElapsedTimer m_askedSince;
    QStringList m_failures;
    RedisAddress::Endpoint m_primary;
    State m_state = State::InProgress;
    QString m_error;
};
