// SPDX-License-Identifier: MIT
#include "messageactions.h"

#include "guilogging.h"
#include "messagecontextmenu.h"
#include "messagedelegate.h"
#include "messagelogmodel.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMouseEvent>

#include <algorithm>

MessageActions::MessageActions(QAbstractItemView *view, const MessageDelegate *delegate)
    : QObject(view), m_view(view), m_viewObject(view), m_viewport(view->viewport()), m_delegate(delegate)
{
    m_view->installEventFilter(this);
    m_viewport->installEventFilter(this);
}

QString MessageActions::selectedText() const
{
    const QItemSelectionModel *selection = m_view->selectionModel();
    if (!selection)
        return {};
    QModelIndexList rows = selection->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList lines;
    for (const QModelIndex &index : std::as_const(rows))
        lines.append(index.data(Qt::DisplayRole).toString());
    return lines.join(u'\n');
}

bool MessageActions::eventFilter(QObject *watched, QEvent *event)
{
    // Pointer comparisons only: this filter also sees the events of the
    // view's destruction, when it is no longer a QAbstractItemView.
    if (watched == m_viewport)
        return viewportEvent(event);
    if (watched == m_viewObject && event->type() == QEvent::KeyPress)
        return keyEvent(event);
    return false;
}

QUrl MessageActions::linkAt(const QPoint &viewportPos) const
{
    const QModelIndex index = m_view->indexAt(viewportPos);
    if (!index.isValid())
        return {};
    return m_delegate->linkAt(index, m_view->visualRect(index), viewportPos);
}

QUrl MessageActions::firstLink(const QModelIndex &index) const
{
    return index.isValid() ? m_delegate->links(index).value(0) : QUrl();
}

bool MessageActions::viewportEvent(QEvent *event)
{
    switch (event->type()) {
    case QEvent::MouseMove: {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        if (linkAt(mouse->position().toPoint()).isValid())
            m_viewport->setCursor(Qt::PointingHandCursor);
        else
            m_viewport->unsetCursor();
        return false;
    }
    case QEvent::MouseButtonPress: {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        m_pressedLink = mouse->button() == Qt::LeftButton ? linkAt(mouse->position().toPoint()) : QUrl();
        return false;
    }
    case QEvent::MouseButtonRelease: {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        const QUrl pressed = m_pressedLink;
        m_pressedLink.clear();
        // A click, not a drag that started on a link.
        if (mouse->button() == Qt::LeftButton && pressed.isValid() && linkAt(mouse->position().toPoint()) == pressed) {
            qCInfo(lcGuiView) << "opening" << pressed;
            emit linkActivated(pressed);
        }
        return false;
    }
    case QEvent::ContextMenu:
        showContextMenu(*static_cast<QContextMenuEvent *>(event));
        return true;
    default:
        return false;
    }
}

bool MessageActions::keyEvent(QEvent *event)
{
    const auto *key = static_cast<QKeyEvent *>(event);
    if (key->matches(QKeySequence::Copy)) {
        copySelection();
        return true;
    }
    if (key->key() != Qt::Key_Return && key->key() != Qt::Key_Enter)
        return false;
    const QUrl link = firstLink(m_view->currentIndex());
    if (!link.isValid())
        return false;
    emit linkActivated(link);
    return true;
}

void MessageActions::showContextMenu(const QContextMenuEvent &event)
{
    const bool fromKeyboard = event.reason() == QContextMenuEvent::Keyboard;
    const QModelIndex index = fromKeyboard ? m_view->currentIndex() : m_view->indexAt(event.pos());
    QUrl link = fromKeyboard ? QUrl() : linkAt(event.pos());
    if (!link.isValid())
        link = firstLink(index);

    const QItemSelectionModel *selection = m_view->selectionModel();
    MessageContextMenu menu(m_model, index.row(), link, selection && selection->hasSelection(), m_view);
    connect(&menu, &MessageContextMenu::copyRequested, this, &MessageActions::copySelection);
    connect(&menu, &MessageContextMenu::selectAllRequested, m_view, &QAbstractItemView::selectAll);
    connect(&menu, &MessageContextMenu::openLinkRequested, this, &MessageActions::linkActivated);
    connect(&menu, &MessageContextMenu::whisperRequested, this, &MessageActions::whisperRequested);
    const QPoint at = fromKeyboard && index.isValid() ? m_viewport->mapToGlobal(m_view->visualRect(index).center())
                                                      : event.globalPos();
    menu.exec(at);
}

void MessageActions::copySelection() const
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}
