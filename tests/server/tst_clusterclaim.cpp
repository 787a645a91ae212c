// SPDX-License-Identifier: MIT
// Cluster::startClaimNick against a real redis-server (issue #16): a
// `hello`'s nickname claim is sent without waiting, answered from the event
// loop or by finishAnswer(), with claimNick()'s answers (granted, taken),
// and not sent at all when Redis cannot be reached.
#include "cluster.h"
#include "redisfixture.h"
#include "reservedport.h"
#include "testharness.h"

#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;

namespace {
// Long enough that no beat or ready check runs during a test.
constexpr int kHeartbeatMsecs = 60'000;

QList<std::pair<QString, QString>> nobodyHere()
{
    return {};
}
} // namespace

class TestClusterClaim final : public QObject
{
    Q_OBJECT

    RedisFixture m_fixture;

    qint64 streamLength()
    {
        const RedisConnection::Result length = m_fixture.redis().command({"XLEN", RoomStream::Keys{}.stream()});
        return std::get<RedisReply>(length).integer;
    }

private slots:
    void initTestCase()
    {
        QTCHAT_REQUIRE(!RedisProcess::program().isEmpty(), "redis-server (Debian package redis-server)");
        m_fixture.start();
    }

    void init() { m_fixture.reset(); }

    void cleanupTestCase() { m_fixture.stop(); }

    void aClaimIsAnsweredFromTheEventLoop()
    {
        Cluster cluster(m_fixture.address(), kHeartbeatMsecs, nobodyHere);
        QVERIFY(std::holds_alternative<Cluster::Snapshot>(cluster.join(0)));
        const qint64 entriesBefore = streamLength();
        const qint64 loadsBefore = m_fixture.calls("function|load");
        std::optional<Cluster::Claim> answer;
        QVERIFY(
            cluster.startClaimNick(u"carol"_s, u"Carol"_s, 3, {}, [&answer](Cluster::Claim claim) { answer = claim; }));
        QVERIFY(!answer); // never inside the call
        QVERIFY(cluster.answerInFlight());
        QTRY_VERIFY(answer);
        QCOMPARE(*answer, Cluster::Claim::Granted);
        QVERIFY(!cluster.answerInFlight());
        // The claim and its `joined` entry, in one script (claim.lua), as claimNick().
        const RedisConnection::Result holder =
            m_fixture.redis().command({"HGET", RoomStream::Keys{}.claims(), "carol"});
        QCOMPARE(std::get<RedisReply>(holder).string, cluster.instanceId());
        QCOMPARE(streamLength(), entriesBefore + 1);
        // claim.lua loaded by the claim that found it missing (inside the completion).
        QCOMPARE(m_fixture.calls("function|load"), loadsBefore + 1);
    }

    void finishAnswerGivesATakenNicknameAtOnce()
    {
        Cluster cluster(m_fixture.address(), kHeartbeatMsecs, nobodyHere);
        QVERIFY(std::holds_alternative<Cluster::Snapshot>(cluster.join(0)));
        QCOMPARE(cluster.claimNick(u"carol"_s, u"carol"_s, 3, {}), Cluster::Claim::Granted);
        const qint64 entriesBefore = streamLength();
        std::optional<Cluster::Claim> answer;
        QVERIFY(
            cluster.startClaimNick(u"carol"_s, u"CAROL"_s, 4, {}, [&answer](Cluster::Claim claim) { answer = claim; }));
        cluster.finishAnswer();
        QVERIFY(answer);
        QCOMPARE(*answer, Cluster::Claim::Taken);
        QVERIFY(!cluster.answerInFlight());
        QCOMPARE(streamLength(), entriesBefore); // no `joined` for a refused claim
        cluster.finishAnswer();                   // nothing in flight: nothing to wait for
    }

    // A synchronous command of the cluster's own reads the claim's answer
    // first (RedisConnection::finishPending), on the same connection.
    void aLaterCommandReadsTheClaimsAnswerFirst()
    {
        Cluster cluster(m_fixture.address(), kHeartbeatMsecs, nobodyHere);
        QVERIFY(std::holds_alternative<Cluster::Snapshot>(cluster.join(0)));
        std::optional<Cluster::Claim> answer;
        QVERIFY(
            cluster.startClaimNick(u"dave"_s, u"dave"_s, 5, {}, [&answer](Cluster::Claim claim) { answer = claim; }));
        QCOMPARE(cluster.claimNick(u"dave"_s, u"dave"_s, 6, {}), Cluster::Claim::Taken);
        QVERIFY(answer);
        QCOMPARE(*answer, Cluster::Claim::Granted);
    }

    void nothingIsSentWithoutRedis()
    {
        const ReservedPort refused; // nothing listens there
        RedisAddress address = m_fixture.address();
        address.host = u"127.0.0.1"_s;
        address.port = refused.port();
        Cluster cluster(address, kHeartbeatMsecs, nobodyHere);
        bool called = false;
        QVERIFY(!cluster.startClaimNick(u"erin"_s, u"erin"_s, 7, {}, [&called](Cluster::Claim) { called = true; }));
        QVERIFY(!cluster.answerInFlight());
        QCOMPARE(cluster.claimNick(u"erin"_s, u"erin"_s, 7, {}), Cluster::Claim::Unavailable);
        QVERIFY(!called);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestClusterClaim)
#include "tst_clusterclaim.moc"
