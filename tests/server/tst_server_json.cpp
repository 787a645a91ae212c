// SPDX-License-Identifier: MIT
// JSON mode against a real server on port 0: registration, messages and their
// one order, whispers, renames, who, ping, leaving. Error codes are in
// tst_server_errors, text mode in tst_server_text, limits in tst_server_limits.
#include "chatserver.h"
#include "serverfixture.h"
#include "spec.h"
#include "testclient.h"
#include "testharness.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QJsonObject parseLine(const QByteArray &line)
{
    return QJsonDocument::fromJson(line).object();
}

} // namespace

class TestServerJson final : public QObject
{
    Q_OBJECT

private:
    ServerFixture m_fixture;

private slots:
    void initTestCase() { TestServer::quietLogs(); }
    void init() { QVERIFY(m_fixture.start(TestServer::config())); }
    void cleanup() { m_fixture.kill(); }

    void welcomeFields()
    {
        TestClient alice;
        const QJsonObject welcome = alice.join(m_fixture.port(), u"alice"_s);
        QCOMPARE(Spec::type(welcome), u"welcome"_s);
        QCOMPARE(welcome.value(u"nick"_s).toString(), u"alice"_s);
        QCOMPARE(Spec::strings(welcome.value(u"users"_s)), QStringList{u"alice"_s});
        QVERIFY(welcome.value(u"history"_s).isArray());
        QVERIFY(welcome.value(u"history"_s).toArray().isEmpty());
        QVERIFY2(welcome.value(u"server"_s).toString().startsWith(u"chat-server/"_s),
                 qPrintable(welcome.value(u"server"_s).toString()));
        QCOMPARE(welcome.value(u"protocol"_s), QJsonValue(2)); // ROOMS.md: version 2
    }

    void welcomeUsersSortedCaseInsensitively()
    {
        const QStringList joinOrder{u"carol"_s, u"Bob"_s, u"민수"_s, u"alice"_s, u"Dave"_s};
        auto clients = TestClient::joinAll(m_fixture.port(), joinOrder.first(4));
        QVERIFY(!clients.empty());
        TestClient dave;
        const QJsonObject welcome = dave.join(m_fixture.port(), u"Dave"_s);
        const QStringList sorted{u"alice"_s, u"Bob"_s, u"carol"_s, u"Dave"_s, u"민수"_s};
        QCOMPARE(Spec::strings(welcome.value(u"users"_s)), sorted);

        dave.sendJson(Spec::who());
        const QJsonObject users = dave.nextFrame();
        QCOMPARE(Spec::type(users), u"users"_s);
        QCOMPARE(Spec::strings(users.value(u"users"_s)), sorted);
    }

    void joinedGoesToOthersOnly()
    {
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        TestClient bob;
        QVERIFY(!bob.join(m_fixture.port(), u"bob"_s).isEmpty());

        const QJsonObject joined = alice.nextFrame();
        QCOMPARE(Spec::type(joined), u"joined"_s);
        QCOMPARE(joined.value(u"nick"_s).toString(), u"bob"_s);
        QVERIFY(Spec::isTimestamp(joined.value(u"ts"_s)));

        // bob's own join is not announced to bob: the next thing he gets is his pong.
        bob.sendJson(Spec::ping(1));
        QCOMPARE(Spec::type(bob.nextFrame()), u"pong"_s);
    }

    void history_data()
    {
        QTest::addColumn<int>("historySize");
        QTest::addColumn<int>("sent");
        QTest::newRow("fewer than the limit") << 100 << 3;
        QTest::newRow("default limit of 100") << 100 << 105;
        QTest::newRow("--history 3") << 3 << 7;
        QTest::newRow("--history 0") << 0 << 2;
    }

    void history()
    {
        QFETCH(int, historySize);
        QFETCH(int, sent);
        ServerConfig config = TestServer::config();
        config.history = historySize;
        config.rate = 0;
        QVERIFY(m_fixture.start(config));

        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        for (int i = 1; i <= sent; ++i)
            alice.sendJson(Spec::say(u"message %1"_s.arg(i)));
        for (int i = 1; i <= sent; ++i)
            QCOMPARE(alice.nextFrame().value(u"text"_s).toString(), u"message %1"_s.arg(i));

        TestClient carol;
        const QJsonArray history = carol.join(m_fixture.port(), u"carol"_s).value(u"history"_s).toArray();
        const int expected = std::min(sent, historySize);
        QCOMPARE(history.size(), expected);
        qint64 previousId = 0;
        for (int j = 0; j < expected; ++j) {
            const QJsonObject message = history.at(j).toObject();
            QCOMPARE(Spec::type(message), u"message"_s);
            QCOMPARE(message.value(u"from"_s).toString(), u"alice"_s);
            // Oldest first, and the last ones.
            QCOMPARE(message.value(u"text"_s).toString(), u"message %1"_s.arg(sent - expected + 1 + j));
            QVERIFY(Spec::isTimestamp(message.value(u"ts"_s)));
            QVERIFY(message.value(u"id"_s).toInteger() > previousId);
            previousId = message.value(u"id"_s).toInteger();
        }
    }

    void historyExcludesWhispers()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        TestClient &alice = *clients[0];
        alice.sendJson(Spec::whisper(u"bob"_s, u"secret"_s));
        alice.sendJson(Spec::say(u"public"_s));
        QCOMPARE(alice.waitForFrame(u"message"_s).value(u"text"_s).toString(), u"public"_s);

        TestClient carol;
        const QJsonArray history = carol.join(m_fixture.port(), u"carol"_s).value(u"history"_s).toArray();
        QCOMPARE(history.size(), 1);
        QCOMPARE(history.at(0).toObject().value(u"text"_s).toString(), u"public"_s);
    }

    void messageReachesEveryoneIncludingSender_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("action");
        QTest::newRow("Korean") << u"안녕하세요"_s << false;
        QTest::newRow("multi-line with tab") << u"first line\n\tsecond line"_s << false;
        QTest::newRow("emoji") << u"👩‍💻 done"_s << false;
        QTest::newRow("action") << u"waves"_s << true;
        QTest::newRow("4000 characters") << u"x"_s.repeated(4000) << false;
    }

    void messageReachesEveryoneIncludingSender()
    {
        QFETCH(QString, text);
        QFETCH(bool, action);
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s, u"carol"_s});
        QVERIFY(!clients.empty());

        clients[1]->sendJson(Spec::say(text, action));
        QList<QJsonObject> received;
        for (auto &client : clients) {
            const QJsonObject message = client->nextFrame();
            QCOMPARE(Spec::type(message), u"message"_s);
            QVERIFY(message.value(u"id"_s).isDouble());
            QCOMPARE(message.value(u"from"_s).toString(), u"bob"_s);
            QCOMPARE(message.value(u"text"_s).toString(), text);
            QVERIFY(Spec::isTimestamp(message.value(u"ts"_s)));
            // `action` appears only when true.
            QCOMPARE(message.contains(u"action"_s), action);
            if (action)
                QCOMPARE(message.value(u"action"_s), QJsonValue(true));
            received.append(message);
        }
        QCOMPARE(received.at(0), received.at(1));
        QCOMPARE(received.at(0), received.at(2));
    }

    void messageIdsIncreaseStrictly()
    {
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        qint64 previous = 0;
        for (int i = 0; i < 5; ++i) {
            alice.sendJson(Spec::say(u"n%1"_s.arg(i)));
            const QJsonObject message = alice.nextFrame();
            QCOMPARE(Spec::type(message), u"message"_s);
            QVERIFY(message.value(u"id"_s).toInteger() > previous);
            previous = message.value(u"id"_s).toInteger();
        }
    }

    // Several clients talk at once; one renames, another joins and leaves in
    // the middle. Everyone sees the same events in the same order.
    void oneOrderForEveryone()
    {
        ServerConfig config = TestServer::config();
        config.rate = 0;
        QVERIFY(m_fixture.start(config));
        const QStringList nicks{u"ann"_s, u"ben"_s, u"cat"_s, u"dan"_s};
        auto clients = TestClient::joinAll(m_fixture.port(), nicks);
        QVERIFY(!clients.empty());

        constexpr int kPerClient = 40;
        for (size_t c = 0; c < clients.size(); ++c) {
            QByteArray burst;
            for (int i = 0; i < kPerClient; ++i) {
                burst += QJsonDocument(Spec::say(u"%1-%2"_s.arg(nicks.at(qsizetype(c))).arg(i)))
                             .toJson(QJsonDocument::Compact) +
                         '\n';
                if (c == 1 && i == kPerClient / 2)
                    burst += QJsonDocument(Spec::nick(u"ben2"_s)).toJson(QJsonDocument::Compact) + '\n';
            }
            clients[c]->sendRaw(burst);
        }
        TestClient eve;
        QVERIFY(!eve.join(m_fixture.port(), u"eve"_s).isEmpty());
        eve.sendJson(Spec::bye());

        // Each waits for its copy of everything: all messages, the rename, eve's join and leave.
        const int expectedEvents = kPerClient * int(clients.size()) + 3;
        const QStringList ordered{u"message"_s, u"joined"_s, u"left"_s, u"renamed"_s};
        QList<QList<QByteArray>> seen;
        for (auto &client : clients) {
            QList<QByteArray> events;
            while (events.size() < expectedEvents) {
                const std::optional<QByteArray> line = client->nextLine();
                QVERIFY2(line, "timed out waiting for events");
                if (ordered.contains(Spec::type(parseLine(*line))))
                    events.append(*line);
            }
            seen.append(events);
        }
        for (qsizetype c = 1; c < seen.size(); ++c)
            QVERIFY2(seen.at(c) == seen.at(0), qPrintable(u"%1 saw another order than ann"_s.arg(nicks.at(c))));

        // Ids increase strictly, and each sender's messages keep their order.
        qint64 previousId = 0;
        QHash<QString, int> nextIndex;
        for (const QByteArray &line : std::as_const(seen.at(0))) {
            const QJsonObject event = parseLine(line);
            if (Spec::type(event) != u"message")
                continue;
            QVERIFY(event.value(u"id"_s).toInteger() > previousId);
            previousId = event.value(u"id"_s).toInteger();
            const QStringList parts = event.value(u"text"_s).toString().split(u'-');
            QCOMPARE(parts.at(1).toInt(), nextIndex[parts.at(0)]++);
        }
        for (const QString &nick : nicks)
            QCOMPARE(nextIndex.value(nick), kPerClient);
    }

    // Replies on one connection come in request order, even when pipelined.
    void repliesInRequestOrder()
    {
        TestClient alice;
        QVERIFY(alice.connectToServer(m_fixture.port()));
        QByteArray pipeline;
        for (const QJsonObject &frame : {Spec::hello(u"alice"_s), Spec::who(), Spec::ping(1), Spec::say(u"hi"_s),
                                         Spec::ping(2), Spec::whisper(u"nobody"_s, u"x"_s), Spec::ping(3)})
            pipeline += QJsonDocument(frame).toJson(QJsonDocument::Compact) + '\n';
        alice.sendRaw(pipeline);

        const QStringList expected{u"welcome"_s, u"users"_s, u"pong"_s, u"message"_s, u"pong"_s, u"error"_s, u"pong"_s};
        QStringList got;
        for (qsizetype i = 0; i < expected.size(); ++i)
            got.append(Spec::type(alice.nextFrame()));
        QCOMPARE(got, expected);
    }

    void whisper_data()
    {
        QTest::addColumn<QString>("to");
        QTest::newRow("exact") << u"Bob"_s;
        QTest::newRow("lower case") << u"bob"_s;
        QTest::newRow("upper case") << u"BOB"_s;
    }

    void whisper()
    {
        QFETCH(QString, to);
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"Bob"_s, u"carol"_s});
        QVERIFY(!clients.empty());
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        TestClient &carol = *clients[2];

        alice.sendJson(Spec::whisper(to, u"비밀이야"_s));
        for (TestClient *client : {&bob, &alice}) {
            const QJsonObject whisper = client->nextFrame();
            QCOMPARE(Spec::type(whisper), u"whisper"_s);
            QCOMPARE(whisper.value(u"from"_s).toString(), u"alice"_s);
            QCOMPARE(whisper.value(u"to"_s).toString(), u"Bob"_s); // the nick as registered
            QCOMPARE(whisper.value(u"text"_s).toString(), u"비밀이야"_s);
            QVERIFY(Spec::isTimestamp(whisper.value(u"ts"_s)));
        }

        // carol never sees it: the next thing she gets is alice's public message.
        alice.sendJson(Spec::say(u"public"_s));
        const QJsonObject next = carol.nextFrame();
        QCOMPARE(Spec::type(next), u"message"_s);
        QCOMPARE(next.value(u"text"_s).toString(), u"public"_s);
    }

    void whisperToSomeoneWhoLeft()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        clients[1]->sendJson(Spec::bye());
        QCOMPARE(Spec::type(clients[0]->nextFrame()), u"left"_s);

        clients[0]->sendJson(Spec::whisper(u"bob"_s, u"still there?"_s));
        const QJsonObject error = clients[0]->nextFrame();
        QCOMPARE(error.value(u"code"_s).toString(), u"no-such-user"_s);
        QCOMPARE(error.value(u"ref"_s).toString(), u"whisper"_s);
    }

    void rename()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        clients[0]->sendJson(Spec::nick(u"alicia"_s));
        for (auto &client : clients) {
            const QJsonObject renamed = client->nextFrame();
            QCOMPARE(Spec::type(renamed), u"renamed"_s);
            QCOMPARE(renamed.value(u"from"_s).toString(), u"alice"_s);
            QCOMPARE(renamed.value(u"to"_s).toString(), u"alicia"_s);
            QVERIFY(Spec::isTimestamp(renamed.value(u"ts"_s)));
        }

        clients[1]->sendJson(Spec::who());
        QCOMPARE(Spec::strings(clients[1]->nextFrame().value(u"users"_s)), (QStringList{u"alicia"_s, u"bob"_s}));
        clients[0]->sendJson(Spec::say(u"new name"_s));
        QCOMPARE(clients[1]->nextFrame().value(u"from"_s).toString(), u"alicia"_s);

        // The old nick is free again, the new one is taken.
        TestClient other;
        QVERIFY(!other.join(m_fixture.port(), u"alice"_s).isEmpty());
        TestClient late;
        QVERIFY(late.connectToServer(m_fixture.port()));
        late.sendJson(Spec::hello(u"ALICIA"_s));
        QCOMPARE(late.nextFrame().value(u"code"_s).toString(), u"nick-taken"_s);
    }

    void renameCaseOnly()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        clients[0]->sendJson(Spec::nick(u"Alice"_s));
        for (auto &client : clients) {
            const QJsonObject renamed = client->nextFrame();
            QCOMPARE(Spec::type(renamed), u"renamed"_s);
            QCOMPARE(renamed.value(u"from"_s).toString(), u"alice"_s);
            QCOMPARE(renamed.value(u"to"_s).toString(), u"Alice"_s);
        }
    }

    void renameTakenLeavesEveryoneAlone()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        clients[1]->sendJson(Spec::nick(u"ALICE"_s));
        const QJsonObject error = clients[1]->nextFrame();
        QCOMPARE(error.value(u"code"_s).toString(), u"nick-taken"_s);
        QCOMPARE(error.value(u"ref"_s).toString(), u"nick"_s);

        // No `renamed` went out: alice's next frame is bob's message, still from bob.
        clients[1]->sendJson(Spec::say(u"still bob"_s));
        const QJsonObject next = clients[0]->nextFrame();
        QCOMPARE(Spec::type(next), u"message"_s);
        QCOMPARE(next.value(u"from"_s).toString(), u"bob"_s);
    }

    void pingPong_data()
    {
        QTest::addColumn<QByteArray>("idJson");
        QTest::addColumn<bool>("registered");
        QTest::newRow("number") << "42"_ba << true;
        QTest::newRow("string") << "\"abc\""_ba << true;
        QTest::newRow("null") << "null"_ba << true;
        QTest::newRow("object") << "{\"seq\":1,\"tags\":[\"a\"]}"_ba << true;
        QTest::newRow("array") << "[1,\"x\",false]"_ba << true;
        QTest::newRow("fraction") << "2.5"_ba << true;
        QTest::newRow("bool") << "true"_ba << true;
        QTest::newRow("absent") << QByteArray() << true;
        QTest::newRow("before hello") << "7"_ba << false;
        QTest::newRow("absent, before hello") << QByteArray() << false;
    }

    void pingPong()
    {
        QFETCH(QByteArray, idJson);
        QFETCH(bool, registered);
        TestClient client;
        if (registered)
            QVERIFY(!client.join(m_fixture.port(), u"pinger"_s).isEmpty());
        else
            QVERIFY(client.connectToServer(m_fixture.port()));

        const QByteArray idField = idJson.isEmpty() ? QByteArray() : ",\"id\":"_ba + idJson;
        client.sendRaw("{\"type\":\"ping\""_ba + idField + "}\n"_ba);
        const QJsonObject pong = client.nextFrame();
        QCOMPARE(Spec::type(pong), u"pong"_s);
        if (idJson.isEmpty()) {
            QVERIFY(!pong.contains(u"id"_s));
        } else {
            QVERIFY(pong.contains(u"id"_s));
            QCOMPARE(pong.value(u"id"_s), parseLine("{\"id\":"_ba + idJson + '}').value(u"id"_s));
        }
    }

    void byeLeavesWithQuit()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        clients[0]->sendJson(Spec::bye(u"lunch"_s));

        const QJsonObject bye = clients[0]->nextFrame();
        QCOMPARE(Spec::type(bye), u"bye"_s);
        QVERIFY(clients[0]->waitForDisconnected());

        const QJsonObject left = clients[1]->nextFrame();
        QCOMPARE(Spec::type(left), u"left"_s);
        QCOMPARE(left.value(u"nick"_s).toString(), u"alice"_s);
        QCOMPARE(left.value(u"reason"_s).toString(), u"quit"_s);
        QVERIFY(Spec::isTimestamp(left.value(u"ts"_s)));

        // The nick is free again.
        TestClient again;
        QVERIFY(!again.join(m_fixture.port(), u"alice"_s).isEmpty());
    }

    void byeBeforeHelloClosesQuietly()
    {
        TestClient bob;
        QVERIFY(!bob.join(m_fixture.port(), u"bob"_s).isEmpty());
        TestClient stranger;
        QVERIFY(stranger.connectToServer(m_fixture.port()));
        stranger.sendJson(Spec::bye());
        QVERIFY(stranger.waitForDisconnected());

        // Nobody had joined, so nobody left: bob's next frame is his own pong.
        bob.sendJson(Spec::ping(u"after"_s));
        QCOMPARE(Spec::type(bob.nextFrame()), u"pong"_s);
    }

    void connectionLostLeavesWithDisconnected_data()
    {
        QTest::addColumn<bool>("abrupt");
        QTest::newRow("reset") << true;
        QTest::newRow("close without bye") << false;
    }

    void connectionLostLeavesWithDisconnected()
    {
        QFETCH(bool, abrupt);
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        if (abrupt)
            clients[0]->abort();
        else
            clients[0]->disconnectFromServer();

        const QJsonObject left = clients[1]->nextFrame();
        QCOMPARE(Spec::type(left), u"left"_s);
        QCOMPARE(left.value(u"nick"_s).toString(), u"alice"_s);
        QCOMPARE(left.value(u"reason"_s).toString(), u"disconnected"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.server()->connectionCount(), 1, TestClient::kTimeoutMsecs);
    }

    // Framing details: CRLF, blank lines, unknown fields.
    void framingIsForgiving()
    {
        TestClient alice;
        QVERIFY(alice.connectToServer(m_fixture.port()));
        alice.sendRaw("\r\n\n{\"type\":\"hello\",\"nick\":\"alice\",\"colour\":\"blue\",\"v\":[1,2]}\r\n\n   \n"_ba);
        QCOMPARE(Spec::type(alice.nextFrame()), u"welcome"_s);
        alice.sendRaw("{\"type\":\"ping\",\"id\":1}\r\n"_ba);
        // No error for the blank lines: the pong is next.
        QCOMPARE(alice.nextFrame(), (QJsonObject{{u"type"_s, u"pong"_s}, {u"id"_s, 1}}));
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestServerJson)
#include "tst_server_json.moc"
