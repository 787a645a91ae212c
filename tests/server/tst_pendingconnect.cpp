// SPDX-License-Identifier: MIT
// Connecting to Redis without waiting (issue #16): PendingConnect starts a
// TCP connect and is asked later whether it finished, so a Redis whose
// machine does not answer (SYNs dropped) costs the room's thread nothing
// but a look; RedisConnection refuses a command with "still connecting"
// instead of waiting for the connect timeout.
//
// A listener whose accept queue is full drops new SYNs, as an unreachable
// host does: listen backlog 0, one connection already queued, never accepted.
#include "pendingconnect.h"
#include "redisaddress.h"
#include "redisconnection.h"
#include "redisprocess.h"
#include "testharness.h"

#include <QTcpServer>
#include <QTest>

#include <unistd.h>

#include <future>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr int kLongTimeoutMsecs = 60000;
constexpr int kShortTimeoutMsecs = 200;
// How long a test's resolver holds its lookup at most: a caller that waited
// for it would see its answer, and fail the test instead of hanging it.
constexpr std::chrono::milliseconds kLookupHold{20'000};

// A port on which connects hang: its accept queue is full and nobody accepts.
class Unanswering final
{
public:
    bool start()
    {
        m_server.setListenBacklogSize(0);
        if (!m_server.listen(QHostAddress::LocalHost))
            return false;
        m_server.pauseAccepting();
        // One connection fills the queue (backlog 0 holds one).
        m_filler = std::make_unique<PendingConnect>(u"127.0.0.1"_s, port(), kLongTimeoutMsecs);
        return m_filler->poll(kLongTimeoutMsecs) == PendingConnect::State::Connected;
    }
    quint16 port() const { return m_server.serverPort(); }

private:
    QTcpServer m_server;
    std::unique_ptr<PendingConnect> m_filler;
};
} // namespace

class TestPendingConnect final : public QObject
{
    Q_OBJECT

private slots:
    void connectsToAListener()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        PendingConnect connect(u"127.0.0.1"_s, server.serverPort(), kLongTimeoutMsecs);
        QCOMPARE(connect.poll(kLongTimeoutMsecs), PendingConnect::State::Connected);
        const int fd = connect.takeSocket();
        QVERIFY(fd >= 0);
        QCOMPARE(connect.takeSocket(), -1); // once only
        ::close(fd);
    }

    // "localhost" is ::1 first where /etc/hosts says so (Debian's default):
    // that address refuses (the listener is IPv4 only) and the next is tried.
    void resolvesNames()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        PendingConnect connect(u"localhost"_s, server.serverPort(), kLongTimeoutMsecs);
        QCOMPARE(connect.poll(kLongTimeoutMsecs), PendingConnect::State::Connected);
        ::close(connect.takeSocket());
    }

    void refusedIsAFailure()
    {
        quint16 closedPort = 0;
        {
            QTcpServer server;
            QVERIFY(server.listen(QHostAddress::LocalHost));
            closedPort = server.serverPort();
        }
        PendingConnect connect(u"127.0.0.1"_s, closedPort, kLongTimeoutMsecs);
        QCOMPARE(connect.poll(kLongTimeoutMsecs), PendingConnect::State::Failed);
        QVERIFY2(connect.error().contains(u"refused"_s), qPrintable(connect.error()));
        QCOMPARE(connect.takeSocket(), -1);
    }

    void unknownHostIsAFailure()
    {
        PendingConnect connect(u"no-such-host.invalid"_s, 6379, kLongTimeoutMsecs);
        QCOMPARE(connect.poll(kLongTimeoutMsecs), PendingConnect::State::Failed);
        QVERIFY(!connect.error().isEmpty());
    }

    // A DNS server that is slow to answer (or does not): the lookup runs on
    // a thread of its own, and the caller is held no longer than it asks.
    void aNameIsResolvedWithoutWaiting()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        std::promise<void> answer;
        const std::shared_future<void> answered = answer.get_future().share();
        PendingConnect connect(u"redis.example"_s, server.serverPort(), kLongTimeoutMsecs,
                               [answered](const QByteArray &, const QByteArray &service) {
                                   answered.wait_for(kLookupHold);
                                   return PendingConnect::resolve("127.0.0.1", service);
                               });
        QCOMPARE(connect.poll(0), PendingConnect::State::InProgress);
        QCOMPARE(connect.poll(kShortTimeoutMsecs), PendingConnect::State::InProgress);
        answer.set_value();
        QCOMPARE(connect.poll(kLongTimeoutMsecs), PendingConnect::State::Connected);
        ::close(connect.takeSocket());
    }

    // Given up while the name is still being resolved (a command refused,
    // the connection reset): whoever destroys it is not held either.
    void aHangingLookupDoesNotHoldItsOwner()
    {
        std::promise<void> answer;
        const std::shared_future<void> answered = answer.get_future().share();
        {
            PendingConnect connect(u"redis.example"_s, 6379, kLongTimeoutMsecs,
                                   [answered](const QByteArray &, const QByteArray &) -> PendingConnect::Resolved {
                                       answered.wait_for(kLookupHold);
                                       return u"gave up"_s;
                                   });
            QCOMPARE(connect.poll(0), PendingConnect::State::InProgress);
        }
        // Destroyed with its lookup still running (a hang here is the failure).
        answer.set_value();
    }

    void unansweredConnectIsNotWaitedFor()
    {
        Unanswering silent;
        QVERIFY(silent.start());
        PendingConnect connect(u"127.0.0.1"_s, silent.port(), kShortTimeoutMsecs);
        QCOMPARE(connect.poll(0), PendingConnect::State::InProgress);
        // Given up once its timeout has passed, whoever asks.
        QTRY_COMPARE_WITH_TIMEOUT(connect.poll(0), PendingConnect::State::Failed, kLongTimeoutMsecs);
        QVERIFY2(connect.error().contains(u"timed out"_s), qPrintable(connect.error()));
    }

    void redisCommandIsRefusedWhileConnecting()
    {
        Unanswering silent;
        QVERIFY(silent.start());
        RedisConnection redis(RedisAddress::server(u"127.0.0.1"_s, silent.port()));
        const RedisConnection::Result result = redis.command({"PING"});
        QVERIFY2(RedisConnection::errorOf(result).contains(u"still connecting"_s),
                 qPrintable(RedisConnection::errorOf(result)));
        QVERIFY(redis.isConnecting());
        QVERIFY(!redis.isConnected());
        // The next command looks at the same connect again; it does not start another.
        QVERIFY(RedisConnection::errorOf(redis.command({"PING"})).contains(u"still connecting"_s));
    }

    void redisConnectsWithoutWaitingWhenItAnswers()
    {
        QTCHAT_REQUIRE(!RedisProcess::program().isEmpty(), "redis-server (Debian package redis-server)");
        RedisProcess process;
        QVERIFY(process.start());
        RedisConnection redis(process.address());
        QTRY_VERIFY_WITH_TIMEOUT(redis.connectWithoutWaiting(), kLongTimeoutMsecs);
        QVERIFY(!redis.isConnecting());
        const RedisConnection::Result pong = redis.command({"PING"});
        QVERIFY(RedisConnection::errorOf(pong).isEmpty());
        QCOMPARE(std::get<RedisReply>(pong).string, QByteArray("PONG"));
        QCOMPARE(redis.connectionCount(), quint64(1));
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestPendingConnect)
#include "tst_pendingconnect.moc"
