// SPDX-License-Identifier: MIT
// The Room with a backend that batches posts (as ClusterRoomBackend does,
// one Redis pipeline per call), fed through its RoomInbox: the `say`s of one
// batch of requests reach the backend in one call, in order, and each
// connection's answers keep the order of its requests.
#include "countingreplychannel.h"
#include "recordingreplychannel.h"
#include "room.h"
#include "roominbox.h"
#include "scriptedroombackend.h"
#include "testharness.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace {

using Said = RecordingReplyChannel::Said;

QStringList textsOf(const QList<ChatMessage> &messages)
{
    QStringList texts;
    for (const ChatMessage &message : messages)
        texts.append(message.text);
    return texts;
}

} // namespace

class TestRoomBatch final : public QObject
{
    Q_OBJECT

private:
    ServerConfig m_config;
    ScriptedRoomBackend *m_backend = nullptr;
    std::unique_ptr<Room> m_room;
    std::unique_ptr<RoomInbox> m_inbox;
    RecordingReplyChannel m_channel;

    // `nick` joins and is welcomed; what it was told is dropped.
    void join(Wire::ConnectionId id, const QString &nick)
    {
        m_room->handle(id, &m_channel, Wire::Mode::Json, Wire::Request{ClientFrame{Hello{nick, {}, {}}}});
        m_backend->deliverAll();
        QCOMPARE(m_channel.takeSaid(id).size(), 2); // welcome, membership
    }
    RoomInbox::Item item(Wire::ConnectionId id, const ClientFrame &frame)
    {
        return RoomInbox::Item{id, &m_channel, Wire::Mode::Json, Wire::Request{frame}};
    }
    RoomInbox::Item say(Wire::ConnectionId id, const QString &text) { return item(id, Say{text, false}); }
    // One batch, as one worker's event-loop turn hands it over.
    void put(std::vector<RoomInbox::Item> items) { m_inbox->put(items); }

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
        join(1, u"alice"_s);
        join(2, u"bob"_s);
    }

    void cleanup()
    {
        m_inbox.reset();
        m_room.reset();
        m_backend = nullptr;
    }

    void theSaysOfOneBatchAreOneBackendCallInOrder()
    {
        put({say(1, u"a1"_s), say(2, u"b1"_s), say(1, u"a2"_s)});
        QTRY_COMPARE(m_backend->postBatches.size(), 1);
        const QList<ChatMessage> batch = m_backend->postBatches.constFirst();
        QCOMPARE(textsOf(batch), (QStringList{u"a1"_s, u"b1"_s, u"a2"_s}));
        QCOMPARE(batch.at(1).from, u"bob"_s);
        // Nothing to answer for a stored post: it comes back as the room's message.
        QCOMPARE(m_channel.count(1), 0);
        QSignalSpy published(m_room.get(), &Room::published);
        m_backend->deliverAll();
        QCOMPARE(published.size(), 3);
        QCOMPARE(m_room->lastMessageId(), 3);
    }

    void aFailedPostIsAnsweredBeforeTheWhoThatFollowsIt()
    {
        m_backend->postOutcome = RoomBackend::Outcome::Unavailable;
        put({say(1, u"lost"_s), item(1, Who{})});
        QTRY_COMPARE(m_channel.count(1), 2);
        const QList<Said> said = m_channel.takeSaid(1);
        const auto *error = frameOf<Error>(said.at(0));
        QVERIFY(error);
        QCOMPARE(error->code, ErrorCode::ClusterUnavailable);
        QCOMPARE(error->ref, u"say"_s);
        const auto *users = frameOf<Users>(said.at(1));
        QVERIFY(users);
        QCOMPARE(users->users, (QStringList{u"alice"_s, u"bob"_s}));
        QCOMPARE(m_backend->postBatches.size(), 1);
    }

    // The worker answers a `ping` itself once the room counted every earlier
    // request of the connection handled (Worker::answerHere): a queued
    // `say`'s answer comes at the flush, so it is counted only after that.
    void aQueuedPostIsCountedHandledAfterItsAnswer()
    {
        CountingReplyChannel channel;
        m_backend->postOutcome = RoomBackend::Outcome::Unavailable;
        std::vector<RoomInbox::Item> items{RoomInbox::Item{
            1, &channel, Wire::Mode::Json, Wire::Request{ClientFrame{Say{u"lost"_s, false}}}, channel.handled}};
        put(std::move(items));
        QTRY_COMPARE(channel.handled->load(), quint64(1));
        QCOMPARE(channel.handledAtReply, QList<quint64>{0}); // the error was queued before the count rose
    }

    // A backend that answers a batch later (RoomBackend::startPostAll): the
    // room does not wait, and the requests that must come after the posts
    // wait in the inbox instead, every connection's (the room's one order).
    void aWhoAfterASayIsAnsweredAfterThePostCompletesLater()
    {
        m_backend->postsLater = true;
        put({say(1, u"late"_s), item(1, Who{}), item(2, Who{})});
        QTRY_VERIFY(m_backend->hasPostsInFlight());
        QCOMPARE(m_channel.count(1), 0);
        QCOMPARE(m_channel.count(2), 0);
        m_backend->completePosts(RoomBackend::Outcome::Unavailable);
        QTRY_COMPARE(m_channel.count(1), 2);
        QTRY_COMPARE(m_channel.count(2), 1);
        const QList<Said> said = m_channel.takeSaid(1);
        const auto *error = frameOf<Error>(said.at(0));
        QVERIFY(error);
        QCOMPARE(error->code, ErrorCode::ClusterUnavailable);
        QCOMPARE(error->ref, u"say"_s);
        QVERIFY(frameOf<Users>(said.at(1)));
        QCOMPARE(m_backend->finishes, 0); // the room never waited for the answer
    }

    // The worker answers a `ping` itself only when the connection's requests
    // are all counted handled: not before the refusal of a post in flight.
    void aPostInFlightIsCountedHandledAfterItsAnswer()
    {
        CountingReplyChannel channel;
        m_backend->postsLater = true;
        std::vector<RoomInbox::Item> items;
        items.push_back(RoomInbox::Item{1, &channel, Wire::Mode::Json,
                                        Wire::Request{ClientFrame{Say{u"lost"_s, false}}}, channel.handled});
        items.push_back(
            RoomInbox::Item{1, &channel, Wire::Mode::Json, Wire::Request{ClientFrame{Who{}}}, channel.handled});
        put(std::move(items));
        QTRY_VERIFY(m_backend->hasPostsInFlight());
        QCOMPARE(channel.handled->load(), quint64(0));
        m_backend->completePosts(RoomBackend::Outcome::Unavailable);
        QTRY_COMPARE(channel.handled->load(), quint64(2));
        // The refusal was queued before any count rose, the who's after the say's.
        QCOMPARE(channel.handledAtReply, (QList<quint64>{0, 1}));
    }

    // A batch answered later, then one the backend answers at once (as
    // ClusterRoomBackend does for another room's post): the requests that
    // waited for the second are counted handled too.
    void aBatchAnsweredAtOnceAfterOneInFlightCountsItsRequests()
    {
        auto handled = std::make_shared<Wire::HandledCount>(0);
        const auto counted = [this, &handled](const QString &text) {
            return RoomInbox::Item{1, &m_channel, Wire::Mode::Json, Wire::Request{ClientFrame{Say{text, false}}},
                                   handled};
        };
        m_backend->postsLater = true;
        put({counted(u"later"_s)});
        QTRY_VERIFY(m_backend->hasPostsInFlight());
        put({counted(u"at once"_s)});
        QTRY_COMPARE(m_room->answeredAfterBatch(), quint64(2)); // queued for the next batch
        QCOMPARE(handled->load(), quint64(0));
        m_backend->postsLater = false;
        m_backend->completePosts();
        QTRY_COMPARE(m_backend->postBatches.size(), 2);
        QTRY_COMPARE(handled->load(), quint64(2));
    }

    void requestsKeepFlowingAfterTheAnswer()
    {
        m_backend->postsLater = true;
        put({say(1, u"first"_s)});
        QTRY_VERIFY(m_backend->hasPostsInFlight());
        // A member's `say` does not wait: it is queued for the next batch.
        put({say(2, u"second"_s)});
        m_backend->completePosts();
        QTRY_COMPARE(m_backend->postBatches.size(), 2);
        QCOMPARE(textsOf(m_backend->postBatches.at(1)), QStringList{u"second"_s});
        m_backend->completePosts();
        put({item(1, Who{})});
        QTRY_COMPARE(m_channel.count(1), 1);
        QSignalSpy published(m_room.get(), &Room::published);
        m_backend->deliverAll();
        QCOMPARE(published.size(), 2);
        QCOMPARE(m_room->lastMessageId(), 2);
        QCOMPARE(m_backend->finishes, 0);
    }

    void aLeaveWaitsForItsPostInFlight()
    {
        m_backend->postsLater = true;
        std::vector<RoomInbox::Item> items{say(1, u"bye all"_s)};
        items.push_back(RoomInbox::Item{1, &m_channel, Wire::Mode::Json,
                                        RoomInbox::Leave{LeaveReason::Disconnected, Wire::LastWords{}}});
        put(std::move(items));
        QTRY_VERIFY(m_backend->hasPostsInFlight());
        QCOMPARE(m_backend->pending.size(), 0);
        m_backend->completePosts();
        QTRY_COMPARE(m_backend->pending.size(), 2);
        QCOMPARE(m_backend->pending.at(0).kind, RoomStream::Kind::Message);
        QVERIFY(std::holds_alternative<Left>(m_backend->pending.at(1).frame));
    }

    void aQueuedPostGoesOutBeforeItsAuthorLeaves()
    {
        std::vector<RoomInbox::Item> items{say(1, u"bye all"_s)};
        items.push_back(RoomInbox::Item{1, &m_channel, Wire::Mode::Json,
                                        RoomInbox::Leave{LeaveReason::Disconnected, Wire::LastWords{}}});
        put(std::move(items));
        QTRY_COMPARE(m_backend->pending.size(), 2);
        QCOMPARE(m_backend->pending.at(0).kind, RoomStream::Kind::Message);
        QCOMPARE(std::get<ChatMessage>(m_backend->pending.at(0).frame).text, u"bye all"_s);
        QVERIFY(std::holds_alternative<Left>(m_backend->pending.at(1).frame));
    }

    void slowModeCountsAPostStillQueued()
    {
        m_backend->pending.append(
            RoomBackend::Event{RoomStream::Kind::Event, SlowMode{60, u"op"_s, QDateTime::currentDateTimeUtc()}, 0, {}});
        m_backend->deliverAll();
        put({say(1, u"first"_s), say(1, u"second"_s)});
        QTRY_COMPARE(m_channel.count(1), 1);
        const QList<Said> said = m_channel.takeSaid(1); // kept: frameOf points into it
        const auto *error = frameOf<Error>(said.constFirst());
        QVERIFY(error);
        QCOMPARE(error->code, ErrorCode::SlowMode);
        QCOMPARE(m_backend->postBatches.size(), 1);
        QCOMPARE(textsOf(m_backend->postBatches.constFirst()), QStringList{u"first"_s});
    }

    // In slow mode a member's second `say` is judged once its first, still
    // in flight, has been answered: it waits in the inbox (the room does not
    // wait for Redis), and is then refused.
    void slowModeJudgesASayAfterItsPostInFlight()
    {
        m_backend->pending.append(
            RoomBackend::Event{RoomStream::Kind::Event, SlowMode{60, u"op"_s, QDateTime::currentDateTimeUtc()}, 0, {}});
        m_backend->deliverAll();
        m_backend->postsLater = true;
        put({say(1, u"first"_s)});
        QTRY_VERIFY(m_backend->hasPostsInFlight());
        put({say(1, u"second"_s), say(2, u"bob's"_s)});
        // The first post's answer decides; bob's say waits behind alice's (the one order).
        QCoreApplication::sendPostedEvents(); // the inbox's drain
        QCOMPARE(m_channel.count(1), 0);
        QCOMPARE(m_backend->postBatches.size(), 1);
        m_backend->completePosts();
        QTRY_COMPARE(m_channel.count(1), 1);
        const QList<Said> said = m_channel.takeSaid(1);
        const auto *error = frameOf<Error>(said.constFirst());
        QVERIFY(error);
        QCOMPARE(error->code, ErrorCode::SlowMode);
        QTRY_COMPARE(m_backend->postBatches.size(), 2);
        QCOMPARE(textsOf(m_backend->postBatches.at(1)), QStringList{u"bob's"_s});
        QCOMPARE(m_backend->finishes, 0); // the room never waited for the answer
    }

    void aFloodIsSentInBoundedCalls()
    {
        constexpr int kPosts = 300;
        std::vector<RoomInbox::Item> items;
        items.reserve(kPosts);
        for (int i = 0; i < kPosts; ++i)
            items.push_back(say(1 + i % 2, QString::number(i)));
        put(std::move(items));
        QTRY_COMPARE(m_backend->postBatches.size(), 2);
        QCOMPARE(m_backend->postBatches.at(0).size(), 256);
        QCOMPARE(m_backend->postBatches.at(1).size(), kPosts - 256);
        QCOMPARE(m_backend->postBatches.at(1).constFirst().text, u"256"_s);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestRoomBatch)
#include "tst_roombatch.moc"
