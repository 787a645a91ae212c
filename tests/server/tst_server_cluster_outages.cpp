// SPDX-License-Identifier: MIT
// The cluster (issue #8) when things go away: Redis killed with SIGKILL
// loses no acknowledged message, a Redis that may lose writes is warned
// about, an instance's shutdown or death makes its users leave the list, and
// an outage of Redis loses nothing once it is back.
#include "clustertest.h"
#include "protocol.h"
#include "redisconnection.h"
#include "serverprocess.h"
#include "spec.h"
#include "testharness.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTest>

#include <algorithm>
#include <memory>
#include <numeric>
#include <vector>

using namespace Qt::StringLiterals;

class TestServerClusterOutages final : public ClusterTest
{
    Q_OBJECT

private:
    // A client that posts, with what it saw (redisKilledLosesNoAcknowledgedMessage).
    struct Sender {
        std::unique_ptr<TestClient> client;
        QString nick;
        int sent = 0;
        int refused = 0;
        QList<std::pair<qint64, QString>> echoed; // (id, text): acknowledged
        QString finalText;                        // posted after the restart
        bool finalPending = false;
        bool finalEchoed = false;
    };

private slots:
    void redisKilledLosesNoAcknowledgedMessage()
    {
        constexpr int kSendersPerInstance = 2;
        constexpr int kInFlight = 4;       // posts each sender keeps unanswered
        constexpr int kMaxPerSender = 100; // a bound; all of it fits one resume (1000)
        constexpr int kKillAfterEchoes = 60;

        std::vector<std::unique_ptr<Sender>> senders;
        QHash<qint64, std::pair<QString, QString>> seen; // id -> (from, text), by anyone
        QStringList conflicts;
        int echoes = 0;
        bool killed = false;
        const auto post = [](Sender &sender, const QString &text) {
            sender.client->sendJson(Spec::say(text));
            ++sender.sent;
        };
        for (int i = 0; i < kSendersPerInstance * kInstances; ++i) {
            auto sender = std::make_unique<Sender>();
            sender->nick = u"sender%1"_s.arg(i);
            sender->finalText = u"%1 after the restart"_s.arg(sender->nick);
            sender->client = joinOn(i % kInstances, sender->nick);
            QVERIFY(sender->client);
            Sender *self = sender.get();
            connect(self->client.get(), &TestClient::lineReceived, this, [&, self](const QByteArray &line) {
                const QJsonObject frame = QJsonDocument::fromJson(line).object();
                const QString type = Spec::type(frame);
                if (type == u"error"_s && frame.value(u"ref"_s).toString() == u"say"_s) {
                    ++self->refused;
                    self->finalPending = false; // after the restart: try again (allPostedAgain)
                    return;
                }
                if (type != u"message"_s)
                    return;
                const qint64 id = frame.value(u"id"_s).toInteger();
                const std::pair content{frame.value(u"from"_s).toString(), frame.value(u"text"_s).toString()};
                if (seen.contains(id) && seen.value(id) != content)
                    conflicts.append(u"id %1: %2 and %3"_s.arg(id).arg(seen.value(id).second, content.second));
                seen.insert(id, content);
                if (content.first != self->nick)
                    return;
                self->echoed.append({id, content.second});
                self->finalEchoed = self->finalEchoed || content.second == self->finalText;
                if (killed)
                    return;
                if (self->sent < kMaxPerSender)
                    post(*self, u"%1 message %2"_s.arg(self->nick).arg(self->sent)); // keeps the window full
                if (++echoes == kKillAfterEchoes) {
                    // That post is still in this client's socket buffer: it
                    // reaches its instance after the kill, so it is refused.
                    killed = true;
                    QVERIFY(m_redis->kill());
                }
            });
            senders.push_back(std::move(sender));
        }
        for (auto &sender : senders) {
            for (int n = 0; n < kInFlight; ++n)
                post(*sender, u"%1 message %2"_s.arg(sender->nick).arg(sender->sent));
        }
        QTRY_VERIFY_WITH_TIMEOUT(killed, kWaitMsecs);
        QVERIFY(!m_redis->isRunning());
        // The post sent after the kill is refused, not left hanging.
        const auto refused = [&] {
            return std::accumulate(senders.cbegin(), senders.cend(), 0,
                                   [](int sum, const auto &s) { return sum + s->refused; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(refused() > 0, kWaitMsecs);

        QVERIFY(m_redis->start()); // the same port and data directory
        // Each sender posts once more, again after each refusal, until it is
        // echoed: then everything before it in the stream was delivered too.
        const auto allPostedAgain = [&] {
            bool all = true;
            for (auto &sender : senders) {
                all = all && sender->finalEchoed;
                if (!sender->finalEchoed && !sender->finalPending) {
                    post(*sender, sender->finalText);
                    sender->finalPending = true;
                }
            }
            return all;
        };
        const auto notEchoed = [&] {
            QStringList nicks;
            for (const auto &sender : senders) {
                if (!sender->finalEchoed)
                    nicks.append(sender->nick);
            }
            return u"no echo after the restart for %1 (did Redis lose the room?)"_s.arg(nicks.join(u", "_s));
        };
        QTRY_VERIFY2_WITH_TIMEOUT(allPostedAgain(), qPrintable(notEchoed()), kWaitMsecs);
        QVERIFY2(conflicts.isEmpty(), qPrintable(conflicts.join(u"; "_s)));
        // Every post got an answer: its echo, or a refusal. (A post whose
        // script ran just before the kill may get both; one whose script ran
        // and whose echo was not read yet is echoed after the restart.)
        for (const auto &s : senders) {
            QVERIFY2(s->refused + s->echoed.size() >= s->sent,
                     qPrintable(u"%1 sent %2, refused %3, echoed %4"_s.arg(s->nick)
                                    .arg(s->sent)
                                    .arg(s->refused)
                                    .arg(s->echoed.size())));
        }

        // The history as Redis has it: an instance that starts now reads it from there.
        const int fresh = startInstance();
        QVERIFY(fresh >= 0);
        TestClient reader;
        QVERIFY(reader.connectToServer(port(fresh)));
        reader.sendJson(Spec::helloSince(u"reader"_s, 0));
        const QJsonObject welcome = reader.waitForFrame(u"welcome"_s, kWaitMsecs);
        QVERIFY(!welcome.isEmpty());
        QVERIFY(!welcome.value(u"truncated"_s).toBool());
        QHash<qint64, std::pair<QString, QString>> history;
        qint64 previous = 0;
        for (const auto &value : welcome.value(u"history"_s).toArray()) {
            const QJsonObject m = value.toObject();
            const qint64 id = m.value(u"id"_s).toInteger();
            QVERIFY2(id > previous, qPrintable(u"id %1 after %2"_s.arg(id).arg(previous)));
            previous = id;
            history.insert(id, {m.value(u"from"_s).toString(), m.value(u"text"_s).toString()});
        }
        int acknowledged = 0;
        for (const auto &sender : senders) {
            for (const auto &[id, text] : sender->echoed) {
                QCOMPARE(history.value(id), std::pair(sender->nick, text));
                ++acknowledged;
            }
        }
        QVERIFY(acknowledged >= kKillAfterEchoes + kInstances * kSendersPerInstance);
        for (auto it = seen.cbegin(); it != seen.cend(); ++it)
            QCOMPARE(history.value(it.key()), it.value());
    }

    // An instance warns at start when its Redis could lose acknowledged
    // messages (it cannot refuse: a managed Redis may hide its configuration).
    void startWarnsAboutARedisThatMayLoseMessages()
    {
        RedisConnection redis(m_redis->address());
        const auto setFsync = [&](const QByteArray &policy) {
            return RedisConnection::errorOf(redis.command({"CONFIG", "SET", "appendfsync", policy})).isEmpty();
        };
        QVERIFY(setFsync("everysec"));
        const auto restore = qScopeGuard([&] { setFsync("always"); });
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(u"appendonly yes, appendfsync everysec: a crash of Redis can lose"_s));
        QVERIFY(startInstance() >= 0);
    }

    void shutdownOfOneInstanceSaysItsUsersLeft()
    {
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        QVERIFY(alice && bob);
        m_servers[1]->shutdown();
        const QJsonObject left = alice->waitForFrame(u"left"_s);
        QCOMPARE(left.value(u"nick"_s).toString(), u"bob"_s);
        QCOMPARE(left.value(u"reason"_s).toString(), u"shutdown"_s);
    }

    void killedInstanceUsersLeaveTheList()
    {
        ServerProcess doomed(QStringLiteral(QTCHAT_SERVER_BINARY),
                             {u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s, u"--threads"_s, u"2"_s, u"--redis"_s,
                              m_redis->url(), u"--cluster-heartbeat"_s, QString::number(kHeartbeatMsecs / 1000.0)});
        const quint16 doomedPort = doomed.start();
        QVERIFY2(doomedPort != 0, doomed.stderrText().constData());
        auto alice = joinOn(0, u"alice"_s);
        QVERIFY(alice);
        TestClient victim;
        QVERIFY(!victim.join(doomedPort, u"victim"_s).isEmpty());
        QCOMPARE(alice->waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"victim"_s);

        QVERIFY(doomed.kill());
        // Within three heartbeats (and the next beat of a living instance).
        const QJsonObject left = alice->waitForFrame(u"left"_s, kWaitMsecs);
        QCOMPARE(left.value(u"nick"_s).toString(), u"victim"_s);
        QCOMPARE(left.value(u"reason"_s).toString(), u"disconnected"_s);
        alice->sendJson(Spec::who());
        QCOMPARE(Spec::strings(alice->waitForFrame(u"users"_s).value(u"users"_s)), QStringList{u"alice"_s});
        // And the nickname is free again.
        TestClient again;
        QCOMPARE(again.join(port(2), u"victim"_s).value(u"nick"_s).toString(), u"victim"_s);
    }

    void redisOutageLosesNothing()
    {
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        QVERIFY(alice && bob);
        for (int n = 1; n <= 3; ++n)
            alice->sendJson(Spec::say(u"before %1"_s.arg(n)));
        QCOMPARE(std::get<0>(messages(*alice, 3).constLast()), 3); // acknowledged: echoed back

        QVERIFY(m_redis->stop());
        // Clients stay connected; a post is refused with a reason, not lost silently.
        alice->sendJson(Spec::say(u"while Redis is down"_s));
        const QJsonObject error = alice->waitForFrame(u"error"_s);
        QCOMPARE(error.value(u"code"_s).toString(), u"cluster-unavailable"_s);
        QCOMPARE(error.value(u"ref"_s).toString(), u"say"_s);
        alice->sendJson(Spec::ping(7));
        QCOMPARE(alice->waitForFrame(u"pong"_s).value(u"id"_s).toInt(), 7);

        QVERIFY(m_redis->start()); // the same port and append-only file
        // The servers reconnect by themselves; alice posts again after each
        // refusal until hers is taken.
        UntilAvailable posted(*alice, Spec::say(u"after"_s), u"message"_s);
        QTRY_VERIFY_WITH_TIMEOUT(posted(), kWaitMsecs);
        QCOMPARE(Spec::type(posted.answer), u"message"_s);
        QCOMPARE(posted.answer.value(u"id"_s).toInteger(), 4); // nothing lost, nothing handed out twice
        const auto bobSaw = messages(*bob, 4);
        QCOMPARE(bobSaw.size(), 4);
        QList<qint64> bobIds;
        for (const auto &[id, from, text] : bobSaw)
            bobIds.append(id);
        QCOMPARE(bobIds, Spec::idRange(1, 4));

        // Instance 2 may not have reconnected yet (it retries on its own
        // schedule): its `cluster-unavailable` is not the answer waited for.
        TestClient late;
        QVERIFY(late.connectToServer(port(2)));
        UntilAvailable welcomed(late, Spec::helloSince(u"late"_s, 0), u"welcome"_s);
        QTRY_VERIFY_WITH_TIMEOUT(welcomed(), kWaitMsecs);
        QCOMPARE(Spec::type(welcomed.answer), u"welcome"_s);
        QCOMPARE(Spec::ids(welcomed.answer.value(u"history"_s).toArray()), Spec::idRange(1, 4));
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestServerClusterOutages)
#include "tst_server_cluster_outages.moc"
