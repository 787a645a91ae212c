// SPDX-License-Identifier: MIT
// The cluster (issue #16) through Redis Sentinel: with --redis
// redis-sentinel://..., a primary killed with SIGKILL is replaced by its
// replica, and the instances follow by themselves: posting resumes on every
// instance, no id is handed out twice or delivered out of order, and the
// users keep their nicknames. Real processes on loopback: a primary, a
// replica and three Sentinels; two instances.
#include "clustertest.h"
#include "redisconnection.h"
#include "sentinelprocess.h"
#include "spec.h"
#include "testharness.h"
#include "testserver.h"

#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {
// Sentinel needs 1 s to call the primary down, then an election and a
// promotion: seconds on loopback (the whole test takes about 9 s); generous for a loaded machine, and short
// enough that QTRY (which waits twice as long again to say whether more
// time would have helped) fails within the suite's 180 s.
constexpr int kFailoverWaitMsecs = 30000;
constexpr int kSetUpWaitMsecs = 30000;
constexpr int kSentinels = 3;

RedisReply ask(const RedisAddress &address, const QList<QByteArray> &command)
{
    RedisConnection connection(address);
    const RedisConnection::Result result = connection.command(command);
    return std::holds_alternative<RedisReply>(result) ? std::get<RedisReply>(result) : RedisReply{};
}

RedisAddress direct(const RedisAddress::Endpoint &endpoint)
{
    return RedisAddress::server(endpoint.host, endpoint.port);
}
} // namespace

class TestServerClusterFailover final : public ClusterTest
{
    Q_OBJECT

private:
    RedisAddress sentinelAddress() const
    {
        RedisAddress address;
        address.masterName = QString::fromLatin1(SentinelProcess::kMasterName);
        for (const auto &sentinel : m_sentinels)
            address.sentinels.append(sentinel->endpoint());
        return address;
    }

    // Every Sentinel knows the replica (linked to the primary) and the two
    // other Sentinels: a failover can be agreed on.
    bool sentinelsReady() const
    {
        const QByteArray name(SentinelProcess::kMasterName);
        for (const auto &sentinel : m_sentinels) {
            const RedisAddress address = direct(sentinel->endpoint());
            const RedisReply replicas = ask(address, {"SENTINEL", "replicas", name});
            if (replicas.elements.size() != 1)
                return false;
            const QList<RedisReply> &fields = replicas.elements.at(0).elements;
            bool linked = false;
            for (qsizetype i = 0; i + 1 < fields.size(); i += 2)
                linked |= fields.at(i).string == "master-link-status" && fields.at(i + 1).string == "ok";
            if (!linked || ask(address, {"SENTINEL", "sentinels", name}).elements.size() != kSentinels - 1)
                return false;
        }
        return true;
    }

    // The replica has everything the primary wrote: what this test checks
    // is following the failover, not what an asynchronous replica may lose
    // (rollback detection, docs/architecture.md). WAIT after a write of our
    // own: the replication stream is one order, so the replica's
    // acknowledging our write acknowledges the instances' writes before it.
    // (Comparing ROLE's offsets races the heartbeats and Sentinel's hellos,
    // which move the primary's offset all the time.)
    bool replicaCaughtUp() const
    {
        RedisConnection primary(m_redis->address());
        const RedisConnection::Result written = primary.command({"SET", "qtchat:test:replicated", "1"});
        if (!RedisConnection::errorOf(written).isEmpty())
            return false;
        // Within RedisConnection's 2 s command timeout.
        const RedisConnection::Result waited = primary.command({"WAIT", "1", "1000"});
        return std::holds_alternative<RedisReply>(waited) && std::get<RedisReply>(waited).integer >= 1;
    }

private slots:
    void initTestCase()
    {
        QTCHAT_REQUIRE(!RedisProcess::program().isEmpty(), "redis-server (Debian package redis-server)");
        QTCHAT_REQUIRE(!SentinelProcess::program().isEmpty(), "redis-sentinel (Debian package redis-sentinel)");
        TestServer::quietLogs();
        m_redis = std::make_unique<RedisProcess>();
        QVERIFY2(m_redis->start(), "cannot start the primary redis-server");
        m_replica = std::make_unique<RedisProcess>(
            QStringList{u"--replicaof"_s, u"127.0.0.1"_s, QString::number(m_redis->port())});
        QVERIFY2(m_replica->start(), "cannot start the replica redis-server");
        for (int i = 0; i < kSentinels; ++i) {
            m_sentinels.push_back(std::make_unique<SentinelProcess>(m_redis->port()));
            QVERIFY2(m_sentinels.back()->start(), "cannot start redis-sentinel");
        }
        QTRY_VERIFY_WITH_TIMEOUT(sentinelsReady(), kSetUpWaitMsecs);
    }

    // Not ClusterTest's instances on m_redis: the test starts its own, on the
    // Sentinels' address.
    void init() {}

    void cleanupTestCase()
    {
        m_servers.clear();
        m_sentinels.clear();
        m_replica.reset();
        m_redis.reset();
    }

    void killedPrimaryIsFollowed()
    {
        for (int i = 0; i < 2; ++i) {
            ServerConfig c = config();
            c.redis = sentinelAddress();
            m_servers.push_back(TestServer::start(c));
            QVERIFY(m_servers.back());
        }
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        QVERIFY(alice && bob);
        for (int n = 1; n <= 3; ++n)
            alice->sendJson(Spec::say(u"before %1"_s.arg(n)));
        QCOMPARE(std::get<0>(messages(*alice, 3).constLast()), 3);
        QCOMPARE(messages(*bob, 3).size(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(replicaCaughtUp(), kSetUpWaitMsecs);

        QVERIFY(m_redis->kill());

        // Refused (cluster-unavailable) until the instance reached the new
        // primary; alice posts again after each refusal.
        UntilAvailable posted(*alice, Spec::say(u"after 1"_s), u"message"_s);
        QTRY_VERIFY_WITH_TIMEOUT(posted(), kFailoverWaitMsecs);
        QCOMPARE(Spec::type(posted.answer), u"message"_s);
        QCOMPARE(posted.answer.value(u"id"_s).toInteger(), 4);
        // Instance 1 follows too (its stream reader): bob gets it next,
        // neither again what he had nor out of order.
        alice->sendJson(Spec::say(u"after 2"_s));
        const auto bobSaw = messages(*bob, 2);
        QCOMPARE(bobSaw.size(), 2);
        QCOMPARE(bobSaw.at(0), std::tuple(qint64(4), u"alice"_s, u"after 1"_s));
        QCOMPARE(bobSaw.at(1), std::tuple(qint64(5), u"alice"_s, u"after 2"_s));

        // And bob's posts reach alice the other way.
        UntilAvailable bobPosted(*bob, Spec::say(u"bob after"_s), u"message"_s);
        QTRY_VERIFY_WITH_TIMEOUT(bobPosted(), kFailoverWaitMsecs);
        QCOMPARE(bobPosted.answer.value(u"id"_s).toInteger(), 6);
        const auto aliceSaw = messages(*alice, 2);
        QCOMPARE(aliceSaw.size(), 2);
        QCOMPARE(std::get<0>(aliceSaw.at(0)), 5);
        QCOMPARE(aliceSaw.at(1), std::tuple(qint64(6), u"bob"_s, u"bob after"_s));

        // Both nicknames are still held, across the instances.
        for (const auto &[instance, nick] : {std::pair(1, u"alice"_s), std::pair(0, u"bob"_s)}) {
            TestClient impostor;
            QVERIFY(impostor.connectToServer(port(instance)));
            UntilAvailable refused(impostor, Spec::hello(nick), u"welcome"_s);
            QTRY_VERIFY_WITH_TIMEOUT(refused(), kFailoverWaitMsecs);
            QCOMPARE(refused.answer.value(u"code"_s).toString(), u"nick-taken"_s);
        }
    }

private:
    std::unique_ptr<RedisProcess> m_replica;
    std::vector<std::unique_ptr<SentinelProcess>> m_sentinels;
};

QTCHAT_TEST_GUILESS_MAIN(TestServerClusterFailover)
#include "tst_server_cluster_failover.moc"
