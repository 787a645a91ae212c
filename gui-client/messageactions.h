// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QUrl>

class MessageDelegate;
class MessageLogModel;
class QAbstractItemView;
class QContextMenuEvent;
class QModelIndex;
class QPoint;
class QWidget;

// What a user does to the messages of a view, by pointer and keyboard: the
// pointing hand over a link, a click that opens it (a press and release on
// the same link, not a drag that started there), Enter on a row with a link,
// Ctrl+C that copies the selected rows as log lines, and the context menu.
// It watches the view and its viewport as an event filter and leaves every
// other event to the view, so selection and navigation work as before.
class MessageActions final : public QObject
{
    Q_OBJECT

public:
    MessageActions(QAbstractItemView *view, const MessageDelegate *delegate);

    void setModel(const MessageLogModel *model) { m_model = model; }
    // The selected rows as text, oldest first, one log line each.
    QString selectedText() const;

signals:
    void linkActivated(const QUrl &url);
    void whisperRequested(const QString &nick);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // The link under a viewport position, if any.
    QUrl linkAt(const QPoint &viewportPos) const;
    // The row's first link: what Enter opens and the context menu offers.
    QUrl firstLink(const QModelIndex &index) const;
    bool viewportEvent(QEvent *event);
    bool keyEvent(QEvent *event);
    void showContextMenu(const QContextMenuEvent &event);
    void copySelection() const;

    QAbstractItemView *m_view;
    QObject *m_viewObject; // the same, for comparisons while it is being destroyed
    QWidget *m_viewport;   // the view's, fixed for its life (MessageView never replaces it)
    const MessageDelegate *m_delegate;
    const MessageLogModel *m_model = nullptr;
    QUrl m_pressedLink;
};
