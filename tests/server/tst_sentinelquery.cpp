// SPDX-License-Identifier: MIT
// Connecting through Sentinel without waiting (issue #16): SentinelQuery
// asks the Sentinels in turn and is asked later whether one named the
// primary, and RespExchange says SELECT and ROLE on a new connection the
// same way, so a Sentinel or a server that does not answer costs the room's
// thread a look instead of a timeout (300 ms per Sentinel, 2 s for ROLE).
//
// The Sentinels here are fakes on QTcpServer: they answer only when the
// test's event loop runs, so a query that waited for them inside one call
// could never see their answer.
#include "redisaddress.h"
#include "redisconnection.h"
#include "redisprocess.h"
#include "sentinelquery.h"
#include "testharness.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr int kLongTimeoutMsecs = 60000;
constexpr int kShortTimeoutMsecs = 200;
const QString kMaster = u"qtchat"_s;

// Accepts connections and answers each command with `answer` (nothing at
// all when it is empty: a Sentinel or server that hangs).
class FakeServer final : public QObject
{
public:
    explicit FakeServer(QByteArray answer) : m_answer(std::move(answer))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    // One command per read is enough here: each client sends one.
                    const QByteArray asked = socket->readAll();
                    m_received += asked;
                    if (asked.contains(kMaster.toUtf8()))
                        ++m_asked;
                    if (!m_answer.isEmpty())
                        socket->write(m_answer);
                });
            }
        });
    }
    bool start() { return m_server.listen(QHostAddress::LocalHost); }
    RedisAddress::Endpoint endpoint() const { return {u"127.0.0.1"_s, m_server.serverPort()}; }
    int asked() const { return m_asked; }
    QByteArray received() const { return m_received; }

    static QByteArray naming(quint16 port)
    {
        const QByteArray number = QByteArray::number(port);
        return "*2\r\n$9\r\n127.0.0.1\r\n$" + QByteArray::number(number.size()) + "\r\n" + number + "\r\n";
    }

private:
    QTcpServer m_server;
    QByteArray m_answer;
    QByteArray m_received;
    int m_asked = 0;
};

RedisAddress sentinels(const QList<const FakeServer *> &fakes)
{
    RedisAddress address;
    address.masterName = kMaster;
    for (const FakeServer *fake : fakes)
        address.sentinels.append(fake->endpoint());
    return address;
}
} // namespace

class TestSentinelQuery final : public QObject
{
    Q_OBJECT

private slots:
    void aSentinelIsAskedWithoutWaitingForItsAnswer()
    {
        FakeServer sentinel(FakeServer::naming(6399));
        QVERIFY(sentinel.start());
        SentinelQuery query(sentinels({&sentinel}), 0, kLongTimeoutMsecs);
        // Its answer needs this thread's event loop: not there yet, and not waited for.
        QCOMPARE(query.poll(0), SentinelQuery::State::InProgress);
        QTRY_COMPARE_WITH_TIMEOUT(query.poll(0), SentinelQuery::State::Found, kLongTimeoutMsecs);
        QCOMPARE(query.primary().host, u"127.0.0.1"_s);
        QCOMPARE(query.primary().port, quint16(6399));
        QCOMPARE(query.answeredBy(), 0);
    }

    void aSilentSentinelGivesWayToTheNextOnceItsTimeIsUp()
    {
        FakeServer silent({});
        FakeServer answering(FakeServer::naming(6400));
        QVERIFY(silent.start());
        QVERIFY(answering.start());
        SentinelQuery query(sentinels({&silent, &answering}), 0, kShortTimeoutMsecs);
        QTRY_COMPARE_WITH_TIMEOUT(query.poll(0), SentinelQuery::State::Found, kLongTimeoutMsecs);
        QCOMPARE(query.primary().port, quint16(6400));
        QCOMPARE(query.answeredBy(), 1);
        QCOMPARE(silent.asked(), 1);
    }

    void aSentinelThatDoesNotKnowTheNameGivesWayToTheNext()
    {
        FakeServer unaware("*-1\r\n");
        FakeServer answering(FakeServer::naming(6401));
        QVERIFY(unaware.start());
        QVERIFY(answering.start());
        SentinelQuery query(sentinels({&unaware, &answering}), 0, kLongTimeoutMsecs);
        QTRY_COMPARE_WITH_TIMEOUT(query.poll(0), SentinelQuery::State::Found, kLongTimeoutMsecs);
        QCOMPARE(query.primary().port, quint16(6401));
        QCOMPARE(unaware.asked(), 1);
    }

    void theSentinelThatAnsweredLastIsAskedFirst()
    {
        // The silent one would hold the query for a minute if it were asked.
        FakeServer silent({});
        FakeServer answering(FakeServer::naming(6402));
        QVERIFY(silent.start());
        QVERIFY(answering.start());
        SentinelQuery query(sentinels({&silent, &answering}), 1, kLongTimeoutMsecs);
        QTRY_COMPARE_WITH_TIMEOUT(query.poll(0), SentinelQuery::State::Found, kLongTimeoutMsecs);
        QCOMPARE(query.answeredBy(), 1);
        QCOMPARE(silent.asked(), 0);
    }

    void noSentinelNamingThePrimaryIsAFailureThatNamesEach()
    {
        FakeServer unaware("*-1\r\n");
        FakeServer failing("-ERR no such master\r\n");
        QVERIFY(unaware.start());
        QVERIFY(failing.start());
        SentinelQuery query(sentinels({&unaware, &failing}), 0, kLongTimeoutMsecs);
        QTRY_COMPARE_WITH_TIMEOUT(query.poll(0), SentinelQuery::State::Failed, kLongTimeoutMsecs);
        const QString error = query.error();
        QVERIFY2(error.contains(u"does not know qtchat"_s), qPrintable(error));
        QVERIFY2(error.contains(u"no such master"_s), qPrintable(error));
        QVERIFY2(error.contains(u":%1"_s.arg(unaware.endpoint().port)), qPrintable(error));
        QVERIFY2(error.contains(u":%1"_s.arg(failing.endpoint().port)), qPrintable(error));
    }

    // RedisConnection through a Sentinel that does not answer: the command
    // is refused at once, and a later one connects once the next Sentinel
    // has named the primary (and ROLE said it is one).
    void aCommandIsNotHeldByTheSentinels()
    {
        QTCHAT_REQUIRE(!RedisProcess::program().isEmpty(), "redis-server (Debian package redis-server)");
        RedisProcess redis;
        QVERIFY(redis.start());
        FakeServer silent({});
        FakeServer answering(FakeServer::naming(redis.port()));
        QVERIFY(silent.start());
        QVERIFY(answering.start());
        RedisConnection connection(sentinels({&silent, &answering}));
        const QString refused = RedisConnection::errorOf(connection.command({"PING"}));
        QVERIFY2(refused.contains(u"still asking the Sentinels"_s), qPrintable(refused));
        QVERIFY(connection.isConnecting());
        QTRY_VERIFY_WITH_TIMEOUT(connection.connectWithoutWaiting(), kLongTimeoutMsecs);
        const RedisConnection::Result pong = connection.command({"PING"});
        QCOMPARE(std::get<RedisReply>(pong).string, QByteArray("PONG"));
        QVERIFY2(connection.serverName().contains(u":%1"_s.arg(redis.port())), qPrintable(connection.serverName()));
    }

    // The server the Sentinels name is a replica (Sentinel has not caught
    // up with a failover): ROLE says so, and the connection is not used.
    void aReplicaNamedAsPrimaryIsRefused()
    {
        QTCHAT_REQUIRE(!RedisProcess::program().isEmpty(), "redis-server (Debian package redis-server)");
        RedisProcess redis;
        QVERIFY(redis.start());
        RedisConnection operatorConnection(redis.address());
        QVERIFY(operatorConnection.connectNow());
        // A primary that does not exist: the replica stays one.
        QTcpServer nowhere;
        QVERIFY(nowhere.listen(QHostAddress::LocalHost, 0));
        const QByteArray port = QByteArray::number(nowhere.serverPort());
        nowhere.close();
        QVERIFY(RedisConnection::errorOf(operatorConnection.command({"REPLICAOF", "127.0.0.1", port})).isEmpty());
        FakeServer sentinel(FakeServer::naming(redis.port()));
        QVERIFY(sentinel.start());
        RedisConnection connection(sentinels({&sentinel}));
        // Looked at again until the connect has ended (a look after that
        // would start another).
        bool ended = false;
        const auto connectEnded = [&] {
            if (!ended)
                ended = !connection.connectWithoutWaiting() && !connection.isConnecting();
            return ended;
        };
        QTRY_VERIFY_WITH_TIMEOUT(connectEnded(), kLongTimeoutMsecs);
        QVERIFY(!connection.isConnected());
        QVERIFY2(connection.lastError().contains(u"is not the primary"_s), qPrintable(connection.lastError()));
    }

    // A server that takes the connection but does not answer SELECT: the
    // command is refused at once instead of waiting the command timeout.
    void aSelectUnansweredDoesNotHoldTheCommand()
    {
        FakeServer hanging({});
        QVERIFY(hanging.start());
        RedisAddress address = RedisAddress::server(u"127.0.0.1"_s, hanging.endpoint().port);
        address.database = 3;
        RedisConnection connection(address);
        // The TCP connect is the kernel's; then SELECT goes out, and its answer never comes.
        const auto selectSent = [&] {
            connection.connectWithoutWaiting();
            return hanging.received().contains("SELECT");
        };
        QTRY_VERIFY_WITH_TIMEOUT(selectSent(), kLongTimeoutMsecs);
        const QString refused = RedisConnection::errorOf(connection.command({"PING"}));
        QVERIFY2(refused.contains(u"still connecting"_s), qPrintable(refused));
        QVERIFY(connection.isConnecting());
        QVERIFY(!connection.isConnected());
    }

    // On the room's thread a connect is followed by the event loop: a
    // command that finds it under way is refused, and the connect is made
    // without another command, the owner being told (a Cluster then starts
    // its set-up).
    void aFollowedConnectIsMadeByTheEventLoop()
    {
        FakeServer selecting("+OK\r\n"); // answers only while this test's event loop runs
        QVERIFY(selecting.start());
        RedisAddress address = RedisAddress::server(u"127.0.0.1"_s, selecting.endpoint().port);
        address.database = 3;
        RedisConnection connection(address);
        int connected = 0;
        connection.followConnectsFromEventLoop([&connected] { ++connected; });
        const QString refused = RedisConnection::errorOf(connection.command({"PING"}));
        QVERIFY2(refused.contains(u"still connecting"_s), qPrintable(refused));
        QCOMPARE(connected, 0);
        QTRY_COMPARE_WITH_TIMEOUT(connected, 1, kLongTimeoutMsecs);
        QVERIFY(connection.isConnected());
        QVERIFY(selecting.received().contains("SELECT"));
        QCOMPARE(connection.connectionCount(), quint64(1));
    }

    void theDatabaseIsSelectedBeforeTheConnectionIsUsed()
    {
        QTCHAT_REQUIRE(!RedisProcess::program().isEmpty(), "redis-server (Debian package redis-server)");
        RedisProcess redis;
        QVERIFY(redis.start());
        RedisAddress address = redis.address();
        address.database = 3;
        RedisConnection connection(address);
        QTRY_VERIFY_WITH_TIMEOUT(connection.connectWithoutWaiting(), kLongTimeoutMsecs);
        const RedisConnection::Result info = connection.command({"CLIENT", "INFO"});
        QVERIFY2(RedisConnection::errorOf(info).isEmpty(), qPrintable(RedisConnection::errorOf(info)));
        QVERIFY2(std::get<RedisReply>(info).string.contains(" db=3 "), std::get<RedisReply>(info).string.constData());
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestSentinelQuery)
#include "tst_sentinelquery.moc"
