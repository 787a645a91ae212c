// SPDX-License-Identifier: MIT
// The Room with a backend that answers a `join`, a `part` or a topic later
// (as ClusterRoomBackend does since issue #16, from the rooms' Redis
// connection on the event loop), fed through its RoomInbox: the room's
// thread does not wait, the requests after it wait in the inbox, and each
// goes on as before once the answer comes.
#include "recordingreplychannel.h"
#include "room.h"
#include "roominbox.h"
#include "scriptedroombackend.h"
#include "testharness.h"

#include <QCoreApplication>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace Protocol;

using Said = RecordingReplyChannel::Said;

class TestRoomJoinAnswers final : public QObject
{
    Q_OBJECT

    static constexpr Wire::ConnectionId kAlice = 1;
    static constexpr int kMaxRooms = 2;

    ServerConfig m_config;
    ScriptedRoomBackend *m_backend = nullptr;
    std::unique_ptr<Room> m_room;
    std::unique_ptr<RoomInbox> m_inbox;
    RecordingReplyChannel m_channel;

    RoomInbox::Item item(const ClientFrame &frame)
    {
        return RoomInbox::Item{kAlice, &m_channel, Wire::Mode::Json, Wire::Request{frame}};
    }
    // alice's request, its answer now in flight, and `after` waiting behind it.
    void startAlices(const ClientFrame &frame, std::vector<RoomInbox::Item> after = {})
    {
        m_backend->eventsLater = true;
        std::vector<RoomInbox::Item> items{item(frame)};
        std::move(after.begin(), after.end(), std::back_inserter(items));
        m_inbox->put(items);
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        QCoreApplication::sendPostedEvents(); // nothing else runs meanwhile
    }
    // alice in #dev, answered at once.
    void aliceJoinsDev()
    {
        m_room->handle(kAlice, &m_channel, Wire::Mode::Json, Wire::Request{ClientFrame{Join{u"#dev"_s}}});
        m_backend->deliverAll();
        QCOMPARE(frameOf<RoomState>(m_channel.takeSaid(kAlice).constLast())->room, u"#dev"_s);
    }
    static void expectError(const Said &said, ErrorCode code, const QString &ref)
    {
        const auto *error = frameOf<Error>(said);
        QVERIFY(error);
        QCOMPARE(error->code, code);
        QCOMPARE(error->ref, ref);
    }

private slots:
    void init()
    {
        m_config.maxRooms = kMaxRooms;
        m_channel = RecordingReplyChannel();
        auto backend = std::make_unique<ScriptedRoomBackend>();
        m_backend = backend.get();
        m_room = std::make_unique<Room>(m_config, std::move(backend));
        m_inbox = std::make_unique<RoomInbox>(*m_room);
        QVERIFY(!m_room->start());
        m_room->handle(kAlice, &m_channel, Wire::Mode::Json, Wire::Request{ClientFrame{Hello{u"alice"_s, {}, {}}}});
        m_backend->deliverAll();
        QCOMPARE(m_channel.takeSaid(kAlice).size(), 2); // welcome, membership
    }

    void cleanup()
    {
        m_inbox.reset();
        m_room.reset();
        m_backend = nullptr;
    }

    // Her `say` to #dev right after the join is posted there once the join is answered.
    void aJoinIsAnsweredLaterAndTheRequestsAfterItWait()
    {
        startAlices(Join{u"#dev"_s}, {item(Say{u"hi"_s, false, u"#dev"_s})});
        QVERIFY(!m_backend->room(u"#dev"_s)); // asked, not made yet
        QCOMPARE(m_channel.count(kAlice), 0);
        m_backend->completeAnswer();
        QVERIFY(m_backend->room(u"#dev"_s));
        m_backend->deliverAll(); // her `joined` read back: the `room` frame
        QCOMPARE(frameOf<RoomState>(m_channel.takeSaid(kAlice).constFirst())->room, u"#dev"_s);
        QTRY_VERIFY(!m_backend->pending.isEmpty());
        const auto *message = std::get_if<ChatMessage>(&m_backend->pending.constLast().frame);
        QVERIFY(message);
        QCOMPARE(message->room, u"#dev"_s);
        QCOMPARE(m_backend->answerFinishes, 0); // the room never waited for the answer
    }

    // The room limit, found by the backend: the error comes before the
    // answers after it, and she is not in the room.
    void aJoinRefusedLaterIsToldBeforeTheRequestsAfterIt()
    {
        startAlices(Join{u"#dev"_s}, {item(Say{u"hi"_s, false, u"#dev"_s})});
        m_backend->completeAnswer(RoomBackend::Outcome::Refused);
        QTRY_COMPARE(m_channel.count(kAlice), 2);
        const QList<Said> said = m_channel.takeSaid(kAlice);
        expectError(said.at(0), ErrorCode::TooManyRooms, u"join"_s);
        expectError(said.at(1), ErrorCode::NotInRoom, u"say"_s);
    }

    // Parted once the answer comes: her `say` to #dev after it is refused.
    void aPartIsAnsweredLater()
    {
        aliceJoinsDev();
        startAlices(Part{u"#dev"_s}, {item(Say{u"still here"_s, false, u"#dev"_s})});
        QCOMPARE(m_channel.count(kAlice), 0);
        m_backend->completeAnswer();
        QTRY_COMPARE(m_channel.count(kAlice), 1);
        expectError(m_channel.takeSaid(kAlice).constFirst(), ErrorCode::NotInRoom, u"say"_s);
        // Her `left` for everyone in #dev, as the backend will read it back.
        const auto *left = std::get_if<Left>(&m_backend->pending.constLast().frame);
        QVERIFY(left);
        QCOMPARE(left->room, u"#dev"_s);
        QCOMPARE(left->reason, LeaveReason::Part);
    }

    // The cluster away: she is told, and stays in the room.
    void aPartUnavailableLaterKeepsHerInTheRoom()
    {
        aliceJoinsDev();
        startAlices(Part{u"#dev"_s}, {item(Who{u"#dev"_s})});
        m_backend->completeAnswer(RoomBackend::Outcome::Unavailable);
        QTRY_COMPARE(m_channel.count(kAlice), 2);
        const QList<Said> said = m_channel.takeSaid(kAlice);
        expectError(said.at(0), ErrorCode::ClusterUnavailable, u"part"_s);
        QCOMPARE(frameOf<Users>(said.at(1))->room, u"#dev"_s);
    }

    // A hello's rooms: counted against --max-rooms first, then each join
    // asked once the one before is answered, and her `who` after the hello
    // answered after the last.
    void theRoomsOfAHelloAreJoinedOneAfterTheOtherWithoutWaiting()
    {
        constexpr Wire::ConnectionId kCarol = 3;
        m_backend->eventsLater = true;
        std::vector<RoomInbox::Item> items{
            RoomInbox::Item{kCarol, &m_channel, Wire::Mode::Json,
                            Wire::Request{ClientFrame{
                                Hello{u"carol"_s, {}, {}, {RoomRequest{u"#dev"_s}, RoomRequest{u"#ops"_s}}}}}},
            RoomInbox::Item{kCarol, &m_channel, Wire::Mode::Json, Wire::Request{ClientFrame{Who{u"#ops"_s}}}}};
        m_inbox->put(items);
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        QCoreApplication::sendPostedEvents();
        QCOMPARE(m_backend->answersInFlight(), 1); // the count
        QVERIFY(!m_backend->isClaimed(u"carol"_s));
        m_backend->completeAnswer();
        QVERIFY(m_backend->isClaimed(u"carol"_s)); // claimed from the count's answer
        QCOMPARE(m_backend->answersInFlight(), 1); // #dev's join; #ops's waits for it
        QVERIFY(!m_backend->room(u"#dev"_s));
        m_backend->completeAnswer();
        QVERIFY(m_backend->room(u"#dev"_s));
        QVERIFY(!m_backend->room(u"#ops"_s));
        QCOMPARE(m_backend->answersInFlight(), 1); // #ops's join, asked from #dev's answer
        m_backend->completeAnswer();
        QVERIFY(m_backend->room(u"#ops"_s));
        m_backend->deliverAll(); // her `joined` in #lobby, #dev and #ops read back
        QTRY_COMPARE(m_channel.count(kCarol), 5);
        const QList<Said> said = m_channel.takeSaid(kCarol);
        QCOMPARE(said.at(0).kind, Said::Kind::Welcome);
        QCOMPARE(said.at(1).kind, Said::Kind::Membership);
        QCOMPARE(frameOf<RoomState>(said.at(2))->room, u"#dev"_s);
        QCOMPARE(frameOf<RoomState>(said.at(3))->room, u"#ops"_s);
        QCOMPARE(frameOf<Users>(said.at(4))->room, u"#ops"_s); // her `who`, after the joins
        QCOMPARE(m_backend->answerFinishes, 0);
    }

    // Past --max-rooms, found when the count comes: the whole hello is
    // refused, nothing is claimed, and carol's next request is answered
    // after the error (she is still not registered).
    void aHelloPastTheRoomLimitIsRefusedWhenTheCountComes()
    {
        aliceJoinsDev();
        m_room->handle(kAlice, &m_channel, Wire::Mode::Json, Wire::Request{ClientFrame{Join{u"#ops"_s}}});
        m_backend->deliverAll();
        m_channel.takeSaid(kAlice);
        QCOMPARE(m_backend->rooms().size(), kMaxRooms);
        constexpr Wire::ConnectionId kCarol = 3;
        m_backend->eventsLater = true;
        std::vector<RoomInbox::Item> items{
            RoomInbox::Item{kCarol, &m_channel, Wire::Mode::Json,
                            Wire::Request{ClientFrame{Hello{u"carol"_s, {}, {}, {RoomRequest{u"#new"_s}}}}}},
            RoomInbox::Item{kCarol, &m_channel, Wire::Mode::Json, Wire::Request{ClientFrame{Who{}}}}};
        m_inbox->put(items);
        QTRY_VERIFY(m_backend->hasAnswerInFlight()); // the count
        QCoreApplication::sendPostedEvents();
        QCOMPARE(m_channel.count(kCarol), 0);
        m_backend->completeAnswer();
        QTRY_COMPARE(m_channel.count(kCarol), 2);
        const QList<Said> said = m_channel.takeSaid(kCarol);
        expectError(said.at(0), ErrorCode::TooManyRooms, u"hello"_s);
        expectError(said.at(1), ErrorCode::NotRegistered, u"who"_s);
        QVERIFY(!m_backend->isClaimed(u"carol"_s));
        QVERIFY(!m_backend->hasAnswerInFlight());
        QCOMPARE(m_backend->answerFinishes, 0);
    }

    // A hello naming only rooms someone here is in: nothing new to count
    // against --max-rooms, so its first answer in flight is its join.
    void aHelloForRoomsHeldHereIsNotCounted()
    {
        aliceJoinsDev();
        constexpr Wire::ConnectionId kCarol = 3;
        m_backend->eventsLater = true;
        std::vector<RoomInbox::Item> items{
            RoomInbox::Item{kCarol, &m_channel, Wire::Mode::Json,
                            Wire::Request{ClientFrame{Hello{u"carol"_s, {}, {}, {RoomRequest{u"#Dev"_s}}}}}}};
        m_inbox->put(items);
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        QCoreApplication::sendPostedEvents();
        QCOMPARE(m_backend->answersInFlight(), 1);
        m_backend->completeAnswer();
        const auto members = m_backend->room(u"#dev"_s)->members;
        QVERIFY(std::any_of(members.cbegin(), members.cend(),
                            [](const auto &member) { return member.first == u"carol"_s; }));
        QVERIFY(!m_backend->hasAnswerInFlight());
    }

    // A member of rooms who leaves: a hello for that nickname after it is
    // claimed only once the release has gone out.
    void aHelloAfterTheLeaveOfAMemberOfRoomsWaitsForItsRelease()
    {
        aliceJoinsDev();
        m_backend->releasesLater = true;
        constexpr Wire::ConnectionId kAliceAgain = 2;
        std::vector<RoomInbox::Item> items{
            RoomInbox::Item{kAlice, &m_channel, Wire::Mode::Json,
                            RoomInbox::Leave{LeaveReason::Disconnected, Wire::LastWords{}}},
            RoomInbox::Item{kAliceAgain, &m_channel, Wire::Mode::Json,
                            Wire::Request{ClientFrame{Hello{u"alice"_s, {}, {}}}}}};
        m_inbox->put(items);
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        QCoreApplication::sendPostedEvents();
        QVERIFY(m_backend->isClaimed(u"alice"_s));
        QVERIFY(m_backend->pending.isEmpty()); // not released yet, not claimed yet
        m_backend->completeAnswer();
        // Released, then claimed: her `left`, then the new `joined`. Her
        // `left` not read back yet, the roster still lists her, and the
        // hello is not refused for it.
        QTRY_COMPARE(m_backend->pending.size(), 2);
        QVERIFY(std::holds_alternative<Left>(m_backend->pending.at(0).frame));
        QCOMPARE(m_backend->pending.at(1).from, kAliceAgain);
        QCOMPARE(m_channel.count(kAliceAgain), 0);
        m_backend->deliverAll();
        QCOMPARE(m_channel.takeSaid(kAliceAgain).constFirst().kind, Said::Kind::Welcome);
        QCOMPARE(m_room->users(), QStringList{u"alice"_s});
    }

    void aTopicNotStoredIsToldWhenTheAnswerComes()
    {
        aliceJoinsDev();
        startAlices(SetTopic{u"#dev"_s, u"release day"_s}, {item(Who{u"#dev"_s})});
        m_backend->completeAnswer(RoomBackend::Outcome::NotStored);
        QTRY_COMPARE(m_channel.count(kAlice), 2);
        const QList<Said> said = m_channel.takeSaid(kAlice);
        expectError(said.at(0), ErrorCode::StoreFailed, u"topic"_s);
        QVERIFY(frameOf<Users>(said.at(1)));
    }

    void aTopicSetLaterComesBackFromTheBackend()
    {
        aliceJoinsDev();
        startAlices(SetTopic{u"#dev"_s, u"release day"_s});
        m_backend->completeAnswer();
        QVERIFY(!m_room->answerInFlight());
        QCOMPARE(m_channel.count(kAlice), 0); // no error; the `topic` comes back from the backend
        const auto *topic = std::get_if<TopicChanged>(&m_backend->pending.constLast().frame);
        QVERIFY(topic);
        QCOMPARE(topic->topic, u"release day"_s);
        QCOMPARE(m_backend->room(u"#dev"_s)->record.topic, u"release day"_s);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestRoomJoinAnswers)
#include "tst_roomjoinanswers.moc"
