// SPDX-License-Identifier: MIT
#include "appcontroller.h"
#include "chatclient.h"
#include "chatinput.h"
#include "chatserver.h"
#include "conversationlistmodel.h"
#include "guisession.h"
#include "joinroomdialog.h"
#include "mainwindow.h"
#include "participant.h"
#include "quickswitcher.h"
#include "roomdirectorymodel.h"
#include "testharness.h"
#include "testserver.h"
#include "translations.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr int kTimeoutMsecs = 8000;

} // namespace

// The "Join a Room" dialog (Ctrl+J) and the quick switcher (Ctrl+K).
class TestGuiRoomDialogs final : public QObject
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

    void joinDialogListsRoomsAndJoinsOne()
    {
        Participant bob(port(), u"bob"_s);
        Participant carol(port(), u"carol"_s);
        QVERIFY(bob.join(u"#dev"_s));
        QVERIFY(carol.join(u"#dev"_s));
        QSignalSpy topicSet(bob.client(), &ChatClient::topicChanged);
        QVERIFY(bob.client()->setTopic(u"#dev"_s, u"release on Friday"_s).isEmpty());
        QVERIFY(topicSet.wait(kTimeoutMsecs));
        QVERIFY(carol.join(u"#design"_s));

        QTest::keyClick(m_window, Qt::Key_J, Qt::ControlModifier);
        JoinRoomDialog *dialog = m_window->joinRoomDialog();
        QVERIFY(dialog);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->directory()->rowCount(), 3, kTimeoutMsecs); // #design, #dev, #lobby
        const RoomDirectoryModel *rooms = dialog->directory();
        const QModelIndex dev = rooms->index(rooms->indexOf(u"#dev"_s));
        QCOMPARE(dev.data(RoomDirectoryModel::UsersRole).toInt(), 2);
        QCOMPARE(dev.data(RoomDirectoryModel::TopicRole).toString(), u"release on Friday"_s);
        QVERIFY(dev.data().toString().contains(u"2 users"_s));

        // The field filters; the exact name is chosen.
        QTest::keyClicks(dialog->field(), u"de"_s);
        QCOMPARE(dialog->listView()->model()->rowCount(), 2);
        QTest::keyClicks(dialog->field(), u"v"_s);
        QCOMPARE(dialog->listView()->model()->rowCount(), 1);
        QCOMPARE(dialog->chosenRoom(), u"#dev"_s);
        QTest::keyClick(dialog->field(), Qt::Key_Return);
        ConversationListModel *conversations = m_session.controller()->conversations();
        QTRY_COMPARE_WITH_TIMEOUT(conversations->currentName(), u"#dev"_s, kTimeoutMsecs);
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->joinRoomDialog(), kTimeoutMsecs);
        // The message box has the window's focus (offscreen, the window is not activated again by itself).
        QCOMPARE(m_window->focusWidget(), m_window->input());
    }

    void joinDialogCreatesARoomAndExplainsBadNames()
    {
        m_window->openJoinRoomDialog();
        JoinRoomDialog *dialog = m_window->joinRoomDialog();
        QTRY_COMPARE_WITH_TIMEOUT(dialog->directory()->rowCount(), 1, kTimeoutMsecs);

        // A bad name stays in the dialog with the reason.
        QTest::keyClicks(dialog->field(), u"#a b"_s);
        QVERIFY(dialog->hint()->property("error").toBool());
        QTest::keyClick(dialog->field(), Qt::Key_Return);
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->hint()->text().contains(u"space"_s));

        // A new name (without "#": it is added) creates the room.
        dialog->field()->clear();
        typeText(dialog->field(), u"수학-2반"_s);
        QVERIFY(!dialog->hint()->property("error").toBool());
        QVERIFY(dialog->hint()->text().contains(u"#수학-2반"_s));
        QTest::keyClick(dialog->field(), Qt::Key_Return);
        ConversationListModel *conversations = m_session.controller()->conversations();
        QTRY_COMPARE_WITH_TIMEOUT(conversations->currentName(), u"#수학-2반"_s, kTimeoutMsecs);
        QVERIFY(m_session.controller()->client()->isInRoom(u"#수학-2반"_s));
    }

    void quickSwitcherFiltersAndSwitches()
    {
        Participant bob(port(), u"bob"_s);
        ConversationListModel *conversations = m_session.controller()->conversations();
        m_window->input()->setText(u"/join #dev"_s);
        QTest::keyClick(m_window->input(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(conversations->currentName(), u"#dev"_s, kTimeoutMsecs);
        m_window->input()->setText(u"/join #design"_s);
        QTest::keyClick(m_window->input(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(conversations->currentName(), u"#design"_s, kTimeoutMsecs);
        QVERIFY(bob.whisper(u"alice"_s, u"hi"_s));
        QTRY_COMPARE_WITH_TIMEOUT(conversations->rowCount(), 4, kTimeoutMsecs);

        QTest::keyClick(m_window, Qt::Key_K, Qt::ControlModifier);
        QuickSwitcher *switcher = m_window->quickSwitcher();
        QVERIFY(switcher);
        QTRY_VERIFY_WITH_TIMEOUT(switcher->field()->hasFocus(), kTimeoutMsecs);
        QCOMPARE(switcher->listView()->model()->rowCount(), 4);
        QTest::keyClicks(switcher->field(), u"BO"_s); // any case
        QCOMPARE(switcher->listView()->model()->rowCount(), 1);
        QTest::keyClick(switcher->field(), Qt::Key_Return);
        QCOMPARE(conversations->currentName(), u"bob"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->quickSwitcher(), kTimeoutMsecs);

        // Down chooses among the matches.
        m_window->openQuickSwitcher();
        switcher = m_window->quickSwitcher();
        QTest::keyClicks(switcher->field(), u"#de"_s);
        QCOMPARE(switcher->listView()->model()->rowCount(), 2);
        QTest::keyClick(switcher->field(), Qt::Key_Down);
        QTest::keyClick(switcher->field(), Qt::Key_Return);
        QCOMPARE(conversations->currentName(), u"#design"_s);

        // Escape leaves everything as it was.
        m_window->openQuickSwitcher();
        switcher = m_window->quickSwitcher();
        QTest::keyClicks(switcher->field(), u"lob"_s);
        QTest::keyClick(switcher->field(), Qt::Key_Escape);
        QCOMPARE(conversations->currentName(), u"#design"_s);
    }

private:
    quint16 port() const { return m_session.server()->serverPort(); }

    GuiSession m_session;
    MainWindow *m_window = nullptr;
};

QTCHAT_TEST_MAIN(TestGuiRoomDialogs)
#include "tst_gui_roomdialogs.moc"
