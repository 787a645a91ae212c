// SPDX-License-Identifier: MIT
// The text lines of rooms (ROOMS.md, "Text mode"), shared by the server's
// text mode and chat-console: lines about #lobby read exactly as in version
// 1; lines about another room name it, messages right after the time and
// notices at their end.
#include "eventtext.h"
#include "testharness.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace {
const QDateTime kTime = QDateTime(QDate(2026, 12, 4), QTime(10, 0), Qt::UTC);
} // namespace

class TestRoomText final : public QObject
{
    Q_OBJECT

private slots:
    void renderedLines_data()
    {
        QTest::addColumn<ServerFrame>("frame");
        QTest::addColumn<QString>("line");
        QTest::newRow("lobby message, as in version 1")
            << ServerFrame(ChatMessage{1, u"alice"_s, u"hi"_s, kTime, false, u"#lobby"_s}) << u"[10:00] <alice> hi"_s;
        QTest::newRow("room message") << ServerFrame(
                                             ChatMessage{7, u"alice"_s, u"빌드 통과했어요"_s, kTime, false, u"#dev"_s})
                                      << u"[10:00] #dev <alice> 빌드 통과했어요"_s;
        QTest::newRow("room action") << ServerFrame(ChatMessage{7, u"alice"_s, u"waves"_s, kTime, true, u"#dev"_s})
                                     << u"[10:00] #dev * alice waves"_s;
        QTest::newRow("joined the server") << ServerFrame(Joined{u"bob"_s, kTime}) << u"[10:00] * bob joined"_s;
        QTest::newRow("joined a room") << ServerFrame(Joined{u"bob"_s, kTime, u"#dev"_s})
                                       << u"[10:00] * bob joined #dev"_s;
        QTest::newRow("parted") << ServerFrame(Left{u"bob"_s, LeaveReason::Part, kTime, {}, {}, u"#dev"_s})
                                << u"[10:00] * bob left #dev"_s;
        QTest::newRow("parted with a message")
            << ServerFrame(Left{u"bob"_s, LeaveReason::Part, kTime, u"lunch"_s, {}, u"#dev"_s})
            << u"[10:00] * bob left #dev (lunch)"_s;
        QTest::newRow("room topic") << ServerFrame(TopicChanged{u"#dev"_s, u"release on Friday"_s, u"alice"_s, kTime})
                                    << u"[10:00] * alice set the topic to \u201crelease on Friday\u201d in #dev"_s;
        QTest::newRow("room topic cleared") << ServerFrame(TopicChanged{u"#dev"_s, {}, u"alice"_s, kTime})
                                            << u"[10:00] * alice cleared the topic of #dev"_s;
        QTest::newRow("lobby topic") << ServerFrame(TopicChanged{u"#lobby"_s, u"welcome"_s, u"alice"_s, kTime})
                                     << u"[10:00] * alice set the topic: welcome"_s;
        QTest::newRow("lobby users, as in version 1")
            << ServerFrame(Users{{u"alice"_s, u"bob"_s}, {}, u"#lobby"_s}) << u"* 2 users online: alice, bob"_s;
        QTest::newRow("room users") << ServerFrame(Users{{u"alice"_s}, {}, u"#dev"_s}) << u"* 1 user in #dev: alice"_s;
        QTest::newRow("room") << ServerFrame(RoomState{u"#dev"_s,
                                                       u"release"_s,
                                                       {u"alice"_s, u"bob"_s},
                                                       {ChatMessage{3, u"alice"_s, u"hi"_s, kTime, false, u"#dev"_s}},
                                                       false})
                              << u"* You are in #dev. Topic: release\n"
                                 u"* 2 users in #dev: alice, bob\n"
                                 u"[10:00] #dev <alice> hi"_s;
        QTest::newRow("rooms") << ServerFrame(
                                      RoomList{{RoomInfo{u"#dev"_s, 2, u"release"_s}, RoomInfo{u"#lobby"_s, 5, {}}}})
                               << u"* 2 rooms:\n*   #dev (2): release\n*   #lobby (5)"_s;
    }

    void renderedLines()
    {
        QFETCH(ServerFrame, frame);
        QFETCH(QString, line);
        QCOMPARE(EventText::render(frame), line);
    }
};

QTCHAT_TEST_APPLESS_MAIN(TestRoomText)
#include "tst_roomtext.moc"
