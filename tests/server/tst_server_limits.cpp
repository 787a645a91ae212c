// SPDX-License-Identifier: MIT
// The server under pressure: rate limits and flooding, slow consumers, and
// hostile input (garbage, huge lines, connection churn). Nothing of it may
// crash the server or reach other users.
#include "chatserver.h"
#include "serverfixture.h"
#include "spec.h"
#include "testclient.h"
#include "testharness.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QByteArray line(const QJsonObject &frame)
{
    return QJsonDocument(frame).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray repeatedLine(const QJsonObject &frame, int times)
{
    return line(frame).repeated(times);
}

// Random bytes in which every line has an invalid UTF-8 byte, so none can be a valid message.
QByteArray garbage(QRandomGenerator &random, int lines)
{
    QByteArray bytes;
    for (int i = 0; i < lines; ++i) {
        const int length = 1 + int(random.bounded(200));
        for (int j = 0; j < length; ++j) {
            char c = char(random.bounded(256));
            bytes.append(c == '\n' ? '\0' : c);
        }
        bytes.append('\xff');
        bytes.append('\n');
    }
    return bytes;
}

} // namespace

class TestServerLimits final : public QObject
{
    Q_OBJECT

private:
    // A bucket that refills so slowly (one frame per 10 s) that no test sees a refill.
    static ServerConfig slowBucket(int burst)
    {
        ServerConfig config = TestServer::config();
        config.rate = 0.1;
        config.burst = burst;
        return config;
    }

    ServerFixture m_fixture;

private slots:
    void initTestCase() { TestServer::quietLogs(); }
    void cleanup() { m_fixture.kill(); }

    void framesOverTheLimitAreRefused()
    {
        QVERIFY(m_fixture.start(slowBucket(4)));
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        TestClient &alice = *clients[0];

        // hello took one of 4 tokens: 3 pings pass, 3 are refused.
        QByteArray pings;
        for (int i = 0; i < 6; ++i)
            pings += line(Spec::ping(i));
        alice.sendRaw(pings);
        for (int i = 0; i < 3; ++i) {
            const QJsonObject pong = alice.nextFrame();
            QCOMPARE(Spec::type(pong), u"pong"_s);
            QCOMPARE(pong.value(u"id"_s).toInt(), i);
        }
        for (int i = 0; i < 3; ++i) {
            const QJsonObject error = alice.nextFrame();
            QCOMPARE(error.value(u"code"_s).toString(), u"rate-limited"_s);
            QCOMPARE(error.value(u"ref"_s).toString(), u"ping"_s);
            QVERIFY(!error.value(u"message"_s).toString().isEmpty());
        }

        // The connection stays open and still receives the room.
        clients[1]->sendJson(Spec::say(u"still there?"_s));
        QCOMPARE(alice.nextFrame().value(u"text"_s).toString(), u"still there?"_s);
        QVERIFY(alice.isConnected());
    }

    void refusedSayIsNotPublished()
    {
        QVERIFY(m_fixture.start(slowBucket(2)));
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        clients[0]->sendRaw(line(Spec::say(u"first"_s)) + line(Spec::say(u"second"_s)));
        QCOMPARE(clients[0]->nextFrame().value(u"text"_s).toString(), u"first"_s);
        QCOMPARE(clients[0]->nextFrame().value(u"code"_s).toString(), u"rate-limited"_s);

        // bob got "first" and then only what bob himself caused.
        QCOMPARE(clients[1]->nextFrame().value(u"text"_s).toString(), u"first"_s);
        clients[1]->sendJson(Spec::say(u"bob here"_s));
        QCOMPARE(clients[1]->nextFrame().value(u"text"_s).toString(), u"bob here"_s);
    }

    void floodingClosesTheConnection()
    {
        constexpr int kBurst = 4;
        QVERIFY(m_fixture.start(slowBucket(kBurst)));
        auto clients = TestClient::joinAll(m_fixture.port(), {u"flooder"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        TestClient &flooder = *clients[0];
        flooder.sendRaw(repeatedLine(Spec::say(u"spam"_s), 200));

        const QJsonObject left = clients[1]->waitForFrame(u"left"_s);
        QCOMPARE(left.value(u"nick"_s).toString(), u"flooder"_s);
        QCOMPARE(left.value(u"reason"_s).toString(), u"flood"_s);
        QVERIFY(flooder.waitForDisconnected());

        // The flooder was told why: rate-limited errors, then bye flood.
        const QJsonObject limited = flooder.waitForFrame(u"error"_s);
        QCOMPARE(limited.value(u"code"_s).toString(), u"rate-limited"_s);
        const QJsonObject bye = flooder.waitForFrame(u"bye"_s);
        QCOMPARE(bye.value(u"reason"_s).toString(), u"flood"_s);

        // bob saw at most the burst of spam (bob has already read the `left`,
        // which the room sent after every message it published), and the room goes on.
        qsizetype spamSeen = 0;
        for (const QByteArray &received : clients[1]->history()) {
            const QJsonObject frame = QJsonDocument::fromJson(received).object();
            if (Spec::type(frame) == u"message" && frame.value(u"from"_s).toString() == u"flooder"_s)
                ++spamSeen;
        }
        QVERIFY2(spamSeen >= 1 && spamSeen <= kBurst, qPrintable(u"bob saw %1 messages of spam"_s.arg(spamSeen)));
        TestClient carol;
        QVERIFY(!carol.join(m_fixture.port(), u"carol"_s).isEmpty());
        QCOMPARE(clients[1]->waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"carol"_s);
    }

    void rateZeroTurnsTheLimitOff()
    {
        ServerConfig config = TestServer::config();
        config.rate = 0;
        QVERIFY(m_fixture.start(config));
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        alice.sendRaw(repeatedLine(Spec::ping(u"p"_s), 500));
        for (int i = 0; i < 500; ++i)
            QCOMPARE(Spec::type(alice.nextFrame()), u"pong"_s);
    }

    // One client stops reading while another floods: it is dropped as a slow
    // consumer, and everyone else keeps receiving everything.
    void slowConsumerIsDropped()
    {
        ServerConfig config = TestServer::config();
        config.rate = 0;
        config.sendQueueBytes = 64 * 1024;
        QVERIFY(m_fixture.start(config));
        auto clients = TestClient::joinAll(m_fixture.port(), {u"slow"_s, u"watcher"_s, u"flooder"_s});
        QVERIFY(!clients.empty());
        TestClient &slow = *clients[0];
        TestClient &watcher = *clients[1];
        TestClient &flooder = *clients[2];
        slow.stopReading();

        // Each batch is one write of ~90 KB, more than the send queue: clients that
        // read must not be dropped for what one read of the server fans out.
        constexpr int kBatch = 30;
        constexpr int kMaxBatches = 300; // ~27 MB: far more than any socket buffers here
        const QByteArray batch = repeatedLine(Spec::say(u"x"_s.repeated(3000)), kBatch);
        bool slowLeft = false;
        int sent = 0;
        for (int b = 0; b < kMaxBatches && !slowLeft; ++b) {
            flooder.sendRaw(batch);
            sent += kBatch;
            for (int got = 0; got < kBatch;) {
                const QJsonObject frame = watcher.nextFrame();
                QVERIFY2(!frame.isEmpty(), "the watcher stopped receiving");
                if (Spec::type(frame) == u"message") {
                    ++got;
                } else {
                    QCOMPARE(Spec::type(frame), u"left"_s);
                    QCOMPARE(frame.value(u"nick"_s).toString(), u"slow"_s);
                    QCOMPARE(frame.value(u"reason"_s).toString(), u"slow-consumer"_s);
                    slowLeft = true;
                }
            }
        }
        QVERIFY2(slowLeft, qPrintable(u"no slow-consumer after %1 messages"_s.arg(sent)));

        // The flooder, who reads, got all its own messages and the same left.
        for (int i = 0; i < sent; ++i)
            QCOMPARE(Spec::type(flooder.waitForFrame(u"message"_s)), u"message"_s);
        flooder.sendJson(Spec::say(u"after"_s));
        QCOMPARE(watcher.nextFrame().value(u"text"_s).toString(), u"after"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.server()->connectionCount(), 2, TestClient::kTimeoutMsecs);
    }

    // A newcomer's welcome may be larger than --sendq (100 messages of 3,900
    // characters against 256 KiB): it reaches a client that reads, whole, and
    // only what queues after it counts. A newcomer that never reads is still
    // dropped once the messages after its welcome exceed the bound.
    void welcomeLargerThanTheSendQueueReachesAReader()
    {
        constexpr int kHistory = 100;
        constexpr qsizetype kSendQueue = 256 * 1024;
        ServerConfig config = TestServer::config();
        config.rate = 0;
        config.history = kHistory;
        config.sendQueueBytes = kSendQueue;
        QVERIFY(m_fixture.start(config));

        auto clients = TestClient::joinAll(m_fixture.port(), {u"poster"_s});
        QVERIFY(!clients.empty());
        TestClient &poster = *clients[0];
        QByteArray posts;
        for (int i = 0; i < kHistory; ++i)
            posts += line(Spec::say(u"%1 "_s.arg(i, 3, 10, QChar(u'0')) + u"w"_s.repeated(3896)));
        QVERIFY(posts.size() > kSendQueue);
        poster.sendRaw(posts);
        for (int i = 0; i < kHistory; ++i)
            QCOMPARE(Spec::type(poster.waitForFrame(u"message"_s)), u"message"_s);

        TestClient reader;
        const QJsonObject welcome = reader.join(m_fixture.port(), u"reader"_s);
        QCOMPARE(Spec::type(welcome), u"welcome"_s);
        QVERIFY(QJsonDocument(welcome).toJson(QJsonDocument::Compact).size() > kSendQueue);
        const QJsonArray history = welcome.value(u"history"_s).toArray();
        QCOMPARE(history.size(), kHistory);
        QVERIFY(history.first().toObject().value(u"text"_s).toString().startsWith(u"000 "_s));
        QVERIFY(history.last().toObject().value(u"text"_s).toString().startsWith(u"099 "_s));
        QCOMPARE(poster.waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"reader"_s);

        // The same welcome to someone who never reads; then traffic until the
        // reader sees them dropped (bounded: far more than any socket buffers).
        TestClient stuck;
        QVERIFY(stuck.connectToServer(m_fixture.port()));
        stuck.stopReading();
        stuck.sendJson(Spec::hello(u"stuck"_s));
        QCOMPARE(reader.waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"stuck"_s);
        constexpr int kMaxBatches = 300;
        const QByteArray batch = line(Spec::say(u"x"_s.repeated(3000))).repeated(10);
        bool dropped = false;
        for (int b = 0; b < kMaxBatches && !dropped; ++b) {
            poster.sendRaw(batch);
            for (int got = 0; got < 10;) {
                const QJsonObject frame = reader.nextFrame();
                QVERIFY2(!frame.isEmpty(), "the reader stopped receiving");
                if (Spec::type(frame) == u"message") {
                    ++got;
                    continue;
                }
                QCOMPARE(Spec::type(frame), u"left"_s);
                QCOMPARE(frame.value(u"nick"_s).toString(), u"stuck"_s);
                QCOMPARE(frame.value(u"reason"_s).toString(), u"slow-consumer"_s);
                dropped = true;
            }
        }
        QVERIFY(dropped);
    }

    void garbageNeverReachesOthers()
    {
        ServerConfig config = TestServer::config();
        config.rate = 0;
        QVERIFY(m_fixture.start(config));
        TestClient observer;
        QVERIFY(!observer.join(m_fixture.port(), u"observer"_s).isEmpty());

        QRandomGenerator random(20261124);
        constexpr int kClients = 6;
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < kClients; ++i) {
            auto client = std::make_unique<TestClient>();
            QVERIFY(client->connectToServer(m_fixture.port()));
            const bool json = i % 2 == 0;
            // JSON mode (first byte `{`) and text mode, both fed lines of garbage.
            client->sendRaw((json ? "{"_ba : "x"_ba) + garbage(random, 50));
            // Then one valid line, to know the garbage before it was all handled.
            if (json)
                client->sendJson(Spec::ping(u"end"_s));
            else
                client->sendLine(u"sync %1"_s.arg(i));
            clients.push_back(std::move(client));
        }
        for (int i = 0; i < kClients; ++i) {
            if (i % 2 == 0) {
                const QJsonObject pong = clients[size_t(i)]->waitForFrame(u"pong"_s);
                QCOMPARE(pong.value(u"id"_s).toString(), u"end"_s);
            } else {
                QVERIFY(clients[size_t(i)]->waitForTextLine([](const QString &l) { return l.contains(u"sync"_s); }));
            }
        }

        TestClient sentinel;
        QVERIFY(!sentinel.join(m_fixture.port(), u"sentinel"_s).isEmpty());
        sentinel.sendJson(Spec::say(u"the end"_s));
        for (;;) {
            const QJsonObject frame = observer.nextFrame();
            QVERIFY2(!frame.isEmpty(), "the sentinel message never came");
            const QString type = Spec::type(frame);
            if (type == u"joined" || type == u"left")
                continue;
            QCOMPARE(type, u"message"_s);
            const QString text = frame.value(u"text"_s).toString();
            if (text == u"the end")
                break;
            QVERIFY2(text.startsWith(u"sync "_s), qPrintable(text));
        }
        QVERIFY(!observer.receivedInvalidUtf8());
    }

    void hugeLinesAreCutOff()
    {
        QVERIFY(m_fixture.start(TestServer::config()));
        TestClient observer;
        QVERIFY(!observer.join(m_fixture.port(), u"observer"_s).isEmpty());

        std::vector<std::unique_ptr<TestClient>> clients;
        for (const QByteArray &start : {"{"_ba, "a"_ba, "{\"type\":\"say\",\"text\":\""_ba, "/msg observer "_ba}) {
            auto client = std::make_unique<TestClient>();
            QVERIFY(client->connectToServer(m_fixture.port()));
            client->sendRaw(start + QByteArray(4 * 1024 * 1024, 'z'));
            clients.push_back(std::move(client));
        }
        for (auto &client : clients)
            QVERIFY(client->waitForDisconnected());

        observer.sendJson(Spec::ping(u"alive"_s));
        QCOMPARE(observer.nextFrame().value(u"id"_s).toString(), u"alive"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.server()->connectionCount(), 1, TestClient::kTimeoutMsecs);
    }

    void connectionChurn()
    {
        QVERIFY(m_fixture.start(TestServer::config()));
        TestClient observer;
        QVERIFY(!observer.join(m_fixture.port(), u"observer"_s).isEmpty());

        constexpr int kClients = 60;
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < kClients; ++i) {
            auto client = std::make_unique<TestClient>();
            QVERIFY(client->connectToServer(m_fixture.port()));
            switch (i % 4) {
            case 0: // connect and vanish
                break;
            case 1: // half a frame
                client->sendRaw("{\"type\":\"hel"_ba);
                break;
            case 2: // half a text line
                client->sendRaw(u"안녕하"_s.toUtf8().chopped(1));
                break;
            case 3: // registered, then gone
                QVERIFY(!client->join(m_fixture.port(), u"churn%1"_s.arg(i)).isEmpty());
                break;
            }
            clients.push_back(std::move(client));
        }
        for (auto &client : clients)
            client->abort();

        // Each registered one is announced as left (disconnected), and nothing else happens.
        int left = 0;
        while (left < kClients / 4) {
            const QJsonObject frame = observer.nextFrame();
            QVERIFY2(!frame.isEmpty(), "missing left frames");
            if (Spec::type(frame) == u"joined")
                continue;
            QCOMPARE(Spec::type(frame), u"left"_s);
            QCOMPARE(frame.value(u"reason"_s).toString(), u"disconnected"_s);
            ++left;
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.server()->connectionCount(), 1, TestClient::kTimeoutMsecs);
        TestClient late;
        QVERIFY(!late.join(m_fixture.port(), u"churn3"_s).isEmpty());
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestServerLimits)
#include "tst_server_limits.moc"
