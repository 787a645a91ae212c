// SPDX-License-Identifier: MIT
// Rollback detection (issue #16): when the cluster's Redis loses writes (a
// FLUSHALL, a sequence that went back as after a failover to a replica that
// had not caught up), the instances notice, hand out no id twice for
// different messages, tell their clients with `room` … `"truncated": true`
// and keep the nicknames claimed.
#include "clustertest.h"
#include "redisconnection.h"
#include "roomstream.h"
#include "serverprocess.h"
#include "spec.h"
#include "testharness.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTest>

#include <algorithm>
#include <functional>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
// What one client saw, recorded as its lines arrive (the frames stay queued
// for the client's own reads).
struct Seen {
    QHash<qint64, std::pair<QString, QString>> messages; // id -> (from, text)
    QHash<QString, QList<qint64>> order;                 // room -> ids as they came
    int lobbyNotices = 0;                                // `room` #lobby with `truncated`
};
} // namespace

class TestServerClusterRollback final : public ClusterTest
{
    Q_OBJECT

private:
    // Records `client`'s frames into `seen`; conflicting ids go to m_conflicts.
    void watch(TestClient &client, Seen &seen)
    {
        connect(&client, &TestClient::lineReceived, this, [this, &seen](const QByteArray &line) {
            const QJsonObject frame = QJsonDocument::fromJson(line).object();
            const QString type = Spec::type(frame);
            if (type == u"room"_s && frame.value(u"room"_s).toString() == u"#lobby"_s &&
                frame.value(u"truncated"_s).toBool())
                ++seen.lobbyNotices;
            if (type != u"message"_s)
                return;
            const qint64 id = frame.value(u"id"_s).toInteger();
            const std::pair content{frame.value(u"from"_s).toString(), frame.value(u"text"_s).toString()};
            if (const auto known = m_everyId.constFind(id); known != m_everyId.cend() && *known != content)
                m_conflicts.append(u"id %1: %2 and %3"_s.arg(id).arg(known->second, content.second));
            m_everyId.insert(id, content);
            seen.messages.insert(id, content);
            seen.order[frame.value(u"room"_s).toString()].append(id);
        });
    }

    // Posts, rolls Redis back with `rollBack`, posts again: checks ids, the
    // notice and the nicknames.
    void postAcrossRollback(const std::function<bool()> &rollBack)
    {
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        QVERIFY(alice && bob);
        Seen aliceSaw;
        Seen bobSaw;
        watch(*alice, aliceSaw);
        watch(*bob, bobSaw);

        // A room besides #lobby too: its ids come from the same sequence.
        for (TestClient *client : {alice.get(), bob.get()}) {
            client->sendJson(QJsonObject{{u"type"_s, u"join"_s}, {u"room"_s, kRoom}});
            QCOMPARE(client->waitForFrame(u"room"_s, kWaitMsecs).value(u"room"_s).toString(), kRoom);
        }
        const QStringList before{u"alice one"_s, u"alice two"_s, u"bob one"_s, u"alice in the room"_s};
        alice->sendJson(Spec::say(before.at(0)));
        alice->sendJson(Spec::say(before.at(1)));
        bob->sendJson(Spec::say(before.at(2)));
        alice->sendJson(sayIn(before.at(3)));
        QTRY_COMPARE_WITH_TIMEOUT(aliceSaw.messages.size(), before.size(), kWaitMsecs);
        QTRY_COMPARE_WITH_TIMEOUT(bobSaw.messages.size(), before.size(), kWaitMsecs);
        const QList<qint64> delivered = aliceSaw.messages.keys();
        const qint64 highest = *std::max_element(delivered.cbegin(), delivered.cend());

        QVERIFY(rollBack());

        // Each instance finds the rollback and tells its clients.
        QTRY_VERIFY_WITH_TIMEOUT(aliceSaw.lobbyNotices > 0, kWaitMsecs);
        QTRY_VERIFY_WITH_TIMEOUT(bobSaw.lobbyNotices > 0, kWaitMsecs);

        // A room's event before any new message in it: its entry may get an
        // id below the last the other instance's reader read.
        bob->sendJson(QJsonObject{{u"type"_s, u"topic"_s}, {u"room"_s, kRoom}, {u"topic"_s, u"after the rollback"_s}});
        QCOMPARE(alice->waitForFrame(u"topic"_s, kWaitMsecs).value(u"topic"_s).toString(), u"after the rollback"_s);

        const QStringList after{u"alice three"_s, u"bob two"_s, u"bob three"_s, u"bob in the room"_s};
        alice->sendJson(Spec::say(after.at(0)));
        bob->sendJson(Spec::say(after.at(1)));
        bob->sendJson(Spec::say(after.at(2)));
        bob->sendJson(sayIn(after.at(3)));
        const qsizetype all = before.size() + after.size();
        QTRY_COMPARE_WITH_TIMEOUT(aliceSaw.messages.size(), all, kWaitMsecs);
        QTRY_COMPARE_WITH_TIMEOUT(bobSaw.messages.size(), all, kWaitMsecs);
        QVERIFY2(m_conflicts.isEmpty(), qPrintable(m_conflicts.join(u"; "_s)));
        for (const Seen *seen : {&aliceSaw, &bobSaw}) {
            for (auto message = seen->messages.cbegin(); message != seen->messages.cend(); ++message) {
                if (after.contains(message->second))
                    QVERIFY2(message.key() > highest,
                             qPrintable(u"%1 got id %2, delivered before: up to %3"_s.arg(message->second)
                                            .arg(message.key())
                                            .arg(highest)));
            }
            // Live ids keep increasing in each room (two rooms may interleave).
            for (const QList<qint64> &ids : seen->order)
                QVERIFY(std::is_sorted(ids.cbegin(), ids.cend()));
        }

        // The claims came back: alice's nickname is still hers on another
        // instance, and a newcomer sees both.
        TestClient impostor;
        QVERIFY(impostor.connectToServer(port(2)));
        impostor.sendJson(Spec::hello(u"Alice"_s));
        const QJsonObject refused = impostor.waitForFrame(u"error"_s, kWaitMsecs);
        QCOMPARE(refused.value(u"code"_s).toString(), u"nick-taken"_s);
        auto carol = joinOn(2, u"carol"_s);
        QVERIFY(carol);
        UntilAvailable listed(*carol, Spec::who(), u"users"_s);
        QTRY_VERIFY_WITH_TIMEOUT(listed(), kWaitMsecs);
        const QStringList users = Spec::strings(listed.answer.value(u"users"_s));
        QVERIFY2(users.contains(u"alice"_s) && users.contains(u"bob"_s), qPrintable(users.join(u", "_s)));
        RedisConnection redis(m_redis->address());
        const RedisConnection::Result claims = redis.command({"HKEYS", RoomStream::Keys{}.claims()});
        QVERIFY(RedisConnection::errorOf(claims).isEmpty());
        QStringList claimed;
        for (const RedisReply &key : std::get<RedisReply>(claims).elements)
            claimed.append(QString::fromUtf8(key.string));
        QVERIFY2(claimed.contains(u"alice"_s) && claimed.contains(u"bob"_s), qPrintable(claimed.join(u", "_s)));

        // An instance started now reads the history from Redis: no id there
        // names another message than the one the clients got.
        const int fresh = startInstance();
        QVERIFY(fresh >= 0);
        TestClient reader;
        QVERIFY(reader.connectToServer(port(fresh)));
        reader.sendJson(Spec::helloSince(u"reader"_s, 0));
        const QJsonObject welcome = reader.waitForFrame(u"welcome"_s, kWaitMsecs);
        QVERIFY(!welcome.isEmpty());
        const QJsonArray history = welcome.value(u"history"_s).toArray();
        QVERIFY(!history.isEmpty());
        for (const auto &value : history) {
            const QJsonObject m = value.toObject();
            const qint64 id = m.value(u"id"_s).toInteger();
            const std::pair content{m.value(u"from"_s).toString(), m.value(u"text"_s).toString()};
            QVERIFY2(!m_everyId.contains(id) || m_everyId.value(id) == content,
                     qPrintable(u"id %1 is %2 in Redis, %3 for the clients"_s.arg(id).arg(content.second,
                                                                                          m_everyId.value(id).second)));
        }
    }

    // One line from `socket`, waiting on that socket alone: the in-process
    // instances' rooms (this thread's event loop) do not run meanwhile.
    static QJsonObject blockingFrame(QTcpSocket &socket, const QString &type)
    {
        QDeadlineTimer deadline(kWaitMsecs);
        while (!deadline.hasExpired()) {
            while (socket.canReadLine()) {
                QJsonObject frame = QJsonDocument::fromJson(socket.readLine()).object();
                if (Spec::type(frame) == type)
                    return frame;
            }
            socket.waitForReadyRead(int(deadline.remainingTime()));
        }
        return {};
    }

    static QJsonObject sayIn(const QString &text)
    {
        QJsonObject frame = Spec::say(text);
        frame.insert(u"room"_s, kRoom);
        return frame;
    }

    static inline const QString kRoom = u"#dev"_s;

    QHash<qint64, std::pair<QString, QString>> m_everyId; // by any client
    QStringList m_conflicts;

private slots:
    void init()
    {
        m_everyId.clear();
        m_conflicts.clear();
        ClusterTest::init();
    }

    void flushAllIsDetected()
    {
        postAcrossRollback([this] { return m_redis->flush(); });
    }

    void sequenceGoingBackIsDetected()
    {
        // What a failover to a replica that had not caught up does to the
        // ids: the sequence goes back, the epoch stays.
        postAcrossRollback([this] {
            RedisConnection redis(m_redis->address());
            return RedisConnection::errorOf(redis.command({"SET", RoomStream::Keys{}.sequence(), "1"})).isEmpty();
        });
    }

    // The instance that finds a FLUSHALL first repairs the sequence from
    // the ids it delivered; another instance delivered higher ones, in a
    // room only it follows, and has not looked yet (its room's thread is
    // held up here). The id of the first post after the repair must still
    // be above them: the sequence goes on a margin above what the repairing
    // instance delivered.
    void idsOnlyAnInstanceThatHasNotLookedDeliveredAreNotHandedOutAgain()
    {
        auto alice = joinOn(0, u"alice"_s);
        QVERIFY(alice);
        alice->sendJson(QJsonObject{{u"type"_s, u"join"_s}, {u"room"_s, kRoom}});
        QCOMPARE(alice->waitForFrame(u"room"_s, kWaitMsecs).value(u"room"_s).toString(), kRoom);
        qint64 highest = 0;
        for (const QString &text : {u"only here one"_s, u"only here two"_s, u"only here three"_s}) {
            alice->sendJson(sayIn(text));
            const QJsonObject echo = alice->waitForFrame(u"message"_s, kWaitMsecs);
            QCOMPARE(echo.value(u"text"_s).toString(), text);
            highest = std::max(highest, echo.value(u"id"_s).toInteger());
        }

        // Another process, whose users are in #lobby only: it never delivered those ids.
        ServerProcess other(QStringLiteral(QTCHAT_SERVER_BINARY),
                            {u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s, u"--threads"_s, u"1"_s, u"--redis"_s,
                             m_redis->url(), u"--cluster-heartbeat"_s, QString::number(kHeartbeatMsecs / 1000.0)});
        const quint16 otherPort = other.start();
        QVERIFY2(otherPort != 0, other.stderrText().constData());
        QTcpSocket bob;
        bob.connectToHost(QHostAddress::LocalHost, otherPort);
        QVERIFY(bob.waitForConnected(kWaitMsecs));
        bob.write(QJsonDocument(Spec::hello(u"bob"_s)).toJson(QJsonDocument::Compact) + '\n');
        QVERIFY(!blockingFrame(bob, u"welcome"_s).isEmpty());

        // From here on this thread runs no event loop until the post is
        // answered: the in-process instances cannot look at Redis.
        RedisConnection redis(m_redis->address());
        QVERIFY(RedisConnection::errorOf(redis.command({"FLUSHALL"})).isEmpty());
        bob.write(QJsonDocument(Spec::say(u"after the flush"_s)).toJson(QJsonDocument::Compact) + '\n');
        const QJsonObject message = blockingFrame(bob, u"message"_s);
        QCOMPARE(message.value(u"text"_s).toString(), u"after the flush"_s);
        const qint64 id = message.value(u"id"_s).toInteger();
        QVERIFY2(
            id > highest,
            qPrintable(u"id %1 handed out again (delivered on the other instance up to %2)"_s.arg(id).arg(highest)));
    }

    void lostEpochIsDetected()
    {
        postAcrossRollback([this] {
            RedisConnection redis(m_redis->address());
            return RedisConnection::errorOf(redis.command({"DEL", RoomStream::Keys{}.epoch()})).isEmpty();
        });
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestServerClusterRollback)
#include "tst_server_cluster_rollback.moc"
