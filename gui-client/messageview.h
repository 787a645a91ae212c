// SPDX-License-Identifier: MIT
#pragma once

#include "rowheights.h"
#include "scrollanchor.h"

#include <QListView>
#include <QPointer>
#include <QUrl>

class MessageActions;
class MessageDelegate;
class MessageLayout;
class MessageLogModel;
class NewMessagesButton;

// The scrollback: a MessageLogModel painted by a MessageDelegate.
//
// It is a QListView for everything users and assistive technology see
// (selection, keyboard navigation, the accessible list of rows), but it lays
// rows out itself: QListView re-lays out every row on each insertion, which
// makes a flooded room cost more the longer the scrollback is. Here a new
// row is measured once and appended to a RowHeights index; rows dropped at
// the top are removed from it; nothing else moves. After a width or font
// change every row is re-measured: the visible ones at once, the rest in
// small slices between events.
//
// It follows the newest row while the user is at the bottom. Once the user
// scrolls up it stays where it is, even while old rows drop off the top, and
// a "new messages" button counts what arrived below. Links, copying and the
// context menu are MessageActions'.
class MessageView final : public QListView
{
    Q_OBJECT

public:
    explicit MessageView(QWidget *parent = nullptr);
    ~MessageView() override;

    void setLogModel(MessageLogModel *model);
    MessageLogModel *logModel() const { return m_model; }
    MessageDelegate *messageDelegate() const { return m_delegate; }
    const RowHeights &rowHeights() const { return heights(); }

    // True while the newest row is kept in view.
    bool isFollowingNewest() const { return m_following; }
    // Chat rows that arrived below while the user was scrolled up.
    int unseenCount() const { return m_unseen; }

    void scrollToNewest();
    // Shows a row (from Find) and makes it current.
    void showRow(int row);
    void setSearchTerm(const QString &term);

    // The selected rows as text, oldest first, one log line each.
    QString selectedText() const;

    // QAbstractItemView's geometry interface, answered from RowHeights.
    QRect visualRect(const QModelIndex &index) const override;
    QModelIndex indexAt(const QPoint &point) const override;
    void scrollTo(const QModelIndex &index, ScrollHint hint = EnsureVisible) override;
    void doItemsLayout() override;
    void reset() override;

signals:
    void linkActivated(const QUrl &url);
    void whisperRequested(const QString &nick);
    void unseenCountChanged(int count);

protected:
    int horizontalOffset() const override;
    int verticalOffset() const override;
    QModelIndex moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers modifiers) override;
    void setSelection(const QRect &rect, QItemSelectionModel::SelectionFlags command) override;
    QRegion visualRegionForSelection(const QItemSelection &selection) const override;
    void updateGeometries() override;
    void scrollContentsBy(int dx, int dy) override;
    QSize viewportSizeHint() const override;

    void currentChanged(const QModelIndex &current, const QModelIndex &previous) override;
    void selectionChanged(const QItemSelection &selected, const QItemSelection &deselected) override;
    void dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles = {}) override;
    void rowsInserted(const QModelIndex &parent, int start, int end) override;
    void rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end) override;

    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void onRowsRemoved(const QModelIndex &parent, int first, int last);
    void rebuildLayout();
    void invalidateHeights();
    void measureVisibleRows();
    const RowHeights &heights() const;
    void updateScrollRange();
    void onScrolled(int value);
    void restoreAnchor();
    // Keeps the newest row in view from now on; nothing is unseen.
    void followNewest();
    void setUnseen(int count);
    void placeNewMessagesButton();

    // A QPointer: a room's log is deleted when the room is left, and the
    // next room's log may be made at the same address; a plain pointer
    // would then look like the model already shown (setLogModel).
    QPointer<MessageLogModel> m_model;
    MessageDelegate *m_delegate = nullptr;
    NewMessagesButton *m_newMessagesButton = nullptr;
    MessageActions *m_actions = nullptr;
    MessageLayout *m_layout = nullptr;
    bool m_following = true;
    bool m_adjusting = false;
    bool m_keepPixels = false;
    int m_unseen = 0;
    // While scrolled up: what the user is reading.
    ScrollAnchor m_anchor;
};
