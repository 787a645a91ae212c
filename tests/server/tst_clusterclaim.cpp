// SPDX-License-Identifier: MIT
// Cluster::startClaimNick against a real redis-server (issue #16): a
// `hello`'s nickname claim (or take-over) is sent without waiting,
// answered from the event loop or by finishAnswer(), with claimNick()'s
// answers (granted, taken), and not sent at all when Redis cannot be reached.
#include "cluster.h"
#include "redistest.h"
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

class TestClusterClaim final : public RedisTest
{
    Q_OBJECT

    qint64 streamLength()
    {
        const RedisConnection::Result length = m_fixture.redis().command({"XLEN", RoomStream::Keys{}.stream()});
        return std::get<RedisReply>(length).integer;
    }

private slots:
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
        // claim.lua was loaded when the cluster joined (not inside the completion).
        QCOMPARE(m_fixture.calls("function|load"), loadsBefore);
    }

    // A function Redis lost while connected (FUNCTION FLUSH) is loaded and
    // sent again inside the completion.
    void aClaimOfAFunctionRedisLostIsSentAgain()
    {
        Cluster cluster(m_fixture.address(), kHeartbeatMsecs, nobodyHere);
        QVERIFY(std::holds_alternative<Cluster::Snapshot>(cluster.join(0)));
        m_fixture.redis().command({"FUNCTION", "FLUSH"});
        const qint64 loadsBefore = m_fixture.calls("function|load");
        std::optional<Cluster::Claim> answer;
        QVERIFY(
            cluster.startClaimNick(u"carol"_s, u"Carol"_s, 3, {}, [&answer](Cluster::Claim claim) { answer = claim; }));
        QTRY_VERIFY(answer);
        QCOMPARE(*answer, Cluster::Claim::Granted);
        QCOMPARE(m_fixture.calls("function|load"), loadsBefore + 1);
    }

    // A storm's hellos: several claims in flight at once on the one
    // connection, answered in the order sent; finishAnswer() waits for all.
    void severalClaimsInFlightAreAnsweredInOrder()
    {
        Cluster cluster(m_fixture.address(), kHeartbeatMsecs, nobodyHere);
        QVERIFY(std::holds_alternative<Cluster::Snapshot>(cluster.join(0)));
        QList<std::pair<QString, Cluster::Claim>> answers;
        const auto keep = [&answers](const QString &who) {
            return [&answers, who](Cluster::Claim claim) { answers.append({who, claim}); };
        };
        QVERIFY(cluster.startClaimNick(u"carol"_s, u"carol"_s, 3, {}, keep(u"carol"_s)));
        QVERIFY(cluster.startClaimNick(u"carol"_s, u"Carol"_s, 4, {}, keep(u"Carol"_s)));
        QVERIFY(cluster.startClaimNick(u"dave"_s, u"dave"_s, 5, {}, keep(u"dave"_s)));
        QVERIFY(cluster.answerInFlight());
        QTRY_COMPARE(answers.size(), 3);
        const QList<std::pair<QString, Cluster::Claim>> expected{{u"carol"_s, Cluster::Claim::Granted},
                                                                 {u"Carol"_s, Cluster::Claim::Taken},
                                                                 {u"dave"_s, Cluster::Claim::Granted}};
        QCOMPARE(answers, expected);
        QVERIFY(!cluster.answerInFlight());

        answers.clear();
        QVERIFY(cluster.startClaimNick(u"erin"_s, u"erin"_s, 6, {}, keep(u"erin"_s)));
        QVERIFY(cluster.startClaimNick(u"frank"_s, u"frank"_s, 7, {}, keep(u"frank"_s)));
        cluster.finishAnswer();
        QCOMPARE(answers.size(), 2);
        QVERIFY(!cluster.answerInFlight());
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
        cluster.finishAnswer();                  // nothing in flight: nothing to wait for
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

    void aWhisperIsAnsweredFromTheEventLoop()
    {
        Cluster cluster(m_fixture.address(), kHeartbeatMsecs, nobodyHere);
        QVERIFY(std::holds_alternative<Cluster::Snapshot>(cluster.join(0)));
        QCOMPARE(cluster.claimNick(u"carol"_s, u"carol"_s, 3, {}), Cluster::Claim::Granted);
        const qint64 entriesBefore = streamLength();
        const Protocol::WhisperMessage whisper{u"dave"_s, u"carol"_s, u"hi"_s, QDateTime::currentDateTimeUtc()};
        std::optional<Cluster::Claim> answer;
        QVERIFY(cluster.startSendTo(u"carol"_s, RoomStream::Kind::Whisper, whisper, 4,
                                    [&answer](Cluster::Claim claim) { answer = claim; }));
        QVERIFY(!answer); // never inside the call
        QVERIFY(cluster.answerInFlight());
        QTRY_VERIFY(answer);
        QCOMPARE(*answer, Cluster::Claim::Granted);
        QCOMPARE(streamLength(), entriesBefore + 1);
        // Nobody called erin: refused, nothing on the stream.
        QVERIFY(cluster.startSendTo(u"erin"_s, RoomStream::Kind::Whisper, whisper, 4,
                                    [&answer](Cluster::Claim claim) { answer = claim; }));
        cluster.finishAnswer();
        QCOMPARE(*answer, Cluster::Claim::Taken);
        QCOMPARE(streamLength(), entriesBefore + 1);
    }

    void aRenameIsAnsweredFromTheEventLoop()
    {
        Cluster cluster(m_fixture.address(), kHeartbeatMsecs, nobodyHere);
        QVERIFY(std::holds_alternative<Cluster::Snapshot>(cluster.join(0)));
        QCOMPARE(cluster.claimNick(u"carol"_s, u"carol"_s, 3, {}), Cluster::Claim::Granted);
        QCOMPARE(cluster.claimNick(u"dave"_s, u"dave"_s, 4, {}), Cluster::Claim::Granted);
        std::optional<Cluster::Claim> answer;
        const auto keep = [&answer](Cluster::Claim claim) { answer = claim; };
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(cluster.startRename(u"carol"_s, u"dave"_s, Protocol::Renamed{u"carol"_s, u"dave"_s, now}, keep));
        QVERIFY(!answer);
        QTRY_VERIFY(answer);
        QCOMPARE(*answer, Cluster::Claim::Taken);
        QVERIFY(cluster.startRename(u"carol"_s, u"caro"_s, Protocol::Renamed{u"carol"_s, u"Caro"_s, now}, keep));
        cluster.finishAnswer();
        QCOMPARE(*answer, Cluster::Claim::Granted);
        const RedisConnection::Result holder = m_fixture.redis().command({"HGET", RoomStream::Keys{}.claims(), "caro"});
        QCOMPARE(std::get<RedisReply>(holder).string, cluster.instanceId());
    }

    // carol's instance died with her claim (not reaped yet); she comes back
    // through this one with her token: a wrong token is refused, hers moves
    // the claim here, and the kick, her `left` and `joined` are on the stream.
    void aTakeOverIsAnsweredFromTheEventLoop()
    {
        Cluster dead(m_fixture.address(), kHeartbeatMsecs, nobodyHere);
        QVERIFY(std::holds_alternative<Cluster::Snapshot>(dead.join(0)));
        QCOMPARE(dead.claimNick(u"carol"_s, u"carol"_s, 3, "old hash"), Cluster::Claim::Granted);
        Cluster cluster(m_fixture.address(), kHeartbeatMsecs, nobodyHere);
        QVERIFY(std::holds_alternative<Cluster::Snapshot>(cluster.join(0)));
        const qint64 entriesBefore = streamLength();
        const Protocol::Left left{u"carol"_s, Protocol::LeaveReason::Disconnected, QDateTime::currentDateTimeUtc()};
        std::optional<Cluster::Claim> answer;
        const auto keep = [&answer](Cluster::Claim claim) { answer = claim; };
        QVERIFY(cluster.startTakeOver(u"carol"_s, u"carol"_s, "wrong hash", "new hash", left, 5, keep));
        QVERIFY(!answer); // never inside the call
        QVERIFY(cluster.answerInFlight());
        QTRY_VERIFY(answer);
        QCOMPARE(*answer, Cluster::Claim::Taken);
        QCOMPARE(streamLength(), entriesBefore);

        QVERIFY(cluster.startTakeOver(u"carol"_s, u"carol"_s, "old hash", "new hash", left, 5, keep));
        QTRY_VERIFY(!cluster.answerInFlight());
        QCOMPARE(*answer, Cluster::Claim::Granted);
        const RedisConnection::Result holder =
            m_fixture.redis().command({"HGET", RoomStream::Keys{}.claims(), "carol"});
        QCOMPARE(std::get<RedisReply>(holder).string, cluster.instanceId());
        const RedisConnection::Result hash = m_fixture.redis().command({"HGET", RoomStream::Keys{}.resume(), "carol"});
        QCOMPARE(std::get<RedisReply>(hash).string, QByteArray("new hash"));
        QCOMPARE(streamLength(), entriesBefore + 3); // the kick, `left`, `joined`
    }

    void anAwayIsSharedFromTheEventLoop()
    {
        Cluster cluster(m_fixture.address(), kHeartbeatMsecs, nobodyHere);
        QVERIFY(std::holds_alternative<Cluster::Snapshot>(cluster.join(0)));
        QCOMPARE(cluster.claimNick(u"carol"_s, u"carol"_s, 3, {}), Cluster::Claim::Granted);
        std::optional<bool> shared;
        QVERIFY(cluster.startShare(Protocol::Away{u"carol"_s, u"lunch"_s, QDateTime::currentDateTimeUtc()},
                                   [&shared](bool done) { shared = done; }));
        QVERIFY(!shared);
        QTRY_VERIFY(shared);
        QVERIFY(*shared);
        const RedisConnection::Result away = m_fixture.redis().command({"HGET", RoomStream::Keys{}.away(), "carol"});
        QCOMPARE(std::get<RedisReply>(away).string, QByteArray("lunch"));
    }

    // Nobody waits for a release: it is not the answer in flight, and Redis
    // runs it before what this instance sends next (here carol's nickname
    // claimed again by a new connection).
    void aReleaseGoesBeforeTheNextClaim()
    {
        Cluster cluster(m_fixture.address(), kHeartbeatMsecs, nobodyHere);
        QVERIFY(std::holds_alternative<Cluster::Snapshot>(cluster.join(0)));
        QCOMPARE(cluster.claimNick(u"carol"_s, u"carol"_s, 3, {}), Cluster::Claim::Granted);
        const qint64 entriesBefore = streamLength();
        QVERIFY(cluster.startRelease(u"carol"_s, Protocol::Left{u"carol"_s, Protocol::LeaveReason::Disconnected,
                                                                QDateTime::currentDateTimeUtc()}));
        QVERIFY(!cluster.answerInFlight());
        std::optional<Cluster::Claim> answer;
        QVERIFY(
            cluster.startClaimNick(u"carol"_s, u"carol"_s, 4, {}, [&answer](Cluster::Claim claim) { answer = claim; }));
        QTRY_VERIFY(answer);
        QCOMPARE(*answer, Cluster::Claim::Granted);
        QCOMPARE(streamLength(), entriesBefore + 2); // carol's `left`, then her `joined`
    }

    void nothingIsSentWithoutRedis()
    {
        const ReservedPort refused; // nothing listens there
        Cluster cluster(refusedAddress(refused), kHeartbeatMsecs, nobodyHere);
        bool called = false;
        QVERIFY(!cluster.startClaimNick(u"erin"_s, u"erin"_s, 7, {}, [&called](Cluster::Claim) { called = true; }));
        QVERIFY(!cluster.answerInFlight());
        QCOMPARE(cluster.claimNick(u"erin"_s, u"erin"_s, 7, {}), Cluster::Claim::Unavailable);
        QVERIFY(!cluster.startShare(Protocol::Back{u"erin"_s, QDateTime::currentDateTimeUtc()},
                                    [&called](bool) { called = true; }));
        QVERIFY(!cluster.startRelease(u"erin"_s, Protocol::Left{u"erin"_s, Protocol::LeaveReason::Disconnected,
                                                                QDateTime::currentDateTimeUtc()}));
        QVERIFY(!called);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestClusterClaim)
#include "tst_clusterclaim.moc"
