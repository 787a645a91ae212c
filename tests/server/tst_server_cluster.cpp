// SPDX-License-Identifier: MIT
// The cluster (issue #8): three chat-server instances on port 0 sharing one
// room through a private redis-server, with clients spread over them. Every
// client sees the same ids in the same order, whispers and moderation cross
// instances, nicknames are unique across them, a client resumes on another
// instance, and instances started later learn the room's state. What
// happens when instances or Redis go away: tst_server_cluster_outages.
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

class TestServerCluster final : public ClusterTest
{
    Q_OBJECT

private slots:
    void everyClientSeesTheSameOrder()
    {
        constexpr int kPerClient = 20;
        std::vector<std::unique_ptr<TestClient>> clients;
        QStringList nicks;
        for (int i = 0; i < 2 * kInstances; ++i) {
            nicks.append(u"user%1"_s.arg(i));
            clients.push_back(joinOn(i % kInstances, nicks.last()));
            QVERIFY(clients.back());
        }
        // Everyone at once, over all instances.
        for (int n = 0; n < kPerClient; ++n) {
            for (size_t c = 0; c < clients.size(); ++c)
                clients[c]->sendJson(Spec::say(u"%1 says %2"_s.arg(nicks[qsizetype(c)]).arg(n)));
        }
        const int total = kPerClient * int(clients.size());
        const auto reference = messages(*clients.front(), total);
        QCOMPARE(reference.size(), total);
        QList<qint64> seen;
        for (const auto &[id, from, text] : reference)
            seen.append(id);
        QCOMPARE(seen, Spec::idRange(1, total)); // no gap, no duplicate
        for (size_t c = 1; c < clients.size(); ++c)
            QCOMPARE(messages(*clients[c], total), reference);
        // Each sender's messages keep the order they were sent in.
        for (const QString &nick : nicks) {
            int next = 0;
            for (const auto &[id, from, text] : reference) {
                if (from == nick)
                    QCOMPARE(text, u"%1 says %2"_s.arg(nick).arg(next++));
            }
            QCOMPARE(next, kPerClient);
        }
    }

    void usersAreListedEverywhere()
    {
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        QVERIFY(alice && bob);
        auto carol = std::make_unique<TestClient>();
        const QJsonObject welcome = carol->join(port(2), u"carol"_s);
        QCOMPARE(Spec::strings(welcome.value(u"users"_s)), (QStringList{u"alice"_s, u"bob"_s, u"carol"_s}));
        QCOMPARE(alice->waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"bob"_s);
        QCOMPARE(alice->waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"carol"_s);
        // Each `users` comes from its instance's list: bob's has carol once
        // bob saw her join (carol's welcome already listed everyone).
        QCOMPARE(bob->waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"carol"_s);
        for (TestClient *client : {alice.get(), bob.get(), carol.get()}) {
            client->sendJson(Spec::who());
            QCOMPARE(Spec::strings(client->waitForFrame(u"users"_s).value(u"users"_s)),
                     (QStringList{u"alice"_s, u"bob"_s, u"carol"_s}));
        }
        bob->sendJson(Spec::bye());
        const QJsonObject left = carol->waitForFrame(u"left"_s);
        QCOMPARE(left.value(u"nick"_s).toString(), u"bob"_s);
        QCOMPARE(left.value(u"reason"_s).toString(), u"quit"_s);
        // Alice's instance, not carol's, answers her `who`.
        QCOMPARE(alice->waitForFrame(u"left"_s).value(u"nick"_s).toString(), u"bob"_s);
        alice->sendJson(Spec::who());
        QCOMPARE(Spec::strings(alice->waitForFrame(u"users"_s).value(u"users"_s)),
                 (QStringList{u"alice"_s, u"carol"_s}));
    }

    void nicknamesAreUniqueAcrossInstances()
    {
        auto alice = joinOn(0, u"alice"_s);
        QVERIFY(alice);
        TestClient impostor;
        QVERIFY(impostor.connectToServer(port(1)));
        impostor.sendJson(Spec::hello(u"ALICE"_s));
        QCOMPARE(impostor.waitForFrame(u"error"_s).value(u"code"_s).toString(), u"nick-taken"_s);

        auto bob = joinOn(2, u"bob"_s);
        QVERIFY(bob);
        bob->sendJson(Spec::nick(u"Alice"_s));
        QCOMPARE(bob->waitForFrame(u"error"_s).value(u"code"_s).toString(), u"nick-taken"_s);

        // Free again once alice has left: the impostor's instance has heard of it.
        auto watcher = joinOn(1, u"watcher"_s);
        QVERIFY(watcher);
        alice->sendJson(Spec::bye());
        QCOMPARE(watcher->waitForFrame(u"left"_s).value(u"nick"_s).toString(), u"alice"_s);
        impostor.sendJson(Spec::hello(u"ALICE"_s));
        QCOMPARE(impostor.waitForFrame(u"welcome"_s).value(u"nick"_s).toString(), u"ALICE"_s);
    }

    void simultaneousClaimsGiveTheNicknameOnce()
    {
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < kInstances; ++i) {
            clients.push_back(std::make_unique<TestClient>());
            QVERIFY(clients.back()->connectToServer(port(i)));
        }
        for (auto &client : clients)
            client->sendJson(Spec::hello(u"dora"_s));
        int welcomed = 0;
        int refused = 0;
        for (auto &client : clients) {
            const QJsonObject frame = client->nextFrame(kWaitMsecs);
            welcomed += Spec::type(frame) == u"welcome"_s;
            refused += Spec::type(frame) == u"error"_s && frame.value(u"code"_s).toString() == u"nick-taken"_s;
        }
        QCOMPARE(welcomed, 1);
        QCOMPARE(refused, kInstances - 1);
    }

    // A reconnect storm: many hellos reach one instance at once (their
    // claims go to Redis without the room waiting for each one, issue #16).
    // Each is answered before the `who` its client sent after it, and a
    // nickname another instance holds is refused as before.
    void aStormOfHellosIsAnsweredInOrder()
    {
        constexpr int kStorm = 30;
        auto holder = joinOn(1, u"held"_s);
        QVERIFY(holder);
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i <= kStorm; ++i) {
            clients.push_back(std::make_unique<TestClient>());
            QVERIFY(clients.back()->connectToServer(port(0)));
        }
        for (int i = 0; i < kStorm; ++i) {
            clients[size_t(i)]->sendJson(Spec::hello(u"storm%1"_s.arg(i)));
            clients[size_t(i)]->sendJson(Spec::who());
        }
        clients.back()->sendJson(Spec::hello(u"HELD"_s));
        for (int i = 0; i < kStorm; ++i) {
            TestClient &client = *clients[size_t(i)];
            const QJsonObject first = client.nextFrame(kWaitMsecs);
            QCOMPARE(Spec::type(first), u"welcome"_s);
            QCOMPARE(first.value(u"nick"_s).toString(), u"storm%1"_s.arg(i));
            QVERIFY(Spec::strings(client.waitForFrame(u"users"_s).value(u"users"_s)).contains(u"storm%1"_s.arg(i)));
        }
        QCOMPARE(clients.back()->waitForFrame(u"error"_s).value(u"code"_s).toString(), u"nick-taken"_s);
    }

    void whispersCrossInstances()
    {
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        auto carol = joinOn(2, u"carol"_s);
        QVERIFY(alice && bob && carol);
        alice->sendJson(Spec::whisper(u"BOB"_s, u"only for you"_s));
        const QJsonObject received = bob->waitForFrame(u"whisper"_s);
        QCOMPARE(received.value(u"from"_s).toString(), u"alice"_s);
        QCOMPARE(received.value(u"to"_s).toString(), u"bob"_s);
        QCOMPARE(received.value(u"text"_s).toString(), u"only for you"_s);
        QCOMPARE(alice->waitForFrame(u"whisper"_s).value(u"text"_s).toString(), u"only for you"_s);

        alice->sendJson(Spec::say(u"after the whisper"_s));
        QCOMPARE(carol->waitForFrame(u"message"_s).value(u"text"_s).toString(), u"after the whisper"_s);
        for (const QByteArray &line : carol->history())
            QVERIFY2(!line.contains("only for you"), line.constData());

        alice->sendJson(Spec::whisper(u"nobody"_s, u"hello?"_s));
        QCOMPARE(alice->waitForFrame(u"error"_s).value(u"code"_s).toString(), u"no-such-user"_s);
    }

    // A `say` sent again with its cid (its first answer was lost) is not
    // posted twice: its author alone gets the first post's echo again, the
    // others nothing (docs/protocol.md, "Posting again safely").
    void repeatedCidIsPostedOnce()
    {
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        QVERIFY(alice && bob);
        QJsonObject say = Spec::say(u"only once"_s);
        say.insert(u"cid"_s, u"k3x-1"_s);
        alice->sendJson(say);
        const QJsonObject first = bob->waitForFrame(u"message"_s);
        QCOMPARE(first.value(u"text"_s).toString(), u"only once"_s);
        const QJsonObject echo = alice->waitForFrame(u"message"_s);
        QCOMPARE(echo, first);

        alice->sendJson(say);
        QCOMPARE(alice->waitForFrame(u"message"_s), first); // the same id and ts
        // Another cid is another message; bob's next is that one, not the repeat.
        say.insert(u"cid"_s, u"k3x-2"_s);
        alice->sendJson(say);
        const QJsonObject second = bob->waitForFrame(u"message"_s);
        QCOMPARE(second.value(u"text"_s).toString(), u"only once"_s);
        QVERIFY(second.value(u"id"_s).toInteger() > first.value(u"id"_s).toInteger());
        QCOMPARE(alice->waitForFrame(u"message"_s), second);
    }

    void resumeOnAnotherInstanceMissesNothing()
    {
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        QVERIFY(alice && bob);
        bob->sendJson(Spec::say(u"one"_s));
        bob->sendJson(Spec::say(u"two"_s));
        QCOMPARE(messages(*alice, 2).constLast(), std::make_tuple(qint64(2), u"bob"_s, u"two"_s));
        alice->abort();
        QCOMPARE(bob->waitForFrame(u"left"_s).value(u"nick"_s).toString(), u"alice"_s);
        bob->sendJson(Spec::say(u"three"_s));
        bob->sendJson(Spec::say(u"four"_s));
        QCOMPARE(messages(*bob, 4).constLast(), std::make_tuple(qint64(4), u"bob"_s, u"four"_s));

        TestClient back;
        QVERIFY(back.connectToServer(port(2)));
        back.sendJson(Spec::helloSince(u"alice"_s, 2));
        const QJsonObject welcome = back.waitForFrame(u"welcome"_s);
        QCOMPARE(Spec::ids(welcome.value(u"history"_s).toArray()), Spec::idRange(3, 4));
        QVERIFY(!welcome.value(u"truncated"_s).toBool());
        bob->sendJson(Spec::say(u"five"_s));
        QCOMPARE(messages(back, 1), (QList<std::tuple<qint64, QString, QString>>{{5, u"bob"_s, u"five"_s}}));
    }

    void textModeUsersShareTheRoom()
    {
        auto bob = joinOn(1, u"bob"_s);
        QVERIFY(bob);
        TestClient netcat;
        QVERIFY(netcat.connectToServer(port(0)));
        netcat.sendLine(u"안녕하세요 from netcat"_s);
        const QJsonObject joined = bob->waitForFrame(u"joined"_s);
        QVERIFY(joined.value(u"nick"_s).toString().startsWith(u"guest"_s));
        const QJsonObject message = bob->waitForFrame(u"message"_s);
        QCOMPARE(message.value(u"text"_s).toString(), u"안녕하세요 from netcat"_s);
        QCOMPARE(message.value(u"from"_s).toString(), joined.value(u"nick"_s).toString());
        bob->sendJson(Spec::say(u"hi netcat"_s));
        QVERIFY(netcat.waitForTextLine([](const QString &line) { return line.contains(u"<bob> hi netcat"_s); }));
    }

    void moderationCrossesInstances()
    {
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        auto carol = joinOn(2, u"carol"_s);
        QVERIFY(alice && bob && carol);
        alice->sendLine(u"{\"type\":\"op\",\"password\":\"secret\"}"_s);
        QCOMPARE(carol->waitForFrame(u"opped"_s).value(u"nick"_s).toString(), u"alice"_s);
        carol->sendJson(Spec::who());
        QCOMPARE(Spec::strings(carol->waitForFrame(u"users"_s).value(u"ops"_s)), QStringList{u"alice"_s});

        alice->sendLine(u"{\"type\":\"mute\",\"nick\":\"carol\",\"minutes\":5}"_s);
        QCOMPARE(carol->waitForFrame(u"muted"_s).value(u"nick"_s).toString(), u"carol"_s);
        carol->sendJson(Spec::say(u"can I talk?"_s));
        QCOMPARE(carol->waitForFrame(u"error"_s).value(u"code"_s).toString(), u"muted"_s);

        alice->sendLine(u"{\"type\":\"kick\",\"nick\":\"bob\",\"reason\":\"enough\"}"_s);
        const QJsonObject bye = bob->waitForFrame(u"bye"_s);
        QCOMPARE(bye.value(u"reason"_s).toString(), u"kicked"_s);
        QCOMPARE(bye.value(u"by"_s).toString(), u"alice"_s);
        QVERIFY(bob->waitForDisconnected());
        const QJsonObject left = carol->waitForFrame(u"left"_s);
        QCOMPARE(left.value(u"nick"_s).toString(), u"bob"_s);
        QCOMPARE(left.value(u"reason"_s).toString(), u"kicked"_s);
        QCOMPARE(left.value(u"message"_s).toString(), u"enough"_s);
    }

    // A mute lives in Redis too: an instance started after it (where the
    // muted user reconnects) knows it, under a new name as well, and an
    // unmute lifts it for instances started later still.
    void muteReachesInstancesStartedLater()
    {
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        QVERIFY(alice && bob);
        alice->sendLine(u"{\"type\":\"op\",\"password\":\"secret\"}"_s);
        QCOMPARE(bob->waitForFrame(u"opped"_s).value(u"nick"_s).toString(), u"alice"_s);
        alice->sendLine(u"{\"type\":\"mute\",\"nick\":\"bob\",\"minutes\":5}"_s);
        QCOMPARE(bob->waitForFrame(u"muted"_s).value(u"nick"_s).toString(), u"bob"_s);

        // Bob leaves, comes back on an instance that did not exist at the
        // mute, and says something: the error code he gets, or "posted" when
        // his message came back to him (anything else says what came).
        const auto postFromANewInstance = [&](const QString &nick, const QString &text) -> QString {
            bob->disconnectFromServer();
            if (alice->waitForFrame(u"left"_s).value(u"nick"_s).toString() != nick)
                return u"(alice did not see %1 leave)"_s.arg(nick);
            m_servers.push_back(TestServer::start(config()));
            bob = m_servers.back() ? joinOn(int(m_servers.size()) - 1, nick) : nullptr;
            if (!bob)
                return u"(%1 could not join the new instance)"_s.arg(nick);
            bob->sendJson(Spec::say(text));
            return answerTo(*bob, text);
        };
        QCOMPARE(postFromANewInstance(u"bob"_s, u"still muted?"_s), u"muted"_s);

        bob->sendJson(Spec::nick(u"bobby"_s));
        QCOMPARE(alice->waitForFrame(u"renamed"_s).value(u"to"_s).toString(), u"bobby"_s);
        QCOMPARE(postFromANewInstance(u"bobby"_s, u"and now?"_s), u"muted"_s);

        alice->sendLine(u"{\"type\":\"unmute\",\"nick\":\"bobby\"}"_s);
        QCOMPARE(bob->waitForFrame(u"unmuted"_s).value(u"nick"_s).toString(), u"bobby"_s);
        QCOMPARE(postFromANewInstance(u"bobby"_s, u"free again"_s), u"posted"_s);
        QCOMPARE(alice->waitForFrame(u"message"_s).value(u"text"_s).toString(), u"free again"_s);
    }

    // Slow mode and the operator list live in Redis too: an instance started
    // after they were set knows them (welcome, `users`, the refusal of a
    // second post), operators elsewhere act on its users, and when slow mode
    // is turned off or an operator leaves (operator status ends with the
    // connection; there is no deop) it hears of it, as does an instance
    // started later still.
    void slowModeAndOperatorsReachInstancesStartedLater()
    {
        constexpr int kSlowSeconds = 30;
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        QVERIFY(alice && bob);
        alice->sendLine(u"{\"type\":\"op\",\"password\":\"secret\"}"_s);
        QCOMPARE(bob->waitForFrame(u"opped"_s).value(u"nick"_s).toString(), u"alice"_s);
        QCOMPARE(alice->waitForFrame(u"opped"_s).value(u"nick"_s).toString(), u"alice"_s);
        bob->sendLine(u"{\"type\":\"op\",\"password\":\"secret\"}"_s);
        QCOMPARE(alice->waitForFrame(u"opped"_s).value(u"nick"_s).toString(), u"bob"_s);
        alice->sendLine(u"{\"type\":\"slow\",\"seconds\":%1}"_s.arg(kSlowSeconds));
        QCOMPARE(bob->waitForFrame(u"slow"_s).value(u"seconds"_s).toInt(), kSlowSeconds);

        const int later = startInstance();
        QVERIFY(later >= 0);
        TestClient carol;
        const QJsonObject welcome = carol.join(port(later), u"carol"_s);
        QCOMPARE(welcome.value(u"slow"_s).toInt(), kSlowSeconds);
        QCOMPARE(Spec::strings(welcome.value(u"ops"_s)), (QStringList{u"alice"_s, u"bob"_s}));
        auto dave = joinOn(later, u"dave"_s);
        QVERIFY(dave);
        QCOMPARE(carol.waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"dave"_s);

        carol.sendJson(Spec::say(u"first"_s));
        QCOMPARE(answerTo(carol, u"first"_s), u"posted"_s);
        carol.sendJson(Spec::say(u"second"_s));
        const QJsonObject refused = carol.waitForFrame(u"error"_s);
        QCOMPARE(refused.value(u"code"_s).toString(), u"slow-mode"_s);
        QCOMPARE(refused.value(u"ref"_s).toString(), u"say"_s);
        QCOMPARE(refused.value(u"wait"_s).toInt(), kSlowSeconds); // the frozen clock: the whole interval
        // Operators are exempt, on their own instance too.
        bob->sendJson(Spec::say(u"bob one"_s));
        bob->sendJson(Spec::say(u"bob two"_s));
        QCOMPARE(messages(carol, 2), (QList<std::tuple<qint64, QString, QString>>{{2, u"bob"_s, u"bob one"_s},
                                                                                  {3, u"bob"_s, u"bob two"_s}}));
        for (const QByteArray &line : carol.history())
            QVERIFY2(!line.contains("\"text\":\"second\""), line.constData()); // refused means not posted

        // Bob's kick reaches dave on the later instance.
        bob->sendLine(u"{\"type\":\"kick\",\"nick\":\"dave\"}"_s);
        const QJsonObject bye = dave->waitForFrame(u"bye"_s);
        QCOMPARE(bye.value(u"reason"_s).toString(), u"kicked"_s);
        QCOMPARE(bye.value(u"by"_s).toString(), u"bob"_s);
        const QJsonObject kicked = carol.waitForFrame(u"left"_s);
        QCOMPARE(kicked.value(u"nick"_s).toString(), u"dave"_s);
        QCOMPARE(kicked.value(u"by"_s).toString(), u"bob"_s);

        // Slow mode off, set on another instance: carol's next post (still
        // "within" the interval on the frozen clock) goes through.
        alice->sendLine(u"{\"type\":\"slow\",\"seconds\":0}"_s);
        const QJsonObject off = carol.waitForFrame(u"slow"_s);
        QCOMPARE(off.value(u"seconds"_s).toInt(), 0);
        QCOMPARE(off.value(u"by"_s).toString(), u"alice"_s);
        carol.sendJson(Spec::say(u"third"_s));
        QCOMPARE(answerTo(carol, u"third"_s), u"posted"_s);

        // Bob leaves: he is an operator no more, there or anywhere.
        bob->sendJson(Spec::bye());
        QCOMPARE(carol.waitForFrame(u"left"_s).value(u"nick"_s).toString(), u"bob"_s);
        carol.sendJson(Spec::who());
        QCOMPARE(Spec::strings(carol.waitForFrame(u"users"_s).value(u"ops"_s)), QStringList{u"alice"_s});

        const int latest = startInstance();
        QVERIFY(latest >= 0);
        TestClient erin;
        const QJsonObject latestWelcome = erin.join(port(latest), u"erin"_s);
        QVERIFY(!latestWelcome.isEmpty());
        QVERIFY2(!latestWelcome.contains(u"slow"_s), "slow mode is off: welcome.slow is left out");
        QCOMPARE(Spec::strings(latestWelcome.value(u"ops"_s)), QStringList{u"alice"_s});
    }

    // Redis killed with SIGKILL (no chance to write anything more) while
    // senders on every instance keep posts in flight: after a restart on the
    // same port and data directory, every message a sender saw echoed is in
    // the room's history (read by an instance started afterwards, so from
    // Redis) under the same id, and no id anyone saw went to another message.
    // RedisProcess runs Redis as docs/architecture.md ("Durability") requires.
};

QTCHAT_TEST_GUILESS_MAIN(TestServerCluster)
#include "tst_server_cluster.moc"
