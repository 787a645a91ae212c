// SPDX-License-Identifier: MIT
// The moderation extension of the protocol in qtchat::common: the frames'
// JSON (docs/protocol.md, "Moderation"), round trips, backward
// compatibility with frames that lack the new fields, refused values, and
// the lines EventText renders for them (text mode and chat-console).
#include "eventtext.h"
#include "framecodec.h"
#include "testharness.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_DECLARE_METATYPE(Protocol::ClientFrame)
Q_DECLARE_METATYPE(Protocol::ServerFrame)

namespace {

const QDateTime kTime(QDate(2026, 11, 24), QTime(22, 0, 0, 123), Qt::UTC);
const QDateTime kLater(QDate(2026, 11, 24), QTime(22, 10, 0, 123), Qt::UTC);
const QString kWireTime = u"2026-11-24T22:00:00.123Z"_s;
const QString kWireLater = u"2026-11-24T22:10:00.123Z"_s;

QJsonObject parse(const QByteArray &line)
{
    return QJsonDocument::fromJson(line).object();
}

QByteArray withoutLf(QByteArray bytes)
{
    bytes.chop(1);
    return bytes;
}

} // namespace

class TestModerationFrames final : public QObject
{
    Q_OBJECT

private slots:
    void clientFrames_data()
    {
        QTest::addColumn<ClientFrame>("frame");
        QTest::addColumn<QJsonObject>("expected");

        QTest::newRow("op") << ClientFrame(Op{u"pa ss"_s})
                            << QJsonObject{{u"type"_s, u"op"_s}, {u"password"_s, u"pa ss"_s}};
        QTest::newRow("kick") << ClientFrame(Kick{u"bob"_s, u"spam"_s})
                              << QJsonObject{{u"type"_s, u"kick"_s}, {u"nick"_s, u"bob"_s}, {u"reason"_s, u"spam"_s}};
        QTest::newRow("kick without reason")
            << ClientFrame(Kick{u"bob"_s, {}}) << QJsonObject{{u"type"_s, u"kick"_s}, {u"nick"_s, u"bob"_s}};
        QTest::newRow("mute") << ClientFrame(Mute{u"bob"_s, 5})
                              << QJsonObject{{u"type"_s, u"mute"_s}, {u"nick"_s, u"bob"_s}, {u"minutes"_s, 5}};
        QTest::newRow("mute default") << ClientFrame(Mute{u"bob"_s, std::nullopt})
                                      << QJsonObject{{u"type"_s, u"mute"_s}, {u"nick"_s, u"bob"_s}};
        QTest::newRow("mute 0") << ClientFrame(Mute{u"bob"_s, 0})
                                << QJsonObject{{u"type"_s, u"mute"_s}, {u"nick"_s, u"bob"_s}, {u"minutes"_s, 0}};
        QTest::newRow("unmute") << ClientFrame(Unmute{u"민수"_s})
                                << QJsonObject{{u"type"_s, u"unmute"_s}, {u"nick"_s, u"민수"_s}};
        QTest::newRow("slow") << ClientFrame(Slow{30}) << QJsonObject{{u"type"_s, u"slow"_s}, {u"seconds"_s, 30}};
        QTest::newRow("slow off") << ClientFrame(Slow{0}) << QJsonObject{{u"type"_s, u"slow"_s}, {u"seconds"_s, 0}};
    }

    void clientFrames()
    {
        QFETCH(ClientFrame, frame);
        QFETCH(QJsonObject, expected);
        const QByteArray bytes = FrameCodec::encode(frame);
        QCOMPARE(parse(bytes), expected);
        QCOMPARE(typeName(frame), expected.value(u"type"_s).toString());
        const auto decoded = FrameCodec::decodeClientFrame(withoutLf(bytes));
        QVERIFY(std::holds_alternative<ClientFrame>(decoded));
        QVERIFY(std::get<ClientFrame>(decoded) == frame);
    }

    void serverFrames_data()
    {
        QTest::addColumn<ServerFrame>("frame");
        QTest::addColumn<QJsonObject>("expected");

        QTest::newRow("opped") << ServerFrame(Opped{u"alice"_s, kTime})
                               << QJsonObject{{u"type"_s, u"opped"_s}, {u"nick"_s, u"alice"_s}, {u"ts"_s, kWireTime}};
        QTest::newRow("muted") << ServerFrame(Muted{u"bob"_s, u"alice"_s, 10, kLater, kTime})
                               << QJsonObject{{u"type"_s, u"muted"_s}, {u"nick"_s, u"bob"_s},    {u"by"_s, u"alice"_s},
                                              {u"minutes"_s, 10},      {u"until"_s, kWireLater}, {u"ts"_s, kWireTime}};
        QTest::newRow("unmuted") << ServerFrame(Unmuted{u"bob"_s, u"alice"_s, kTime})
                                 << QJsonObject{{u"type"_s, u"unmuted"_s},
                                                {u"nick"_s, u"bob"_s},
                                                {u"by"_s, u"alice"_s},
                                                {u"ts"_s, kWireTime}};
        QTest::newRow("slow") << ServerFrame(SlowMode{15, u"alice"_s, kTime})
                              << QJsonObject{{u"type"_s, u"slow"_s},
                                             {u"seconds"_s, 15},
                                             {u"by"_s, u"alice"_s},
                                             {u"ts"_s, kWireTime}};
        QTest::newRow("left kicked") << ServerFrame(Left{u"bob"_s, LeaveReason::Kicked, kTime, u"spam"_s, u"alice"_s})
                                     << QJsonObject{{u"type"_s, u"left"_s},     {u"nick"_s, u"bob"_s},
                                                    {u"reason"_s, u"kicked"_s}, {u"ts"_s, kWireTime},
                                                    {u"message"_s, u"spam"_s},  {u"by"_s, u"alice"_s}};
        QTest::newRow("bye kicked") << ServerFrame(ServerBye{u"kicked"_s, u"alice"_s, u"spam"_s})
                                    << QJsonObject{{u"type"_s, u"bye"_s},
                                                   {u"reason"_s, u"kicked"_s},
                                                   {u"by"_s, u"alice"_s},
                                                   {u"message"_s, u"spam"_s}};
        QTest::newRow("users with ops") << ServerFrame(Users{{u"alice"_s, u"bob"_s}, {u"alice"_s}})
                                        << QJsonObject{{u"type"_s, u"users"_s},
                                                       {u"users"_s, QJsonArray{u"alice"_s, u"bob"_s}},
                                                       {u"ops"_s, QJsonArray{u"alice"_s}}};
        QTest::newRow("welcome with ops and slow")
            << ServerFrame(
                   Welcome{u"bob"_s, {u"alice"_s, u"bob"_s}, {}, u"chat-server/1.0"_s, 1, false, {u"alice"_s}, 30})
            << QJsonObject{{u"type"_s, u"welcome"_s},
                           {u"nick"_s, u"bob"_s},
                           {u"users"_s, QJsonArray{u"alice"_s, u"bob"_s}},
                           {u"history"_s, QJsonArray{}},
                           {u"server"_s, u"chat-server/1.0"_s},
                           {u"protocol"_s, 1},
                           {u"ops"_s, QJsonArray{u"alice"_s}},
                           {u"slow"_s, 30}};
        QTest::newRow("error muted") << ServerFrame(Error{ErrorCode::Muted, u"you are muted"_s, u"say"_s, 42})
                                     << QJsonObject{{u"type"_s, u"error"_s},
                                                    {u"code"_s, u"muted"_s},
                                                    {u"message"_s, u"you are muted"_s},
                                                    {u"ref"_s, u"say"_s},
                                                    {u"wait"_s, 42}};
    }

    void serverFrames()
    {
        QFETCH(ServerFrame, frame);
        QFETCH(QJsonObject, expected);
        const QByteArray bytes = FrameCodec::encode(frame);
        QCOMPARE(parse(bytes), expected);
        QCOMPARE(typeName(frame), expected.value(u"type"_s).toString());
        const auto decoded = FrameCodec::decodeServerFrame(withoutLf(bytes));
        QVERIFY(std::holds_alternative<ServerFrame>(decoded));
        QVERIFY(std::get<ServerFrame>(decoded) == frame);
    }

    void errorCodeNames()
    {
        QCOMPARE(errorCodeName(ErrorCode::OpDisabled), u"op-disabled"_s);
        QCOMPARE(errorCodeName(ErrorCode::WrongPassword), u"wrong-password"_s);
        QCOMPARE(errorCodeName(ErrorCode::NotOperator), u"not-operator"_s);
        QCOMPARE(errorCodeName(ErrorCode::Muted), u"muted"_s);
        QCOMPARE(errorCodeName(ErrorCode::SlowMode), u"slow-mode"_s);
        QCOMPARE(leaveReasonName(LeaveReason::Kicked), u"kicked"_s);
        QCOMPARE(leaveReasonFromName(u"kicked"_s), LeaveReason::Kicked);
    }

    // Frames without the new fields (an older server) decode as before.
    void framesWithoutModerationFields()
    {
        const auto welcome = FrameCodec::decodeServerFrame(
            R"({"type":"welcome","nick":"a","users":["a"],"history":[],"server":"s","protocol":1})");
        QVERIFY(std::get<Welcome>(std::get<ServerFrame>(welcome)).ops.isEmpty());
        QCOMPARE(std::get<Welcome>(std::get<ServerFrame>(welcome)).slow, 0);
        const auto users = FrameCodec::decodeServerFrame(R"({"type":"users","users":["a","b"]})");
        QVERIFY(std::get<Users>(std::get<ServerFrame>(users)).ops.isEmpty());
        const auto bye = FrameCodec::decodeServerFrame(R"({"type":"bye","reason":"shutdown"})");
        QCOMPARE(std::get<ServerBye>(std::get<ServerFrame>(bye)), ServerBye{u"shutdown"_s});
    }

    void refusedValues_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("op without password") << R"({"type":"op"})"_ba;
        QTest::newRow("op password number") << R"({"type":"op","password":1234})"_ba;
        QTest::newRow("kick without nick") << R"({"type":"kick","reason":"x"})"_ba;
        QTest::newRow("mute negative") << R"({"type":"mute","nick":"bob","minutes":-1})"_ba;
        QTest::newRow("mute fraction") << R"({"type":"mute","nick":"bob","minutes":0.5})"_ba;
        QTest::newRow("mute string") << R"({"type":"mute","nick":"bob","minutes":"5"})"_ba;
        QTest::newRow("unmute without nick") << R"({"type":"unmute"})"_ba;
        QTest::newRow("slow without seconds") << R"({"type":"slow"})"_ba;
        QTest::newRow("slow huge") << R"({"type":"slow","seconds":1e300})"_ba;
    }

    void refusedValues()
    {
        QFETCH(QByteArray, line);
        const auto decoded = FrameCodec::decodeClientFrame(line);
        QVERIFY(std::holds_alternative<FrameCodec::DecodeError>(decoded));
        const auto &error = std::get<FrameCodec::DecodeError>(decoded);
        QCOMPARE(error.code, ErrorCode::BadFrame);
        QCOMPARE(error.ref, parse(line).value(u"type"_s).toString());
    }

    void nullMinutesIsTheDefault()
    {
        const auto decoded = FrameCodec::decodeClientFrame(R"({"type":"mute","nick":"bob","minutes":null})");
        QCOMPARE(std::get<Mute>(std::get<ClientFrame>(decoded)).minutes, std::nullopt);
    }

    void renderedLines_data()
    {
        QTest::addColumn<ServerFrame>("frame");
        QTest::addColumn<QString>("line");
        QTest::newRow("opped") << ServerFrame(Opped{u"alice"_s, kTime}) << u"[22:00] * alice is now an operator"_s;
        QTest::newRow("muted") << ServerFrame(Muted{u"bob"_s, u"alice"_s, 10, kLater, kTime})
                               << u"[22:00] * bob was muted by alice for 10 minutes"_s;
        QTest::newRow("unmuted") << ServerFrame(Unmuted{u"bob"_s, u"alice"_s, kTime})
                                 << u"[22:00] * bob was unmuted by alice"_s;
        QTest::newRow("slow on") << ServerFrame(SlowMode{15, u"alice"_s, kTime})
                                 << u"[22:00] * alice turned slow mode on: one message per 15 seconds"_s;
        // One minute and one second read as such, not "1 minutes": the server has no translator for plurals.
        QTest::newRow("muted a minute") << ServerFrame(Muted{u"bob"_s, u"alice"_s, 1, kLater, kTime})
                                        << u"[22:00] * bob was muted by alice for 1 minute"_s;
        QTest::newRow("slow one second") << ServerFrame(SlowMode{1, u"alice"_s, kTime})
                                         << u"[22:00] * alice turned slow mode on: one message per second"_s;
        QTest::newRow("slow off") << ServerFrame(SlowMode{0, u"alice"_s, kTime})
                                  << u"[22:00] * alice turned slow mode off"_s;
        QTest::newRow("kicked") << ServerFrame(Left{u"bob"_s, LeaveReason::Kicked, kTime, u"spam"_s, u"alice"_s})
                                << u"[22:00] * bob was kicked by alice (spam)"_s;
        QTest::newRow("kicked without reason")
            << ServerFrame(Left{u"bob"_s, LeaveReason::Kicked, kTime, {}, u"alice"_s})
            << u"[22:00] * bob was kicked by alice"_s;
        QTest::newRow("bye kicked") << ServerFrame(ServerBye{u"kicked"_s, u"alice"_s, u"spam"_s})
                                    << u"* You were kicked by alice: spam"_s;
        QTest::newRow("bye shutdown") << ServerFrame(ServerBye{u"shutdown"_s})
                                      << u"* The server is shutting down. Goodbye!"_s;
        // A known reason as people read it; one this build does not know, as sent.
        QTest::newRow("bye flood") << ServerFrame(ServerBye{u"flood"_s}) << u"* Goodbye (flooding)."_s;
        QTest::newRow("bye unknown") << ServerFrame(ServerBye{u"maintenance"_s}) << u"* Goodbye (maintenance)."_s;
        Welcome back;
        back.nick = u"bob"_s;
        back.users = {u"alice"_s, u"bob"_s};
        back.slow = 30;
        back.truncated = true;
        QTest::newRow("welcome, slow, history cut")
            << ServerFrame(back)
            << u"* Welcome, bob! 2 users online: alice, bob\n"
               u"* Slow mode is on: one message per 30 seconds.\n"
               u"* More messages arrived while you were away than the server sends again; "
               u"the oldest of them are not shown."_s;
        QTest::newRow("users with ops") << ServerFrame(Users{{u"alice"_s, u"bob"_s}, {u"alice"_s}})
                                        << u"* 2 users online: @alice, bob"_s;
    }

    void renderedLines()
    {
        QFETCH(ServerFrame, frame);
        QFETCH(QString, line);
        QCOMPARE(EventText::render(frame), line);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestModerationFrames)
#include "tst_moderationframes.moc"
