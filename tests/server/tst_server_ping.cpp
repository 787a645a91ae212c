// SPDX-License-Identifier: MIT
// `ping` while the room's thread is held up (as by a Redis call that stalls):
// the connection's worker answers it, unless the room still owes that
// connection a reply, whose place in the order the pong must not take. And
// the bound on requests waiting for the room (`server-busy`).
//
// The server runs in a thread of its own here (the room lives in the
// ChatServer's thread), so that the test can hold that thread while its
// clients, in the test's thread, go on talking.
#include "chatserver.h"
#include "handoff.h"
#include "spec.h"
#include "testclient.h"
#include "testharness.h"
#include "testserver.h"

#include <QJsonDocument>
#include <QTest>
#include <QThread>

#include <condition_variable>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>

using namespace Qt::StringLiterals;

namespace {

// A flag one thread waits for and another sets; std::mutex so that
// ThreadSanitizer sees the hand-off (Qt's own locks are invisible to it).
class Flag final
{
public:
    void set()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_set = true;
        }
        m_changed.notify_all();
    }
    void wait()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_set; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_set = false;
};

// Frames as one write's bytes.
QByteArray jsonLines(std::initializer_list<QJsonObject> frames)
{
    QByteArray lines;
    for (const QJsonObject &frame : frames)
        lines += QJsonDocument(frame).toJson(QJsonDocument::Compact) + '\n';
    return lines;
}

} // namespace

class TestServerPing final : public QObject
{
    Q_OBJECT

private:
    QThread m_roomThread;
    std::unique_ptr<QObject> m_inRoomThread; // the context of what runs there
    std::unique_ptr<ChatServer> m_server;    // created and destroyed in m_roomThread
    quint16 m_port = 0;
    std::shared_ptr<Flag> m_release; // the hold in place, if any

    // Runs `work` in the room's thread and waits until it has run.
    void inRoomThread(const std::function<void()> &work)
    {
        Flag done;
        Handoff::send(&work);
        QMetaObject::invokeMethod(
            m_inRoomThread.get(),
            [&work, &done] {
                Handoff::receive(&work);
                work();
                done.set();
            },
            Qt::QueuedConnection);
        done.wait();
    }

    bool startServer(ServerConfig config)
    {
        bool listening = false;
        inRoomThread([&] {
            m_server = TestServer::start(config);
            listening = m_server != nullptr;
            m_port = listening ? m_server->serverPort() : 0;
        });
        return listening;
    }

    // Blocks the room's thread until releaseRoom(), as a synchronous Redis
    // call that hangs would; returns once the block is in place, so every
    // request the room had been handed before is handled. The flag is shared
    // with the room's thread, so a test that fails while it holds the room
    // cannot pull it from under the waiting thread.
    void holdRoom()
    {
        auto held = std::make_shared<Flag>();
        m_release = std::make_shared<Flag>();
        QMetaObject::invokeMethod(
            m_inRoomThread.get(),
            [held, release = m_release] {
                held->set();
                release->wait();
            },
            Qt::QueuedConnection);
        held->wait();
    }

    void releaseRoom()
    {
        if (m_release)
            std::exchange(m_release, nullptr)->set();
    }

private slots:
    void initTestCase()
    {
        TestServer::quietLogs();
        m_inRoomThread = std::make_unique<QObject>();
        m_inRoomThread->moveToThread(&m_roomThread);
        m_roomThread.start();
    }

    void cleanup()
    {
        releaseRoom(); // a failed test must not leave the room held
        inRoomThread([this] { m_server.reset(); });
    }

    void cleanupTestCase()
    {
        m_roomThread.quit();
        m_roomThread.wait();
    }

    void idleConnectionIsAnsweredWhileTheRoomIsHeld()
    {
        QVERIFY(startServer(TestServer::config()));
        auto clients = TestClient::joinAll(m_port, {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];

        holdRoom();
        bob.sendJson(Spec::say(u"stuck behind the room"_s)); // the room is busy for bob
        alice.sendJson(Spec::ping(7));
        const QJsonObject pong = alice.nextFrame();
        QCOMPARE(Spec::type(pong), u"pong"_s);
        QCOMPARE(pong.value(u"id"_s), QJsonValue(7));

        releaseRoom();
        for (TestClient *client : {&alice, &bob}) {
            const QJsonObject message = client->nextFrame();
            QCOMPARE(Spec::type(message), u"message"_s);
            QCOMPARE(message.value(u"text"_s).toString(), u"stuck behind the room"_s);
        }
    }

    void pingWaitsForTheRoomsPendingReply()
    {
        // One worker for both, so bob's pong shows the worker has read alice's lines.
        ServerConfig config = TestServer::config();
        config.threads = 1;
        QVERIFY(startServer(config));
        auto clients = TestClient::joinAll(m_port, {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];

        holdRoom();
        // One write, so that the worker reads all three before bob's ping;
        // the whisper's no-such-user comes from the room.
        alice.sendRaw(
            jsonLines({Spec::whisper(u"nobody"_s, u"is anyone there"_s), Spec::say(u"first"_s), Spec::ping(1)}));
        bob.sendJson(Spec::ping(2));
        const QJsonObject bobsPong = bob.nextFrame();
        QCOMPARE(Spec::type(bobsPong), u"pong"_s);
        QCOMPARE(bobsPong.value(u"id"_s), QJsonValue(2));
        QCOMPARE(alice.pendingLines(), 0); // her pong waits behind the room's answers

        releaseRoom();
        const QJsonObject error = alice.nextFrame();
        QCOMPARE(Spec::type(error), u"error"_s);
        QCOMPARE(error.value(u"code"_s).toString(), u"no-such-user"_s);
        QCOMPARE(Spec::type(alice.nextFrame()), u"message"_s);
        const QJsonObject alicesPong = alice.nextFrame();
        QCOMPARE(Spec::type(alicesPong), u"pong"_s);
        QCOMPARE(alicesPong.value(u"id"_s), QJsonValue(1));

        // Once the room has caught up, her pings are the worker's again.
        holdRoom();
        alice.sendJson(Spec::ping(3));
        const QJsonObject direct = alice.nextFrame();
        QCOMPARE(Spec::type(direct), u"pong"_s);
        QCOMPARE(direct.value(u"id"_s), QJsonValue(3));
    }

    void postRefusedWhileTooManyWaitForTheRoom()
    {
        ServerConfig config = TestServer::config();
        config.maxRequestsInRoom = 2;
        QVERIFY(startServer(config));
        auto clients = TestClient::joinAll(m_port, {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];

        holdRoom();
        // "one" and "two" fill the bound; "three" and the whisper are refused,
        // each as a small request in its place, behind the answers the room
        // owes alice. The count is the worker having read all four.
        alice.sendRaw(jsonLines(
            {Spec::say(u"one"_s), Spec::say(u"two"_s), Spec::say(u"three"_s), Spec::whisper(u"bob"_s, u"four"_s)}));
        QTRY_COMPARE(m_server->requestsWaitingForRoom(), 4);
        // Bob has nothing waiting: his refusal comes at once, while the room is held.
        bob.sendJson(Spec::say(u"too late"_s));
        const QJsonObject busy = bob.nextFrame();
        QCOMPARE(Spec::type(busy), u"error"_s);
        QCOMPARE(busy.value(u"code"_s).toString(), u"server-busy"_s);
        QCOMPARE(busy.value(u"ref"_s).toString(), u"say"_s);
        QCOMPARE(alice.pendingLines(), 0);
        QCOMPARE(m_server->requestsWaitingForRoom(), 4); // a refusal given at once waits for nothing

        releaseRoom();
        for (const QString &text : {u"one"_s, u"two"_s}) {
            QCOMPARE(alice.nextFrame().value(u"text"_s).toString(), text);
            QCOMPARE(bob.nextFrame().value(u"text"_s).toString(), text);
        }
        for (const QString &ref : {u"say"_s, u"whisper"_s}) {
            const QJsonObject refused = alice.nextFrame();
            QCOMPARE(refused.value(u"code"_s).toString(), u"server-busy"_s);
            QCOMPARE(refused.value(u"ref"_s).toString(), ref);
        }
        QTRY_COMPARE(m_server->requestsWaitingForRoom(), 0);
        // The room has caught up: posts go through again, and nothing refused
        // was posted meanwhile (bob's next frame is his own "again").
        bob.sendJson(Spec::say(u"again"_s));
        QCOMPARE(bob.nextFrame().value(u"text"_s).toString(), u"again"_s);
        QCOMPARE(alice.nextFrame().value(u"text"_s).toString(), u"again"_s);
    }

    void pingBeforeWelcomeComesAfterIt()
    {
        QVERIFY(startServer(TestServer::config()));
        TestClient carol;
        QVERIFY(carol.connectToServer(m_port));
        holdRoom();
        carol.sendJson(Spec::hello(u"carol"_s));
        carol.sendJson(Spec::ping(4));
        releaseRoom();
        QCOMPARE(Spec::type(carol.nextFrame()), u"welcome"_s);
        const QJsonObject pong = carol.nextFrame();
        QCOMPARE(Spec::type(pong), u"pong"_s);
        QCOMPARE(pong.value(u"id"_s), QJsonValue(4));
    }
};

QTCHAT_TEST_MAIN(TestServerPing)
#include "tst_server_ping.moc"
