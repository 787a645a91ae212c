// SPDX-License-Identifier: MIT
#include "redistest.h"

#include "roomstream.h"
#include "testharness.h"

#include <QTest>

using namespace Qt::StringLiterals;

void RedisTest::initTestCase()
{
    QTCHAT_REQUIRE(!RedisProcess::program().isEmpty(), "redis-server (Debian package redis-server)");
    m_fixture.start();
}

void RedisTest::init()
{
    m_fixture.reset();
}

void RedisTest::cleanupTestCase()
{
    m_fixture.stop();
}

RedisAddress RedisTest::refusedAddress(const ReservedPort &refused) const
{
    RedisAddress address = m_fixture.address();
    address.host = u"127.0.0.1"_s;
    address.port = refused.port();
    return address;
}

QByteArray RedisTest::holderOf(const QByteArray &key)
{
    const RedisConnection::Result holder = m_fixture.redis().command({"HGET", RoomStream::Keys{}.claims(), key});
    return std::get<RedisReply>(holder).string;
}

bool RedisTest::firstBeatCounted(const QByteArray &instance)
{
    return QTest::qWaitFor([this, &instance] {
        const RedisConnection::Result beats = m_fixture.redis().command({"HGETALL", RoomStream::Keys{}.beats()});
        const QList<RedisReply> &fields = std::get<RedisReply>(beats).elements;
        for (qsizetype i = 0; i + 1 < fields.size(); i += 2) {
            if ((instance.isEmpty() || fields.at(i).string == instance) && fields.at(i + 1).string.toLongLong() >= 2)
                return true;
        }
        return false;
    });
}

QSet<QByteArray> RedisTest::clientIds()
{
    QSet<QByteArray> ids;
    const RedisConnection::Result listed = m_fixture.redis().command({"CLIENT", "LIST", "TYPE", "normal"});
    for (const QByteArray &line : std::get<RedisReply>(listed).string.split('\n')) {
        if (line.startsWith("id="))
            ids.insert(line.mid(3, line.indexOf(' ') - 3));
    }
    return ids;
}

bool RedisTest::dropClientConnections()
{
    const QSet<QByteArray> before = clientIds();
    m_fixture.redis().command({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"});
    return QTest::qWaitFor([this, &before] {
        QSet<QByteArray> now = clientIds();
        // The fixture's own connection stays.
        return now.intersect(before).size() <= 1;
    });
}
