// SPDX-License-Identifier: MIT
// Rooms (../shared/ROOMS.md, protocol version 2) against a real server on
// port 0, in JSON and text mode: joining, the `room` answer, delivery to a
// room's members only, one order and increasing ids per room, parting,
// topics, the list of rooms, `hello.rooms` with `since`, the limits and the
// new errors, and a store that keeps rooms across a restart.
#include "chatserver.h"
#include "serverfixture.h"
#include "spec.h"
#include "testclient.h"
#include "testharness.h"
#include "testserver.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QJsonObject join(const QString &room)
{
    return {{u"type"_s, u"join"_s}, {u"room"_s, room}};
}

QJsonObject part(const QString &room, const QString &message = {})
{
    QJsonObject frame{{u"type"_s, u"part"_s}, {u"room"_s, room}};
    if (!message.isEmpty())
        frame.insert(u"message"_s, message);
    return frame;
}

QJsonObject sayIn(const QString &room, const QString &text)
{
    return {{u"type"_s, u"say"_s}, {u"room"_s, room}, {u"text"_s, text}};
}

QJsonObject topic(const QString &room, const QString &text)
{
    return {{u"type"_s, u"topic"_s}, {u"room"_s, room}, {u"topic"_s, text}};
}

QJsonObject whoIn(const QString &room)
{
    return {{u"type"_s, u"who"_s}, {u"room"_s, room}};
}

QJsonObject helloWithRooms(const QString &nick, const QJsonArray &rooms)
{
    return {{u"type"_s, u"hello"_s}, {u"nick"_s, nick}, {u"rooms"_s, rooms}};
}

// The next frame after a ping: proves nothing else arrived before it.
bool nothingPending(TestClient &client, int id)
{
    client.sendJson(Spec::ping(id));
    const QJsonObject next = client.nextFrame();
    return Spec::type(next) == u"pong"_s && next.value(u"id"_s).toInt() == id;
}

bool everReceivedRoom(const TestClient &client, const QString &room)
{
    const QByteArray needle = "\"room\":\"" + room.toUtf8() + '"';
    return std::any_of(client.history().cbegin(), client.history().cend(),
                       [&needle](const QByteArray &line) { return line.contains(needle); });
}

} // namespace

class TestServerRooms final : public QObject
{
    Q_OBJECT

private:
    ServerFixture m_fixture;

    static ServerConfig config()
    {
        ServerConfig c = TestServer::config();
        c.rate = 0;
        // Text-mode timers out of reach: a loaded machine must not split a line.
        c.greetingDelayMsecs = 10 * 60 * 1000;
        c.partialLineMsecs = 10 * 60 * 1000;
        return c;
    }

    // `client` joins `room` and returns the `room` frame (empty on failure).
    static QJsonObject enter(TestClient &client, const QString &room)
    {
        client.sendJson(join(room));
        return client.waitForFrame(u"room"_s);
    }

private slots:
    void initTestCase() { TestServer::quietLogs(); }
    void init() { QVERIFY(m_fixture.start(config())); }
    void cleanup() { m_fixture.kill(); }

    void joinAnswersWithTheRoomAndTellsItsMembers()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];

        const QJsonObject first = enter(alice, u"#dev"_s);
        QCOMPARE(first.value(u"room"_s).toString(), u"#dev"_s);
        QCOMPARE(first.value(u"topic"_s).toString(), QString());
        QCOMPARE(Spec::strings(first.value(u"users"_s)), QStringList{u"alice"_s});
        QVERIFY(first.value(u"history"_s).toArray().isEmpty());

        // Names compare like nicknames; frames carry the name as created.
        const QJsonObject second = enter(bob, u"#DEV"_s);
        QCOMPARE(second.value(u"room"_s).toString(), u"#dev"_s);
        QCOMPARE(Spec::strings(second.value(u"users"_s)), (QStringList{u"alice"_s, u"bob"_s}));
        const QJsonObject joined = alice.nextFrame();
        QCOMPARE(Spec::type(joined), u"joined"_s);
        QCOMPARE(joined.value(u"nick"_s).toString(), u"bob"_s);
        QCOMPARE(joined.value(u"room"_s).toString(), u"#dev"_s);
        QVERIFY(Spec::isTimestamp(joined.value(u"ts"_s)));
        QVERIFY(nothingPending(bob, 1)); // the joiner gets `room`, not `joined`

        // Joining again: the room again, and nobody else is told.
        const QJsonObject again = enter(bob, u"#dev"_s);
        QCOMPARE(Spec::strings(again.value(u"users"_s)), (QStringList{u"alice"_s, u"bob"_s}));
        QVERIFY(nothingPending(alice, 2));
    }

    void messagesReachTheRoomsMembersOnly()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s, u"carol"_s});
        QVERIFY(!clients.empty());
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        TestClient &carol = *clients[2];
        QVERIFY(!enter(alice, u"#수학-2반"_s).isEmpty());
        QVERIFY(!enter(bob, u"#수학-2반"_s).isEmpty());
        QCOMPARE(Spec::type(alice.nextFrame()), u"joined"_s);

        bob.sendJson(sayIn(u"#수학-2반"_s, u"숙제 했어요?"_s));
        for (TestClient *member : {&alice, &bob}) {
            const QJsonObject message = member->nextFrame();
            QCOMPARE(Spec::type(message), u"message"_s);
            QCOMPARE(message.value(u"room"_s).toString(), u"#수학-2반"_s);
            QCOMPARE(message.value(u"from"_s).toString(), u"bob"_s);
            QCOMPARE(message.value(u"text"_s).toString(), u"숙제 했어요?"_s);
        }
        // A message without a room is the lobby's, and says so.
        carol.sendJson(Spec::say(u"lobby talk"_s));
        for (TestClient *everyone : {&alice, &bob, &carol}) {
            const QJsonObject message = everyone->nextFrame();
            QCOMPARE(message.value(u"text"_s).toString(), u"lobby talk"_s);
            QCOMPARE(message.value(u"room"_s).toString(), u"#lobby"_s);
        }
        QVERIFY(nothingPending(carol, 1));
        QVERIFY(!everReceivedRoom(carol, u"#수학-2반"_s));
    }

    void idsIncreaseWithinEachRoomAndAreUniqueAcrossRooms()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        for (const QString &room : {u"#a"_s, u"#b"_s}) {
            QVERIFY(!enter(alice, room).isEmpty());
            QVERIFY(!enter(bob, room).isEmpty());
            QCOMPARE(Spec::type(alice.nextFrame()), u"joined"_s);
        }
        constexpr int kRounds = 20;
        for (int i = 0; i < kRounds; ++i) {
            alice.sendJson(sayIn(u"#a"_s, u"a%1"_s.arg(i)));
            bob.sendJson(sayIn(u"#b"_s, u"b%1"_s.arg(i)));
            bob.sendJson(sayIn(u"#a"_s, u"a-bob%1"_s.arg(i)));
            alice.sendJson(Spec::say(u"lobby%1"_s.arg(i)));
        }
        QHash<QString, QList<qint64>> seenByAlice;
        QHash<QString, QList<qint64>> seenByBob;
        for (auto [client, seen] : {std::pair{&alice, &seenByAlice}, std::pair{&bob, &seenByBob}}) {
            for (int i = 0; i < 4 * kRounds; ++i) {
                const QJsonObject message = client->waitForFrame(u"message"_s);
                QVERIFY(!message.isEmpty());
                (*seen)[message.value(u"room"_s).toString()].append(message.value(u"id"_s).toInteger());
            }
        }
        QSet<qint64> all;
        for (auto it = seenByAlice.cbegin(); it != seenByAlice.cend(); ++it) {
            QCOMPARE(it.value(), seenByBob.value(it.key())); // one order for every member
            for (qsizetype i = 1; i < it.value().size(); ++i)
                QVERIFY(it.value().at(i) > it.value().at(i - 1));
            for (const qint64 id : it.value())
                all.insert(id);
        }
        QCOMPARE(all.size(), 4 * kRounds);
    }

    void refusals_data()
    {
        QTest::addColumn<QJsonObject>("request");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("ref");
        const QString invalid = u"room-invalid"_s;
        QTest::newRow("no #") << join(u"dev"_s) << invalid << u"join"_s;
        QTest::newRow("# alone") << join(u"#"_s) << invalid << u"join"_s;
        QTest::newRow("space") << join(u"#a b"_s) << invalid << u"join"_s;
        QTest::newRow("slash") << join(u"#a/b"_s) << invalid << u"join"_s;
        QTest::newRow("33 characters") << join(u"#"_s + QString(33, u'가')) << invalid << u"join"_s;
        QTest::newRow("say to a bad name") << sayIn(u"dev"_s, u"hi"_s) << invalid << u"say"_s;
        QTest::newRow("say, not a member") << sayIn(u"#elsewhere"_s, u"hi"_s) << u"not-in-room"_s << u"say"_s;
        QTest::newRow("part, not a member") << part(u"#elsewhere"_s) << u"not-in-room"_s << u"part"_s;
        QTest::newRow("topic, not a member") << topic(u"#elsewhere"_s, u"x"_s) << u"not-in-room"_s << u"topic"_s;
        QTest::newRow("who, not a member") << whoIn(u"#elsewhere"_s) << u"not-in-room"_s << u"who"_s;
        QTest::newRow("part #lobby") << part(u"#lobby"_s) << u"cannot-part"_s << u"part"_s;
        QTest::newRow("part #LOBBY") << part(u"#LOBBY"_s) << u"cannot-part"_s << u"part"_s;
        QTest::newRow("topic too long") << topic(u"#mine"_s, QString(301, u'x')) << u"topic-invalid"_s << u"topic"_s;
        QTest::newRow("topic with TAB") << topic(u"#mine"_s, u"a\tb"_s) << u"topic-invalid"_s << u"topic"_s;
        QTest::newRow("topic with LF") << topic(u"#mine"_s, u"a\nb"_s) << u"topic-invalid"_s << u"topic"_s;
    }

    void refusals()
    {
        QFETCH(QJsonObject, request);
        QFETCH(QString, code);
        QFETCH(QString, ref);
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        QVERIFY(!enter(alice, u"#mine"_s).isEmpty());
        alice.sendJson(request);
        const QJsonObject error = alice.nextFrame();
        QCOMPARE(Spec::type(error), u"error"_s);
        QCOMPARE(error.value(u"code"_s).toString(), code);
        QCOMPARE(error.value(u"ref"_s).toString(), ref);
        QVERIFY(!error.value(u"message"_s).toString().isEmpty());
    }

    void limits()
    {
        ServerConfig c = config();
        c.maxRoomsPerUser = 2;
        c.maxRooms = 3;
        QVERIFY(m_fixture.start(c));
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        QVERIFY(!enter(alice, u"#one"_s).isEmpty());
        QVERIFY(!enter(alice, u"#two"_s).isEmpty());
        alice.sendJson(join(u"#three"_s));
        QJsonObject error = alice.nextFrame();
        QCOMPARE(error.value(u"code"_s).toString(), u"too-many-rooms"_s);
        QCOMPARE(error.value(u"ref"_s).toString(), u"join"_s);
        // #lobby and rooms one is in do not count again.
        QCOMPARE(enter(alice, u"#lobby"_s).value(u"room"_s).toString(), u"#lobby"_s);
        QCOMPARE(enter(alice, u"#one"_s).value(u"room"_s).toString(), u"#one"_s);

        QVERIFY(!enter(bob, u"#three"_s).isEmpty()); // the third room with members
        bob.sendJson(join(u"#four"_s));
        error = bob.nextFrame();
        QCOMPARE(error.value(u"code"_s).toString(), u"too-many-rooms"_s);
        // An existing room can still be joined; an emptied one stops counting.
        QCOMPARE(enter(bob, u"#one"_s).value(u"room"_s).toString(), u"#one"_s);
        bob.sendJson(part(u"#three"_s));
        QCOMPARE(bob.waitForFrame(u"left"_s).value(u"room"_s).toString(), u"#three"_s);
        QCOMPARE(enter(bob, u"#four"_s).value(u"room"_s).toString(), u"#four"_s);
    }

    void partTellsTheMembersAndTheOneWhoLeftLast()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        QVERIFY(!enter(alice, u"#dev"_s).isEmpty());
        QVERIFY(!enter(bob, u"#dev"_s).isEmpty());
        QCOMPARE(Spec::type(alice.nextFrame()), u"joined"_s);

        bob.sendJson(part(u"#Dev"_s, u"see you"_s));
        for (TestClient *member : {&alice, &bob}) {
            const QJsonObject left = member->nextFrame();
            QCOMPARE(Spec::type(left), u"left"_s);
            QCOMPARE(left.value(u"nick"_s).toString(), u"bob"_s);
            QCOMPARE(left.value(u"room"_s).toString(), u"#dev"_s);
            QCOMPARE(left.value(u"reason"_s).toString(), u"part"_s);
            QCOMPARE(left.value(u"message"_s).toString(), u"see you"_s);
        }
        alice.sendJson(sayIn(u"#dev"_s, u"after bob"_s));
        QCOMPARE(alice.nextFrame().value(u"text"_s).toString(), u"after bob"_s);
        QVERIFY(nothingPending(bob, 1));
        bob.sendJson(whoIn(u"#dev"_s));
        QCOMPARE(bob.nextFrame().value(u"code"_s).toString(), u"not-in-room"_s);
        alice.sendJson(whoIn(u"#dev"_s));
        const QJsonObject users = alice.nextFrame();
        QCOMPARE(users.value(u"room"_s).toString(), u"#dev"_s);
        QCOMPARE(Spec::strings(users.value(u"users"_s)), QStringList{u"alice"_s});
    }

    void topicIsToldToMembersAndKept()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s, u"carol"_s});
        QVERIFY(!clients.empty());
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        TestClient &carol = *clients[2];
        QVERIFY(!enter(alice, u"#dev"_s).isEmpty());
        QVERIFY(!enter(bob, u"#dev"_s).isEmpty());
        QCOMPARE(Spec::type(alice.nextFrame()), u"joined"_s);

        bob.sendJson(topic(u"#dev"_s, u"  release on Friday  "_s));
        for (TestClient *member : {&alice, &bob}) {
            const QJsonObject changed = member->nextFrame();
            QCOMPARE(Spec::type(changed), u"topic"_s);
            QCOMPARE(changed.value(u"room"_s).toString(), u"#dev"_s);
            QCOMPARE(changed.value(u"topic"_s).toString(), u"release on Friday"_s);
            QCOMPARE(changed.value(u"by"_s).toString(), u"bob"_s);
            QVERIFY(Spec::isTimestamp(changed.value(u"ts"_s)));
        }
        QVERIFY(nothingPending(carol, 1));
        QCOMPARE(enter(carol, u"#dev"_s).value(u"topic"_s).toString(), u"release on Friday"_s);

        // #lobby has a topic too, for everyone.
        carol.sendJson(topic(u"#lobby"_s, u"welcome all"_s));
        for (TestClient *everyone : {&alice, &bob, &carol})
            QCOMPARE(everyone->waitForFrame(u"topic"_s).value(u"room"_s).toString(), u"#lobby"_s);
        // An empty topic clears it.
        alice.sendJson(topic(u"#dev"_s, QString()));
        QCOMPARE(alice.waitForFrame(u"topic"_s).value(u"topic"_s).toString(), QString());
    }

    void roomsListsRoomsWithMembersAndEmptiedRoomsComeBack()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        QVERIFY(!enter(alice, u"#Zeta"_s).isEmpty());
        QVERIFY(!enter(alice, u"#alpha"_s).isEmpty());
        QVERIFY(!enter(bob, u"#alpha"_s).isEmpty());
        QVERIFY(!enter(bob, u"#gone"_s).isEmpty());
        alice.sendJson(topic(u"#alpha"_s, u"first letters"_s));
        QCOMPARE(alice.waitForFrame(u"topic"_s).value(u"topic"_s).toString(), u"first letters"_s);
        bob.sendJson(sayIn(u"#gone"_s, u"remember me"_s));
        QVERIFY(!bob.waitForFrame(u"message"_s).isEmpty());
        bob.sendJson(topic(u"#gone"_s, u"kept"_s));
        QVERIFY(!bob.waitForFrame(u"topic"_s).isEmpty());
        bob.sendJson(part(u"#gone"_s));
        QVERIFY(!bob.waitForFrame(u"left"_s).isEmpty());

        alice.sendJson(QJsonObject{{u"type"_s, u"rooms"_s}});
        const QJsonObject rooms = alice.waitForFrame(u"rooms"_s);
        QStringList names;
        QHash<QString, QJsonObject> byName;
        for (const auto &row : rooms.value(u"rooms"_s).toArray()) {
            names.append(row.toObject().value(u"room"_s).toString());
            byName.insert(names.last(), row.toObject());
        }
        QCOMPARE(names, (QStringList{u"#alpha"_s, u"#lobby"_s, u"#Zeta"_s}));
        QCOMPARE(byName.value(u"#alpha"_s).value(u"users"_s).toInt(), 2);
        QCOMPARE(byName.value(u"#alpha"_s).value(u"topic"_s).toString(), u"first letters"_s);
        QCOMPARE(byName.value(u"#lobby"_s).value(u"users"_s).toInt(), 2);
        QCOMPARE(byName.value(u"#Zeta"_s).value(u"users"_s).toInt(), 1);

        // The emptied room keeps its topic, its history and its spelling.
        const QJsonObject back = enter(alice, u"#GONE"_s);
        QCOMPARE(back.value(u"room"_s).toString(), u"#gone"_s);
        QCOMPARE(back.value(u"topic"_s).toString(), u"kept"_s);
        const QJsonArray history = back.value(u"history"_s).toArray();
        QCOMPARE(history.size(), 1);
        QCOMPARE(history.at(0).toObject().value(u"text"_s).toString(), u"remember me"_s);
        QCOMPARE(history.at(0).toObject().value(u"room"_s).toString(), u"#gone"_s);
    }

    void helloRoomsJoinAfterWelcomeInOrderAndResume()
    {
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        QVERIFY(!enter(alice, u"#ops"_s).isEmpty());
        QList<qint64> ids;
        for (int i = 1; i <= 5; ++i) {
            alice.sendJson(sayIn(u"#ops"_s, u"ops %1"_s.arg(i)));
            ids.append(alice.waitForFrame(u"message"_s).value(u"id"_s).toInteger());
        }

        TestClient bob;
        QVERIFY(bob.connectToServer(m_fixture.port()));
        bob.sendJson(
            helloWithRooms(u"bob"_s, {u"#dev"_s, QJsonObject{{u"room"_s, u"#OPS"_s}, {u"since"_s, ids.at(2)}}}));
        QCOMPARE(Spec::type(bob.nextFrame()), u"welcome"_s);
        const QJsonObject dev = bob.nextFrame();
        QCOMPARE(Spec::type(dev), u"room"_s);
        QCOMPARE(dev.value(u"room"_s).toString(), u"#dev"_s);
        const QJsonObject ops = bob.nextFrame();
        QCOMPARE(Spec::type(ops), u"room"_s);
        QCOMPARE(ops.value(u"room"_s).toString(), u"#ops"_s);
        QCOMPARE(Spec::ids(ops.value(u"history"_s).toArray()), ids.mid(3));
        QVERIFY(!ops.value(u"truncated"_s).toBool());
        QCOMPARE(alice.waitForFrame(u"joined"_s).value(u"room"_s).toString(), QString()); // the server's
        QCOMPARE(alice.waitForFrame(u"joined"_s).value(u"room"_s).toString(), u"#ops"_s);
    }

    void helloRoomsRefusedAsAWhole()
    {
        ServerConfig c = config();
        c.maxRoomsPerUser = 2;
        QVERIFY(m_fixture.start(c));
        TestClient bob;
        QVERIFY(bob.connectToServer(m_fixture.port()));
        bob.sendJson(helloWithRooms(u"bob"_s, {u"#fine"_s, u"not a room"_s}));
        QJsonObject error = bob.nextFrame();
        QCOMPARE(error.value(u"code"_s).toString(), u"room-invalid"_s);
        QCOMPARE(error.value(u"ref"_s).toString(), u"hello"_s);
        bob.sendJson(helloWithRooms(u"bob"_s, {u"#a"_s, u"#b"_s, u"#c"_s}));
        error = bob.nextFrame();
        QCOMPARE(error.value(u"code"_s).toString(), u"too-many-rooms"_s);
        QCOMPARE(error.value(u"ref"_s).toString(), u"hello"_s);
        // Still unregistered, and nothing was joined: another hello works.
        bob.sendJson(helloWithRooms(u"bob"_s, {u"#a"_s}));
        QCOMPARE(Spec::type(bob.nextFrame()), u"welcome"_s);
        const QJsonObject a = bob.nextFrame();
        QCOMPARE(Spec::type(a), u"room"_s);
        QCOMPARE(Spec::strings(a.value(u"users"_s)), QStringList{u"bob"_s});
    }

    void leavingTheServerLeavesEveryRoom()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        QVERIFY(!enter(alice, u"#dev"_s).isEmpty());
        QVERIFY(!enter(bob, u"#dev"_s).isEmpty());
        QCOMPARE(Spec::type(alice.nextFrame()), u"joined"_s);

        bob.sendJson(Spec::nick(u"robert"_s));
        QCOMPARE(Spec::type(alice.nextFrame()), u"renamed"_s);
        alice.sendJson(whoIn(u"#dev"_s));
        QCOMPARE(Spec::strings(alice.nextFrame().value(u"users"_s)), (QStringList{u"alice"_s, u"robert"_s}));

        bob.abort();
        const QJsonObject left = alice.nextFrame();
        QCOMPARE(Spec::type(left), u"left"_s);
        QCOMPARE(left.value(u"nick"_s).toString(), u"robert"_s);
        QVERIFY(!left.contains(u"room"_s)); // one `left`, for the server and every room
        QVERIFY(nothingPending(alice, 1));
        alice.sendJson(whoIn(u"#dev"_s));
        QCOMPARE(Spec::strings(alice.nextFrame().value(u"users"_s)), QStringList{u"alice"_s});
    }

    void textModeHasACurrentRoom()
    {
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        QVERIFY(!enter(alice, u"#dev"_s).isEmpty());

        TestClient text;
        QVERIFY(text.connectToServer(m_fixture.port()));
        text.sendLine(u"/join #dev"_s);
        QVERIFY(
            text.waitForTextLine([](const QString &line) { return line == u"* You are in #dev. It has no topic."_s; }));
        QVERIFY(text.waitForTextLine(
            [](const QString &line) { return line.startsWith(u"* 2 users in #dev: alice, guest1"_s); }));
        QCOMPARE(alice.waitForFrame(u"joined"_s).value(u"room"_s).toString(), QString()); // the server's
        QCOMPARE(alice.waitForFrame(u"joined"_s).value(u"room"_s).toString(), u"#dev"_s);

        // A plain line goes to the current room; lines about it name it.
        text.sendLine(u"빌드 통과했어요"_s);
        const QJsonObject message = alice.waitForFrame(u"message"_s);
        QCOMPARE(message.value(u"room"_s).toString(), u"#dev"_s);
        QCOMPARE(message.value(u"text"_s).toString(), u"빌드 통과했어요"_s);
        QVERIFY(text.waitForTextLine([](const QString &line) {
            return QRegularExpression(u"^\\[\\d\\d:\\d\\d\\] #dev <guest1> 빌드 통과했어요$"_s).match(line).hasMatch();
        }));
        alice.sendJson(Spec::say(u"in the lobby"_s));
        QVERIFY(text.waitForTextLine([](const QString &line) {
            return QRegularExpression(u"^\\[\\d\\d:\\d\\d\\] <alice> in the lobby$"_s).match(line).hasMatch();
        }));

        text.sendLine(u"/topic release on Friday"_s);
        QCOMPARE(alice.waitForFrame(u"topic"_s).value(u"topic"_s).toString(), u"release on Friday"_s);
        text.sendLine(u"/topic"_s);
        QVERIFY(text.waitForTextLine(
            [](const QString &line) { return line == u"* the topic of #dev: release on Friday"_s; }));
        text.sendLine(u"/who"_s);
        QVERIFY(
            text.waitForTextLine([](const QString &line) { return line == u"* 2 users in #dev: alice, guest1"_s; }));
        text.sendLine(u"/rooms"_s);
        QVERIFY(text.waitForTextLine([](const QString &line) { return line == u"*   #dev (2): release on Friday"_s; }));

        // Leaving the current room makes #lobby current again.
        text.sendLine(u"/part"_s);
        QCOMPARE(alice.waitForFrame(u"left"_s).value(u"reason"_s).toString(), u"part"_s);
        QVERIFY(text.waitForTextLine([](const QString &line) { return line.endsWith(u"* guest1 left #dev"_s); }));
        text.sendLine(u"back"_s);
        QCOMPARE(alice.waitForFrame(u"message"_s).value(u"room"_s).toString(), u"#lobby"_s);
        text.sendLine(u"/part"_s);
        QVERIFY(
            text.waitForTextLine([](const QString &line) { return line == u"* error: everyone stays in #lobby"_s; }));
    }

    void storeKeepsRoomsAcrossARestart()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ServerConfig c = config();
        c.store = dir.filePath(u"chat.db"_s);
        QVERIFY(m_fixture.start(c));
        qint64 id = 0;
        {
            TestClient alice;
            QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
            QVERIFY(!enter(alice, u"#로비-2"_s).isEmpty());
            alice.sendJson(sayIn(u"#로비-2"_s, u"저장됨"_s));
            id = alice.waitForFrame(u"message"_s).value(u"id"_s).toInteger();
            alice.sendJson(topic(u"#로비-2"_s, u"kept on disk"_s));
            QVERIFY(!alice.waitForFrame(u"topic"_s).isEmpty());
            // A room that never had a topic keeps its spelling too.
            QVERIFY(!enter(alice, u"#Quiet"_s).isEmpty());
        }
        QVERIFY(m_fixture.stop());
        QVERIFY(m_fixture.start(c));
        TestClient bob;
        QVERIFY(!bob.join(m_fixture.port(), u"bob"_s).isEmpty());
        const QJsonObject room = enter(bob, u"#로비-2"_s);
        QCOMPARE(room.value(u"topic"_s).toString(), u"kept on disk"_s);
        QCOMPARE(Spec::ids(room.value(u"history"_s).toArray()), QList<qint64>{id});
        QCOMPARE(enter(bob, u"#quiet"_s).value(u"room"_s).toString(), u"#Quiet"_s);
    }

    void storeOfTheFirstVersionOpensWithItsMessagesInTheLobby()
    {
        // A file written by chat-server before rooms (schema 1): four
        // messages of 민수, the last an action (tests/server/data/).
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"old.db"_s);
        QVERIFY(QFile::copy(QStringLiteral(QTCHAT_TEST_DATA_DIR "/store-v1.sqlite"), path));
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
        ServerConfig c = config();
        c.store = path;
        QVERIFY(m_fixture.start(c));
        TestClient alice;
        const QJsonObject welcome = alice.join(m_fixture.port(), u"alice"_s);
        const QJsonArray history = welcome.value(u"history"_s).toArray();
        QCOMPARE(Spec::ids(history), (QList<qint64>{1, 2, 3, 4}));
        QCOMPARE(history.at(0).toObject().value(u"text"_s).toString(), u"안녕하세요"_s);
        QCOMPARE(history.at(0).toObject().value(u"from"_s).toString(), u"민수"_s);
        QCOMPARE(history.at(0).toObject().value(u"room"_s).toString(), u"#lobby"_s);
        QVERIFY(history.at(3).toObject().value(u"action"_s).toBool());
        alice.sendJson(Spec::say(u"after the migration"_s));
        QCOMPARE(alice.waitForFrame(u"message"_s).value(u"id"_s).toInteger(), 5);
        QVERIFY(!enter(alice, u"#new"_s).isEmpty());
        QVERIFY(enter(alice, u"#new"_s).value(u"history"_s).toArray().isEmpty());
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestServerRooms)
#include "tst_server_rooms.moc"
