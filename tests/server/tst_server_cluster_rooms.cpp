// SPDX-License-Identifier: MIT
// Rooms across a cluster (issue #15; ROOMS.md, "Several servers, one
// Redis"): chat-server instances sharing one private redis-server, with a
// room's members on different instances. Messages, joins, parts and topics
// reach the room's members on every instance and nobody else, in one order;
// `rooms` and --max-rooms count every instance; a room keeps its topic and
// history after it empties; a user who goes, or whose instance dies, leaves
// its rooms everywhere.
#include "clustertest.h"
#include "redisconnection.h"
#include "roomstream.h"
#include "serverprocess.h"
#include "spec.h"
#include "testharness.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
QJsonObject request(const QString &type, const QString &room, const QString &field = {}, const QString &value = {})
{
    QJsonObject frame{{u"type"_s, type}, {u"room"_s, room}};
    if (!field.isEmpty())
        frame.insert(field, value);
    return frame;
}

QJsonObject sayIn(const QString &room, const QString &text)
{
    return request(u"say"_s, room, u"text"_s, text);
}

// The next frame of `type` about `room` on `client` (a message without
// room is #lobby's), skipping everything else.
QJsonObject frameIn(TestClient &client, const QString &type, const QString &room)
{
    while (true) {
        QJsonObject frame = client.waitForFrame(type, kWaitMsecs);
        if (frame.isEmpty() || frame.value(u"room"_s).toString(u"#lobby"_s) == room)
            return frame;
    }
}

QJsonObject messageIn(TestClient &client, const QString &room)
{
    return frameIn(client, u"message"_s, room);
}

QStringList textsOf(const QJsonValue &history)
{
    QStringList texts;
    const QJsonArray messages = history.toArray();
    for (const auto &message : messages)
        texts.append(message.toObject().value(u"text"_s).toString());
    return texts;
}

bool mentions(const TestClient &client, const QString &text)
{
    for (const QByteArray &line : client.history()) {
        if (QString::fromUtf8(line).contains(text))
            return true;
    }
    return false;
}
} // namespace

class TestServerClusterRooms final : public ClusterTest
{
    Q_OBJECT

private:
    // Two more instances (3 and 4) holding at most `maxRooms` rooms.
    void startTwoLimitedTo(int maxRooms)
    {
        ServerConfig limited = config();
        limited.maxRooms = maxRooms;
        m_servers.push_back(TestServer::start(limited));
        m_servers.push_back(TestServer::start(limited));
        QVERIFY(m_servers.at(3) && m_servers.at(4));
    }

    struct TwoMembers {
        std::unique_ptr<TestClient> alice;
        std::unique_ptr<TestClient> bob;
    };
    // alice on instance 0 and bob on instance 1, both in `room`; none when
    // either could not register or join.
    TwoMembers aliceAndBobIn(const QString &room)
    {
        TwoMembers two{joinOn(0, u"alice"_s), joinOn(1, u"bob"_s)};
        if (!two.alice || !two.bob || joinRoom(*two.alice, room).isEmpty() || joinRoom(*two.bob, room).isEmpty())
            return {};
        return two;
    }

    // `client` joins `room`; the `room` frame it gets (empty on an error or
    // none), skipping what else comes meanwhile (others registering).
    static QJsonObject joinRoom(TestClient &client, const QString &room)
    {
        client.sendJson(request(u"join"_s, room));
        while (true) {
            QJsonObject frame = client.nextFrame(kWaitMsecs);
            if (frame.isEmpty() || Spec::type(frame) == u"error"_s) {
                qWarning().noquote() << "no room frame:" << QJsonDocument(frame).toJson(QJsonDocument::Compact);
                return {};
            }
            if (Spec::type(frame) == u"room"_s)
                return frame;
        }
    }

    // Waits for `nick`'s `left` from `room` on `client`.
    static bool waitForPart(TestClient &client, const QString &room, const QString &nick)
    {
        while (true) {
            const QJsonObject left = frameIn(client, u"left"_s, room);
            if (left.isEmpty())
                return false;
            if (left.value(u"nick"_s).toString() == nick)
                return true;
        }
    }

private slots:
    void messagesReachTheMembersOnEveryInstanceOnly_data()
    {
        QTest::addColumn<QString>("room");
        QTest::newRow("latin") << u"#dev"_s;
        QTest::newRow("korean") << u"#수학-2반"_s;
    }

    void messagesReachTheMembersOnEveryInstanceOnly()
    {
        QFETCH(QString, room);
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        auto carol = joinOn(0, u"carol"_s); // #lobby only, beside alice
        auto dave = joinOn(1, u"dave"_s);   // #lobby only, beside bob
        QVERIFY(alice && bob && carol && dave);

        const QJsonObject first = joinRoom(*alice, room);
        QCOMPARE(first.value(u"room"_s).toString(), room);
        QCOMPARE(Spec::strings(first.value(u"users"_s)), QStringList{u"alice"_s});
        // Another spelling of the same room, on another instance.
        const QJsonObject second = joinRoom(*bob, room.toUpper());
        QCOMPARE(second.value(u"room"_s).toString(), room);
        QCOMPARE(Spec::strings(second.value(u"users"_s)), (QStringList{u"alice"_s, u"bob"_s}));
        const QJsonObject joined = frameIn(*alice, u"joined"_s, room);
        QCOMPARE(joined.value(u"nick"_s).toString(), u"bob"_s);
        QCOMPARE(joined.value(u"room"_s).toString(), room);

        alice->sendJson(sayIn(room, u"from alice"_s));
        bob->sendJson(sayIn(room, u"from bob"_s));
        for (TestClient *member : {alice.get(), bob.get()}) {
            QStringList texts;
            for (int i = 0; i < 2; ++i)
                texts.append(messageIn(*member, room).value(u"text"_s).toString());
            texts.sort();
            QCOMPARE(texts, (QStringList{u"from alice"_s, u"from bob"_s}));
        }
        // The room's messages are all out; the lobby's one after them marks
        // the point by which carol and dave would have had them.
        alice->sendJson(Spec::say(u"lobby mark"_s));
        for (TestClient *outsider : {carol.get(), dave.get()}) {
            QCOMPARE(messageIn(*outsider, u"#lobby"_s).value(u"text"_s).toString(), u"lobby mark"_s);
            QVERIFY(!mentions(*outsider, room));
            QVERIFY(!mentions(*outsider, u"from alice"_s));
        }
    }

    void oneOrderWithIncreasingIdsAcrossInstances()
    {
        constexpr int kPerClient = 15;
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        auto carol = joinOn(2, u"carol"_s); // posts to #lobby meanwhile: ids are shared
        QVERIFY(alice && bob && carol);
        QVERIFY(!joinRoom(*alice, u"#dev"_s).isEmpty());
        QVERIFY(!joinRoom(*bob, u"#dev"_s).isEmpty());
        QCOMPARE(frameIn(*alice, u"joined"_s, u"#dev"_s).value(u"nick"_s).toString(), u"bob"_s);
        for (int n = 0; n < kPerClient; ++n) {
            alice->sendJson(sayIn(u"#dev"_s, u"alice %1"_s.arg(n)));
            bob->sendJson(sayIn(u"#dev"_s, u"bob %1"_s.arg(n)));
            carol->sendJson(Spec::say(u"carol %1"_s.arg(n)));
        }
        QList<std::pair<qint64, QString>> seenBy[2];
        TestClient *members[2] = {alice.get(), bob.get()};
        for (int m = 0; m < 2; ++m) {
            for (int i = 0; i < 2 * kPerClient; ++i) {
                const QJsonObject message = messageIn(*members[m], u"#dev"_s);
                QVERIFY(!message.isEmpty());
                seenBy[m].append({message.value(u"id"_s).toInteger(), message.value(u"text"_s).toString()});
            }
        }
        QCOMPARE(seenBy[1], seenBy[0]);
        for (qsizetype i = 1; i < seenBy[0].size(); ++i)
            QVERIFY2(seenBy[0].at(i).first > seenBy[0].at(i - 1).first, "ids increase within the room");
        // Unique across rooms: none of the room's ids is one of the lobby's.
        QSet<qint64> lobbyIds;
        for (int n = 0; n < kPerClient; ++n)
            lobbyIds.insert(messageIn(*carol, u"#lobby"_s).value(u"id"_s).toInteger());
        QCOMPARE(lobbyIds.size(), kPerClient);
        for (const auto &[id, text] : seenBy[0])
            QVERIFY(!lobbyIds.contains(id));
    }

    void partIsSeenOnEveryInstance()
    {
        auto [alice, bob] = aliceAndBobIn(u"#dev"_s);
        QVERIFY(alice && bob);
        QCOMPARE(frameIn(*alice, u"joined"_s, u"#dev"_s).value(u"nick"_s).toString(), u"bob"_s);
        bob->sendJson(request(u"part"_s, u"#dev"_s, u"message"_s, u"bye all"_s));
        for (TestClient *member : {alice.get(), bob.get()}) {
            const QJsonObject left = member->waitForFrame(u"left"_s, kWaitMsecs);
            QCOMPARE(left.value(u"nick"_s).toString(), u"bob"_s);
            QCOMPARE(left.value(u"room"_s).toString(), u"#dev"_s);
            QCOMPARE(left.value(u"reason"_s).toString(), u"part"_s);
            QCOMPARE(left.value(u"message"_s).toString(), u"bye all"_s);
        }
        alice->sendJson(request(u"who"_s, u"#dev"_s));
        QCOMPARE(Spec::strings(alice->waitForFrame(u"users"_s, kWaitMsecs).value(u"users"_s)), QStringList{u"alice"_s});
        // bob hears nothing more of the room.
        alice->sendJson(sayIn(u"#dev"_s, u"after bob"_s));
        QCOMPARE(messageIn(*alice, u"#dev"_s).value(u"text"_s).toString(), u"after bob"_s);
        alice->sendJson(Spec::say(u"lobby mark"_s));
        QCOMPARE(messageIn(*bob, u"#lobby"_s).value(u"text"_s).toString(), u"lobby mark"_s);
        QVERIFY(!mentions(*bob, u"after bob"_s));
    }

    void topicAndHistoryStayWithTheRoomAcrossInstances()
    {
        auto [alice, bob] = aliceAndBobIn(u"#dev"_s);
        QVERIFY(alice && bob);
        alice->sendJson(request(u"topic"_s, u"#dev"_s, u"topic"_s, u"release on Friday"_s));
        const QJsonObject topic = bob->waitForFrame(u"topic"_s, kWaitMsecs);
        QCOMPARE(topic.value(u"room"_s).toString(), u"#dev"_s);
        QCOMPARE(topic.value(u"topic"_s).toString(), u"release on Friday"_s);
        QCOMPARE(topic.value(u"by"_s).toString(), u"alice"_s);
        QCOMPARE(alice->waitForFrame(u"topic"_s, kWaitMsecs).value(u"topic"_s).toString(), u"release on Friday"_s);
        alice->sendJson(sayIn(u"#dev"_s, u"kept"_s));
        QCOMPARE(messageIn(*bob, u"#dev"_s).value(u"text"_s).toString(), u"kept"_s);

        // A later `room` frame, on the third instance, has the topic.
        auto carol = joinOn(2, u"carol"_s);
        QVERIFY(carol);
        const QJsonObject third = joinRoom(*carol, u"#dev"_s);
        QCOMPARE(third.value(u"topic"_s).toString(), u"release on Friday"_s);
        QCOMPARE(textsOf(third.value(u"history"_s)), QStringList{u"kept"_s});

        // Emptied, the room is no longer listed, and keeps topic and history.
        const std::pair<TestClient *, QString> members[] = {
            {alice.get(), u"alice"_s}, {bob.get(), u"bob"_s}, {carol.get(), u"carol"_s}};
        for (const auto &[member, nick] : members) {
            member->sendJson(request(u"part"_s, u"#dev"_s));
            QVERIFY(waitForPart(*member, u"#dev"_s, nick));
        }
        bob->sendJson(QJsonObject{{u"type"_s, u"rooms"_s}});
        const QJsonArray listed = bob->waitForFrame(u"rooms"_s, kWaitMsecs).value(u"rooms"_s).toArray();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.at(0).toObject().value(u"room"_s).toString(), u"#lobby"_s);
        const QJsonObject again = joinRoom(*bob, u"#dev"_s);
        QCOMPARE(again.value(u"topic"_s).toString(), u"release on Friday"_s);
        QCOMPARE(textsOf(again.value(u"history"_s)), QStringList{u"kept"_s});
        QCOMPARE(Spec::strings(again.value(u"users"_s)), QStringList{u"bob"_s});
    }

    void lobbyTopicIsShared()
    {
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        QVERIFY(alice && bob);
        alice->sendJson(request(u"topic"_s, u"#lobby"_s, u"topic"_s, u"welcome all"_s));
        const QJsonObject topic = frameIn(*bob, u"topic"_s, u"#lobby"_s);
        QCOMPARE(topic.value(u"topic"_s).toString(), u"welcome all"_s);
        QCOMPARE(topic.value(u"by"_s).toString(), u"alice"_s);
        // An instance started later knows it from Redis.
        const int later = startInstance();
        QVERIFY(later >= 0);
        auto carol = joinOn(later, u"carol"_s);
        QVERIFY(carol);
        carol->sendJson(QJsonObject{{u"type"_s, u"rooms"_s}});
        const QJsonArray listed = carol->waitForFrame(u"rooms"_s, kWaitMsecs).value(u"rooms"_s).toArray();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.at(0).toObject().value(u"topic"_s).toString(), u"welcome all"_s);
    }

    void roomsCountsMembersOnEveryInstance()
    {
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        auto carol = joinOn(2, u"carol"_s);
        QVERIFY(alice && bob && carol);
        QVERIFY(!joinRoom(*alice, u"#dev"_s).isEmpty());
        QVERIFY(!joinRoom(*carol, u"#dev"_s).isEmpty());
        QVERIFY(!joinRoom(*alice, u"#수학-2반"_s).isEmpty());
        bob->sendJson(QJsonObject{{u"type"_s, u"rooms"_s}});
        const QJsonArray listed = bob->waitForFrame(u"rooms"_s, kWaitMsecs).value(u"rooms"_s).toArray();
        QStringList rows;
        for (const auto &row : listed) {
            const QJsonObject room = row.toObject();
            rows.append(u"%1 %2"_s.arg(room.value(u"room"_s).toString()).arg(room.value(u"users"_s).toInt()));
        }
        QCOMPARE(rows, (QStringList{u"#dev 2"_s, u"#lobby 3"_s, u"#수학-2반 1"_s}));
    }

    void helloRoomsResumesOnAnotherInstance()
    {
        auto alice = joinOn(0, u"alice"_s);
        QVERIFY(alice);
        QVERIFY(!joinRoom(*alice, u"#dev"_s).isEmpty());
        {
            auto bob = joinOn(1, u"bob"_s);
            QVERIFY(bob);
            QVERIFY(!joinRoom(*bob, u"#dev"_s).isEmpty());
            alice->sendJson(sayIn(u"#dev"_s, u"seen"_s));
            const qint64 since = messageIn(*bob, u"#dev"_s).value(u"id"_s).toInteger();
            QCOMPARE(messageIn(*alice, u"#dev"_s).value(u"text"_s).toString(), u"seen"_s);
            bob->disconnectFromServer();
            QCOMPARE(alice->waitForFrame(u"left"_s, kWaitMsecs).value(u"nick"_s).toString(), u"bob"_s);
            alice->sendJson(sayIn(u"#dev"_s, u"missed 1"_s));
            alice->sendJson(Spec::say(u"lobby between"_s));
            alice->sendJson(sayIn(u"#dev"_s, u"missed 2"_s));
            QCOMPARE(messageIn(*alice, u"#dev"_s).value(u"text"_s).toString(), u"missed 1"_s);
            QCOMPARE(messageIn(*alice, u"#dev"_s).value(u"text"_s).toString(), u"missed 2"_s);

            TestClient back;
            QVERIFY(back.connectToServer(port(1)));
            back.sendJson(
                QJsonObject{{u"type"_s, u"hello"_s},
                            {u"nick"_s, u"bob"_s},
                            {u"rooms"_s, QJsonArray{QJsonObject{{u"room"_s, u"#dev"_s}, {u"since"_s, since}}}}});
            QCOMPARE(Spec::type(back.waitForFrame(u"welcome"_s, kWaitMsecs)), u"welcome"_s);
            const QJsonObject room = back.waitForFrame(u"room"_s, kWaitMsecs);
            QCOMPARE(room.value(u"room"_s).toString(), u"#dev"_s);
            QCOMPARE(textsOf(room.value(u"history"_s)), (QStringList{u"missed 1"_s, u"missed 2"_s}));
            QCOMPARE(Spec::strings(room.value(u"users"_s)), (QStringList{u"alice"_s, u"bob"_s}));
        }
    }

    void aUserWhoGoesLeavesItsRoomsEverywhere()
    {
        auto [alice, bob] = aliceAndBobIn(u"#dev"_s);
        QVERIFY(alice && bob);
        alice->disconnectFromServer();
        const QJsonObject left = bob->waitForFrame(u"left"_s, kWaitMsecs);
        QCOMPARE(left.value(u"nick"_s).toString(), u"alice"_s);
        QVERIFY(!left.contains(u"room"_s));
        bob->sendJson(request(u"who"_s, u"#dev"_s));
        QCOMPARE(Spec::strings(bob->waitForFrame(u"users"_s, kWaitMsecs).value(u"users"_s)), QStringList{u"bob"_s});
        // An instance that starts following the room now reads it the same way.
        auto carol = joinOn(2, u"carol"_s);
        QVERIFY(carol);
        QCOMPARE(Spec::strings(joinRoom(*carol, u"#dev"_s).value(u"users"_s)), (QStringList{u"bob"_s, u"carol"_s}));
    }

    // A member of a room who says `bye` and comes straight back under the
    // same nickname through the same instance is welcomed: the release,
    // sent once the rooms have answered (not waited for on the room's
    // thread), still goes before the new claim.
    void aMemberOfARoomWhoQuitsMayComeStraightBack()
    {
        auto alice = joinOn(0, u"alice"_s);
        QVERIFY(alice);
        QVERIFY(!joinRoom(*alice, u"#dev"_s).isEmpty());
        QVERIFY(!joinRoom(*alice, u"#ops"_s).isEmpty());
        alice->sendJson(QJsonObject{{u"type"_s, u"bye"_s}});
        QVERIFY(alice->waitForDisconnected(kWaitMsecs));
        auto back = joinOn(0, u"alice"_s);
        QVERIFY(back);
        // Out of both rooms in Redis: #dev is made anew, and alice alone is in it.
        QCOMPARE(Spec::strings(joinRoom(*back, u"#dev"_s).value(u"users"_s)), QStringList{u"alice"_s});
        auto bob = joinOn(1, u"bob"_s);
        QVERIFY(bob);
        QCOMPARE(Spec::strings(joinRoom(*bob, u"#ops"_s).value(u"users"_s)), QStringList{u"bob"_s});
    }

    void aKickedUserLeavesItsRoomsEverywhere()
    {
        auto [alice, bob] = aliceAndBobIn(u"#dev"_s);
        QVERIFY(alice && bob);
        QCOMPARE(frameIn(*alice, u"joined"_s, u"#dev"_s).value(u"nick"_s).toString(), u"bob"_s);
        alice->sendLine(u"{\"type\":\"op\",\"password\":\"secret\"}"_s);
        QCOMPARE(alice->waitForFrame(u"opped"_s, kWaitMsecs).value(u"nick"_s).toString(), u"alice"_s);
        alice->sendLine(u"{\"type\":\"kick\",\"nick\":\"bob\"}"_s);
        QCOMPARE(bob->waitForFrame(u"bye"_s, kWaitMsecs).value(u"reason"_s).toString(), u"kicked"_s);
        QCOMPARE(frameIn(*alice, u"left"_s, u"#lobby"_s).value(u"nick"_s).toString(), u"bob"_s);
        alice->sendJson(request(u"who"_s, u"#dev"_s));
        QCOMPARE(Spec::strings(alice->waitForFrame(u"users"_s, kWaitMsecs).value(u"users"_s)), QStringList{u"alice"_s});
        // Gone from Redis too: bob's instance follows the room afresh.
        auto carol = joinOn(1, u"carol"_s);
        QVERIFY(carol);
        QCOMPARE(Spec::strings(joinRoom(*carol, u"#dev"_s).value(u"users"_s)), (QStringList{u"alice"_s, u"carol"_s}));
    }

    void aDeadInstanceUsersLeaveTheirRooms()
    {
        ServerProcess doomed(QStringLiteral(QTCHAT_SERVER_BINARY),
                             {u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s, u"--threads"_s, u"2"_s, u"--redis"_s,
                              m_redis->url(), u"--cluster-heartbeat"_s, QString::number(kHeartbeatMsecs / 1000.0)});
        const quint16 doomedPort = doomed.start();
        QVERIFY2(doomedPort != 0, doomed.stderrText().constData());
        auto alice = joinOn(0, u"alice"_s);
        QVERIFY(alice);
        QVERIFY(!joinRoom(*alice, u"#dev"_s).isEmpty());
        TestClient victim;
        QVERIFY(!victim.join(doomedPort, u"victim"_s).isEmpty());
        QVERIFY(!joinRoom(victim, u"#dev"_s).isEmpty());
        QCOMPARE(frameIn(*alice, u"joined"_s, u"#dev"_s).value(u"nick"_s).toString(), u"victim"_s);

        QVERIFY(doomed.kill());
        const QJsonObject left = alice->waitForFrame(u"left"_s, kWaitMsecs);
        QCOMPARE(left.value(u"nick"_s).toString(), u"victim"_s);
        alice->sendJson(request(u"who"_s, u"#dev"_s));
        QCOMPARE(Spec::strings(alice->waitForFrame(u"users"_s, kWaitMsecs).value(u"users"_s)), QStringList{u"alice"_s});
        // Redis forgot the victim's membership too: a new follower does not see it.
        auto bob = joinOn(1, u"bob"_s);
        QVERIFY(bob);
        QCOMPARE(Spec::strings(joinRoom(*bob, u"#dev"_s).value(u"users"_s)), (QStringList{u"alice"_s, u"bob"_s}));
        bob->sendJson(QJsonObject{{u"type"_s, u"rooms"_s}});
        const QJsonArray listed = bob->waitForFrame(u"rooms"_s, kWaitMsecs).value(u"rooms"_s).toArray();
        QCOMPARE(listed.at(0).toObject().value(u"users"_s).toInt(), 2);
    }

    void renameFollowsIntoTheRoomEverywhere()
    {
        auto [alice, bob] = aliceAndBobIn(u"#dev"_s);
        QVERIFY(alice && bob);
        QCOMPARE(frameIn(*alice, u"joined"_s, u"#dev"_s).value(u"nick"_s).toString(), u"bob"_s);
        alice->sendJson(QJsonObject{{u"type"_s, u"nick"_s}, {u"nick"_s, u"alicia"_s}});
        QCOMPARE(bob->waitForFrame(u"renamed"_s, kWaitMsecs).value(u"to"_s).toString(), u"alicia"_s);
        QCOMPARE(alice->waitForFrame(u"renamed"_s, kWaitMsecs).value(u"to"_s).toString(), u"alicia"_s);
        bob->sendJson(request(u"who"_s, u"#dev"_s));
        QCOMPARE(Spec::strings(bob->waitForFrame(u"users"_s, kWaitMsecs).value(u"users"_s)),
                 (QStringList{u"alicia"_s, u"bob"_s}));
        auto carol = joinOn(2, u"carol"_s);
        QVERIFY(carol);
        QCOMPARE(Spec::strings(joinRoom(*carol, u"#dev"_s).value(u"users"_s)),
                 (QStringList{u"alicia"_s, u"bob"_s, u"carol"_s}));
    }

    // A rename Redis refuses (the nickname is claimed there, unknown here
    // yet) is undone in the rooms too: the member keeps its old nick in them.
    void aRefusedRenameLeavesTheRoomsAsTheyWere()
    {
        auto [alice, bob] = aliceAndBobIn(u"#dev"_s);
        QVERIFY(alice && bob);
        RedisConnection redis(m_redis->address());
        const RoomStream::Keys keys;
        QVERIFY(RedisConnection::errorOf(redis.command({"HSET", keys.claims(), "zed", "elsewhere"})).isEmpty());

        alice->sendJson(QJsonObject{{u"type"_s, u"nick"_s}, {u"nick"_s, u"zed"_s}});
        const QJsonObject refused = alice->waitForFrame(u"error"_s, kWaitMsecs);
        QCOMPARE(refused.value(u"code"_s).toString(), u"nick-taken"_s);
        QCOMPARE(refused.value(u"ref"_s).toString(), u"nick"_s);
        bob->sendJson(request(u"who"_s, u"#dev"_s));
        QCOMPARE(Spec::strings(bob->waitForFrame(u"users"_s, kWaitMsecs).value(u"users"_s)),
                 (QStringList{u"alice"_s, u"bob"_s}));
        const auto members = redis.command({"HKEYS", keys.roomMembers(u"#dev"_s)});
        QVERIFY(RedisConnection::errorOf(members).isEmpty());
        QStringList inRedis;
        for (const RedisReply &key : std::get<RedisReply>(members).elements)
            inRedis.append(QString::fromUtf8(key.string));
        inRedis.sort();
        QCOMPARE(inRedis, (QStringList{u"alice"_s, u"bob"_s}));
        // And alice still speaks in the room as alice.
        alice->sendJson(QJsonObject{{u"type"_s, u"say"_s}, {u"room"_s, u"#dev"_s}, {u"text"_s, u"still me"_s}});
        QCOMPARE(bob->waitForFrame(u"message"_s, kWaitMsecs).value(u"from"_s).toString(), u"alice"_s);
    }

    void maxRoomsCountsEveryInstance()
    {
        startTwoLimitedTo(1);
        if (QTest::currentTestFailed())
            return;
        auto alice = joinOn(3, u"alice"_s);
        auto bob = joinOn(4, u"bob"_s);
        QVERIFY(alice && bob);
        QVERIFY(!joinRoom(*alice, u"#one"_s).isEmpty());
        bob->sendJson(request(u"join"_s, u"#two"_s));
        const QJsonObject refused = bob->waitForFrame(u"error"_s, kWaitMsecs);
        QCOMPARE(refused.value(u"code"_s).toString(), u"too-many-rooms"_s);
        // The room that has members is no new room.
        QVERIFY(!joinRoom(*bob, u"#one"_s).isEmpty());
        // Once it emptied, another may be made.
        alice->sendJson(request(u"part"_s, u"#one"_s));
        QVERIFY(waitForPart(*alice, u"#one"_s, u"alice"_s));
        bob->sendJson(request(u"part"_s, u"#one"_s));
        QVERIFY(waitForPart(*bob, u"#one"_s, u"bob"_s));
        QCOMPARE(joinRoom(*bob, u"#two"_s).value(u"room"_s).toString(), u"#two"_s);
    }

    // A hello's rooms are checked against --max-rooms across the cluster
    // before anything is claimed: a new room past it refuses the whole
    // hello; a room with members on another instance is no new room.
    void aHelloPastTheClusterRoomLimitIsRefusedWhole()
    {
        startTwoLimitedTo(1);
        if (QTest::currentTestFailed())
            return;
        auto alice = joinOn(3, u"alice"_s);
        QVERIFY(alice);
        QVERIFY(!joinRoom(*alice, u"#one"_s).isEmpty());

        TestClient carol;
        QVERIFY(carol.connectToServer(port(4)));
        QJsonObject hello = Spec::hello(u"carol"_s);
        hello.insert(u"rooms"_s, QJsonArray{u"#two"_s});
        carol.sendJson(hello);
        const QJsonObject refused = carol.waitForFrame(u"error"_s, kWaitMsecs);
        QCOMPARE(refused.value(u"code"_s).toString(), u"too-many-rooms"_s);
        QCOMPARE(refused.value(u"ref"_s).toString(), u"hello"_s);

        hello.insert(u"rooms"_s, QJsonArray{u"#One"_s});
        carol.sendJson(hello);
        QVERIFY(!carol.waitForFrame(u"welcome"_s, kWaitMsecs).isEmpty());
        const QJsonObject room = carol.waitForFrame(u"room"_s, kWaitMsecs);
        QCOMPARE(room.value(u"room"_s).toString(), u"#one"_s);
        QCOMPARE(Spec::strings(room.value(u"users"_s)), (QStringList{u"alice"_s, u"carol"_s}));
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestServerClusterRooms)
#include "tst_server_cluster_rooms.moc"
