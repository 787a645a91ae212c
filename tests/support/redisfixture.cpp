// SPDX-License-Identifier: MIT
#include "redisfixture.h"

#include <QTest>

void RedisFixture::start()
{
    m_process = std::make_unique<RedisProcess>();
    QVERIFY2(m_process->start(), "cannot start redis-server");
}

void RedisFixture::reset()
{
    QVERIFY(m_process);
    m_connection = std::make_unique<RedisConnection>(m_process->address());
    QVERIFY(m_connection->connectNow());
    QVERIFY(RedisConnection::errorOf(m_connection->command({"FLUSHALL"})).isEmpty());
    QVERIFY(RedisConnection::errorOf(m_connection->command({"FUNCTION", "FLUSH"})).isEmpty());
    QVERIFY(RedisConnection::errorOf(m_connection->command({"CONFIG", "RESETSTAT"})).isEmpty());
}

void RedisFixture::stop()
{
    m_connection.reset();
    m_process.reset();
}

qint64 RedisFixture::calls(QByteArrayView command)
{
    // "cmdstat_fcall:calls=3,usec=..." in INFO commandstats.
    const RedisConnection::Result info = m_connection->command({"INFO", "commandstats"});
    const QByteArray text = std::get<RedisReply>(info).string;
    const QByteArray marker = "cmdstat_" + command.toByteArray() + ":calls=";
    const qsizetype at = text.indexOf(marker);
    if (at < 0)
        return 0;
    const qsizetype from = at + marker.size();
    return text.mid(from, text.indexOf(',', from) - from).toLongLong();
}
