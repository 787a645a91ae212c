// SPDX-License-Identifier: MIT
#pragma once

#include <QListView>
#include <QPersistentModelIndex>
#include <QUrl>

class MessageDelegate;
class MessageLogModel;
class QToolButton;

// The scrollback: a QListView over a MessageLogModel painted by a
// MessageDelegate.
//
// It follows the newest row while the user is at the bottom. Once the user
// scrolls up it stays where it is, even while old rows drop off the top, and
// a "new messages" button counts what arrived below. Links open on click (or
// Enter on the selected row), Ctrl+C copies the selected rows as log lines.
class MessageView final : public QListView
{
    Q_OBJECT

public:
    explicit MessageView(QWidget *parent = nullptr);
    ~MessageView() override;

    void setLogModel(MessageLogModel *model);
    MessageLogModel *logModel() const { return m_model; }
    MessageDelegate *messageDelegate() const { return m_delegate; }

    // True while the newest row is kept in view.
    bool isFollowingNewest() const { return m_following; }
    // Chat rows that arrived below while the user was scrolled up.
    int unseenCount() const { return m_unseen; }

    void scrollToNewest();
    // Shows a row (from Find) without losing track of "following".
    void showRow(int row);
    void setSearchTerm(const QString &term);

    // The selected rows as text, oldest first, one log line each.
    QString selectedText() const;

signals:
    void linkActivated(const QUrl &url);
    void whisperRequested(const QString &nick);
    void unseenCountChanged(int count);

protected:
    void updateGeometries() override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void rowsInserted(const QModelIndex &parent, int start, int end) override;
    void rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end) override;

private:
    void onScrolled(int value);
    void rememberAnchor();
    void restoreAnchor();
    void setUnseen(int count);
    void placeNewMessagesButton();
    QUrl linkAt(const QPoint &viewportPos) const;
    void copySelection() const;

    MessageLogModel *m_model = nullptr;
    MessageDelegate *m_delegate = nullptr;
    QToolButton *m_newMessagesButton = nullptr;
    bool m_following = true;
    bool m_adjusting = false;
    int m_unseen = 0;
    // While scrolled up: the top visible row and how far its top is above
    // the viewport, restored after every relayout.
    QPersistentModelIndex m_anchor;
    int m_anchorOffset = 0;
    QUrl m_pressedLink;
};
