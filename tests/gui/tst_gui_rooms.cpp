// SPDX-License-Identifier: MIT
#include "appcontroller.h"
#include "chatclient.h"
#include "chatinput.h"
#include "chatserver.h"
#include "conversationlistmodel.h"
#include "findbar.h"
#include "guisession.h"
#include "logrows.h"
#include "mainwindow.h"
#include "messagelogmodel.h"
#include "messageview.h"
#include "participant.h"
#include "roomdelegate.h"
#include "roommemory.h"
#include "roomsidebar.h"
#include "testharness.h"
#include "testserver.h"
#include "topicbar.h"
#include "translations.h"
#include "userlistmodel.h"
#include "userlistpanel.h"

#include <QApplication>
#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using Kind = MessageLogModel::Kind;

namespace {

constexpr int kTimeoutMsecs = 8000;

bool hasText(const MessageLogModel *log, const QString &text)
{
    for (int row = 0; log && row < log->rowCount(); ++row) {
        if (log->entry(row).text == text)
            return true;
    }
    return false;
}

} // namespace

// Rooms and direct conversations in the chat window (issue #15): the
// sidebar, switching (scrollback, members, draft, find), unread counts and
// mentions, whispers as direct conversations, leaving, keyboard switching.
class TestGuiRooms final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        TestServer::quietLogs();
        QCOMPARE(Translations::install(qApp, u"en"_s), u"en_US"_s);
    }

    void init()
    {
        QVERIFY(m_session.start(TestServer::config()));
        m_window = m_session.window();
    }

    void cleanup()
    {
        m_window = nullptr;
        m_session.stop();
    }

    void switchingShowsThatRoomsMessagesOnly()
    {
        Participant bob(port(), u"bob"_s);
        Participant carol(port(), u"carol"_s);
        QVERIFY(bob.join(u"#dev"_s));
        ConversationListModel *rooms = m_session.controller()->conversations();

        // /join makes the room current once the server answers.
        send(u"/join #dev"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->currentName(), u"#dev"_s, kTimeoutMsecs);
        QCOMPARE(rooms->rowCount(), 2);
        QCOMPARE(rooms->name(0), u"#lobby"_s);
        QCOMPARE(m_window->messageView()->logModel(), rooms->log(1));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->userPanel()->listView()->model()->rowCount(), 2, kTimeoutMsecs);

        QVERIFY(bob.sayIn(u"#dev"_s, u"only in dev"_s));
        QVERIFY(carol.say(u"only in the lobby"_s));
        MessageLogModel *dev = rooms->log(1);
        QTRY_VERIFY_WITH_TIMEOUT(hasText(dev, u"only in dev"_s), kTimeoutMsecs);
        QTRY_VERIFY_WITH_TIMEOUT(hasText(rooms->log(0), u"only in the lobby"_s), kTimeoutMsecs);
        QVERIFY(!hasText(dev, u"only in the lobby"_s));
        QVERIFY(!hasText(rooms->log(0), u"only in dev"_s));

        // A line typed in #dev goes to #dev.
        // bob may still be reading carol's lobby line: wait for this one itself.
        QSignalSpy bobSees(bob.client(), &ChatClient::messageReceived);
        send(u"hello dev"_s);
        const auto helloDev = [&bobSees]() -> std::optional<Protocol::ChatMessage> {
            for (const QList<QVariant> &signal : bobSees) {
                const auto message = signal.first().value<Protocol::ChatMessage>();
                if (message.text == u"hello dev"_s)
                    return message;
            }
            return std::nullopt;
        };
        QTRY_VERIFY_WITH_TIMEOUT(helloDev().has_value(), kTimeoutMsecs);
        QCOMPARE(helloDev()->room, u"#dev"_s);

        // Clicking #lobby shows the lobby: its messages, its three users; the draft stays with #dev.
        QTest::keyClicks(m_window->input(), u"dev draft"_s);
        clickRow(0);
        QCOMPARE(rooms->currentName(), u"#lobby"_s);
        QCOMPARE(m_window->messageView()->logModel(), rooms->log(0));
        QCOMPARE(m_window->userPanel()->listView()->model()->rowCount(), 3);
        QCOMPARE(m_window->input()->text(), QString());
        QTest::keyClicks(m_window->input(), u"lobby draft"_s);
        clickRow(1);
        QCOMPARE(m_window->input()->text(), u"dev draft"_s);
        clickRow(0);
        QCOMPARE(m_window->input()->text(), u"lobby draft"_s);

        // Find searches the conversation shown.
        m_window->findBar()->activate();
        QTest::keyClicks(QApplication::focusWidget(), u"only in"_s);
        QCOMPARE(m_window->findBar()->matchCount(), 1);
        QCOMPARE(rooms->log(0)->entry(m_window->findBar()->currentRow()).text, u"only in the lobby"_s);
        clickRow(1);
        QCOMPARE(m_window->findBar()->matchCount(), 1);
        QCOMPARE(dev->entry(m_window->findBar()->currentRow()).text, u"only in dev"_s);
    }

    void unreadCountsAndMentions()
    {
        Participant bob(port(), u"bob"_s);
        QVERIFY(bob.join(u"#dev"_s));
        ConversationListModel *rooms = m_session.controller()->conversations();
        send(u"/join #dev"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->currentName(), u"#dev"_s, kTimeoutMsecs);
        clickRow(0);

        QVERIFY(bob.sayIn(u"#dev"_s, u"anyone there?"_s));
        QTRY_COMPARE_WITH_TIMEOUT(rooms->unread(1), 1, kTimeoutMsecs);
        QVERIFY(!rooms->isMentioned(1));
        QCOMPARE(RoomDelegate::badgeText(rooms->unread(1), rooms->isMentioned(1)), u"1"_s);
        QVERIFY(bob.sayIn(u"#dev"_s, u"alice, the build broke"_s));
        QTRY_COMPARE_WITH_TIMEOUT(rooms->unread(1), 2, kTimeoutMsecs);
        QVERIFY(rooms->isMentioned(1));
        QCOMPARE(RoomDelegate::badgeText(rooms->unread(1), rooms->isMentioned(1)), u"@ 2"_s);
        // The shown room counts nothing, and one's own messages never count.
        QVERIFY(bob.say(u"in the lobby"_s));
        send(u"me too"_s);
        QTRY_VERIFY_WITH_TIMEOUT(hasText(rooms->log(0), u"me too"_s), kTimeoutMsecs);
        QCOMPARE(rooms->unread(0), 0);
        QVERIFY(!m_window->sidebar()->listView()->grab().isNull()); // the badge paints

        clickRow(1);
        QCOMPARE(rooms->unread(1), 0);
        QVERIFY(!rooms->isMentioned(1));
    }

    void aWhisperOpensADirectConversation()
    {
        Participant bob(port(), u"bob"_s);
        ConversationListModel *rooms = m_session.controller()->conversations();
        QVERIFY(bob.whisper(u"alice"_s, u"psst"_s));
        QTRY_COMPARE_WITH_TIMEOUT(rooms->rowCount(), 2, kTimeoutMsecs);
        QVERIFY(rooms->isDirect(1));
        QCOMPARE(rooms->name(1), u"bob"_s);
        QCOMPARE(rooms->unread(1), 1);
        QVERIFY(rooms->isMentioned(1)); // addressed to the user by nature
        QVERIFY(!hasText(rooms->log(0), u"psst"_s));

        clickRow(1);
        QVERIFY(hasText(m_window->messageView()->logModel(), u"psst"_s));
        QCOMPARE(m_window->userPanel()->listView()->model()->rowCount(), 2);

        // A plain line here is a whisper to bob.
        QSignalSpy bobGets(bob.client(), &ChatClient::whisperReceived);
        send(u"back at you"_s);
        QVERIFY(bobGets.wait(kTimeoutMsecs));
        QCOMPARE(bobGets.last().first().value<Protocol::WhisperMessage>().text, u"back at you"_s);
        QTRY_VERIFY_WITH_TIMEOUT(hasText(rooms->log(1), u"back at you"_s), kTimeoutMsecs);
        QCOMPARE(rooms->rowCount(), 2);

        // Double-clicking a user opens (or shows) the conversation with them.
        clickRow(0);
        Participant carol(port(), u"carol"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_session.controller()->users()->count(), 3, kTimeoutMsecs);
        QListView *list = m_window->userPanel()->listView();
        const QRect rect = list->visualRect(m_session.controller()->users()->index(2));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(rooms->currentName(), u"carol"_s);
        QVERIFY(rooms->isDirect(rooms->current()));
        QVERIFY(m_window->input()->hasFocus());
    }

    void partingRemovesTheRoom()
    {
        ConversationListModel *rooms = m_session.controller()->conversations();
        send(u"/join #dev"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->currentName(), u"#dev"_s, kTimeoutMsecs);
        send(u"/part"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->rowCount(), 1, kTimeoutMsecs);
        QCOMPARE(rooms->currentName(), u"#lobby"_s);
        QCOMPARE(m_window->messageView()->logModel(), rooms->log(0));

        // The sidebar's "Leave Room" does the same.
        send(u"/join #ops"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->rowCount(), 2, kTimeoutMsecs);
        emit m_window->sidebar()->leaveRequested(u"#ops"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->rowCount(), 1, kTimeoutMsecs);
        QVERIFY(!m_session.controller()->client()->isInRoom(u"#ops"_s));

        // The next room's log is shown, even when it is made where the log
        // of the room just left was (found by hand: the view kept the old rows).
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        send(u"/join #수학-2반"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->currentName(), u"#수학-2반"_s, kTimeoutMsecs);
        QCOMPARE(m_window->messageView()->logModel(), rooms->log(1));
        QCOMPARE(m_window->messageView()->model(), rooms->log(1));
        send(u"hello again"_s);
        QTRY_VERIFY_WITH_TIMEOUT(hasText(m_window->messageView()->logModel(), u"hello again"_s), kTimeoutMsecs);
    }

    void keyboardMovesThroughTheSidebar()
    {
        Participant bob(port(), u"bob"_s);
        ConversationListModel *rooms = m_session.controller()->conversations();
        send(u"/join #dev"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->currentName(), u"#dev"_s, kTimeoutMsecs);
        QVERIFY(bob.whisper(u"alice"_s, u"hi"_s));
        QTRY_COMPARE_WITH_TIMEOUT(rooms->rowCount(), 3, kTimeoutMsecs);

        ChatInput *input = m_window->input();
        QTest::keyClick(input, Qt::Key_Down, Qt::AltModifier);
        QCOMPARE(rooms->currentName(), u"bob"_s);
        QTest::keyClick(input, Qt::Key_Tab, Qt::ControlModifier);
        QCOMPARE(rooms->currentName(), u"#lobby"_s); // wraps
        QTest::keyClick(input, Qt::Key_Backtab, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(rooms->currentName(), u"bob"_s);
        QTest::keyClick(input, Qt::Key_Up, Qt::AltModifier);
        QCOMPARE(rooms->currentName(), u"#dev"_s);
        QVERIFY(input->hasFocus()); // typing goes on where it was
    }

    void topicEditReachesAnotherClient()
    {
        Participant bob(port(), u"bob"_s);
        QVERIFY(bob.join(u"#dev"_s));
        ConversationListModel *rooms = m_session.controller()->conversations();
        send(u"/join #dev"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->currentName(), u"#dev"_s, kTimeoutMsecs);
        TopicBar *bar = m_window->topicBar();
        QVERIFY(bar->isVisible());
        QCOMPARE(bar->field()->text(), QString());

        QSignalSpy bobSees(bob.client(), &ChatClient::topicChanged);
        QTest::mouseClick(bar->field(), Qt::LeftButton);
        typeText(bar->field(), u"릴리스는 금요일"_s);
        QTest::keyClick(bar->field(), Qt::Key_Return);
        QVERIFY(bobSees.wait(kTimeoutMsecs));
        QCOMPARE(bobSees.last().first().value<Protocol::TopicChanged>().topic, u"릴리스는 금요일"_s);
        QCOMPARE(bobSees.last().first().value<Protocol::TopicChanged>().by, u"alice"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bar->topic(), u"릴리스는 금요일"_s, kTimeoutMsecs);
        QVERIFY(m_window->input()->hasFocus());

        // bob's change shows here, in the bar and as a notice of #dev.
        QVERIFY(bob.client()->setTopic(u"#dev"_s, u"ship it"_s).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(bar->field()->text(), u"ship it"_s, kTimeoutMsecs);
        QVERIFY(LogRows::lastOfKind(*rooms->log(1), Kind::Notice)->text.contains(u"ship it"_s));

        // A refused topic is an error row of the room, and the bar shows the topic in force.
        bar->field()->setFocus();
        bar->field()->setText(QString(301, u'x'));
        QTest::keyClick(bar->field(), Qt::Key_Return);
        QVERIFY(LogRows::lastOfKind(*rooms->log(1), Kind::Error));
        QTRY_COMPARE_WITH_TIMEOUT(bar->field()->text(), u"ship it"_s, kTimeoutMsecs);

        // Escape puts the topic back; a direct conversation has no topic bar.
        bar->field()->setFocus();
        QTest::keyClicks(bar->field(), u" and more"_s);
        QTest::keyClick(bar->field(), Qt::Key_Escape);
        QCOMPARE(bar->field()->text(), u"ship it"_s);
        m_window->startWhisper(u"bob"_s);
        QVERIFY(!bar->isVisible());
    }

    void roomsAreRememberedAndRejoined()
    {
        Participant bob(port(), u"bob"_s);
        QVERIFY(bob.join(u"#dev"_s));
        ConversationListModel *rooms = m_session.controller()->conversations();
        send(u"/join #dev"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->currentName(), u"#dev"_s, kTimeoutMsecs);
        send(u"/join #수학-2반"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->currentName(), u"#수학-2반"_s, kTimeoutMsecs);
        send(u"/join #gone"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->currentName(), u"#gone"_s, kTimeoutMsecs);
        send(u"/part"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rooms->rowCount(), 3, kTimeoutMsecs);
        const QStringList remembered{u"#dev"_s, u"#수학-2반"_s};
        const RoomMemory *memory = m_session.controller()->roomMemory();
        QCOMPARE(memory->rooms(u"127.0.0.1"_s, port(), u"alice"_s), remembered);
        QCOMPARE(memory->rooms(u"127.0.0.1"_s, port(), u"ALICE"_s), remembered); // a nick's identity
        QVERIFY(memory->rooms(u"127.0.0.1"_s, port(), u"bob"_s).isEmpty());

        // A new chat-gui on the same settings joins them with its `hello`.
        QSignalSpy topicSet(bob.client(), &ChatClient::topicChanged);
        QVERIFY(bob.client()->setTopic(u"#lobby"_s, u"release day"_s).isEmpty());
        QVERIFY(topicSet.wait(kTimeoutMsecs));
        QVERIFY(m_session.quitGui());
        m_window = nullptr;
        QTRY_COMPARE_WITH_TIMEOUT(bob.client()->users().size(), 1, kTimeoutMsecs);
        QSignalSpy bobSees(bob.client(), &ChatClient::userJoined);
        QVERIFY(m_session.startGui());
        m_window = m_session.window();
        rooms = m_session.controller()->conversations();
        QTRY_COMPARE_WITH_TIMEOUT(rooms->rowCount(), 3, kTimeoutMsecs);
        QCOMPARE(rooms->name(1), u"#dev"_s);
        QCOMPARE(rooms->name(2), u"#수학-2반"_s);
        QCOMPARE(rooms->currentName(), u"#lobby"_s);
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(bobSees.cbegin(), bobSees.cend(),
                                             [](const QList<QVariant> &args) {
                                                 return args.first().value<Protocol::Joined>().room == u"#dev"_s;
                                             }),
                                 kTimeoutMsecs);
        QVERIFY(m_session.controller()->client()->isInRoom(u"#수학-2반"_s));
        // #lobby's topic, which `welcome` does not carry, comes from the list of rooms.
        QTRY_COMPARE_WITH_TIMEOUT(m_window->topicBar()->topic(), u"release day"_s, kTimeoutMsecs);

        // /rooms lists them in the conversation shown.
        send(u"/rooms"_s);
        QTRY_VERIFY_WITH_TIMEOUT(LogRows::lastOfKind(*rooms->log(0), Kind::Notice)->text.contains(u"#수학-2반"_s),
                                 kTimeoutMsecs);
    }

private:
    quint16 port() const { return m_session.server()->serverPort(); }

    void send(const QString &line)
    {
        m_window->input()->setText(line);
        QTest::keyClick(m_window->input(), Qt::Key_Return);
    }

    void clickRow(int row)
    {
        QListView *list = m_window->sidebar()->listView();
        const QRect rect = list->visualRect(list->model()->index(row, 0));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    }

    GuiSession m_session;
    MainWindow *m_window = nullptr;
};

QTCHAT_TEST_MAIN(TestGuiRooms)
#include "tst_gui_rooms.moc"
