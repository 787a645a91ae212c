// SPDX-License-Identifier: MIT
// Room memberships put back (docs/architecture.md, "Rollback detection" and
// "Rooms in the cluster"): only the instance serving a user knows which
// rooms besides #lobby the user is in. When Redis loses them (a FLUSHALL)
// or another instance removes them (it reaped this one while it lived),
// the instance writes them again, so that `rooms`, the members another
// instance reads when it starts to follow the room, and a later reap are
// right again. After a rollback nobody is told (nobody saw the user leave);
// after a reap the others saw the user leave the server, and now see
// `joined` for each of its rooms.
#include "clusterrooms.h"
#include "clustertest.h"
#include "luascript.h"
#include "redisconnection.h"
#include "roomstream.h"
#include "spec.h"
#include "testharness.h"
#include "timestamp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <algorithm>
#include <functional>
#include <optional>

using namespace Qt::StringLiterals;

class TestServerClusterRoomRestore final : public ClusterTest
{
    Q_OBJECT

private:
    static inline const QString kRoom = u"#dev"_s;
    static inline const QString kRoomKey = u"#dev"_s; // its key: already case-folded

    static QJsonObject inRoom(const QString &type) { return QJsonObject{{u"type"_s, type}, {u"room"_s, kRoom}}; }

    static bool joinRoom(TestClient &client)
    {
        client.sendJson(inRoom(u"join"_s));
        return client.waitForFrame(u"room"_s, kWaitMsecs).value(u"room"_s).toString() == kRoom;
    }

    // The `joined` frames about kRoom that `client` has received, as nicks.
    static QStringList joinedRoom(const TestClient &client)
    {
        QStringList nicks;
        for (const QByteArray &line : client.history()) {
            const QJsonObject frame = QJsonDocument::fromJson(line).object();
            if (Spec::type(frame) == u"joined"_s && frame.value(u"room"_s).toString() == kRoom)
                nicks.append(frame.value(u"nick"_s).toString());
        }
        return nicks;
    }

    // Whether `client` has received a frame for which `match` holds.
    static bool received(const TestClient &client, const std::function<bool(const QJsonObject &)> &match)
    {
        const QList<QByteArray> &history = client.history();
        return std::any_of(history.cbegin(), history.cend(),
                           [&match](const QByteArray &line) { return match(QJsonDocument::fromJson(line).object()); });
    }

    // Whether `client` has received a `room` #lobby frame with `truncated`.
    static bool toldHistoryLost(const TestClient &client)
    {
        return received(client, [](const QJsonObject &frame) {
            return Spec::type(frame) == u"room"_s && frame.value(u"room"_s).toString() == u"#lobby"_s &&
                   frame.value(u"truncated"_s).toBool();
        });
    }

    // The instance holding `nick`'s claim ('' when none).
    QByteArray holderOf(const QByteArray &nickKey) const
    {
        RedisConnection redis(m_redis->address());
        const RedisConnection::Result held = redis.command({"HGET", RoomStream::Keys{}.claims(), nickKey});
        return RedisConnection::errorOf(held).isEmpty() ? std::get<RedisReply>(held).string : QByteArray();
    }

    // kRoom's members in Redis, sorted nick keys.
    QStringList membersInRedis() const
    {
        RedisConnection redis(m_redis->address());
        const RedisConnection::Result members = redis.command({"HKEYS", RoomStream::Keys{}.roomMembers(kRoomKey)});
        QStringList keys;
        if (!RedisConnection::errorOf(members).isEmpty())
            return keys;
        for (const RedisReply &key : std::get<RedisReply>(members).elements)
            keys.append(QString::fromUtf8(key.string));
        keys.sort();
        return keys;
    }

    // What the index counts for kRoom (0: not listed).
    qint64 countedInIndex() const
    {
        RedisConnection redis(m_redis->address());
        const RedisConnection::Result counted =
            redis.command({"HGET", RoomStream::Keys{}.roomIndex(), kRoomKey.toUtf8()});
        return RedisConnection::errorOf(counted).isEmpty() ? std::get<RedisReply>(counted).string.toLongLong() : -1;
    }

    // Whether `instance`'s list for its reaper names `nickKey` in kRoom.
    bool listedForReaper(const QByteArray &instance, const QByteArray &nickKey) const
    {
        RedisConnection redis(m_redis->address());
        const RedisConnection::Result listed = redis.command(
            {"SISMEMBER", RoomStream::Keys{}.membershipsOf(instance), kRoomKey.toUtf8() + '\n' + nickKey});
        return RedisConnection::errorOf(listed).isEmpty() && std::get<RedisReply>(listed).integer == 1;
    }

    // kRoom as `rooms` lists it to `client` (empty when not listed).
    static QJsonObject listedRoom(TestClient &client)
    {
        UntilAvailable listed(client, QJsonObject{{u"type"_s, u"rooms"_s}}, u"rooms"_s);
        if (!QTest::qWaitFor([&listed] { return listed(); }, kWaitMsecs))
            return {};
        for (const auto &room : listed.answer.value(u"rooms"_s).toArray()) {
            if (room.toObject().value(u"room"_s).toString() == kRoom)
                return room.toObject();
        }
        return {};
    }

    // What another instance does to `instance` when its heartbeat seems to
    // have stopped (Cluster::reap): its users out of their rooms
    // (ClusterRooms::startReap), then out of the server with a `left` each
    // (reap.lua). The script spares an instance that beat since its counter
    // was read, so this reads and tries again until it went through.
    bool reap(const QByteArray &instance)
    {
        const RoomStream::Keys keys;
        const QByteArray reaper = "test-reaper";
        ClusterRooms rooms(m_redis->address(), reaper, 0);
        const LuaScript script({u"appendafternewest"_s, u"reap"_s});
        RedisConnection redis(m_redis->address());
        return QTest::qWaitFor(
            [&] {
                const RedisConnection::Result counter = redis.command({"HGET", keys.beats(), instance});
                if (!RedisConnection::errorOf(counter).isEmpty())
                    return false;
                std::optional<bool> cleaned;
                if (!rooms.startReap({instance}, [&cleaned](bool done) { cleaned = done; }) ||
                    !QTest::qWaitFor([&cleaned] { return cleaned.has_value(); }, kWaitMsecs) || !*cleaned)
                    return false;
                const RedisConnection::Result reaped = script.call(
                    redis,
                    {keys.instances(), keys.claims(), keys.roster(), keys.ops(), keys.sequence(), keys.stream(),
                     keys.away(), keys.beats(), keys.resume()},
                    {reaper, keys.prefix, Timestamp::toWire(Timestamp::now()).toUtf8(),
                     QByteArray::number(RoomStream::kMaxLength), instance, std::get<RedisReply>(counter).string});
                return RedisConnection::errorOf(reaped).isEmpty() && std::get<RedisReply>(reaped).integer > 0;
            },
            kWaitMsecs);
    }

private slots:
    void membershipsComeBackAfterFlushAll()
    {
        auto alice = joinOn(0, u"alice"_s);
        auto dave = joinOn(1, u"dave"_s);
        auto carol = joinOn(2, u"carol"_s);
        QVERIFY(alice && dave && carol);
        QVERIFY(joinRoom(*alice));
        QVERIFY(joinRoom(*dave));
        QTRY_COMPARE_WITH_TIMEOUT(joinedRoom(*alice), QStringList{u"dave"_s}, kWaitMsecs);
        QTRY_COMPARE_WITH_TIMEOUT(membersInRedis(), (QStringList{u"alice"_s, u"dave"_s}), kWaitMsecs);
        const QByteArray aliceInstance = holderOf("alice");
        QVERIFY(!aliceInstance.isEmpty());

        QVERIFY(m_redis->flush());

        // Each instance tells its users they may have missed messages, and
        // puts back their memberships as it repairs the rollback (sent
        // without waiting: answered around the time the users are told).
        for (const TestClient *client : {alice.get(), dave.get(), carol.get()})
            QTRY_VERIFY_WITH_TIMEOUT(toldHistoryLost(*client), kWaitMsecs);
        QTRY_COMPARE_WITH_TIMEOUT(membersInRedis(), (QStringList{u"alice"_s, u"dave"_s}), kWaitMsecs);
        QTRY_COMPARE_WITH_TIMEOUT(countedInIndex(), 2, kWaitMsecs);
        QTRY_VERIFY_WITH_TIMEOUT(listedForReaper(aliceInstance, "alice"), kWaitMsecs);

        // Listed again, with both members (its topic is lost: there was none).
        const QJsonObject listed = listedRoom(*carol);
        QCOMPARE(listed.value(u"room"_s).toString(), kRoom);
        QCOMPARE(listed.value(u"users"_s).toInt(), 2);

        // An instance that starts to follow the room reads both members.
        carol->sendJson(inRoom(u"join"_s));
        const QJsonObject room = carol->waitForFrame(u"room"_s, kWaitMsecs);
        QCOMPARE(room.value(u"room"_s).toString(), kRoom);
        QCOMPARE(Spec::strings(room.value(u"users"_s)), (QStringList{u"alice"_s, u"carol"_s, u"dave"_s}));

        // Nobody saw alice leave, so nobody is told she is back: dave hears
        // of carol only.
        QTRY_COMPARE_WITH_TIMEOUT(joinedRoom(*dave), QStringList{u"carol"_s}, kWaitMsecs);
        QTRY_COMPARE_WITH_TIMEOUT(joinedRoom(*alice), (QStringList{u"dave"_s, u"carol"_s}), kWaitMsecs);
        QCOMPARE(countedInIndex(), 3);
    }

    void membershipsComeBackAfterAReapWhileAlive()
    {
        auto alice = joinOn(0, u"alice"_s);
        auto bob = joinOn(1, u"bob"_s);
        auto carol = joinOn(2, u"carol"_s);
        QVERIFY(alice && bob && carol);
        QVERIFY(joinRoom(*alice));
        QVERIFY(joinRoom(*bob));
        QTRY_COMPARE_WITH_TIMEOUT(joinedRoom(*alice), QStringList{u"bob"_s}, kWaitMsecs);
        const QByteArray aliceInstance = holderOf("alice");
        QVERIFY(!aliceInstance.isEmpty());

        QVERIFY(reap(aliceInstance));
        // bob was told alice left the server, and so every room.
        const QJsonObject left = bob->waitForFrame(u"left"_s, kWaitMsecs);
        QCOMPARE(left.value(u"nick"_s).toString(), u"alice"_s);
        QVERIFY(!left.contains(u"room"_s));

        // Her instance finds itself unlisted at its next heartbeat, claims
        // her nickname again and puts her back in the room, saying so.
        QTRY_COMPARE_WITH_TIMEOUT(joinedRoom(*bob), (QStringList{u"alice"_s}), kWaitMsecs);
        QCOMPARE(holderOf("alice"), aliceInstance);
        QCOMPARE(membersInRedis(), (QStringList{u"alice"_s, u"bob"_s}));
        QCOMPARE(countedInIndex(), 2);
        // The next reaper of her instance finds the membership.
        QVERIFY(listedForReaper(aliceInstance, "alice"));

        // For bob's instance she is a member again.
        bob->sendJson(inRoom(u"who"_s));
        const QJsonObject users = bob->waitForFrame(u"users"_s, kWaitMsecs);
        QCOMPARE(Spec::strings(users.value(u"users"_s)), (QStringList{u"alice"_s, u"bob"_s}));
        // alice hears it as the answer to a join: the room, herself included.
        QTRY_VERIFY_WITH_TIMEOUT(received(*alice,
                                          [](const QJsonObject &frame) {
                                              return Spec::type(frame) == u"room"_s &&
                                                     frame.value(u"room"_s).toString() == kRoom &&
                                                     Spec::strings(frame.value(u"users"_s)) ==
                                                         QStringList{u"alice"_s, u"bob"_s};
                                          }),
                                 kWaitMsecs);
        QCOMPARE(joinedRoom(*alice), QStringList{u"bob"_s});
        // The room list on any instance counts her.
        const QJsonObject listed = listedRoom(*carol);
        QCOMPARE(listed.value(u"users"_s).toInt(), 2);

        // Messages in the room still reach her.
        QJsonObject say = Spec::say(u"still here?"_s);
        say.insert(u"room"_s, kRoom);
        bob->sendJson(say);
        QTRY_VERIFY_WITH_TIMEOUT(received(*alice,
                                          [](const QJsonObject &frame) {
                                              return Spec::type(frame) == u"message"_s &&
                                                     frame.value(u"text"_s).toString() == u"still here?"_s;
                                          }),
                                 kWaitMsecs);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestServerClusterRoomRestore)
#include "tst_server_cluster_roomrestore.moc"
