// SPDX-License-Identifier: MIT
// RedisConnection::pipeline and LuaScript::callAll against a real
// redis-server: many commands in one round trip, each answered in its place,
// and a pipeline of FCALLs that finds its function missing loads it once.
#include "luascript.h"
#include "redisconnection.h"
#include "redistest.h"
#include "testharness.h"

#include <QScopeGuard>
#include <QTcpServer>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;

namespace {
using Result = RedisConnection::Result;

const RedisReply &replyOf(const Result &result)
{
    return std::get<RedisReply>(result);
}
} // namespace

class TestRedisPipeline : public RedisTest
{
    Q_OBJECT

    // post.lua: INCR the sequence (KEYS[1]), XADD the entry, return the id
    // (an empty epoch argument: not checked).
    LuaScript m_post{{u"post"_s}};

    LuaScript::Invocation post(const QByteArray &sequence = "t:sequence") const
    {
        return {{sequence, "t:stream", "t:epoch"}, {"100", "", "kind", "message", "text", "hi"}};
    }
    static QList<qint64> idsOf(const QList<Result> &results)
    {
        QList<qint64> ids;
        for (const Result &result : results)
            ids.append(RedisConnection::errorOf(result).isEmpty() ? replyOf(result).integer : -1);
        return ids;
    }

private slots:
    void repliesComeInOrder()
    {
        const QList<Result> results = m_fixture.redis().pipeline(
            {{"SET", "k", "1"}, {"INCR", "k"}, {"GET", "k"}, {"PING"}, {"INCRBY", "k", "40"}});
        QCOMPARE(results.size(), 5);
        for (const Result &result : results)
            QVERIFY2(RedisConnection::errorOf(result).isEmpty(), qPrintable(RedisConnection::errorOf(result)));
        QCOMPARE(replyOf(results.at(0)).string, "OK");
        QCOMPARE(replyOf(results.at(1)).integer, 2);
        QCOMPARE(replyOf(results.at(2)).string, "2");
        QCOMPARE(replyOf(results.at(3)).string, "PONG");
        QCOMPARE(replyOf(results.at(4)).integer, 42);
        QVERIFY(m_fixture.redis().pipeline({}).isEmpty());
    }

    void anErrorReplyAnswersItsOwnCommandOnly()
    {
        const QList<Result> results =
            m_fixture.redis().pipeline({{"SET", "k", "text"}, {"INCR", "k"}, {"GET", "k"}, {"INCR", "n"}});
        QCOMPARE(results.size(), 4);
        QCOMPARE(replyOf(results.at(0)).string, "OK");
        QVERIFY2(RedisConnection::errorOf(results.at(1)).contains(u"not an integer"_s),
                 qPrintable(RedisConnection::errorOf(results.at(1))));
        QCOMPARE(replyOf(results.at(2)).string, "text");
        QCOMPARE(replyOf(results.at(3)).integer, 1);
        QVERIFY(m_fixture.redis().isConnected()); // an error reply is no broken connection
    }

    void aLostConnectionFailsTheCommandsLeft()
    {
        // QUIT: Redis answers it, then closes the connection without
        // carrying out what was sent after it.
        const QList<Result> results =
            m_fixture.redis().pipeline({{"INCR", "n"}, {"QUIT"}, {"INCR", "n"}, {"INCR", "n"}});
        QCOMPARE(results.size(), 4);
        QCOMPARE(replyOf(results.at(0)).integer, 1);
        QCOMPARE(replyOf(results.at(1)).string, "OK");
        for (qsizetype i = 2; i < 4; ++i) {
            QVERIFY(std::holds_alternative<QString>(results.at(i)));
            QVERIFY2(std::get<QString>(results.at(i)).startsWith(u"lost the connection"_s),
                     qPrintable(std::get<QString>(results.at(i))));
        }
        QVERIFY(!m_fixture.redis().isConnected());
        // The next command connects again; the commands after QUIT never ran.
        QCOMPARE(replyOf(m_fixture.redis().command({"GET", "n"})).string, "1");
    }

    void aPipelineOfCallsLoadsTheFunctionOnce()
    {
        const QList<Result> first = m_post.callAll(m_fixture.redis(), {post(), post(), post()});
        QCOMPARE(idsOf(first), (QList<qint64>{1, 2, 3}));
        QCOMPARE(m_fixture.calls("function|load"), 1);
        QCOMPARE(m_fixture.calls("fcall"), 6); // three found nothing and were sent again after the load
        const QList<Result> second = m_post.callAll(m_fixture.redis(), {post(), post()});
        QCOMPARE(idsOf(second), (QList<qint64>{4, 5}));
        QCOMPARE(m_fixture.calls("function|load"), 1);
        QCOMPARE(m_fixture.calls("fcall"), 8);
        QCOMPARE(m_fixture.calls("eval"), 0);
        QCOMPARE(replyOf(m_fixture.redis().command({"XLEN", "t:stream"})).integer, 5);
    }

    void aFunctionLostBetweenPipelinesIsLoadedAgain()
    {
        QCOMPARE(idsOf(m_post.callAll(m_fixture.redis(), {post()})), QList<qint64>{1});
        // As after a Redis restarted without its data, or an operator's FUNCTION FLUSH.
        QVERIFY(RedisConnection::errorOf(m_fixture.redis().command({"FUNCTION", "FLUSH"})).isEmpty());
        QCOMPARE(idsOf(m_post.callAll(m_fixture.redis(), {post(), post()})), (QList<qint64>{2, 3}));
        QCOMPARE(m_fixture.calls("function|load"), 2);
    }

    void aFailedCallInTheMiddleLeavesTheOthers()
    {
        // A wrong type under one invocation's sequence key: its error, in its place.
        QVERIFY(RedisConnection::errorOf(m_fixture.redis().command({"SET", "t:bad", "not a number"})).isEmpty());
        const QList<Result> results = m_post.callAll(m_fixture.redis(), {post(), post("t:bad"), post()});
        QCOMPARE(results.size(), 3);
        QCOMPARE(replyOf(results.at(0)).integer, 1);
        QVERIFY2(RedisConnection::errorOf(results.at(1)).contains(u"not an integer"_s),
                 qPrintable(RedisConnection::errorOf(results.at(1))));
        QCOMPARE(replyOf(results.at(2)).integer, 2);
        QCOMPARE(m_fixture.calls("function|load"), 1);
    }

    // sendPipeline (issue #16): the replies are read from the event loop.
    void aSentPipelineIsAnsweredLater()
    {
        std::optional<QList<Result>> answered;
        QVERIFY(m_fixture.redis().sendPipeline({{"SET", "k", "1"}, {"INCR", "k"}, {"INCR", "nope", "x"}},
                                               [&answered](const QList<Result> &results) { answered = results; }));
        QVERIFY(!answered); // never inside the call
        QVERIFY(m_fixture.redis().hasPending());
        QTRY_VERIFY(answered);
        QCOMPARE(answered->size(), 3);
        QCOMPARE(replyOf(answered->at(0)).string, "OK");
        QCOMPARE(replyOf(answered->at(1)).integer, 2);
        QVERIFY(!RedisConnection::errorOf(answered->at(2)).isEmpty());
        QVERIFY(!m_fixture.redis().hasPending());
        QVERIFY(m_fixture.redis().isConnected());
    }

    void aCommandReadsThePendingRepliesFirst()
    {
        QList<int> order;
        QVERIFY(m_fixture.redis().sendPipeline({{"INCR", "n"}, {"INCR", "n"}}, [&order](const QList<Result> &results) {
            QCOMPARE(results.size(), 2);
            order.append(int(replyOf(results.at(1)).integer));
        }));
        QVERIFY(m_fixture.redis().sendPipeline({{"INCR", "n"}}, [&order](const QList<Result> &results) {
            order.append(int(replyOf(results.at(0)).integer));
        }));
        const Result got = m_fixture.redis().command({"GET", "n"});
        QCOMPARE(order, (QList<int>{2, 3}));
        QCOMPARE(replyOf(got).string, "3");
        QVERIFY(!m_fixture.redis().hasPending());
    }

    void aSentPipelineOfCallsLoadsTheFunction()
    {
        std::optional<QList<Result>> answered;
        QVERIFY(m_post.startCallAll(m_fixture.redis(), {post(), post()},
                                    [&answered](const QList<Result> &results) { answered = results; }));
        QTRY_VERIFY(answered);
        QCOMPARE(idsOf(*answered), (QList<qint64>{1, 2}));
        QCOMPARE(m_fixture.calls("function|load"), 1);
    }

    // A reply that has arrived and is not read yet is no closed connection:
    // isConnected() (which every Cluster step asks first) keeps the
    // connection and the pipeline gets its answer. Redis answers our PING
    // before the operator's, sent after it, so the reply is waiting when
    // isConnected() looks; repeated, as the ordering is Redis's.
    void aReplyWaitingToBeReadIsNoClosedConnection()
    {
        RedisConnection operatorConnection(m_fixture.address());
        QVERIFY(operatorConnection.connectNow());
        constexpr int kRounds = 20;
        for (int round = 0; round < kRounds; ++round) {
            std::optional<QList<Result>> answered;
            QVERIFY(m_fixture.redis().sendPipeline({{"PING"}},
                                                   [&answered](const QList<Result> &results) { answered = results; }));
            QCOMPARE(replyOf(operatorConnection.command({"PING"})).string, "PONG");
            QVERIFY(m_fixture.redis().isConnected());
            QTRY_VERIFY(answered);
            QVERIFY2(RedisConnection::errorOf(answered->constFirst()).isEmpty(),
                     qPrintable(RedisConnection::errorOf(answered->constFirst())));
            QCOMPARE(replyOf(answered->constFirst()).string, "PONG");
        }
    }

    // A Redis that takes the commands and never answers: every pipeline
    // sent fails at the command timeout, and the connection is dropped.
    void aTimeoutFailsThePipelinesSent()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        RedisConnection redis(RedisAddress::server(u"127.0.0.1"_s, silent.serverPort()));
        QVERIFY(redis.connectNow());
        std::optional<QList<Result>> first;
        std::optional<QList<Result>> second;
        QVERIFY(redis.sendPipeline({{"PING"}, {"PING"}}, [&first](const QList<Result> &results) { first = results; }));
        QVERIFY(redis.sendPipeline({{"PING"}}, [&second](const QList<Result> &results) { second = results; }));
        QTRY_VERIFY_WITH_TIMEOUT(second, 2 * RedisConnection::kCommandTimeoutMsecs);
        QVERIFY(first);
        QCOMPARE(first->size(), 2);
        for (const Result &result : *first)
            QVERIFY2(RedisConnection::errorOf(result).contains(u"did not answer"_s),
                     qPrintable(RedisConnection::errorOf(result)));
        QVERIFY(!redis.hasPending());
        QVERIFY(!redis.isConnected());
    }

    // Redis answers some of a pipeline sent, then closes the connection
    // (QUIT, as a Redis that is restarted): the rest fail at once with the
    // lost connection, not at the command timeout, and the next command
    // connects again.
    void aConnectionClosedWithRepliesPendingFailsTheRest()
    {
        std::optional<QList<Result>> answered;
        QVERIFY(m_fixture.redis().sendPipeline({{"INCR", "n"}, {"QUIT"}, {"INCR", "n"}},
                                               [&answered](const QList<Result> &results) { answered = results; }));
        QTRY_VERIFY(answered);
        QCOMPARE(answered->size(), 3);
        QCOMPARE(replyOf(answered->at(0)).integer, 1);
        QCOMPARE(replyOf(answered->at(1)).string, "OK");
        QVERIFY2(RedisConnection::errorOf(answered->at(2)).startsWith(u"lost the connection"_s),
                 qPrintable(RedisConnection::errorOf(answered->at(2))));
        QVERIFY(!m_fixture.redis().hasPending());
        QVERIFY(!m_fixture.redis().isConnected());
        QCOMPARE(replyOf(m_fixture.redis().command({"GET", "n"})).string, "1");
    }

    // A primary demoted to a replica under the connection (a Sentinel
    // failover): the write is refused with READONLY in its place, the
    // pipeline is answered, and only then is the connection dropped, so that
    // the next command looks for the primary again.
    void aReadOnlyReplyIsAnsweredThenTheConnectionDropped()
    {
        RedisConnection operatorConnection(m_fixture.address());
        QVERIFY(operatorConnection.connectNow());
        // A primary that does not exist: the replica stays read-only, with its data.
        QTcpServer nowhere;
        QVERIFY(nowhere.listen(QHostAddress::LocalHost, 0));
        const QByteArray port = QByteArray::number(nowhere.serverPort());
        nowhere.close();
        QVERIFY(RedisConnection::errorOf(operatorConnection.command({"REPLICAOF", "127.0.0.1", port})).isEmpty());
        const auto backToPrimary = qScopeGuard([&operatorConnection] {
            QVERIFY(RedisConnection::errorOf(operatorConnection.command({"REPLICAOF", "NO", "ONE"})).isEmpty());
        });
        std::optional<QList<Result>> answered;
        bool connectedWhenAnswered = false;
        QVERIFY(m_fixture.redis().sendPipeline({{"SET", "k", "1"}, {"PING"}}, [&](const QList<Result> &results) {
            answered = results;
            connectedWhenAnswered = m_fixture.redis().isConnected();
        }));
        QTRY_VERIFY(answered);
        QCOMPARE(answered->size(), 2);
        QVERIFY2(RedisConnection::errorOf(answered->at(0)).startsWith(u"READONLY"_s),
                 qPrintable(RedisConnection::errorOf(answered->at(0))));
        QCOMPARE(replyOf(answered->at(1)).string, "PONG");
        QVERIFY(connectedWhenAnswered);
        QVERIFY(!m_fixture.redis().isConnected());
        QVERIFY2(m_fixture.redis().lastError().contains(u"READONLY"_s), qPrintable(m_fixture.redis().lastError()));
    }

    // More than the socket buffers hold in one pipeline: hiredis writes it in
    // parts, and every command arrives whole and is answered.
    void aPipelineLargerThanTheSocketBufferGoesOutWhole()
    {
        constexpr qsizetype kValueBytes = 8 * 1024 * 1024;
        const QByteArray value(kValueBytes, 'x');
        std::optional<QList<Result>> answered;
        QVERIFY(m_fixture.redis().sendPipeline({{"SET", "big", value}, {"STRLEN", "big"}, {"APPEND", "big", "y"}},
                                               [&answered](const QList<Result> &results) { answered = results; }));
        QTRY_VERIFY(answered);
        QCOMPARE(answered->size(), 3);
        QCOMPARE(replyOf(answered->at(0)).string, "OK");
        QCOMPARE(replyOf(answered->at(1)).integer, kValueBytes);
        QCOMPARE(replyOf(answered->at(2)).integer, kValueBytes + 1);
        QVERIFY(m_fixture.redis().isConnected());
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestRedisPipeline)
#include "tst_redispipeline.moc"
