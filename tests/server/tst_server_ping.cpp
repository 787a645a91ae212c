// SPDX-License-Identifier: MIT
// `ping` while the room's thread is held up (as by a Redis call that stalls):
// the connection's worker answers it, unless the room still owes that
// connection a reply, whose place in the order the pong must not take.
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
        // One write, so that the worker reads all three before bob's ping.
        QByteArray lines;
        for (const QJsonObject &frame :
             {Spec::whisper(u"nobody"_s, u"is anyone there"_s), Spec::say(u"first"_s), Spec::ping(1)})
            lines += QJsonDocument(frame).toJson(QJsonDocument::Compact) + '\n';
        alice.sendRaw(lines); // the whisper's no-such-user comes from the room
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
