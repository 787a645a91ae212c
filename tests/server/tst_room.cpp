// SPDX-License-Identifier: MIT
// The Room driven directly, with a backend and reply channels of the test's
// own: what each connection is told, and when, whatever carries the room.
#include "framecodec.h"
#include "recordingreplychannel.h"
#include "room.h"
#include "scriptedroombackend.h"
#include "testharness.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace {

using Said = RecordingReplyChannel::Said;

Wire::Request request(const ClientFrame &frame)
{
    return Wire::Request{frame};
}

} // namespace

class TestRoom final : public QObject
{
    Q_OBJECT

private:
    ServerConfig m_config;
    ScriptedRoomBackend *m_backend = nullptr;
    std::unique_ptr<Room> m_room;
    RecordingReplyChannel m_channel;

    void hello(Wire::ConnectionId id, const QString &nick)
    {
        m_room->handle(id, &m_channel, Wire::Mode::Json, request(Hello{nick, {}, {}}));
    }
    // `nick` joins and is welcomed; what it was told is dropped.
    void join(Wire::ConnectionId id, const QString &nick)
    {
        hello(id, nick);
        m_backend->deliverAll();
        QCOMPARE(m_channel.takeSaid(id).size(), 2); // welcome, membership
    }

private slots:
    void init()
    {
        m_channel = RecordingReplyChannel();
        auto backend = std::make_unique<ScriptedRoomBackend>();
        m_backend = backend.get();
        m_room = std::make_unique<Room>(m_config, std::move(backend));
        QVERIFY(!m_room->start());
    }

    void cleanup()
    {
        m_room.reset();
        m_backend = nullptr;
    }

    void aRefusedNicknameIsTakenForTheUser()
    {
        m_backend->claimOutcome = RoomBackend::Outcome::Refused;
        hello(1, u"alice"_s);
        m_backend->deliverAll();
        const QList<Said> said = m_channel.takeSaid(1);
        QCOMPARE(said.size(), 1);
        const auto *error = frameOf<Error>(said.first());
        QVERIFY(error);
        QCOMPARE(error->code, ErrorCode::NickTaken);
        QCOMPARE(error->message, u"the nickname alice is taken"_s);
        QCOMPARE(error->ref, u"hello"_s);
        QCOMPARE(m_room->memberCount(), 0);
        QVERIFY(m_room->users().isEmpty());
    }

    void anUnreachableBackendIsSaidSo()
    {
        m_backend->claimOutcome = RoomBackend::Outcome::Unavailable;
        hello(1, u"alice"_s);
        const QList<Said> said = m_channel.takeSaid(1);
        QCOMPARE(said.size(), 1);
        const auto *error = frameOf<Error>(said.first());
        QVERIFY(error);
        QCOMPARE(error->code, ErrorCode::ClusterUnavailable);
        QCOMPARE(error->message, u"this server cannot reach the shared room (Redis) right now, so that was not done; "
                                 u"try again in a moment"_s);
        QCOMPARE(m_room->memberCount(), 0);
    }

    void theWelcomeWaitsForTheJoinedEvent()
    {
        QSignalSpy published(m_room.get(), &Room::published);
        hello(1, u"alice"_s);
        m_room->handle(1, &m_channel, Wire::Mode::Json, request(Ping{QJsonValue(u"p1"_s)}));
        QVERIFY(m_channel.takeSaid(1).isEmpty()); // nothing before the welcome, not even the pong
        QVERIFY(m_room->users().isEmpty());

        m_backend->deliverAll();
        const QList<Said> said = m_channel.takeSaid(1);
        QCOMPARE(said.size(), 3);
        QCOMPARE(said.at(0).kind, Said::Kind::Welcome);
        const auto *welcome = frameOf<Welcome>(said.at(0));
        QVERIFY(welcome);
        QCOMPARE(welcome->nick, u"alice"_s);
        QCOMPARE(welcome->users, QStringList{u"alice"_s});
        const auto *pong = frameOf<Pong>(said.at(1));
        QVERIFY(pong);
        QCOMPARE(pong->id, QJsonValue(u"p1"_s));
        QCOMPARE(said.at(2).kind, Said::Kind::Membership);
        QVERIFY(said.at(2).member);
        QCOMPARE(published.size(), 1); // the `joined`, for everyone but alice
        QCOMPARE(published.first().first().value<BroadcastPtr>()->except(), Wire::ConnectionId(1));
        QCOMPARE(m_room->users(), QStringList{u"alice"_s});
    }

    // A text-mode user's first line makes them guestN, and a `/nick` typed
    // at once is handled before their `joined` comes back: the welcome still
    // names the nickname they joined with, as the user list in it does, and
    // the rename follows it.
    void aRenameBeforeTheWelcomeFollowsAWelcomeUnderTheJoinedNickname()
    {
        QSignalSpy published(m_room.get(), &Room::published);
        hello(1, u"guest1"_s);
        m_room->handle(1, &m_channel, Wire::Mode::Json, request(Nick{u"민수"_s}));
        QVERIFY(m_channel.takeSaid(1).isEmpty());

        m_backend->deliverAll();
        const QList<Said> said = m_channel.takeSaid(1);
        QVERIFY(!said.isEmpty());
        QCOMPARE(said.first().kind, Said::Kind::Welcome);
        const auto *welcome = frameOf<Welcome>(said.first());
        QVERIFY(welcome);
        QCOMPARE(welcome->nick, u"guest1"_s);
        QCOMPARE(welcome->users, QStringList{u"guest1"_s});
        // Handled after the welcome: its `renamed` comes back from the backend next.
        m_backend->deliverAll();
        // The rename reaches everyone, the user too, as the broadcast after it.
        QCOMPARE(published.size(), 2); // joined (not to the user), renamed
        const BroadcastPtr rename = published.last().first().value<BroadcastPtr>();
        QCOMPARE(rename->except(), Wire::ConnectionId(0));
        const FrameCodec::Decoded<ServerFrame> frame = FrameCodec::decodeServerFrame(rename->bytes(Wire::Mode::Json));
        const auto *serverFrame = std::get_if<ServerFrame>(&frame);
        QVERIFY(serverFrame);
        const auto *renamed = std::get_if<Renamed>(serverFrame);
        QVERIFY(renamed);
        QCOMPARE(renamed->from, u"guest1"_s);
        QCOMPARE(renamed->to, u"민수"_s);
        QCOMPARE(m_room->users(), QStringList{u"민수"_s});
    }

    void aNicknameBeingClaimedIsNotYetServedHere()
    {
        join(1, u"alice"_s);
        hello(2, u"Bob"_s);
        const QList<std::pair<QString, QString>> alice{{u"alice"_s, u"alice"_s}};
        QCOMPARE(m_backend->localUsersAtClaims.size(), 2);
        QCOMPARE(m_backend->localUsersAtClaims.at(1), alice);
        m_backend->deliverAll();
        QCOMPARE(m_room->users(), (QStringList{u"alice"_s, u"Bob"_s}));
    }

    void aPostReachesTheRoomOnlyWhenTheBackendDeliversIt()
    {
        join(1, u"alice"_s);
        QSignalSpy published(m_room.get(), &Room::published);
        m_room->handle(1, &m_channel, Wire::Mode::Json, request(Say{u"hello there"_s, false}));
        QCOMPARE(published.size(), 0);
        QVERIFY(m_channel.takeSaid(1).isEmpty());

        m_backend->deliverAll();
        QCOMPARE(published.size(), 1);
        const BroadcastPtr broadcast = published.first().first().value<BroadcastPtr>();
        auto decoded = FrameCodec::decodeServerFrame(QByteArrayView(broadcast->bytes(Wire::Mode::Json)).chopped(1));
        const auto *message = std::get_if<ChatMessage>(&std::get<ServerFrame>(decoded));
        QVERIFY(message);
        QCOMPARE(message->from, u"alice"_s);
        QCOMPARE(message->text, u"hello there"_s);
        QCOMPARE(message->id, 1);
        QCOMPARE(m_room->lastMessageId(), 1);
    }

    // Rooms: a `room` frame follows the backend's `joined` event, never
    // precedes the welcome, and room events reach the room's members only.
    void aRoomFrameWaitsForItsJoinedEvent()
    {
        join(1, u"alice"_s);
        m_room->handle(1, &m_channel, Wire::Mode::Json, request(Join{u"#Dev"_s}));
        QVERIFY(m_channel.takeSaid(1).isEmpty());
        m_backend->deliverAll();
        const QList<Said> said = m_channel.takeSaid(1);
        QCOMPARE(said.size(), 1);
        const auto *room = frameOf<RoomState>(said.first());
        QVERIFY(room);
        QCOMPARE(room->room, u"#Dev"_s);
        QCOMPARE(room->users, QStringList{u"alice"_s});
    }

    void helloRoomsComeAfterTheWelcomeWhateverOrderTheirEventsCome()
    {
        m_room->handle(1, &m_channel, Wire::Mode::Json,
                       request(Hello{u"alice"_s, {}, {}, {RoomRequest{u"#dev"_s}, RoomRequest{u"#ops"_s}}}));
        QCOMPARE(m_backend->pending.size(), 3);
        // As a cluster may read the rooms' streams before the server's.
        std::reverse(m_backend->pending.begin(), m_backend->pending.end());
        m_backend->deliverAll();
        const QList<Said> said = m_channel.takeSaid(1);
        QCOMPARE(said.size(), 4);
        QCOMPARE(said.at(0).kind, Said::Kind::Welcome);
        QVERIFY(frameOf<RoomState>(said.at(1)));
        QVERIFY(frameOf<RoomState>(said.at(2)));
        // The order of their events, which hello.rooms cannot promise then.
        QCOMPARE(frameOf<RoomState>(said.at(1))->room, u"#ops"_s);
        QCOMPARE(said.at(3).kind, Said::Kind::Membership);
    }

    void aRoomMessageGoesToTheRoomsMembersOnly()
    {
        join(1, u"alice"_s);
        join(2, u"bob"_s);
        m_room->handle(1, &m_channel, Wire::Mode::Json, request(Join{u"#dev"_s}));
        m_backend->deliverAll();
        m_channel.takeSaid(1);
        QSignalSpy published(m_room.get(), &Room::published);
        m_room->handle(1, &m_channel, Wire::Mode::Json, request(Say{u"only us"_s, false, u"#DEV"_s}));
        m_backend->deliverAll();
        QCOMPARE(published.size(), 1);
        const BroadcastPtr broadcast = published.first().first().value<BroadcastPtr>();
        QCOMPARE(broadcast->audience(), std::optional<QList<Wire::ConnectionId>>(QList<Wire::ConnectionId>{1}));
        QVERIFY(broadcast->bytes(Wire::Mode::Json).contains("\"room\":\"#dev\""));
        // bob is not in it: refused, nothing posted.
        m_room->handle(2, &m_channel, Wire::Mode::Json, request(Say{u"me too"_s, false, u"#dev"_s}));
        const QList<Said> said = m_channel.takeSaid(2);
        QCOMPARE(said.size(), 1);
        QCOMPARE(frameOf<Error>(said.first())->code, ErrorCode::NotInRoom);
        QCOMPARE(m_backend->pending.size(), 0);
    }

    void aPostTheBackendCannotStoreIsRefused()
    {
        join(1, u"alice"_s);
        QSignalSpy published(m_room.get(), &Room::published);
        m_backend->postOutcome = RoomBackend::Outcome::NotStored;
        m_room->handle(1, &m_channel, Wire::Mode::Json, request(Say{u"lost"_s, false}));
        m_backend->deliverAll();
        QCOMPARE(published.size(), 0);
        const QList<Said> said = m_channel.takeSaid(1);
        QCOMPARE(said.size(), 1);
        const auto *error = frameOf<Error>(said.first());
        QVERIFY(error);
        QCOMPARE(error->code, ErrorCode::StoreFailed);
        QCOMPARE(error->message, u"the server could not store your message, so it was not sent; try again later"_s);
    }

    void aWhisperReachesBothOnlyWhenDelivered()
    {
        join(1, u"alice"_s);
        join(2, u"bob"_s);
        m_room->handle(1, &m_channel, Wire::Mode::Json, request(Whisper{u"BOB"_s, u"psst"_s}));
        QVERIFY(m_channel.takeSaid(1).isEmpty());
        QVERIFY(m_channel.takeSaid(2).isEmpty());

        m_backend->deliverAll();
        for (const Wire::ConnectionId id : {Wire::ConnectionId(2), Wire::ConnectionId(1)}) {
            const QList<Said> said = m_channel.takeSaid(id);
            QCOMPARE(said.size(), 1);
            const auto *whisper = frameOf<WhisperMessage>(said.first());
            QVERIFY(whisper);
            QCOMPARE(whisper->from, u"alice"_s);
            QCOMPARE(whisper->to, u"bob"_s);
            QCOMPARE(whisper->text, u"psst"_s);
        }
    }

    void aWhisperToNobodyIsAnError()
    {
        join(1, u"alice"_s);
        m_room->handle(1, &m_channel, Wire::Mode::Json, request(Whisper{u"carol"_s, u"psst"_s}));
        const QList<Said> said = m_channel.takeSaid(1);
        QCOMPARE(said.size(), 1);
        const auto *error = frameOf<Error>(said.first());
        QVERIFY(error);
        QCOMPARE(error->code, ErrorCode::NoSuchUser);
        QCOMPARE(error->message, u"no user named carol"_s);
    }

    void aUserWhoLeavesIsListedUntilTheBackendSaysSo()
    {
        join(1, u"alice"_s);
        join(2, u"bob"_s);
        m_room->handle(2, &m_channel, Wire::Mode::Json, request(Bye{}));
        const QList<Said> said = m_channel.takeSaid(2);
        QCOMPARE(said.size(), 2); // no longer a member, then the bye and close
        QCOMPARE(said.at(0).kind, Said::Kind::Membership);
        QVERIFY(!said.at(0).member);
        QCOMPARE(said.at(1).kind, Said::Kind::Close);
        QVERIFY(frameOf<ServerBye>(said.at(1)));
        QCOMPARE(m_room->memberCount(), 1);
        QCOMPARE(m_room->users(), (QStringList{u"alice"_s, u"bob"_s}));
        m_backend->deliverAll();
        QCOMPARE(m_room->users(), QStringList{u"alice"_s});
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestRoom)
#include "tst_room.moc"
