// SPDX-License-Identifier: MIT
#include "appcontroller.h"
#include "chatserver.h"
#include "chattheme.h"
#include "conversationlistmodel.h"
#include "guisession.h"
#include "logrows.h"
#include "mainwindow.h"
#include "messagedelegate.h"
#include "messagelogmodel.h"
#include "messageview.h"
#include "participant.h"
#include "testharness.h"
#include "testserver.h"
#include "translations.h"

#include <QAccessible>
#include <QApplication>
#include <QListView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using Kind = MessageLogModel::Kind;

namespace {
constexpr int kTimeoutMsecs = 8000;
} // namespace

// The chat window's scrollback against a real server: following the newest
// row, the "new messages" indicator, keeping the reader's place while old
// rows drop off, measuring rows only when needed, the system palette, and
// what assistive technology sees.
class TestScrollback final : public QObject
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

    void newMessagesIndicatorWhileScrolledUp()
    {
        MessageLogModel *log = m_session.controller()->log();
        MessageView *view = m_window->messageView();
        for (qint64 id = 1; id <= 200; ++id)
            log->appendMessage(LogRows::message(id, u"bob"_s, u"filler %1"_s.arg(id)));
        // Laid out, and following the newest row.
        QTRY_VERIFY(view->verticalScrollBar()->maximum() > 0 &&
                    view->verticalScrollBar()->value() == view->verticalScrollBar()->maximum());

        view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum() / 2);
        QVERIFY(!view->isFollowingNewest());
        const int top = view->indexAt(QPoint(1, 0)).row();
        QVERIFY(top > 0);

        QSignalSpy unseen(view, &MessageView::unseenCountChanged);
        log->appendMessage(LogRows::message(201, u"bob"_s, u"new one"_s));
        log->appendMessage(LogRows::message(202, u"bob"_s, u"new two"_s));
        log->appendNotice(u"not counted: a notice"_s);
        QCOMPARE(view->unseenCount(), 2);
        QCOMPARE(unseen.size(), 2);
        // The user's place does not move.
        QTRY_COMPARE(view->indexAt(QPoint(1, 0)).row(), top);

        QTest::keyClick(m_window, Qt::Key_End, Qt::ControlModifier);
        QCOMPARE(view->unseenCount(), 0);
        QVERIFY(view->isFollowingNewest());
        QTRY_COMPARE(view->verticalScrollBar()->value(), view->verticalScrollBar()->maximum());
    }

    void placeIsKeptWhileOldRowsAreDropped()
    {
        MessageLogModel *log = m_session.controller()->log();
        MessageView *view = m_window->messageView();
        log->setScrollback(100);
        for (qint64 id = 1; id <= 100; ++id)
            log->appendMessage(LogRows::message(id, u"bob"_s, u"row %1"_s.arg(id)));
        // Laid out, and following the newest row.
        QTRY_VERIFY(view->verticalScrollBar()->maximum() > 0 &&
                    view->verticalScrollBar()->value() == view->verticalScrollBar()->maximum());
        view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum() / 2);
        QVERIFY(!view->isFollowingNewest());
        const qint64 topId = log->entry(view->indexAt(QPoint(1, 0)).row()).id;

        for (qint64 id = 101; id <= 120; ++id)
            log->appendMessage(LogRows::message(id, u"bob"_s, u"row %1"_s.arg(id)));
        QCOMPARE(log->rowCount(), 100);
        QTRY_COMPARE(log->entry(view->indexAt(QPoint(1, 0)).row()).id, topId);
    }

    void appendingMeasuresOnlyTheNewRow()
    {
        MessageLogModel *log = m_session.controller()->log();
        MessageView *view = m_window->messageView();
        for (qint64 id = 1; id <= 2000; ++id)
            log->appendMessage(LogRows::message(id, u"bob"_s, u"row %1"_s.arg(id)));
        QTRY_VERIFY(view->rowHeights().staleCount() == 0);
        // However long the scrollback, one new message is shaped once and
        // nothing else is measured again (QListView would re-lay out every row).
        const quint64 before = view->messageDelegate()->layoutCount();
        log->appendMessage(LogRows::message(2001, u"bob"_s, u"one more"_s));
        QCOMPARE(view->messageDelegate()->layoutCount(), before + 1);
        QCOMPARE(view->rowHeights().count(), log->rowCount());
    }

    void resizingMeasuresRowsAgain()
    {
        MessageLogModel *log = m_session.controller()->log();
        MessageView *view = m_window->messageView();
        const QString longText =
            u"a long message that will wrap onto more lines when the window gets narrow "_s.repeated(3);
        for (qint64 id = 1; id <= 300; ++id)
            log->appendMessage(LogRows::message(id, u"bob"_s, longText));
        QTRY_COMPARE(view->rowHeights().staleCount(), 0);
        const qint64 wideTotal = view->rowHeights().total();

        m_window->resize(m_window->width() / 2, m_window->height());
        // The visible rows at once, the rest in slices between events.
        QTRY_COMPARE(view->rowHeights().staleCount(), 0);
        QVERIFY(view->rowHeights().total() > wideTotal);
        for (int row = 0; row < log->rowCount(); row += 29)
            QCOMPARE(view->rowHeights().height(row), view->messageDelegate()->rowHeight(log->index(row), false));
        QVERIFY(view->isFollowingNewest());
        QTRY_COMPARE(view->verticalScrollBar()->value(), view->verticalScrollBar()->maximum());
    }

    void followsTheSystemPalette_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    void followsTheSystemPalette()
    {
        QFETCH(bool, dark);
        const QPalette original = QApplication::palette();
        QPalette palette = original;
        if (dark) {
            palette.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
            palette.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
            palette.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
            palette.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
            palette.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
            palette.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
            palette.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
            palette.setColor(QPalette::Highlight, QColor(0x3d, 0x6e, 0xb4));
            palette.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
        }
        QApplication::setPalette(palette);

        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        Participant minsu(m_session.server()->serverPort(), u"민수"_s);
        QVERIFY(bob.say(u"alice: see https://example.org"_s));
        QVERIFY(minsu.say(u"안녕하세요"_s));
        QVERIFY(minsu.whisper(u"alice"_s, u"비밀"_s));
        // The whisper has a direct conversation of its own (rooms, issue #15).
        QTRY_VERIFY_WITH_TIMEOUT(m_session.controller()->conversations()->indexOf(u"민수"_s) > 0, kTimeoutMsecs);

        // Every nick colour stays readable on the palette's base (WCAG 3:1 for large-ish bold text).
        const ChatTheme theme(m_window->messageView()->palette());
        QCOMPARE(theme.isDark(), dark);
        const QColor base = m_window->messageView()->palette().color(QPalette::Base);
        for (const QString &nick : {u"alice"_s, u"bob"_s, u"민수"_s, u"carol"_s, u"dave"_s, u"서연"_s})
            QVERIFY2(contrast(theme.nickColor(nick), base) >= 3.0, qPrintable(nick));
        QVERIFY(contrast(theme.quietText(), base) >= 3.0);
        QVERIFY2(contrast(theme.link(), base) >= 3.0, qPrintable(theme.link().name()));
        QVERIFY(contrast(theme.text(), theme.mentionBackground()) >= 4.5);
        QVERIFY(contrast(theme.text(), theme.whisperBackground()) >= 4.5);

        // For looking at it: QTCHAT_GUI_GRAB_DIR=/tmp ./tst_gui_chatwindow followsTheSystemPalette
        const QString grabDir = qEnvironmentVariable("QTCHAT_GUI_GRAB_DIR");
        if (!grabDir.isEmpty())
            m_window->grab().save(grabDir + (dark ? u"/chatwindow-dark.png"_s : u"/chatwindow-light.png"_s));
        QApplication::setPalette(original);
    }

    void rowsAreAccessible()
    {
        // What a screen reader sees: the conversation as a list of rows, each
        // a log line, with a place on screen (MessageView lays rows out itself).
        MessageLogModel *log = m_session.controller()->log();
        MessageView *view = m_window->messageView();
        for (qint64 id = 1; id <= 50; ++id)
            log->appendMessage(LogRows::message(id, u"bob"_s, u"accessible %1"_s.arg(id)));
        QTRY_COMPARE(view->rowHeights().staleCount(), 0);
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Up);
        QTest::keyClick(view, Qt::Key_Up);
        QVERIFY(view->currentIndex().isValid());

        QAccessibleInterface *list = QAccessible::queryAccessibleInterface(view);
        QVERIFY(list);
        QCOMPARE(list->text(QAccessible::Name), u"Messages"_s);
        QAccessibleTableInterface *table = list->tableInterface();
        QVERIFY(table);
        QCOMPARE(table->rowCount(), log->rowCount());
        const int row = view->currentIndex().row();
        QAccessibleInterface *cell = table->cellAt(row, 0);
        QVERIFY(cell);
        QVERIFY2(cell->text(QAccessible::Name).contains(log->entry(row).text),
                 qPrintable(cell->text(QAccessible::Name)));
        QVERIFY(!cell->rect().isEmpty());
        QVERIFY(list->rect().contains(cell->rect()));
    }

private:
    static double luminance(const QColor &color)
    {
        const auto channel = [](float c) { return c <= 0.03928f ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
        return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF());
    }

    static double contrast(const QColor &a, const QColor &b)
    {
        const double la = luminance(a);
        const double lb = luminance(b);
        return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
    }

    GuiSession m_session;
    MainWindow *m_window = nullptr;
};

QTCHAT_TEST_MAIN(TestScrollback)
#include "tst_gui_scrollback.moc"
