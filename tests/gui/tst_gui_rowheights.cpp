// SPDX-License-Identifier: MIT
#include "rowheights.h"
#include "rownavigation.h"
#include "testharness.h"

#include <QTest>

#include <vector>

// The message view's vertical layout index, against a plain vector, and
// where scrolling and keyboard navigation lead in it (RowNavigation).
class TestRowHeights final : public QObject
{
    Q_OBJECT

private slots:
    void appendAndQuery()
    {
        RowHeights rows;
        QCOMPARE(rows.rowAt(10), -1);
        rows.append(10);
        rows.append(20);
        rows.append(30);
        QCOMPARE(rows.count(), 3);
        QCOMPARE(rows.total(), 60);
        QCOMPARE(rows.top(0), 0);
        QCOMPARE(rows.top(1), 10);
        QCOMPARE(rows.top(2), 30);
        QCOMPARE(rows.top(3), 60); // one past the end: the bottom
        QCOMPARE(rows.rowAt(0), 0);
        QCOMPARE(rows.rowAt(9), 0);
        QCOMPARE(rows.rowAt(10), 1);
        QCOMPARE(rows.rowAt(29), 1);
        QCOMPARE(rows.rowAt(30), 2);
        QCOMPARE(rows.rowAt(1000), 2); // clamped
        QCOMPARE(rows.rowAt(-5), 0);
    }

    // Many rows across chunks, dropped from the top as a scrollback cap does,
    // re-measured in the middle: every answer matches a naive model.
    void matchesANaiveModel()
    {
        RowHeights rows;
        std::vector<int> naive;
        quint32 seed = 12345;
        const auto next = [&seed] {
            seed = seed * 1103515245u + 12345u;
            return int((seed >> 16) % 60) + 1;
        };
        for (int round = 0; round < 40; ++round) {
            for (int i = 0; i < 300; ++i) {
                const int h = next();
                rows.append(h);
                naive.push_back(h);
            }
            const int drop = next() * 3;
            rows.removeFirst(drop);
            naive.erase(naive.begin(), naive.begin() + drop);
            const int changed = int(naive.size()) / 2;
            const int h = next();
            rows.setHeight(changed, h);
            naive[std::size_t(changed)] = h;

            QCOMPARE(rows.count(), int(naive.size()));
            qint64 y = 0;
            for (int row = 0; row < int(naive.size()); row += 37) {
                y = 0;
                for (int i = 0; i < row; ++i)
                    y += naive[std::size_t(i)];
                QCOMPARE(rows.top(row), y);
                QCOMPARE(rows.height(row), naive[std::size_t(row)]);
                QCOMPARE(rows.rowAt(y), row);
                QCOMPARE(rows.rowAt(y + naive[std::size_t(row)] - 1), row);
            }
        }
    }

    void staleRowsKeepTheirEstimate()
    {
        RowHeights rows;
        for (int i = 0; i < 600; ++i)
            rows.append(20);
        rows.markAllStale();
        QCOMPARE(rows.staleCount(), 600);
        QVERIFY(rows.isStale(599));
        QCOMPARE(rows.height(599), 20);
        QCOMPARE(rows.total(), 12000);
        rows.setHeight(599, 40);
        QVERIFY(!rows.isStale(599));
        QCOMPARE(rows.staleCount(), 599);
        QCOMPARE(rows.total(), 12020);
        rows.removeFirst(10);
        QCOMPARE(rows.staleCount(), 589);
        rows.clear();
        QCOMPARE(rows.count(), 0);
        QCOMPARE(rows.total(), 0);
    }

    // Ten rows of 20 px; a viewport of 50 px.
    void scrollValueShowsTheRowAsAsked()
    {
        RowHeights rows;
        for (int i = 0; i < 10; ++i)
            rows.append(20);
        using Hint = QAbstractItemView::ScrollHint;
        // Row 5 is at 100..120.
        QCOMPARE(RowNavigation::scrollValue(rows, 5, 0, 50, Hint::EnsureVisible), 70);    // bottom-aligned
        QCOMPARE(RowNavigation::scrollValue(rows, 5, 200, 50, Hint::EnsureVisible), 100); // top-aligned
        QCOMPARE(RowNavigation::scrollValue(rows, 5, 90, 50, Hint::EnsureVisible), 90);   // already visible
        QCOMPARE(RowNavigation::scrollValue(rows, 5, 0, 50, Hint::PositionAtTop), 100);
        QCOMPARE(RowNavigation::scrollValue(rows, 5, 0, 50, Hint::PositionAtBottom), 70);
        QCOMPARE(RowNavigation::scrollValue(rows, 5, 0, 50, Hint::PositionAtCenter), 85);
    }

    void keyboardStepsStayInTheList()
    {
        RowHeights rows;
        for (int i = 0; i < 10; ++i)
            rows.append(20);
        using RowNavigation::Step;
        QCOMPARE(RowNavigation::rowAfter(rows, Step::Previous, 3, true, 50), 2);
        QCOMPARE(RowNavigation::rowAfter(rows, Step::Previous, 3, false, 50), 3); // navigation starts here
        QCOMPARE(RowNavigation::rowAfter(rows, Step::Previous, 0, true, 50), 0);
        QCOMPARE(RowNavigation::rowAfter(rows, Step::Next, 9, true, 50), 9);
        QCOMPARE(RowNavigation::rowAfter(rows, Step::Next, 3, true, 50), 4);
        QCOMPARE(RowNavigation::rowAfter(rows, Step::First, 3, true, 50), 0);
        QCOMPARE(RowNavigation::rowAfter(rows, Step::Last, 3, true, 50), 9);
        QCOMPARE(RowNavigation::rowAfter(rows, Step::PageDown, 3, true, 50), 5); // 60 + 50 = 110: row 5
        QCOMPARE(RowNavigation::rowAfter(rows, Step::PageUp, 5, true, 50), 3);   // 100 - 50 + 20 = 70: row 3
        QCOMPARE(RowNavigation::rowAfter(rows, Step::PageUp, 1, true, 50), 0);
        QCOMPARE(RowNavigation::rowAfter(rows, Step::Stay, 3, true, 50), 3);
    }
};

QTCHAT_TEST_APPLESS_MAIN(TestRowHeights)
#include "tst_gui_rowheights.moc"
