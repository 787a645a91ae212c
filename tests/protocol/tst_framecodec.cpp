// SPDX-License-Identifier: MIT
#include "framecodec.h"
#include "testharness.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_DECLARE_METATYPE(Protocol::ClientFrame)
Q_DECLARE_METATYPE(Protocol::ServerFrame)
Q_DECLARE_METATYPE(Protocol::ErrorCode)

namespace {

const QDateTime kTime(QDate(2026, 11, 24), QTime(22, 0, 0, 123), Qt::UTC);
const QString kWireTime = u"2026-11-24T22:00:00.123Z"_s;

QJsonObject parse(const QByteArray &line)
{
    return QJsonDocument::fromJson(line).object();
}

// An encoded frame is exactly one line: JSON, then one LF, and no LF inside.
void verifyOneLine(const QByteArray &bytes)
{
    QVERIFY(bytes.endsWith('\n'));
    QCOMPARE(bytes.count('\n'), 1);
}

QByteArray withoutLf(QByteArray bytes)
{
    bytes.chop(1);
    return bytes;
}

} // namespace

class TestFrameCodec final : public QObject
{
    Q_OBJECT

private slots:
    void encodeClientFrame_data()
    {
        QTest::addColumn<ClientFrame>("frame");
        QTest::addColumn<QJsonObject>("expected");

        QTest::newRow("hello") << ClientFrame(Hello{u"alice"_s, u"chat-console/1.0"_s, {}})
                               << QJsonObject{{u"type"_s, u"hello"_s},
                                              {u"nick"_s, u"alice"_s},
                                              {u"client"_s, u"chat-console/1.0"_s}};
        QTest::newRow("hello without client")
            << ClientFrame(Hello{u"민수"_s, {}, {}}) << QJsonObject{{u"type"_s, u"hello"_s}, {u"nick"_s, u"민수"_s}};
        QTest::newRow("hello since") << ClientFrame(Hello{u"alice"_s, {}, 42})
                                     << QJsonObject{{u"type"_s, u"hello"_s}, {u"nick"_s, u"alice"_s}, {u"since"_s, 42}};
        QTest::newRow("hello since 0") << ClientFrame(Hello{u"alice"_s, {}, 0})
                                       << QJsonObject{
                                              {u"type"_s, u"hello"_s}, {u"nick"_s, u"alice"_s}, {u"since"_s, 0}};
        QTest::newRow("say") << ClientFrame(Say{u"안녕하세요"_s, false})
                             << QJsonObject{{u"type"_s, u"say"_s}, {u"text"_s, u"안녕하세요"_s}};
        QTest::newRow("say multi-line") << ClientFrame(Say{u"one\ntwo"_s, false})
                                        << QJsonObject{{u"type"_s, u"say"_s}, {u"text"_s, u"one\ntwo"_s}};
        QTest::newRow("say action") << ClientFrame(Say{u"waves"_s, true})
                                    << QJsonObject{{u"type"_s, u"say"_s}, {u"text"_s, u"waves"_s}, {u"action"_s, true}};
        QTest::newRow("whisper") << ClientFrame(Whisper{u"bob"_s, u"hi"_s})
                                 << QJsonObject{{u"type"_s, u"whisper"_s}, {u"to"_s, u"bob"_s}, {u"text"_s, u"hi"_s}};
        QTest::newRow("nick") << ClientFrame(Nick{u"alicia"_s})
                              << QJsonObject{{u"type"_s, u"nick"_s}, {u"nick"_s, u"alicia"_s}};
        QTest::newRow("who") << ClientFrame(Who{}) << QJsonObject{{u"type"_s, u"who"_s}};
        QTest::newRow("ping number") << ClientFrame(Ping{7}) << QJsonObject{{u"type"_s, u"ping"_s}, {u"id"_s, 7}};
        QTest::newRow("ping without id") << ClientFrame(Ping{}) << QJsonObject{{u"type"_s, u"ping"_s}};
        QTest::newRow("bye") << ClientFrame(Bye{u"lunch"_s})
                             << QJsonObject{{u"type"_s, u"bye"_s}, {u"reason"_s, u"lunch"_s}};
        QTest::newRow("bye without reason") << ClientFrame(Bye{}) << QJsonObject{{u"type"_s, u"bye"_s}};
        // Rooms (ROOMS.md): a room with a since is an object, without one a name.
        QTest::newRow("hello rooms")
            << ClientFrame(Hello{u"민수"_s, {}, {}, {RoomRequest{u"#dev"_s}, RoomRequest{u"#수학-2반"_s, 12}}})
            << QJsonObject{
                   {u"type"_s, u"hello"_s},
                   {u"nick"_s, u"민수"_s},
                   {u"rooms"_s, QJsonArray{u"#dev"_s, QJsonObject{{u"room"_s, u"#수학-2반"_s}, {u"since"_s, 12}}}}};
        QTest::newRow("say with a cid") << ClientFrame(Say{u"hi"_s, false, {}, u"k7-2"_s})
                                        << QJsonObject{
                                               {u"type"_s, u"say"_s}, {u"text"_s, u"hi"_s}, {u"cid"_s, u"k7-2"_s}};
        QTest::newRow("say in a room") << ClientFrame(Say{u"hi"_s, false, u"#dev"_s})
                                       << QJsonObject{
                                              {u"type"_s, u"say"_s}, {u"text"_s, u"hi"_s}, {u"room"_s, u"#dev"_s}};
        QTest::newRow("who in a room") << ClientFrame(Who{u"#dev"_s})
                                       << QJsonObject{{u"type"_s, u"who"_s}, {u"room"_s, u"#dev"_s}};
        QTest::newRow("join") << ClientFrame(Join{u"#dev"_s})
                              << QJsonObject{{u"type"_s, u"join"_s}, {u"room"_s, u"#dev"_s}};
        QTest::newRow("part") << ClientFrame(Part{u"#dev"_s, u"bye"_s})
                              << QJsonObject{{u"type"_s, u"part"_s}, {u"room"_s, u"#dev"_s}, {u"message"_s, u"bye"_s}};
        QTest::newRow("part without message")
            << ClientFrame(Part{u"#dev"_s}) << QJsonObject{{u"type"_s, u"part"_s}, {u"room"_s, u"#dev"_s}};
        QTest::newRow("topic") << ClientFrame(SetTopic{u"#dev"_s, u"release"_s})
                               << QJsonObject{
                                      {u"type"_s, u"topic"_s}, {u"room"_s, u"#dev"_s}, {u"topic"_s, u"release"_s}};
        QTest::newRow("rooms") << ClientFrame(ListRooms{}) << QJsonObject{{u"type"_s, u"rooms"_s}};
    }

    void encodeClientFrame()
    {
        QFETCH(ClientFrame, frame);
        QFETCH(QJsonObject, expected);

        const QByteArray bytes = FrameCodec::encode(frame);
        verifyOneLine(bytes);
        QCOMPARE(parse(bytes), expected);
        QCOMPARE(typeName(frame), expected.value(u"type"_s).toString());
    }

    void encodeServerFrame_data()
    {
        QTest::addColumn<ServerFrame>("frame");
        QTest::addColumn<QJsonObject>("expected");

        const ChatMessage message{1, u"alice"_s, u"안녕하세요"_s, kTime, false};
        const QJsonObject messageJson{{u"type"_s, u"message"_s},
                                      {u"id"_s, 1},
                                      {u"from"_s, u"alice"_s},
                                      {u"text"_s, u"안녕하세요"_s},
                                      {u"ts"_s, kWireTime}};

        QTest::newRow("welcome") << ServerFrame(
                                        Welcome{u"alice"_s, {u"alice"_s, u"bob"_s}, {message}, u"chat-server/1.0"_s, 1})
                                 << QJsonObject{{u"type"_s, u"welcome"_s},
                                                {u"nick"_s, u"alice"_s},
                                                {u"users"_s, QJsonArray{u"alice"_s, u"bob"_s}},
                                                {u"history"_s, QJsonArray{messageJson}},
                                                {u"server"_s, u"chat-server/1.0"_s},
                                                {u"protocol"_s, 1}};
        QTest::newRow("welcome truncated")
            << ServerFrame(Welcome{u"alice"_s, {u"alice"_s}, {message}, u"chat-server/1.0"_s, 1, true})
            << QJsonObject{{u"type"_s, u"welcome"_s},
                           {u"nick"_s, u"alice"_s},
                           {u"users"_s, QJsonArray{u"alice"_s}},
                           {u"history"_s, QJsonArray{messageJson}},
                           {u"server"_s, u"chat-server/1.0"_s},
                           {u"protocol"_s, 1},
                           {u"truncated"_s, true}};
        QTest::newRow("message") << ServerFrame(message) << messageJson;
        QJsonObject actionJson = messageJson;
        actionJson.insert(u"action"_s, true);
        QTest::newRow("message action") << ServerFrame(ChatMessage{1, u"alice"_s, u"안녕하세요"_s, kTime, true})
                                        << actionJson;
        QTest::newRow("whisper") << ServerFrame(WhisperMessage{u"alice"_s, u"bob"_s, u"psst"_s, kTime})
                                 << QJsonObject{{u"type"_s, u"whisper"_s},
                                                {u"from"_s, u"alice"_s},
                                                {u"to"_s, u"bob"_s},
                                                {u"text"_s, u"psst"_s},
                                                {u"ts"_s, kWireTime}};
        QTest::newRow("joined") << ServerFrame(Joined{u"carol"_s, kTime})
                                << QJsonObject{{u"type"_s, u"joined"_s}, {u"nick"_s, u"carol"_s}, {u"ts"_s, kWireTime}};
        // Rooms (ROOMS.md).
        QJsonObject roomMessageJson = messageJson;
        roomMessageJson.insert(u"room"_s, u"#dev"_s);
        const ChatMessage roomMessage{1, u"alice"_s, u"안녕하세요"_s, kTime, false, u"#dev"_s};
        QTest::newRow("message in a room") << ServerFrame(roomMessage) << roomMessageJson;
        QTest::newRow("joined a room") << ServerFrame(Joined{u"carol"_s, kTime, u"#dev"_s})
                                       << QJsonObject{{u"type"_s, u"joined"_s},
                                                      {u"nick"_s, u"carol"_s},
                                                      {u"ts"_s, kWireTime},
                                                      {u"room"_s, u"#dev"_s}};
        QTest::newRow("left a room") << ServerFrame(
                                            Left{u"carol"_s, LeaveReason::Part, kTime, u"later"_s, {}, u"#dev"_s})
                                     << QJsonObject{{u"type"_s, u"left"_s},     {u"nick"_s, u"carol"_s},
                                                    {u"reason"_s, u"part"_s},   {u"ts"_s, kWireTime},
                                                    {u"message"_s, u"later"_s}, {u"room"_s, u"#dev"_s}};
        QTest::newRow("room") << ServerFrame(RoomState{u"#dev"_s, u"release"_s, {u"alice"_s}, {roomMessage}, true})
                              << QJsonObject{{u"type"_s, u"room"_s},
                                             {u"room"_s, u"#dev"_s},
                                             {u"topic"_s, u"release"_s},
                                             {u"users"_s, QJsonArray{u"alice"_s}},
                                             {u"history"_s, QJsonArray{roomMessageJson}},
                                             {u"truncated"_s, true}};
        QTest::newRow("topic") << ServerFrame(TopicChanged{u"#dev"_s, u"release"_s, u"bob"_s, kTime})
                               << QJsonObject{{u"type"_s, u"topic"_s},
                                              {u"room"_s, u"#dev"_s},
                                              {u"topic"_s, u"release"_s},
                                              {u"by"_s, u"bob"_s},
                                              {u"ts"_s, kWireTime}};
        QTest::newRow("rooms")
            << ServerFrame(RoomList{{RoomInfo{u"#dev"_s, 2, u"release"_s}, RoomInfo{u"#lobby"_s, 5, {}}}})
            << QJsonObject{{u"type"_s, u"rooms"_s},
                           {u"rooms"_s,
                            QJsonArray{QJsonObject{{u"room"_s, u"#dev"_s}, {u"users"_s, 2}, {u"topic"_s, u"release"_s}},
                                       QJsonObject{{u"room"_s, u"#lobby"_s}, {u"users"_s, 5}, {u"topic"_s, u""_s}}}}};
        QTest::newRow("users of a room") << ServerFrame(Users{{u"alice"_s}, {}, u"#dev"_s})
                                         << QJsonObject{{u"type"_s, u"users"_s},
                                                        {u"users"_s, QJsonArray{u"alice"_s}},
                                                        {u"room"_s, u"#dev"_s}};

        const std::array reasons{
            std::pair{LeaveReason::Quit, u"quit"_s},       std::pair{LeaveReason::Disconnected, u"disconnected"_s},
            std::pair{LeaveReason::Timeout, u"timeout"_s}, std::pair{LeaveReason::SlowConsumer, u"slow-consumer"_s},
            std::pair{LeaveReason::Flood, u"flood"_s},     std::pair{LeaveReason::Shutdown, u"shutdown"_s}};
        for (const auto &[reason, name] : reasons) {
            QTest::addRow("left %s", qPrintable(name))
                << ServerFrame(Left{u"carol"_s, reason, kTime, {}})
                << QJsonObject{
                       {u"type"_s, u"left"_s}, {u"nick"_s, u"carol"_s}, {u"reason"_s, name}, {u"ts"_s, kWireTime}};
        }
        QTest::newRow("renamed") << ServerFrame(Renamed{u"alice"_s, u"Alice"_s, kTime})
                                 << QJsonObject{{u"type"_s, u"renamed"_s},
                                                {u"from"_s, u"alice"_s},
                                                {u"to"_s, u"Alice"_s},
                                                {u"ts"_s, kWireTime}};
        QTest::newRow("users") << ServerFrame(Users{{u"alice"_s, u"민수"_s}})
                               << QJsonObject{{u"type"_s, u"users"_s}, {u"users"_s, QJsonArray{u"alice"_s, u"민수"_s}}};
        QTest::newRow("pong") << ServerFrame(Pong{u"abc"_s})
                              << QJsonObject{{u"type"_s, u"pong"_s}, {u"id"_s, u"abc"_s}};
        QTest::newRow("pong without id") << ServerFrame(Pong{}) << QJsonObject{{u"type"_s, u"pong"_s}};
        QTest::newRow("error") << ServerFrame(Error{ErrorCode::NoSuchUser, u"no user named carol"_s, u"whisper"_s})
                               << QJsonObject{{u"type"_s, u"error"_s},
                                              {u"code"_s, u"no-such-user"_s},
                                              {u"message"_s, u"no user named carol"_s},
                                              {u"ref"_s, u"whisper"_s}};
        QTest::newRow("error without ref")
            << ServerFrame(Error{ErrorCode::ServerFull, u"full"_s, {}})
            << QJsonObject{{u"type"_s, u"error"_s}, {u"code"_s, u"server-full"_s}, {u"message"_s, u"full"_s}};
        QTest::newRow("bye") << ServerFrame(ServerBye{u"shutdown"_s})
                             << QJsonObject{{u"type"_s, u"bye"_s}, {u"reason"_s, u"shutdown"_s}};
    }

    void encodeServerFrame()
    {
        QFETCH(ServerFrame, frame);
        QFETCH(QJsonObject, expected);

        const QByteArray bytes = FrameCodec::encode(frame);
        verifyOneLine(bytes);
        QCOMPARE(parse(bytes), expected);
        QCOMPARE(typeName(frame), expected.value(u"type"_s).toString());
    }

    void errorCodeNames_data()
    {
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("name");
        QTest::newRow("not-registered") << ErrorCode::NotRegistered << u"not-registered"_s;
        QTest::newRow("already-registered") << ErrorCode::AlreadyRegistered << u"already-registered"_s;
        QTest::newRow("nick-invalid") << ErrorCode::NickInvalid << u"nick-invalid"_s;
        QTest::newRow("nick-taken") << ErrorCode::NickTaken << u"nick-taken"_s;
        QTest::newRow("bad-frame") << ErrorCode::BadFrame << u"bad-frame"_s;
        QTest::newRow("unknown-type") << ErrorCode::UnknownType << u"unknown-type"_s;
        QTest::newRow("text-invalid") << ErrorCode::TextInvalid << u"text-invalid"_s;
        QTest::newRow("no-such-user") << ErrorCode::NoSuchUser << u"no-such-user"_s;
        QTest::newRow("rate-limited") << ErrorCode::RateLimited << u"rate-limited"_s;
        QTest::newRow("frame-too-large") << ErrorCode::FrameTooLarge << u"frame-too-large"_s;
        QTest::newRow("server-full") << ErrorCode::ServerFull << u"server-full"_s;
        QTest::newRow("store-failed") << ErrorCode::StoreFailed << u"store-failed"_s;
        QTest::newRow("cluster-unavailable") << ErrorCode::ClusterUnavailable << u"cluster-unavailable"_s;
        QTest::newRow("server-busy") << ErrorCode::ServerBusy << u"server-busy"_s;
        // Rooms (ROOMS.md, "New error codes").
        QTest::newRow("room-invalid") << ErrorCode::RoomInvalid << u"room-invalid"_s;
        QTest::newRow("not-in-room") << ErrorCode::NotInRoom << u"not-in-room"_s;
        QTest::newRow("cannot-part") << ErrorCode::CannotPart << u"cannot-part"_s;
        QTest::newRow("too-many-rooms") << ErrorCode::TooManyRooms << u"too-many-rooms"_s;
        QTest::newRow("topic-invalid") << ErrorCode::TopicInvalid << u"topic-invalid"_s;
    }

    void errorCodeNames()
    {
        QFETCH(ErrorCode, code);
        QFETCH(QString, name);
        QCOMPARE(errorCodeName(code), name);
        QCOMPARE(errorCodeFromName(name), std::optional<ErrorCode>(code));
    }

    // What one side encodes, the other decodes to the same frame.
    void clientRoundTrip_data() { encodeClientFrame_data(); }

    void clientRoundTrip()
    {
        QFETCH(ClientFrame, frame);
        const QByteArray bytes = FrameCodec::encode(frame);
        const auto decoded = FrameCodec::decodeClientFrame(withoutLf(bytes));
        QVERIFY(std::holds_alternative<ClientFrame>(decoded));
        QCOMPARE(FrameCodec::encode(std::get<ClientFrame>(decoded)), bytes);
    }

    void serverRoundTrip_data() { encodeServerFrame_data(); }

    void serverRoundTrip()
    {
        QFETCH(ServerFrame, frame);
        const QByteArray bytes = FrameCodec::encode(frame);
        const auto decoded = FrameCodec::decodeServerFrame(withoutLf(bytes));
        QVERIFY(std::holds_alternative<ServerFrame>(decoded));
        QCOMPARE(FrameCodec::encode(std::get<ServerFrame>(decoded)), bytes);
    }

    void decodeClientFrame_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<ClientFrame>("expected");

        QTest::newRow("hello") << R"({"type":"hello","nick":"alice","client":"bot/2"})"_ba
                               << ClientFrame(Hello{u"alice"_s, u"bot/2"_s, {}});
        QTest::newRow("hello since") << R"({"type":"hello","nick":"alice","since":7})"_ba
                                     << ClientFrame(Hello{u"alice"_s, {}, 7});
        QTest::newRow("hello since null")
            << R"({"type":"hello","nick":"alice","since":null})"_ba << ClientFrame(Hello{u"alice"_s, {}, {}});
        QTest::newRow("unknown fields ignored")
            << R"({"type":"say","text":"hi","color":"red","n":[1,2]})"_ba << ClientFrame(Say{u"hi"_s, false});
        QTest::newRow("field order free")
            << R"({"text":"hi","action":true,"type":"say"})"_ba << ClientFrame(Say{u"hi"_s, true});
        QTest::newRow("action false") << R"({"type":"say","text":"hi","action":false})"_ba
                                      << ClientFrame(Say{u"hi"_s, false});
        QTest::newRow("escaped newline") << R"({"type":"say","text":"a\nb"})"_ba << ClientFrame(Say{u"a\nb"_s, false});
        QTest::newRow("escaped unicode") << R"({"type":"say","text":"\uc548\ub155"})"_ba
                                         << ClientFrame(Say{u"안녕"_s, false});
        QTest::newRow("raw UTF-8") << u"{\"type\":\"whisper\",\"to\":\"민수\",\"text\":\"😀\"}"_s.toUtf8()
                                   << ClientFrame(Whisper{u"민수"_s, u"😀"_s});
        QTest::newRow("spaces around") << R"(  { "type" : "who" }  )"_ba << ClientFrame(Who{});
        QTest::newRow("bye without reason") << R"({"type":"bye"})"_ba << ClientFrame(Bye{});
        QTest::newRow("hello rooms, names and objects")
            << R"({"type":"hello","nick":"a","rooms":["#x",{"room":"#y","since":3},{"room":"#z"}]})"_ba
            << ClientFrame(
                   Hello{u"a"_s, {}, {}, {RoomRequest{u"#x"_s}, RoomRequest{u"#y"_s, 3}, RoomRequest{u"#z"_s}}});
    }

    void decodeClientFrame()
    {
        QFETCH(QByteArray, line);
        QFETCH(ClientFrame, expected);
        const auto decoded = FrameCodec::decodeClientFrame(line);
        if (const auto *error = std::get_if<FrameCodec::DecodeError>(&decoded))
            QFAIL(qPrintable(error->message));
        QCOMPARE(FrameCodec::encode(std::get<ClientFrame>(decoded)), FrameCodec::encode(expected));
    }

    // PROTOCOL.md: `pong` copies the ping's `id`, whatever JSON value it is.
    void pingIdOfAnyType_data()
    {
        QTest::addColumn<QByteArray>("idJson");
        QTest::newRow("integer") << "42"_ba;
        QTest::newRow("negative") << "-7"_ba;
        QTest::newRow("fraction") << "1.5"_ba;
        QTest::newRow("string") << R"("abc")"_ba;
        QTest::newRow("empty string") << R"("")"_ba;
        QTest::newRow("null") << "null"_ba;
        QTest::newRow("true") << "true"_ba;
        QTest::newRow("false") << "false"_ba;
        QTest::newRow("array") << R"([1,"two",null])"_ba;
        QTest::newRow("object") << R"({"seq":3,"at":"now"})"_ba;
    }

    void pingIdOfAnyType()
    {
        QFETCH(QByteArray, idJson);
        const QByteArray line = "{\"type\":\"ping\",\"id\":"_ba + idJson + '}';
        const QJsonValue id = parse(line).value(u"id"_s);

        const auto decoded = FrameCodec::decodeClientFrame(line);
        QVERIFY(std::holds_alternative<ClientFrame>(decoded));
        const auto *ping = std::get_if<Ping>(&std::get<ClientFrame>(decoded));
        QVERIFY(ping);
        QCOMPARE(ping->id, id);

        const QJsonObject pong = parse(FrameCodec::encode(ServerFrame(Pong{ping->id})));
        QCOMPARE(pong.value(u"type"_s).toString(), u"pong"_s);
        QVERIFY(pong.contains(u"id"_s));
        QCOMPARE(pong.value(u"id"_s), id);
    }

    void pingWithoutIdGetsPongWithoutId()
    {
        const auto decoded = FrameCodec::decodeClientFrame(R"({"type":"ping"})"_ba);
        QVERIFY(std::holds_alternative<ClientFrame>(decoded));
        const auto &ping = std::get<Ping>(std::get<ClientFrame>(decoded));
        QVERIFY(!parse(FrameCodec::encode(ServerFrame(Pong{ping.id}))).contains(u"id"_s));
    }

    void badFrame_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("ref");

        const auto bad = ErrorCode::BadFrame;
        QTest::newRow("not JSON") << "hello there"_ba << bad << QString();
        QTest::newRow("hello rooms not an array")
            << R"({"type":"hello","nick":"a","rooms":"#x"})"_ba << bad << u"hello"_s;
        QTest::newRow("hello rooms with a number")
            << R"({"type":"hello","nick":"a","rooms":[7]})"_ba << bad << u"hello"_s;
        QTest::newRow("hello rooms, object without room")
            << R"({"type":"hello","nick":"a","rooms":[{"since":1}]})"_ba << bad << u"hello"_s;
        QTest::newRow("hello rooms, negative since")
            << R"({"type":"hello","nick":"a","rooms":[{"room":"#x","since":-1}]})"_ba << bad << u"hello"_s;
        QTest::newRow("join without room") << R"({"type":"join"})"_ba << bad << u"join"_s;
        QTest::newRow("say cid not a string") << R"({"type":"say","text":"hi","cid":7})"_ba << bad << u"say"_s;
        QTest::newRow("topic without topic") << R"({"type":"topic","room":"#x"})"_ba << bad << u"topic"_s;
        QTest::newRow("truncated JSON") << R"({"type":"say","text":"hi")"_ba << bad << QString();
        QTest::newRow("trailing garbage") << R"({"type":"who"} x)"_ba << bad << QString();
        QTest::newRow("two objects") << R"({"type":"who"}{"type":"who"})"_ba << bad << QString();
        QTest::newRow("array") << R"([{"type":"who"}])"_ba << bad << QString();
        QTest::newRow("string") << R"("who")"_ba << bad << QString();
        QTest::newRow("number") << "42"_ba << bad << QString();
        QTest::newRow("missing type") << R"({"nick":"alice"})"_ba << bad << QString();
        QTest::newRow("type is a number") << R"({"type":5})"_ba << bad << QString();
        QTest::newRow("type is null") << R"({"type":null})"_ba << bad << QString();
        QTest::newRow("type is an object") << R"({"type":{"name":"say"}})"_ba << bad << QString();
        QTest::newRow("hello without nick") << R"({"type":"hello"})"_ba << bad << u"hello"_s;
        QTest::newRow("hello nick number") << R"({"type":"hello","nick":5})"_ba << bad << u"hello"_s;
        QTest::newRow("hello client number") << R"({"type":"hello","nick":"a","client":1})"_ba << bad << u"hello"_s;
        QTest::newRow("hello since negative") << R"({"type":"hello","nick":"a","since":-1})"_ba << bad << u"hello"_s;
        QTest::newRow("hello since fraction") << R"({"type":"hello","nick":"a","since":2.5})"_ba << bad << u"hello"_s;
        QTest::newRow("hello since string") << R"({"type":"hello","nick":"a","since":"2"})"_ba << bad << u"hello"_s;
        QTest::newRow("hello since huge") << R"({"type":"hello","nick":"a","since":1e300})"_ba << bad << u"hello"_s;
        QTest::newRow("say without text") << R"({"type":"say"})"_ba << bad << u"say"_s;
        QTest::newRow("say text array") << R"({"type":"say","text":["hi"]})"_ba << bad << u"say"_s;
        QTest::newRow("say text null") << R"({"type":"say","text":null})"_ba << bad << u"say"_s;
        QTest::newRow("say action string") << R"({"type":"say","text":"hi","action":"yes"})"_ba << bad << u"say"_s;
        QTest::newRow("say action number") << R"({"type":"say","text":"hi","action":1})"_ba << bad << u"say"_s;
        QTest::newRow("whisper without to") << R"({"type":"whisper","text":"hi"})"_ba << bad << u"whisper"_s;
        QTest::newRow("whisper text number") << R"({"type":"whisper","to":"bob","text":1})"_ba << bad << u"whisper"_s;
        QTest::newRow("nick without nick") << R"({"type":"nick"})"_ba << bad << u"nick"_s;
        QTest::newRow("nick is bool") << R"({"type":"nick","nick":true})"_ba << bad << u"nick"_s;
        QTest::newRow("bye reason number") << R"({"type":"bye","reason":3})"_ba << bad << u"bye"_s;
        QTest::newRow("invalid UTF-8 byte") << "{\"type\":\"say\",\"text\":\"\xff\"}"_ba << bad << QString();
        QTest::newRow("truncated UTF-8") << "{\"type\":\"say\",\"text\":\"\xec\x95\"}"_ba << bad << QString();
        QTest::newRow("overlong UTF-8") << "{\"type\":\"say\",\"text\":\"\xc0\xaf\"}"_ba << bad << QString();
        QTest::newRow("UTF-8 surrogate") << "{\"type\":\"say\",\"text\":\"\xed\xa0\x80\"}"_ba << bad << QString();
        QTest::newRow("beyond U+10FFFF") << "{\"type\":\"say\",\"text\":\"\xf4\x90\x80\x80\"}"_ba << bad << QString();
        QTest::newRow("unknown type") << R"({"type":"dance"})"_ba << ErrorCode::UnknownType << u"dance"_s;
        QTest::newRow("unknown type, other fields")
            << R"({"type":"dance","room":"x"})"_ba << ErrorCode::UnknownType << u"dance"_s;
        QTest::newRow("type is case-sensitive")
            << R"({"type":"SAY","text":"hi"})"_ba << ErrorCode::UnknownType << u"SAY"_s;
    }

    void badFrame()
    {
        QFETCH(QByteArray, line);
        QFETCH(ErrorCode, code);
        QFETCH(QString, ref);

        const auto decoded = FrameCodec::decodeClientFrame(line);
        const auto *error = std::get_if<FrameCodec::DecodeError>(&decoded);
        QVERIFY2(error, "the line decoded as a frame");
        QCOMPARE(errorCodeName(error->code), errorCodeName(code));
        QCOMPARE(error->ref, ref);
        QVERIFY(!error->message.isEmpty());
    }

    void decodeServerFrame_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("type");
        QTest::newRow("message, unknown field")
            << "{\"type\":\"message\",\"id\":3,\"from\":\"a\",\"text\":\"t\",\"ts\":\""_ba + kWireTime.toUtf8() +
                   "\",\"color\":\"red\"}"_ba
            << u"message"_s;
        QTest::newRow("left, unknown reason")
            << R"({"type":"left","nick":"a","reason":"abducted","ts":"x"})"_ba << u"left"_s;
        QTest::newRow("bye") << R"({"type":"bye","reason":"shutdown"})"_ba << u"bye"_s;
    }

    // Clients are lenient with what the server adds, so newer servers work with older clients.
    void decodeServerFrame()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, type);
        const auto decoded = FrameCodec::decodeServerFrame(line);
        QVERIFY(std::holds_alternative<ServerFrame>(decoded));
        QCOMPARE(typeName(std::get<ServerFrame>(decoded)), type);
    }

    void badServerFrame_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<ErrorCode>("code");
        QTest::newRow("not JSON") << "* Welcome to qtchat!"_ba << ErrorCode::BadFrame;
        QTest::newRow("message without id") << R"({"type":"message","from":"a","text":"t"})"_ba << ErrorCode::BadFrame;
        QTest::newRow("joined without nick") << R"({"type":"joined"})"_ba << ErrorCode::BadFrame;
        QTest::newRow("unknown type") << R"({"type":"typing","nick":"a"})"_ba << ErrorCode::UnknownType;
    }

    void badServerFrame()
    {
        QFETCH(QByteArray, line);
        QFETCH(ErrorCode, code);
        const auto decoded = FrameCodec::decodeServerFrame(line);
        const auto *error = std::get_if<FrameCodec::DecodeError>(&decoded);
        QVERIFY(error);
        QCOMPARE(errorCodeName(error->code), errorCodeName(code));
    }

    // JSON clients skip lines before `welcome` that are not JSON objects (the greeting).
    void looksLikeJsonObject_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("expected");
        QTest::newRow("greeting") << "* Welcome to qtchat! Type a message"_ba << false;
        QTest::newRow("object") << R"({"type":"welcome"})"_ba << true;
        QTest::newRow("object with spaces") << "  {}  "_ba << true;
        QTest::newRow("array") << "[1]"_ba << false;
        QTest::newRow("empty") << ""_ba << false;
        QTest::newRow("half object") << "{"_ba << false;
    }

    void looksLikeJsonObject()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, expected);
        QCOMPARE(FrameCodec::looksLikeJsonObject(line), expected);
    }
};

QTCHAT_TEST_APPLESS_MAIN(TestFrameCodec)
#include "tst_framecodec.moc"
