// SPDX-License-Identifier: MIT
// ClusterRooms's joins, parts and topics sent without waiting, against a
// real redis-server (issue #16): true when sent, the answer never given
// inside the call, and Redis left as the synchronous calls leave it (the
// room counted, the membership listed for the reaper, the `joined`, `left`
// or `topic` entry in the room's stream).
#include "clusterrooms.h"
#include "redistest.h"
#include "testharness.h"
#include "timestamp.h"

#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace {
constexpr int kMaxRooms = 10;
constexpr int kRecentMessages = 5;
const QByteArray kInstance = "i1";
} // namespace

class TestClusterRoomJoins final : public RedisTest
{
    Q_OBJECT

    RoomStream::Keys m_keys;

    RedisReply ask(const QList<QByteArray> &command)
    {
        return std::get<RedisReply>(m_fixture.redis().command(command));
    }
    static Joined joinedAs(const QString &nick, const QString &room) { return Joined{nick, Timestamp::now(), room}; }
    // alice in #dev, joined (and waited for) first: the rooms' connection is
    // made and its functions loaded, so what follows is sent without waiting.
    static void aliceJoinsDev(ClusterRooms &rooms)
    {
        QCOMPARE(rooms.join(u"#dev"_s, u"alice"_s, joinedAs(u"alice"_s, u"#dev"_s), 1, kMaxRooms),
                 RoomBackend::Outcome::Done);
    }

private slots:
    void aJoinIsAnsweredFromTheEventLoop()
    {
        ClusterRooms rooms(m_fixture.address(), kInstance, kRecentMessages);
        aliceJoinsDev(rooms);
        std::optional<RoomBackend::Outcome> answer;
        QVERIFY(rooms.startJoin(u"#dev"_s, u"bob"_s, joinedAs(u"Bob"_s, u"#dev"_s), 2, kMaxRooms,
                                [&answer](RoomBackend::Outcome outcome) { answer = outcome; }));
        QVERIFY(!answer); // never inside the call
        QTRY_VERIFY(answer);
        QCOMPARE(*answer, RoomBackend::Outcome::Done);
        QCOMPARE(ask({"HGET", m_keys.roomMembers(u"#dev"_s), "bob"}).string, QByteArray("Bob"));
        QCOMPARE(ask({"SISMEMBER", m_keys.membershipsOf(kInstance), "#dev\nbob"}).integer, 1);
        QCOMPARE(ask({"HGET", m_keys.roomIndex(), "#dev"}).string, QByteArray("2"));
        QVERIFY(rooms.isInAnyRoom(u"bob"_s));
    }

    // Past --max-rooms the count refuses, and nothing else is written.
    void aJoinPastTheRoomLimitIsRefusedLater()
    {
        ClusterRooms rooms(m_fixture.address(), kInstance, kRecentMessages);
        aliceJoinsDev(rooms);
        std::optional<RoomBackend::Outcome> answer;
        QVERIFY(rooms.startJoin(u"#ops"_s, u"alice"_s, joinedAs(u"alice"_s, u"#ops"_s), 1, 1,
                                [&answer](RoomBackend::Outcome outcome) { answer = outcome; }));
        QVERIFY(!answer);
        rooms.finishPending();
        QCOMPARE(answer, RoomBackend::Outcome::Refused);
        QCOMPARE(ask({"SISMEMBER", m_keys.membershipsOf(kInstance), "#ops\nalice"}).integer, 0);
        QCOMPARE(ask({"HEXISTS", m_keys.roomIndex(), "#ops"}).integer, 0);
        QCOMPARE(ask({"EXISTS", m_keys.roomStream(u"#ops"_s)}).integer, 0);
    }

    // finishPending() waits for every step of the join, not only the first.
    void finishPendingWaitsForTheWholeJoin()
    {
        ClusterRooms rooms(m_fixture.address(), kInstance, kRecentMessages);
        aliceJoinsDev(rooms);
        QSignalSpy followed(&rooms, &ClusterRooms::followed);
        std::optional<RoomBackend::Outcome> answer;
        QVERIFY(rooms.startJoin(u"#ops"_s, u"alice"_s, joinedAs(u"alice"_s, u"#Ops"_s), 1, kMaxRooms,
                                [&answer](RoomBackend::Outcome outcome) { answer = outcome; }));
        rooms.finishPending();
        QCOMPARE(answer, RoomBackend::Outcome::Done);
        QCOMPARE(followed.size(), 1); // a new room here: followed from its snapshot on
        QCOMPARE(rooms.room(u"#ops"_s)->record.name, u"#Ops"_s);
    }

    // The part's answer, then its `left` read back: only then is the room let go.
    void aPartIsAnsweredLaterAndTheRoomFollowedUntilItsLeft()
    {
        ClusterRooms rooms(m_fixture.address(), kInstance, kRecentMessages);
        aliceJoinsDev(rooms);
        QList<RoomStream::Entry> read;
        connect(&rooms, &ClusterRooms::entryRead, this,
                [&read](const RoomStream::Entry &entry) { read.append(entry); });
        QSignalSpy unfollowed(&rooms, &ClusterRooms::unfollowed);
        std::optional<RoomBackend::Outcome> answer;
        const Left left{u"alice"_s, LeaveReason::Part, Timestamp::now(), u"later"_s, {}, u"#dev"_s};
        QVERIFY(rooms.startPart(u"#dev"_s, u"alice"_s, left,
                                [&answer](RoomBackend::Outcome outcome) { answer = outcome; }));
        QVERIFY(!answer);
        QVERIFY(unfollowed.wait());
        QCOMPARE(answer, RoomBackend::Outcome::Done);
        QVERIFY(!read.isEmpty());
        QVERIFY(std::holds_alternative<Left>(read.constLast().frame)); // heard before the room is let go
        QVERIFY(!rooms.isInAnyRoom(u"alice"_s));
        QCOMPARE(ask({"HEXISTS", m_keys.roomMembers(u"#dev"_s), "alice"}).integer, 0);
        QCOMPARE(ask({"SISMEMBER", m_keys.membershipsOf(kInstance), "#dev\nalice"}).integer, 0);
        QCOMPARE(ask({"HEXISTS", m_keys.roomIndex(), "#dev"}).integer, 0);
    }

    // `rooms` in two round trips read on the event loop: a room followed
    // here from its mirror, a room only another instance has from Redis.
    void theRoomsAreListedFromTheEventLoop()
    {
        ClusterRooms rooms(m_fixture.address(), kInstance, kRecentMessages);
        aliceJoinsDev(rooms);
        ClusterRooms other(m_fixture.address(), "i2", kRecentMessages);
        QCOMPARE(other.join(u"#ops"_s, u"bob"_s, joinedAs(u"bob"_s, u"#Ops"_s), 2, kMaxRooms),
                 RoomBackend::Outcome::Done);
        QCOMPARE(other.join(u"#ops"_s, u"carol"_s, joinedAs(u"carol"_s, u"#ops"_s), 3, kMaxRooms),
                 RoomBackend::Outcome::Done);
        std::optional<QList<RoomInfo>> answer;
        QVERIFY(rooms.startListRooms([&answer](const QList<RoomInfo> &listed) { answer = listed; }));
        QVERIFY(!answer); // never inside the call
        QTRY_VERIFY(answer);
        QList<RoomInfo> listed = *answer;
        std::sort(listed.begin(), listed.end(), [](const RoomInfo &a, const RoomInfo &b) { return a.room < b.room; });
        QCOMPARE(listed.size(), 2);
        QCOMPARE(listed.at(0).room, u"#Ops"_s);
        QCOMPARE(listed.at(0).users, 2);
        QCOMPARE(listed.at(1).room, u"#dev"_s);
        QCOMPARE(listed.at(1).users, 1);
        // The synchronous call is the same two steps, waited for.
        QCOMPARE(rooms.rooms().size(), 2);
    }

    // A hello's rooms counted against --max-rooms: the rooms with members
    // and which of those asked have none, from the event loop.
    void aHellosRoomsAreCountedFromTheEventLoop()
    {
        ClusterRooms rooms(m_fixture.address(), kInstance, kRecentMessages);
        aliceJoinsDev(rooms);
        std::optional<RoomBackend::RoomCount> answer;
        QVERIFY(rooms.startCountRooms({u"#dev"_s, u"#new"_s, u"#other"_s},
                                      [&answer](RoomBackend::RoomCount counted) { answer = counted; }));
        QVERIFY(!answer); // never inside the call
        QTRY_VERIFY(answer);
        QCOMPARE(answer->held, 1);
        QCOMPARE(answer->empty, 2);
        // The synchronous call is the same pipeline, waited for.
        QCOMPARE(rooms.countRooms({u"#dev"_s}).empty, 0);
    }

    // An instance whose heartbeat stopped: its users leave their rooms
    // before the reap script writes their `left`s, without an entry there
    // and without waiting. A room another instance still has a member in
    // stays; a nickname taken again meanwhile here is left alone.
    void aDeadInstancesRoomsAreCleanedFromTheEventLoop()
    {
        ClusterRooms rooms(m_fixture.address(), kInstance, kRecentMessages);
        aliceJoinsDev(rooms);
        {
            ClusterRooms dead(m_fixture.address(), "i2", kRecentMessages);
            for (const auto &[room, nick] :
                 {std::pair{u"#dev"_s, u"bob"_s}, std::pair{u"#ops"_s, u"bob"_s}, std::pair{u"#ops"_s, u"carol"_s}}) {
                QCOMPARE(dead.join(room, nick, joinedAs(nick, room), 2, kMaxRooms), RoomBackend::Outcome::Done);
            }
        }
        // The dead instance's membership of alice, as if its hold were stale.
        ask({"SADD", m_keys.membershipsOf("i2"), "#dev\nalice"});
        const qint64 devLength = ask({"XLEN", m_keys.roomStream(u"#dev"_s)}).integer;
        std::optional<bool> cleaned;
        QVERIFY(rooms.startReap({"i2"}, [&cleaned](bool done) { cleaned = done; }));
        QVERIFY(!cleaned); // never inside the call
        QTRY_VERIFY(cleaned);
        QVERIFY(*cleaned);
        QCOMPARE(ask({"HEXISTS", m_keys.roomMembers(u"#dev"_s), "bob"}).integer, 0);
        QCOMPARE(ask({"HGET", m_keys.roomMembers(u"#dev"_s), "alice"}).string, QByteArray("alice"));
        QCOMPARE(ask({"EXISTS", m_keys.roomMembers(u"#ops"_s)}).integer, 0);
        QCOMPARE(ask({"XLEN", m_keys.roomStream(u"#dev"_s)}).integer, devLength); // no entry
        // Counted out of the index (sent beside, behind the removals).
        QTRY_COMPARE(ask({"HGET", m_keys.roomIndex(), "#dev"}).string, QByteArray("1"));
        QTRY_COMPARE(ask({"HEXISTS", m_keys.roomIndex(), "#ops"}).integer, 0);
    }

    // A member of rooms renamed: here at once, in Redis (every room, and
    // the memberships the reaper reads) once the answer came.
    void aRenameIsAnsweredFromTheEventLoop()
    {
        ClusterRooms rooms(m_fixture.address(), kInstance, kRecentMessages);
        aliceJoinsDev(rooms);
        QCOMPARE(rooms.join(u"#ops"_s, u"alice"_s, joinedAs(u"alice"_s, u"#ops"_s), 1, kMaxRooms),
                 RoomBackend::Outcome::Done);
        bool answered = false;
        QVERIFY(rooms.startRename(u"alice"_s, u"alicia"_s, u"Alicia"_s, [&answered] { answered = true; }));
        QVERIFY(!answered); // never inside the call
        QVERIFY(rooms.isInAnyRoom(u"alicia"_s));
        QVERIFY(!rooms.isInAnyRoom(u"alice"_s));
        QTRY_VERIFY(answered);
        for (const QString &room : {u"#dev"_s, u"#ops"_s}) {
            QCOMPARE(ask({"HGET", m_keys.roomMembers(room), "alicia"}).string, QByteArray("Alicia"));
            QCOMPARE(ask({"HEXISTS", m_keys.roomMembers(room), "alice"}).integer, 0);
        }
        // The memberships go behind the renames: waited for here.
        rooms.finishPending();
        QCOMPARE(ask({"SISMEMBER", m_keys.membershipsOf(kInstance), "#dev\nalicia"}).integer, 1);
        QCOMPARE(ask({"SISMEMBER", m_keys.membershipsOf(kInstance), "#ops\nalicia"}).integer, 1);
        QCOMPARE(ask({"SISMEMBER", m_keys.membershipsOf(kInstance), "#dev\nalice"}).integer, 0);
    }

    void aTopicIsAnsweredLater()
    {
        ClusterRooms rooms(m_fixture.address(), kInstance, kRecentMessages);
        aliceJoinsDev(rooms);
        std::optional<RoomBackend::Outcome> answer;
        QVERIFY(rooms.startSetTopic(u"#dev"_s, TopicChanged{u"#dev"_s, u"release day"_s, u"alice"_s, Timestamp::now()},
                                    [&answer](RoomBackend::Outcome outcome) { answer = outcome; }));
        QVERIFY(!answer);
        QTRY_VERIFY(answer);
        QCOMPARE(*answer, RoomBackend::Outcome::Done);
        QTRY_COMPARE(rooms.room(u"#dev"_s)->record.topic, u"release day"_s); // read back into the mirror
    }

    // A member who leaves the server: out of every room at once, answered
    // when the last removal is, and the rooms let go here.
    void leavingTheServerTakesTheMemberOutOfItsRooms()
    {
        ClusterRooms rooms(m_fixture.address(), kInstance, kRecentMessages);
        aliceJoinsDev(rooms);
        QCOMPARE(rooms.join(u"#ops"_s, u"alice"_s, joinedAs(u"alice"_s, u"#ops"_s), 1, kMaxRooms),
                 RoomBackend::Outcome::Done);
        QSignalSpy unfollowed(&rooms, &ClusterRooms::unfollowed);
        bool answered = false;
        QVERIFY(rooms.startLeaveAll(u"alice"_s, [&answered] { answered = true; }));
        QVERIFY(!answered); // never inside the call
        QVERIFY(!rooms.isInAnyRoom(u"alice"_s));
        QCOMPARE(unfollowed.size(), 2);
        QTRY_VERIFY(answered);
        rooms.finishPending(); // the clean-up sent aside
        for (const QString &room : {u"#dev"_s, u"#ops"_s})
            QCOMPARE(ask({"HLEN", m_keys.roomMembers(room)}).integer, 0);
        QCOMPARE(ask({"SCARD", m_keys.membershipsOf(kInstance)}).integer, 0);
        QCOMPARE(ask({"HLEN", m_keys.roomIndex()}).integer, 0);
        // In no room: nothing to wait for, release() does it all.
        QVERIFY(!rooms.startLeaveAll(u"alice"_s, [] {}));
    }

    // After a rollback (FLUSHALL) the memberships of the users here are put
    // back without waiting: not yet in the rooms when restore() returns,
    // and every one is once the event loop has run; nobody is told.
    void membershipsArePutBackFromTheEventLoop()
    {
        ClusterRooms rooms(m_fixture.address(), kInstance, kRecentMessages);
        aliceJoinsDev(rooms);
        QCOMPARE(rooms.join(u"#dev"_s, u"bob"_s, joinedAs(u"Bob"_s, u"#dev"_s), 2, kMaxRooms),
                 RoomBackend::Outcome::Done);
        QCOMPARE(rooms.join(u"#ops"_s, u"alice"_s, joinedAs(u"alice"_s, u"#ops"_s), 1, kMaxRooms),
                 RoomBackend::Outcome::Done);
        QVERIFY(m_fixture.redis().command({"FLUSHALL"}).index() == 0);

        rooms.restore({{u"alice"_s, u"alice"_s}, {u"bob"_s, u"Bob"_s}}, ClusterRooms::Restore::Silently);
        // Listed and counted at once, put back from the count's answer.
        QCOMPARE(ask({"HLEN", m_keys.roomMembers(u"#dev"_s)}).integer, 0);
        QTRY_COMPARE(ask({"HLEN", m_keys.roomMembers(u"#dev"_s)}).integer, 2);
        QTRY_COMPARE(ask({"HLEN", m_keys.roomMembers(u"#ops"_s)}).integer, 1);
        QCOMPARE(ask({"HGET", m_keys.roomMembers(u"#dev"_s), "bob"}).string, QByteArray("Bob"));
        QTRY_COMPARE(ask({"SCARD", m_keys.membershipsOf(kInstance)}).integer, 3);
        QCOMPARE(ask({"HGET", m_keys.roomIndex(), "#dev"}).string, QByteArray("2"));
        QCOMPARE(ask({"HGET", m_keys.roomIndex(), "#ops"}).string, QByteArray("1"));
        // Silently: no `joined` entry in either stream.
        QCOMPARE(ask({"XLEN", m_keys.roomStream(u"#dev"_s)}).integer, 0);
    }

    // A membership listed for this instance whose user is no longer here
    // (they left while Redis was away) goes, without waiting; the others stay.
    void aStaleMembershipIsRepairedFromTheEventLoop()
    {
        ClusterRooms rooms(m_fixture.address(), kInstance, kRecentMessages);
        aliceJoinsDev(rooms);
        // carol left this instance while her removal could not be sent.
        m_fixture.redis().command({"HSET", m_keys.roomMembers(u"#dev"_s), "carol", "carol"});
        m_fixture.redis().command({"HSET", m_keys.roomWhere(u"#dev"_s), "carol", kInstance});
        m_fixture.redis().command({"SADD", m_keys.membershipsOf(kInstance), "#dev\ncarol"});
        m_fixture.redis().command({"HINCRBY", m_keys.roomIndex(), "#dev", "1"});

        rooms.repair();
        QCOMPARE(ask({"HEXISTS", m_keys.roomMembers(u"#dev"_s), "carol"}).integer, 1); // not inside the call
        QTRY_COMPARE(ask({"HEXISTS", m_keys.roomMembers(u"#dev"_s), "carol"}).integer, 0);
        QTRY_COMPARE(ask({"SISMEMBER", m_keys.membershipsOf(kInstance), "#dev\ncarol"}).integer, 0);
        QTRY_COMPARE(ask({"HGET", m_keys.roomIndex(), "#dev"}).string, QByteArray("1"));
        QCOMPARE(ask({"HGET", m_keys.roomMembers(u"#dev"_s), "alice"}).string, QByteArray("alice"));
        QCOMPARE(ask({"SISMEMBER", m_keys.membershipsOf(kInstance), "#dev\nalice"}).integer, 1);
    }

    // bob leaves while Redis is away: leaving does not wait for a connect
    // (his rooms here forget him at once), and his membership goes from
    // Redis once the rooms' connection is back, with nobody else asking.
    void aMemberWhoLeftWhileRedisWasAwayIsRemovedOnceItIsBack()
    {
        ClusterRooms rooms(m_fixture.address(), kInstance, kRecentMessages);
        aliceJoinsDev(rooms);
        QCOMPARE(rooms.join(u"#dev"_s, u"bob"_s, joinedAs(u"bob"_s, u"#dev"_s), 2, kMaxRooms),
                 RoomBackend::Outcome::Done);
        QVERIFY(dropClientConnections());

        QVERIFY(!rooms.startLeaveAll(u"bob"_s, [] {})); // nothing can be sent
        rooms.leaveAll(u"bob"_s);
        QVERIFY(!rooms.isInAnyRoom(u"bob"_s));
        // Not connected again inside the call, which would wait.
        QCOMPARE(ask({"HEXISTS", m_keys.roomMembers(u"#dev"_s), "bob"}).integer, 1);

        QTRY_COMPARE(ask({"HEXISTS", m_keys.roomMembers(u"#dev"_s), "bob"}).integer, 0);
        QTRY_COMPARE(ask({"SISMEMBER", m_keys.membershipsOf(kInstance), "#dev\nbob"}).integer, 0);
        QTRY_COMPARE(ask({"HGET", m_keys.roomIndex(), "#dev"}).string, QByteArray("1"));
        QCOMPARE(ask({"HGET", m_keys.roomMembers(u"#dev"_s), "alice"}).string, QByteArray("alice"));
    }

    // The rooms' connection was dropped (a Redis `timeout`, a restart): the
    // next join connects again without waiting (on loopback the connect is
    // made at once) and is sent, not refused nor done by waiting.
    void aJoinAfterTheConnectionDroppedConnectsAgainWithoutWaiting()
    {
        ClusterRooms rooms(m_fixture.address(), kInstance, kRecentMessages);
        aliceJoinsDev(rooms);
        QVERIFY(dropClientConnections());
        std::optional<RoomBackend::Outcome> answer;
        QVERIFY(rooms.startJoin(u"#dev"_s, u"bob"_s, joinedAs(u"bob"_s, u"#dev"_s), 2, kMaxRooms,
                                [&answer](RoomBackend::Outcome outcome) { answer = outcome; }));
        QVERIFY(!answer);
        QTRY_VERIFY(answer);
        QCOMPARE(*answer, RoomBackend::Outcome::Done);
        QCOMPARE(ask({"HGET", m_keys.roomMembers(u"#dev"_s), "bob"}).string, QByteArray("bob"));
    }

    // No Redis: nothing can be sent, and the synchronous call says so.
    void nothingIsSentWithoutRedis()
    {
        const ReservedPort refused; // nothing listens there
        ClusterRooms rooms(refusedAddress(refused), kInstance, kRecentMessages);
        bool called = false;
        const auto done = [&called](RoomBackend::Outcome) { called = true; };
        const TopicChanged topic{u"#dev"_s, u"t"_s, u"alice"_s, Timestamp::now()};
        QVERIFY(!rooms.startSetTopic(u"#dev"_s, topic, done));
        QVERIFY(!rooms.startJoin(u"#dev"_s, u"alice"_s, joinedAs(u"alice"_s, u"#dev"_s), 1, kMaxRooms, done));
        QVERIFY(!called);
        QCOMPARE(rooms.setTopic(u"#dev"_s, topic), RoomBackend::Outcome::Unavailable);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestClusterRoomJoins)
#include "tst_clusterroomjoins.moc"
