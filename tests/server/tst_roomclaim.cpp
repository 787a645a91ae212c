// SPDX-License-Identifier: MIT
// The Room with a backend that answers a `hello`'s nickname claim, a
// whisper or a shared event later (as ClusterRoomBackend does, one
// pipelined FCALL read on the event loop), fed through its RoomInbox: the
// room does not wait for the answer, every request and leave after it waits
// in the inbox instead, and the request goes on as before once the answer
// comes (issue #16).
#include "countingreplychannel.h"
#include "recordingreplychannel.h"
#include "resumetoken.h"
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

class TestRoomClaim final : public QObject
{
    Q_OBJECT

private:
    static constexpr Wire::ConnectionId kBob = 2;
    static constexpr Wire::ConnectionId kCarol = 3;

    ServerConfig m_config;
    ScriptedRoomBackend *m_backend = nullptr;
    std::unique_ptr<Room> m_room;
    std::unique_ptr<RoomInbox> m_inbox;
    RecordingReplyChannel m_channel;

    RoomInbox::Item item(Wire::ConnectionId id, const ClientFrame &frame)
    {
        return RoomInbox::Item{id, &m_channel, Wire::Mode::Json, Wire::Request{frame}};
    }
    RoomInbox::Item hello(Wire::ConnectionId id, const QString &nick, const QList<RoomRequest> &rooms = {})
    {
        return item(id, Hello{nick, {}, {}, rooms});
    }
    RoomInbox::Item leave(Wire::ConnectionId id)
    {
        return RoomInbox::Item{id, &m_channel, Wire::Mode::Json,
                               RoomInbox::Leave{LeaveReason::Disconnected, Wire::LastWords{}}};
    }
    void put(std::vector<RoomInbox::Item> items) { m_inbox->put(items); }
    // A hello put through the inbox whose claim is now in flight.
    void startCarolsHello(std::vector<RoomInbox::Item> after = {})
    {
        std::vector<RoomInbox::Item> items{hello(kCarol, u"carol"_s)};
        std::move(after.begin(), after.end(), std::back_inserter(items));
        put(std::move(items));
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        QCoreApplication::sendPostedEvents(); // nothing else runs meanwhile
    }
    static void expectError(const Said &said, ErrorCode code, const QString &ref)
    {
        const auto *error = frameOf<Error>(said);
        QVERIFY(error);
        QCOMPARE(error->code, code);
        QCOMPARE(error->ref, ref);
    }
    // The error that is the only thing `id` was told.
    void expectOnlyError(Wire::ConnectionId id, ErrorCode code, const QString &ref)
    {
        const QList<Said> said = m_channel.takeSaid(id);
        QCOMPARE(said.size(), 1);
        expectError(said.constFirst(), code, ref);
    }

    // bob's hello, answered at once; what he and alice were told of it is dropped.
    void bobJoins()
    {
        m_backend->claimsLater = false;
        m_room->handle(kBob, &m_channel, Wire::Mode::Json, Wire::Request{ClientFrame{Hello{u"bob"_s, {}, {}}}});
        m_backend->deliverAll();
        m_channel.takeSaid(kBob);
        m_channel.takeSaid(1); // bob's `joined`
    }
    // bob joins and leaves; his `left` is not read back yet, so the roster
    // still lists him while the backend no longer knows him.
    void bobJoinsAndLeaves()
    {
        bobJoins();
        put({leave(kBob)});
        QTRY_VERIFY(!m_backend->isClaimed(u"bob"_s));
        QVERIFY(m_room->users().contains(u"bob"_s));
    }
    // A request of alice's whose answer is now in flight, with `after` behind it in the inbox.
    void startAlices(const ClientFrame &frame, std::vector<RoomInbox::Item> after = {})
    {
        m_backend->eventsLater = true;
        std::vector<RoomInbox::Item> items{item(1, frame)};
        std::move(after.begin(), after.end(), std::back_inserter(items));
        put(std::move(items));
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        QCoreApplication::sendPostedEvents(); // nothing else runs meanwhile
    }

private slots:
    void init()
    {
        m_channel = RecordingReplyChannel();
        auto backend = std::make_unique<ScriptedRoomBackend>();
        backend->batches = true;
        m_backend = backend.get();
        m_room = std::make_unique<Room>(m_config, std::move(backend));
        m_inbox = std::make_unique<RoomInbox>(*m_room);
        QVERIFY(!m_room->start());
        // alice, at once: the claims of the tests are answered later.
        m_room->handle(1, &m_channel, Wire::Mode::Json, Wire::Request{ClientFrame{Hello{u"alice"_s, {}, {}}}});
        m_backend->deliverAll();
        QCOMPARE(m_channel.takeSaid(1).size(), 2); // welcome, membership
        m_backend->claimsLater = true;
    }

    void cleanup()
    {
        m_inbox.reset();
        m_room.reset();
        m_backend = nullptr;
    }

    void aHelloGoesOnWhenItsClaimIsAnswered()
    {
        startCarolsHello();
        QCOMPARE(m_channel.count(kCarol), 0);
        QVERIFY(!m_backend->isClaimed(u"carol"_s));
        m_backend->completeAnswer();
        QVERIFY(m_backend->isClaimed(u"carol"_s));
        // The welcome follows its `joined`, as with a claim answered at once.
        QCOMPARE(m_channel.count(kCarol), 0);
        m_backend->deliverAll();
        const QList<Said> said = m_channel.takeSaid(kCarol);
        QCOMPARE(said.size(), 2);
        QCOMPARE(said.at(0).kind, Said::Kind::Welcome);
        QCOMPARE(frameOf<Welcome>(said.at(0))->nick, u"carol"_s);
        QCOMPARE(said.at(1).kind, Said::Kind::Membership);
        QCOMPARE(m_room->users(), (QStringList{u"alice"_s, u"carol"_s}));
        QCOMPARE(m_backend->answerFinishes, 0); // the room never waited for the answer
    }

    // Another connection's requests sent after the hello are answered after it.
    void requestsAfterAHelloWaitForItsClaim()
    {
        startCarolsHello({item(1, Ping{QJsonValue(7)}), item(1, Who{})});
        QCOMPARE(m_channel.count(1), 0);
        m_backend->completeAnswer();
        QTRY_COMPARE(m_channel.count(1), 2);
        const QList<Said> said = m_channel.takeSaid(1);
        QCOMPARE(frameOf<Pong>(said.at(0))->id, QJsonValue(7));
        QVERIFY(frameOf<Users>(said.at(1)));
        QCOMPARE(m_backend->answerFinishes, 0);
    }

    // The worker answers a `ping` itself once all earlier requests of its
    // connection are counted handled: not while a hello before them waits.
    void requestsAreCountedHandledOnceTheClaimIsAnswered()
    {
        CountingReplyChannel channel;
        startCarolsHello(
            {RoomInbox::Item{1, &channel, Wire::Mode::Json, Wire::Request{ClientFrame{Who{}}}, channel.handled}});
        QCOMPARE(channel.handled->load(), quint64(0));
        m_backend->completeAnswer();
        QTRY_COMPARE(channel.handled->load(), quint64(1));
        QCOMPARE(channel.handledAtReply, QList<quint64>{0}); // the who's answer before its count
    }

    void aSayAfterAHelloIsPostedOnceTheClaimIsAnswered()
    {
        m_backend->postsLater = true;
        startCarolsHello({item(1, Say{u"hi"_s, false})});
        QCOMPARE(m_backend->postBatches.size(), 0);
        m_backend->completeAnswer();
        QTRY_COMPARE(m_backend->postBatches.size(), 1);
        QVERIFY(m_backend->hasPostsInFlight());
        m_backend->completePosts();
        QCOMPARE(m_backend->answerFinishes, 0);
        QCOMPARE(m_backend->finishes, 0);
    }

    void aTakenNicknameIsRefusedWhenTheAnswerComes()
    {
        m_backend->claimOutcome = RoomBackend::Outcome::Refused;
        startCarolsHello({item(kCarol, Who{})});
        m_backend->completeAnswer();
        QTRY_COMPARE(m_channel.count(kCarol), 2);
        QList<Said> said = m_channel.takeSaid(kCarol);
        const auto *taken = frameOf<Error>(said.at(0));
        QVERIFY(taken);
        QCOMPARE(taken->code, ErrorCode::NickTaken);
        QCOMPARE(taken->ref, u"hello"_s);
        QCOMPARE(taken->message, u"the nickname carol is taken"_s);
        const auto *unregistered = frameOf<Error>(said.at(1));
        QVERIFY(unregistered);
        QCOMPARE(unregistered->code, ErrorCode::NotRegistered);
        QCOMPARE(m_room->users(), QStringList{u"alice"_s});
    }

    // A reconnect storm: the hellos of several new connections are claimed
    // together (one pipeline each on the backend's one connection), their
    // answers come in the order asked, and a member's request behind them
    // waits for all of them, as does every later request.
    void hellosOfAStormAreClaimedTogether()
    {
        m_backend->overlaps = true;
        CountingReplyChannel counted;
        const Wire::ConnectionId kDave = 4;
        const Wire::ConnectionId kErin = 5;
        put({hello(kCarol, u"carol"_s), hello(kDave, u"dave"_s),
             RoomInbox::Item{1, &counted, Wire::Mode::Json, Wire::Request{ClientFrame{Who{}}}, counted.handled},
             hello(kErin, u"erin"_s)});
        QTRY_COMPARE(m_backend->answersInFlight(), 2);
        QCoreApplication::sendPostedEvents();
        QCOMPARE(m_backend->answersInFlight(), 2); // the who waits, and erin behind it
        m_backend->completeAnswer();
        QVERIFY(m_backend->isClaimed(u"carol"_s));
        QVERIFY(!m_backend->isClaimed(u"dave"_s));
        QCoreApplication::sendPostedEvents();
        QVERIFY(counted.handledAtReply.isEmpty());
        m_backend->completeAnswer();
        QTRY_COMPARE(counted.handledAtReply.size(), 1); // the who, once both are answered
        QTRY_VERIFY(m_backend->hasAnswerInFlight());    // erin's
        m_backend->completeAnswer();
        m_backend->deliverAll();
        for (const Wire::ConnectionId id : {kCarol, kDave, kErin}) {
            QTRY_COMPARE(m_channel.count(id), 2); // welcome, membership
            QCOMPARE(m_channel.takeSaid(id).constFirst().kind, Said::Kind::Welcome);
        }
        QTRY_COMPARE(counted.handled->load(), quint64(1));
        QCOMPARE(m_backend->answerFinishes, 0); // nobody waited
    }

    // A hello naming a room waits in the inbox for the claims in flight (its
    // count and joins go on another connection, whose answers could
    // overtake theirs), and is then counted, claimed and joined alone: the
    // hello behind it waits for all of that. Nothing is waited for.
    void aHelloNamingRoomsWaitsForTheClaimsInFlight()
    {
        m_backend->overlaps = true;
        m_backend->eventsLater = true;
        constexpr Wire::ConnectionId kDave = 4;
        constexpr Wire::ConnectionId kErin = 5;
        put({hello(kCarol, u"carol"_s), hello(kDave, u"dave"_s, {RoomRequest{u"#dev"_s}}), hello(kErin, u"erin"_s)});
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        QCoreApplication::sendPostedEvents();
        QCOMPARE(m_backend->answersInFlight(), 1); // carol's claim; dave waits, erin behind him
        m_backend->completeAnswer();
        QVERIFY(m_backend->isClaimed(u"carol"_s));
        QTRY_VERIFY(m_backend->hasAnswerInFlight()); // dave's count
        QVERIFY(!m_backend->isClaimed(u"dave"_s));
        m_backend->completeAnswer();
        QCoreApplication::sendPostedEvents();
        QCOMPARE(m_backend->answersInFlight(), 1); // dave's claim, alone: erin still waits
        m_backend->completeAnswer();
        QVERIFY(m_backend->isClaimed(u"dave"_s));
        QCoreApplication::sendPostedEvents();
        QCOMPARE(m_backend->answersInFlight(), 1); // dave's join of #dev
        QVERIFY(!m_backend->isClaimed(u"erin"_s));
        m_backend->completeAnswer();
        QVERIFY(m_backend->room(u"#dev"_s));
        QTRY_VERIFY(m_backend->hasAnswerInFlight()); // erin's claim, last
        m_backend->completeAnswer();
        QVERIFY(m_backend->isClaimed(u"erin"_s));
        m_backend->deliverAll();
        QTRY_COMPARE(m_channel.count(kDave), 3); // welcome, membership, #dev
        const QList<Said> said = m_channel.takeSaid(kDave);
        QCOMPARE(said.at(0).kind, Said::Kind::Welcome);
        QCOMPARE(frameOf<RoomState>(said.at(2))->room, u"#dev"_s);
        QCOMPARE(m_backend->answerFinishes, 0); // nobody waited
    }

    // bob, in #dev, comes back on a new connection with his token, his room
    // and a new one: his old connection's release is asked from the count's answer,
    // his claim from the release's, and his requests behind the hello are
    // counted handled only once the last answer came (a worker answers a
    // `ping` itself only then). So is a later request of another connection.
    // Nothing is waited for.
    void aResumingHelloWithRoomsIsCountedHandledOnceClaimed()
    {
        m_backend->claimsLater = false;
        m_room->handle(kBob, &m_channel, Wire::Mode::Json,
                       Wire::Request{ClientFrame{Hello{u"bob"_s, {}, {}, {RoomRequest{u"#dev"_s}}}}});
        m_backend->deliverAll();
        const QList<Said> welcomed = m_channel.takeSaid(kBob);
        const QString token = frameOf<Welcome>(welcomed.constFirst())->resume;
        QVERIFY(!token.isEmpty());
        QVERIFY(m_backend->room(u"#dev"_s));
        m_channel.takeSaid(1);
        m_backend->claimsLater = true;
        m_backend->eventsLater = true;
        m_backend->releasesLater = true;
        constexpr Wire::ConnectionId kBobAgain = 6;
        CountingReplyChannel counted;
        // #new is not held here, so the hello's rooms are counted first.
        put({item(kBobAgain, Hello{u"bob"_s, {}, {}, {RoomRequest{u"#dev"_s}, RoomRequest{u"#new"_s}}, token}),
             RoomInbox::Item{kBobAgain, &counted, Wire::Mode::Json, Wire::Request{ClientFrame{Who{}}},
                             counted.handled}});
        QTRY_VERIFY(m_backend->hasAnswerInFlight()); // the count
        m_backend->completeAnswer();
        QCOMPARE(m_backend->answersInFlight(), 1); // the old connection's release
        QVERIFY(m_backend->isClaimed(u"bob"_s));
        const QList<Said> told = m_channel.takeSaid(kBob);
        QVERIFY(std::any_of(told.cbegin(), told.cend(),
                            [](const Said &said) { return said.kind == Said::Kind::Close; })); // bye resumed
        m_backend->completeAnswer();
        QVERIFY(!m_backend->isClaimed(u"bob"_s));  // released
        QCOMPARE(m_backend->answersInFlight(), 1); // the claim, asked from the release's answer
        QCoreApplication::sendPostedEvents();
        QCOMPARE(counted.handled->load(), quint64(0));
        m_backend->completeAnswer(); // the claim
        QVERIFY(m_backend->isClaimed(u"bob"_s));
        for (const QString &room : {u"#dev"_s, u"#new"_s}) {
            QTRY_VERIFY(m_backend->hasAnswerInFlight()); // the join of `room`
            QCoreApplication::sendPostedEvents();
            QCOMPARE(counted.handled->load(), quint64(0));
            m_backend->completeAnswer();
            QVERIFY(m_backend->room(room));
        }
        m_backend->deliverAll();
        QTRY_COMPARE(counted.handled->load(), quint64(1));
        // alice's join after it: counted only once its own answer came.
        CountingReplyChannel alices;
        put({RoomInbox::Item{1, &alices, Wire::Mode::Json, Wire::Request{ClientFrame{Join{u"#ops"_s}}},
                             alices.handled}});
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        QCoreApplication::sendPostedEvents();
        QCOMPARE(alices.handled->load(), quint64(0));
        m_backend->completeAnswer();
        QTRY_COMPARE(alices.handled->load(), quint64(1));
        QCOMPARE(m_backend->answerFinishes, 0);
    }

    // carol's who, handled after her claim was answered but before her
    // `joined` came back, is answered after her welcome, as the welcome
    // shows the room: with carol in it.
    void aWhoBeforeTheJoinedIsReadBackListsTheMember()
    {
        startCarolsHello({item(kCarol, Who{})});
        m_backend->completeAnswer();
        QTRY_VERIFY(!m_backend->hasAnswerInFlight());
        QCoreApplication::sendPostedEvents();
        QCOMPARE(m_channel.count(kCarol), 0);
        m_backend->deliverAll();
        QTRY_COMPARE(m_channel.count(kCarol), 3);
        const QList<Said> said = m_channel.takeSaid(kCarol);
        QCOMPARE(said.at(0).kind, Said::Kind::Welcome);
        const auto *users = frameOf<Users>(said.at(1));
        QVERIFY(users);
        QVERIFY(users->users.contains(u"carol"_s));
        QCOMPARE(said.at(2).kind, Said::Kind::Membership);
    }

    // A claiming connection's next request waits for its claim; so does
    // every request after it, a hello included.
    void aClaimingConnectionsNextRequestWaits()
    {
        m_backend->overlaps = true;
        put({hello(kCarol, u"carol"_s), item(kCarol, Who{}), hello(4, u"dave"_s)});
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        QCoreApplication::sendPostedEvents();
        QCOMPARE(m_backend->answersInFlight(), 1);
        m_backend->completeAnswer();
        QTRY_COMPARE(m_backend->answersInFlight(), 1); // dave's, after carol's who
        QVERIFY(m_backend->isClaimed(u"carol"_s));
        m_backend->completeAnswer();
        QVERIFY(m_backend->isClaimed(u"dave"_s));
    }

    // Not while posts are queued or in flight: a hello comes after them.
    void noClaimOverlapsPostsInFlight()
    {
        m_backend->overlaps = true;
        m_backend->postsLater = true;
        put({item(1, Say{u"hi"_s, false}), hello(kCarol, u"carol"_s)});
        QTRY_VERIFY(m_backend->hasPostsInFlight());
        QCoreApplication::sendPostedEvents();
        QVERIFY(!m_backend->hasAnswerInFlight());
        m_backend->completePosts();
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        m_backend->completeAnswer();
        QVERIFY(m_backend->isClaimed(u"carol"_s));
    }

    // dave, held by another server (his `joined` read from the shared room),
    // comes back here with the token of his last welcome while carol's hello
    // is answered at once; what alice asks behind it waits for the answer.
    void aTakeOverWithAResumeTokenIsAnsweredLater()
    {
        const QString token = u"dave's token"_s;
        m_backend->takeOverHash = ResumeToken::hash(token);
        m_backend->pending.append(
            RoomBackend::Event{RoomStream::Kind::Event, Joined{u"Dave"_s, QDateTime::currentDateTimeUtc()}, 0, {}});
        m_backend->deliverAll();
        m_channel.takeSaid(1);
        const Wire::ConnectionId daveAgain = 4;
        put({item(daveAgain, Hello{u"dave"_s, {}, {}, {}, token}), item(1, Who{})});
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        QCoreApplication::sendPostedEvents();
        QCOMPARE(m_channel.count(daveAgain), 0);
        QCOMPARE(m_channel.count(1), 0); // the who waits behind it
        m_backend->completeAnswer();
        QCOMPARE(m_backend->takenOver.size(), 1);
        QCOMPARE(m_backend->takenOver.constFirst().nick, u"Dave"_s); // as the roster knew him
        QTRY_COMPARE(m_channel.count(1), 1);
        QVERIFY(frameOf<Users>(m_channel.takeSaid(1).constFirst()));
        // The welcome follows its `joined`, as with a claim.
        QCOMPARE(m_channel.count(daveAgain), 0);
        m_backend->deliverAll();
        QTRY_COMPARE(m_channel.count(daveAgain), 2); // welcome, membership
        QCOMPARE(m_channel.takeSaid(daveAgain).constFirst().kind, Said::Kind::Welcome);
        QVERIFY(m_room->users().contains(u"dave"_s));
    }

    // A netcat user's first line makes them a guest: the claim of the
    // guest's nickname is answered later, and the line is then posted as theirs.
    void aGuestsFirstLineIsPostedOnceTheirClaimIsAnswered()
    {
        CountingReplyChannel channel;
        put({RoomInbox::Item{kCarol, &channel, Wire::Mode::Text, Wire::Request{ClientFrame{Say{u"hi all"_s, false}}},
                             channel.handled}});
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        QCOMPARE(m_room->users(), QStringList{u"alice"_s});
        m_backend->completeAnswer();
        m_backend->deliverAll(); // guest1's `joined`: the greeting
        QTRY_COMPARE(m_backend->postBatches.size(), 1);
        QCOMPARE(m_backend->postBatches.constFirst().constFirst().from, u"guest1"_s);
        QCOMPARE(m_backend->postBatches.constFirst().constFirst().text, u"hi all"_s);
        QTRY_COMPARE(channel.handled->load(), quint64(1));
    }

    // Another server took guest1 a moment before: the next number is
    // claimed, also later, and the line is counted handled only after that.
    void aGuestNumberTakenMeanwhileTakesTheNext()
    {
        CountingReplyChannel channel;
        m_backend->claimOutcome = RoomBackend::Outcome::Refused;
        put({RoomInbox::Item{kCarol, &channel, Wire::Mode::Text, Wire::Request{ClientFrame{Who{}}}, channel.handled}});
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        m_backend->completeAnswer();
        QVERIFY(m_backend->hasAnswerInFlight()); // guest2's claim
        QCoreApplication::sendPostedEvents();
        QCOMPARE(channel.handled->load(), quint64(0));
        QVERIFY(channel.handledAtReply.isEmpty());
        m_backend->claimOutcome = RoomBackend::Outcome::Done;
        m_backend->completeAnswer();
        QVERIFY(m_backend->isClaimed(u"guest2"_s));
        QVERIFY(!m_backend->isClaimed(u"guest1"_s));
        QTRY_COMPARE(channel.handled->load(), quint64(1));
        // The who's answer follows the greeting, which follows guest2's `joined`.
        m_backend->deliverAll();
        QTRY_COMPARE(channel.handledAtReply.size(), 1);
        QVERIFY(m_room->users().contains(u"guest2"_s));
    }

    void aTakeOverWithAWrongTokenIsRefusedWhenTheAnswerComes()
    {
        m_backend->takeOverHash = ResumeToken::hash(u"the right one"_s);
        m_backend->pending.append(
            RoomBackend::Event{RoomStream::Kind::Event, Joined{u"dave"_s, QDateTime::currentDateTimeUtc()}, 0, {}});
        m_backend->deliverAll();
        put({item(kCarol, Hello{u"dave"_s, {}, {}, {}, u"a wrong one"_s})});
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        QCOMPARE(m_channel.count(kCarol), 0);
        m_backend->completeAnswer();
        QTRY_COMPARE(m_channel.count(kCarol), 1);
        expectOnlyError(kCarol, ErrorCode::NickTaken, u"hello"_s);
        QVERIFY(m_backend->takenOver.isEmpty());
    }

    void anUnavailableClusterIsSaidWhenTheAnswerComes()
    {
        m_backend->claimOutcome = RoomBackend::Outcome::Unavailable;
        startCarolsHello();
        m_backend->completeAnswer();
        QTRY_COMPARE(m_channel.count(kCarol), 1);
        expectOnlyError(kCarol, ErrorCode::ClusterUnavailable, u"hello"_s);
        // Not a member: a later hello may claim again.
        m_backend->claimOutcome = RoomBackend::Outcome::Done;
        put({hello(kCarol, u"carol"_s)});
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        m_backend->completeAnswer();
        QVERIFY(m_backend->isClaimed(u"carol"_s));
    }

    // Its leave waits for the answer, and then releases the claim made.
    void aConnectionThatLeavesWhileItsClaimIsInFlightReleasesIt()
    {
        startCarolsHello({leave(kCarol)});
        QVERIFY(m_backend->pending.isEmpty());
        m_backend->completeAnswer();
        QTRY_VERIFY(!m_backend->isClaimed(u"carol"_s));
        QCOMPARE(m_backend->pending.size(), 2);
        QVERIFY(std::holds_alternative<Joined>(m_backend->pending.at(0).frame));
        const auto *left = std::get_if<Left>(&m_backend->pending.at(1).frame);
        QVERIFY(left);
        QCOMPARE(left->nick, u"carol"_s);
        QCOMPARE(m_backend->answerFinishes, 0);
    }

    // Its `joined` read back shows the claim was made: an answer lost on its
    // way (a connection that broke) does not take the welcomed member out.
    void aJoinedReadBackBeforeTheAnswerAdmits()
    {
        startCarolsHello();
        m_backend->pending.append(RoomBackend::Event{
            RoomStream::Kind::Event, Joined{u"carol"_s, QDateTime::currentDateTimeUtc()}, kCarol, {}});
        m_backend->deliverAll();
        QCOMPARE(m_channel.takeSaid(kCarol).size(), 2); // welcome, membership
        m_backend->completeAnswer(RoomBackend::Outcome::Unavailable);
        put({item(kCarol, Who{})});
        QTRY_COMPARE(m_channel.count(kCarol), 1);
        const QList<Said> said = m_channel.takeSaid(kCarol);
        QVERIFY(frameOf<Users>(said.constFirst()));
    }

    void theRoomsOfAHelloAreJoinedOnceClaimed()
    {
        put({hello(kCarol, u"carol"_s, {RoomRequest{u"#dev"_s}})});
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        QVERIFY(!m_backend->room(u"#dev"_s));
        m_backend->completeAnswer();
        QVERIFY(m_backend->room(u"#dev"_s));
        m_backend->deliverAll();
        const QList<Said> said = m_channel.takeSaid(kCarol);
        QCOMPARE(said.size(), 3); // welcome, membership, #dev's room frame
        QCOMPARE(said.at(0).kind, Said::Kind::Welcome);
        QCOMPARE(frameOf<RoomState>(said.at(2))->room, u"#dev"_s);
    }

    // The cluster repairing its claims must not claim the nickname for the
    // hello (its own claim would then find it taken).
    void theClaimingConnectionIsNotALocalUserYet()
    {
        startCarolsHello();
        m_backend->completeAnswer();
        QCOMPARE(m_backend->localUsersAtClaims.size(), 2); // alice's, carol's
        QCOMPARE(m_backend->localUsersAtClaims.at(1).size(), 1);
        QCOMPARE(m_backend->localUsersAtClaims.at(1).constFirst().second, u"alice"_s);
    }

    // A whisper to a user gone since the roster listed him: the backend's
    // refusal is told before the answers to alice's requests after it.
    void aWhisperRefusedLaterIsToldBeforeTheRequestsAfterIt()
    {
        bobJoinsAndLeaves();
        startAlices(Whisper{u"bob"_s, u"still there?"_s}, {item(1, Ping{QJsonValue(8)}), item(1, Who{})});
        QCOMPARE(m_channel.count(1), 0);
        m_backend->completeAnswer();
        QTRY_COMPARE(m_channel.count(1), 3);
        const QList<Said> said = m_channel.takeSaid(1);
        expectError(said.at(0), ErrorCode::NoSuchUser, u"whisper"_s);
        QCOMPARE(frameOf<Pong>(said.at(1))->id, QJsonValue(8));
        QVERIFY(frameOf<Users>(said.at(2)));
        QCOMPARE(m_backend->answerFinishes, 0); // the room never waited for the answer
    }

    // Sent: both copies come when the backend hands the whisper back, as before.
    void aWhisperSentLaterIsDeliveredFromTheBackend()
    {
        bobJoins();
        startAlices(Whisper{u"bob"_s, u"psst"_s});
        m_backend->completeAnswer();
        QVERIFY(!m_room->answerInFlight());
        QCOMPARE(m_channel.count(kBob), 0);
        m_backend->deliverAll();
        QCOMPARE(frameOf<WhisperMessage>(m_channel.takeSaid(kBob).constFirst())->text, u"psst"_s);
        QCOMPARE(frameOf<WhisperMessage>(m_channel.takeSaid(1).constFirst())->to, u"bob"_s);
    }

    void anAwayNotSharedIsToldWhenTheAnswerComes()
    {
        startAlices(SetAway{u"lunch"_s}, {item(1, Who{})});
        QCOMPARE(m_channel.count(1), 0);
        m_backend->completeAnswer(RoomBackend::Outcome::Unavailable);
        QTRY_COMPARE(m_channel.count(1), 2);
        const QList<Said> said = m_channel.takeSaid(1);
        expectError(said.at(0), ErrorCode::ClusterUnavailable, u"away"_s);
        QVERIFY(frameOf<Users>(said.at(1)));
    }

    // A worker answers alice's `ping` itself only once the away before it is answered.
    void requestsAreCountedHandledOnceTheSharedEventIsAnswered()
    {
        CountingReplyChannel channel;
        m_backend->eventsLater = true;
        put({RoomInbox::Item{1, &channel, Wire::Mode::Json, Wire::Request{ClientFrame{SetAway{u"brb"_s}}},
                             channel.handled}});
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        QCoreApplication::sendPostedEvents();
        QCOMPARE(channel.handled->load(), quint64(0));
        m_backend->completeAnswer();
        QTRY_COMPARE(channel.handled->load(), quint64(1));
        QVERIFY(std::holds_alternative<Away>(m_backend->pending.constLast().frame));
    }

    // bob leaving waits for the answer to alice's whisper to him.
    void aLeaveWaitsForTheWhisperInFlight()
    {
        bobJoins();
        startAlices(Whisper{u"bob"_s, u"bye?"_s}, {leave(kBob)});
        QVERIFY(m_backend->isClaimed(u"bob"_s));
        m_backend->completeAnswer();
        QTRY_VERIFY(!m_backend->isClaimed(u"bob"_s));
        // The whisper before his `left`, in the room's order.
        const qsizetype whisper = m_backend->pending.size() - 2;
        QCOMPARE(m_backend->pending.at(whisper).kind, RoomStream::Kind::Whisper);
        QVERIFY(std::holds_alternative<Left>(m_backend->pending.constLast().frame));
    }

    // alice's `say` after her rename waits for its answer, and is then said as alicia.
    void aSayAfterARenameIsSaidUnderTheNewNick()
    {
        startAlices(Nick{u"alicia"_s}, {item(1, Say{u"hi"_s, false})});
        QVERIFY(m_backend->postBatches.isEmpty());
        m_backend->completeAnswer();
        QTRY_COMPARE(m_backend->postBatches.size(), 1);
        QCOMPARE(m_backend->postBatches.constFirst().constFirst().from, u"alicia"_s);
        QCOMPARE(m_channel.count(1), 0); // no error; the `renamed` comes back from the backend
    }

    void aRenameRefusedLaterKeepsTheNick()
    {
        startAlices(Nick{u"alicia"_s}, {item(1, Say{u"hi"_s, false})});
        m_backend->completeAnswer(RoomBackend::Outcome::Refused);
        QTRY_COMPARE(m_backend->postBatches.size(), 1);
        QCOMPARE(m_backend->postBatches.constFirst().constFirst().from, u"alice"_s);
        expectOnlyError(1, ErrorCode::NickTaken, u"nick"_s);
    }

    // The `renamed` read back (the stream reader has its own connection)
    // before the answer shows it was done: alice is alicia from then on,
    // and an answer lost on its way tells her nothing.
    void aRenamedReadBackBeforeTheAnswerRenamesTheMember()
    {
        startAlices(Nick{u"alicia"_s}, {item(1, Say{u"hi"_s, false})});
        m_backend->pending.append(RoomBackend::Event{
            RoomStream::Kind::Event, Renamed{u"alice"_s, u"alicia"_s, QDateTime::currentDateTimeUtc()}, 0, {}});
        m_backend->deliverAll();
        QCOMPARE(m_room->users(), QStringList{u"alicia"_s});
        m_channel.takeSaid(1); // the `renamed`
        m_backend->completeAnswer(RoomBackend::Outcome::Unavailable);
        QTRY_COMPARE(m_backend->postBatches.size(), 1);
        QCOMPARE(m_backend->postBatches.constFirst().constFirst().from, u"alicia"_s);
        QCOMPARE(m_channel.count(1), 0);
    }

    void stopAnswersTheClaimInFlight()
    {
        startCarolsHello();
        m_room->stop();
        QCOMPARE(m_backend->answerFinishes, 1);
        QVERIFY(!m_room->answerInFlight());
        QVERIFY(m_backend->isClaimed(u"carol"_s));
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestRoomClaim)
#include "tst_roomclaim.moc"
