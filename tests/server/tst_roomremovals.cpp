// SPDX-License-Identifier: MIT
// A member removed by what the backend says (a kick read from the cluster's
// stream, a nickname lost while Redis was away) while posts or an answer
// are in flight: the room does not wait for them (issue #16); the removal
// waits in the room's order instead, and what the backend said after it,
// and the requests after it, come after it.
#include "recordingreplychannel.h"
#include "room.h"
#include "roominbox.h"
#include "scriptedroombackend.h"
#include "testharness.h"

#include <QCoreApplication>
#include <QTest>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;
using namespace Protocol;

using Said = RecordingReplyChannel::Said;

class TestRoomRemovals final : public QObject
{
    Q_OBJECT

private:
    static constexpr Wire::ConnectionId kAlice = 1;
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
    void put(std::vector<RoomInbox::Item> items) { m_inbox->put(items); }
    // Joins at once; what everyone was told of it is dropped.
    void joinsNow(Wire::ConnectionId id, const QString &nick)
    {
        m_room->handle(id, &m_channel, Wire::Mode::Json, Wire::Request{ClientFrame{Hello{nick, {}, {}}}});
        m_backend->deliverAll();
        for (const Wire::ConnectionId everyone : {kAlice, kBob, kCarol})
            m_channel.takeSaid(everyone);
    }
    // Read back from the stream: alice kicks bob on another server.
    void readBobsKick()
    {
        m_backend->pending.append(
            RoomBackend::Event{RoomStream::Kind::Kick, ServerBye{u"kicked"_s, u"alice"_s, u"enough"_s}, 0, u"bob"_s});
    }
    void readMessage(const QString &text)
    {
        m_backend->pending.append(
            RoomBackend::Event{RoomStream::Kind::Message,
                               ChatMessage{0, u"dave"_s, text, QDateTime::currentDateTimeUtc(), false, u"#lobby"_s},
                               0,
                               {}});
    }
    static bool wasClosed(const QList<Said> &said)
    {
        return std::any_of(said.cbegin(), said.cend(), [](const Said &one) { return one.kind == Said::Kind::Close; });
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
        joinsNow(kAlice, u"alice"_s);
        joinsNow(kBob, u"bob"_s);
    }

    void cleanup()
    {
        m_inbox.reset();
        m_room.reset();
        m_backend = nullptr;
    }

    void aKickReadWhileAClaimIsInFlightWaitsForItsAnswer()
    {
        // How many members the room had when it broadcast what was read after the kick.
        std::optional<int> membersAtMessage;
        connect(m_room.get(), &Room::published, this, [this, &membersAtMessage](const BroadcastPtr &broadcast) {
            if (broadcast->bytes(Wire::Mode::Json).contains("after the kick"))
                membersAtMessage = m_room->memberCount();
        });
        m_backend->claimsLater = true;
        put({item(kCarol, Hello{u"carol"_s, {}, {}})});
        QTRY_VERIFY(m_backend->hasAnswerInFlight());
        readBobsKick();
        readMessage(u"after the kick"_s);
        m_backend->deliverAll();
        // Not removed inside the read: that would wait for carol's claim.
        QCOMPARE(m_backend->answerFinishes, 0);
        QVERIFY(m_backend->isClaimed(u"bob"_s));
        QCOMPARE(m_channel.count(kBob), 0);
        // What was read after the kick waits behind it.
        QVERIFY(!membersAtMessage);

        m_backend->completeAnswer();
        QTRY_VERIFY(!m_backend->isClaimed(u"bob"_s));
        QCOMPARE(m_backend->answerFinishes, 0);
        const QList<Said> bobs = m_channel.takeSaid(kBob);
        QVERIFY(wasClosed(bobs));
        const auto *bye = frameOf<ServerBye>(bobs.constLast());
        QVERIFY(bye);
        QCOMPARE(bye->by, u"alice"_s);
        // Removed first: the message went to alice and carol, not to bob.
        QCOMPARE(membersAtMessage, 2);
        QVERIFY(m_backend->isClaimed(u"carol"_s));
    }

    void aLostNicknameWaitsForThePostsInFlight()
    {
        m_backend->postsLater = true;
        put({item(kAlice, Say{u"hello"_s, false})});
        QTRY_VERIFY(m_backend->hasPostsInFlight());
        emit m_backend->nicknamesLost({u"bob"_s});
        QCOMPARE(m_backend->finishes, 0);
        QCOMPARE(m_channel.count(kBob), 0);

        m_backend->completePosts();
        QList<Said> bobs;
        // Latched: QTRY_VERIFY evaluates its condition more than once.
        QTRY_VERIFY((bobs += m_channel.takeSaid(kBob), wasClosed(bobs)));
        QCOMPARE(m_backend->finishes, 0);
        QVERIFY(!m_backend->isClaimed(u"bob"_s));
    }

    // bob's `say` reached the room after his kick was read: it is handled
    // after the kick, so it is not posted.
    void aRequestAfterAWaitingKickIsHandledAfterIt()
    {
        m_backend->postsLater = true;
        put({item(kAlice, Say{u"first"_s, false})});
        QTRY_VERIFY(m_backend->hasPostsInFlight());
        readBobsKick();
        m_backend->deliverAll();
        put({item(kBob, Say{u"one more"_s, false})});
        QCoreApplication::sendPostedEvents(); // the inbox drains: bob's say waits
        QVERIFY(m_backend->isClaimed(u"bob"_s));

        m_backend->completePosts();
        QTRY_VERIFY(!m_backend->isClaimed(u"bob"_s));
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        m_backend->completePosts();
        for (const QList<ChatMessage> &batch : std::as_const(m_backend->postBatches)) {
            for (const ChatMessage &message : batch)
                QCOMPARE_NE(message.text, u"one more"_s);
        }
        QCOMPARE(m_backend->finishes, 0);
    }

    void stopAppliesWhatWaits()
    {
        m_backend->postsLater = true;
        put({item(kAlice, Say{u"hello"_s, false})});
        QTRY_VERIFY(m_backend->hasPostsInFlight());
        readBobsKick();
        m_backend->deliverAll();
        QVERIFY(m_room->eventsWaiting());
        m_room->stop();
        QVERIFY(!m_room->eventsWaiting());
        QVERIFY(wasClosed(m_channel.takeSaid(kBob)));
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestRoomRemovals)
#include "tst_roomremovals.moc"
