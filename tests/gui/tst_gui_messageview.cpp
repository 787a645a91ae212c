// SPDX-License-Identifier: MIT
// The scrollback as a user handles it with pointer and keyboard
// (MessageView with its MessageActions): links open on a click or Enter,
// a drag that starts on a link opens nothing, Ctrl+C copies the selected
// rows as log lines.
#include "messagedelegate.h"
#include "messagelogmodel.h"
#include "messageview.h"
#include "testharness.h"

#include <QApplication>
#include <QClipboard>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
const QUrl kLink(u"https://example.org/qtchat"_s);
}

class TestGuiMessageView final : public QObject
{
    Q_OBJECT

    MessageLogModel m_model;
    std::unique_ptr<MessageView> m_view;

    static void say(MessageLogModel &log, const QString &from, const QString &text)
    {
        Protocol::ChatMessage message;
        message.id = log.rowCount() + 1;
        message.from = from;
        message.text = text;
        message.ts = QDateTime::currentDateTimeUtc();
        QVERIFY(log.appendMessage(message));
    }
    void say(const QString &from, const QString &text) { say(m_model, from, text); }

    // A point of `row` (viewport coordinates) over its link, or (-1, -1).
    QPoint pointOnLink(int row) const
    {
        const QModelIndex index = m_model.index(row);
        const QRect rect = m_view->visualRect(index);
        for (int y = rect.top(); y <= rect.bottom(); y += 2) {
            for (int x = rect.left(); x <= rect.right(); x += 2) {
                if (m_view->messageDelegate()->linkAt(index, rect, {x, y}).isValid())
                    return {x, y};
            }
        }
        return {-1, -1};
    }

    // A point of `row` that is not over a link.
    QPoint pointOffLink(int row) const
    {
        const QRect rect = m_view->visualRect(m_model.index(row));
        return {rect.right() - 2, rect.center().y()};
    }

private slots:
    void init()
    {
        m_model.clear();
        say(u"alice"_s, u"hello"_s);
        say(u"bob"_s, u"see "_s + kLink.toString() + u" please"_s);
        say(u"carol"_s, u"thanks"_s);
        m_view = std::make_unique<MessageView>();
        m_view->setLogModel(&m_model);
        m_view->resize(600, 300);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }

    void cleanup() { m_view.reset(); }

    void clickOnLinkOpensIt()
    {
        const QPoint on = pointOnLink(1);
        QVERIFY(on.x() >= 0);
        QVERIFY(pointOnLink(0).x() < 0); // a row without a link has none
        QSignalSpy opened(m_view.get(), &MessageView::linkActivated);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, on);
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.first().first().toUrl(), kLink);
    }

    void dragStartedOnLinkOpensNothing()
    {
        const QPoint on = pointOnLink(1);
        QVERIFY(on.x() >= 0);
        QSignalSpy opened(m_view.get(), &MessageView::linkActivated);
        QTest::mousePress(m_view->viewport(), Qt::LeftButton, {}, on);
        QTest::mouseRelease(m_view->viewport(), Qt::LeftButton, {}, pointOffLink(1));
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, pointOffLink(0));
        QCOMPARE(opened.size(), 0);
    }

    void enterOnRowWithLinkOpensIt()
    {
        QSignalSpy opened(m_view.get(), &MessageView::linkActivated);
        m_view->setFocus();
        m_view->setCurrentIndex(m_model.index(0));
        QTest::keyClick(m_view.get(), Qt::Key_Return);
        QCOMPARE(opened.size(), 0); // no link on alice's row
        m_view->setCurrentIndex(m_model.index(1));
        QTest::keyClick(m_view.get(), Qt::Key_Return);
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.first().first().toUrl(), kLink);
    }

    void anotherLogShowsItsOwnRows()
    {
        // Each room has its own log, numbered from 1 like the lobby's:
        // switching rooms must not show (or open) what was laid out for the
        // other log.
        MessageLogModel lobby;
        say(lobby, u"alice"_s, u"hello"_s);
        say(lobby, u"bob"_s, u"see "_s + kLink.toString() + u" please"_s);
        MessageLogModel room;
        say(room, u"dave"_s, u"first"_s);
        say(room, u"erin"_s, u"no link in this room"_s);
        QCOMPARE(room.entry(1).serial, lobby.entry(1).serial);
        m_view->setLogModel(&lobby);
        QCOMPARE(m_view->messageDelegate()->links(lobby.index(1)), QList<QUrl>{kLink});
        m_view->setLogModel(&room);
        QCOMPARE(m_view->messageDelegate()->links(room.index(1)), QList<QUrl>{});
        QSignalSpy opened(m_view.get(), &MessageView::linkActivated);
        m_view->setFocus();
        m_view->setCurrentIndex(room.index(1));
        QTest::keyClick(m_view.get(), Qt::Key_Return);
        QCOMPARE(opened.size(), 0);
        m_view->setLogModel(&lobby);
        QCOMPARE(m_view->messageDelegate()->links(lobby.index(1)), QList<QUrl>{kLink});
        m_view->setLogModel(&m_model);
    }

    void ctrlCCopiesTheSelectedRowsOldestFirst()
    {
        QApplication::clipboard()->clear();
        m_view->setFocus();
        // Selected newest first: the copy is still in the log's order.
        m_view->selectionModel()->select(m_model.index(2), QItemSelectionModel::Select);
        m_view->selectionModel()->select(m_model.index(0), QItemSelectionModel::Select);
        QTest::keyClick(m_view.get(), Qt::Key_C, Qt::ControlModifier);
        const QString expected = m_model.index(0).data().toString() + u'\n' + m_model.index(2).data().toString();
        QVERIFY(expected.contains(u"hello"_s) && expected.contains(u"thanks"_s));
        QCOMPARE(QApplication::clipboard()->text(), expected);
        QCOMPARE(m_view->selectedText(), expected);
    }
};

QTCHAT_TEST_MAIN(TestGuiMessageView)
#include "tst_gui_messageview.moc"
