// SPDX-License-Identifier: MIT
#include "messageview.h"

#include "guilogging.h"
#include "messagedelegate.h"
#include "messagelogmodel.h"

#include <QAccessible>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolButton>

#include <algorithm>

using namespace Qt::StringLiterals;
using Kind = MessageLogModel::Kind;

namespace {

// Within this many pixels of the end counts as "at the bottom".
constexpr int kBottomTolerance = 2;
// Background re-measuring works in slices this long, so input stays responsive.
constexpr int kRemeasureSliceMsecs = 4;
// Measuring the visible rows can move what is visible; this many rounds always settle it.
constexpr int kMaxMeasurePasses = 8;
constexpr int kScrollLines = 3;

bool isChatRow(Kind kind)
{
    return kind == Kind::Message || kind == Kind::Action || kind == Kind::Whisper;
}

} // namespace

MessageView::MessageView(QWidget *parent) : QListView(parent), m_delegate(new MessageDelegate(this))
{
    m_newMessagesButton = new QToolButton(viewport());
    m_newMessagesButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_newMessagesButton->setIcon(style()->standardIcon(QStyle::SP_ArrowDown));
    m_newMessagesButton->setCursor(Qt::ArrowCursor);
    m_newMessagesButton->setFocusPolicy(Qt::NoFocus); // Ctrl+End does the same from the keyboard
    m_newMessagesButton->setAccessibleName(tr("Jump to the newest message"));
    m_newMessagesButton->hide();
    connect(m_newMessagesButton, &QToolButton::clicked, this, &MessageView::scrollToNewest);

    setItemDelegate(m_delegate);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // A scroll bar that comes and goes would change the width and re-measure every row.
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Messages"));
    setAccessibleDescription(tr("The conversation, oldest at the top. Ctrl+C copies the selected messages."));

    m_remeasureTimer.setInterval(0);
    connect(&m_remeasureTimer, &QTimer::timeout, this, &MessageView::remeasureSlice);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &MessageView::onScrolled);
    m_delegate->setAppearance(font(), palette());
}

MessageView::~MessageView() = default;

void MessageView::setLogModel(MessageLogModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    setModel(model);
    if (m_model)
        connect(m_model, &QAbstractItemModel::rowsRemoved, this, &MessageView::onRowsRemoved);
    rebuildLayout();
}

void MessageView::scrollToNewest()
{
    m_following = true;
    m_anchorSerial = 0;
    setUnseen(0);
    updateScrollRange();
    measureVisibleRows();
    viewport()->update();
}

void MessageView::showRow(int row)
{
    const QModelIndex index = m_model ? m_model->index(row) : QModelIndex();
    if (!index.isValid())
        return;
    setCurrentIndex(index);
    scrollTo(index, QAbstractItemView::PositionAtCenter);
}

void MessageView::setSearchTerm(const QString &term)
{
    m_delegate->setSearchTerm(term);
    viewport()->update();
}

QString MessageView::selectedText() const
{
    if (!selectionModel())
        return {};
    QModelIndexList rows = selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList lines;
    for (const QModelIndex &index : std::as_const(rows))
        lines.append(index.data(Qt::DisplayRole).toString());
    return lines.join(u'\n');
}

// ---- geometry ----

QRect MessageView::visualRect(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != m_model || index.row() >= m_heights.count())
        return {};
    const qint64 top = m_heights.top(index.row()) - verticalOffset();
    return {0, int(top), viewport()->width(), m_heights.height(index.row())};
}

QModelIndex MessageView::indexAt(const QPoint &point) const
{
    if (!m_model || m_heights.count() == 0)
        return {};
    const qint64 y = qint64(point.y()) + verticalOffset();
    if (y < 0 || y >= m_heights.total() || point.x() < 0 || point.x() >= viewport()->width())
        return {};
    return m_model->index(m_heights.rowAt(y));
}

void MessageView::scrollTo(const QModelIndex &index, ScrollHint hint)
{
    if (!index.isValid() || index.model() != m_model || index.row() >= m_heights.count())
        return;
    const int row = index.row();
    if (m_heights.isStale(row))
        m_heights.setHeight(row, measure(row));
    updateScrollRange();
    const qint64 top = m_heights.top(row);
    const qint64 height = m_heights.height(row);
    const qint64 page = viewport()->height();
    qint64 value = verticalOffset();
    switch (hint) {
    case EnsureVisible:
        if (top < value || height > page)
            value = top;
        else if (top + height > value + page)
            value = top + height - page;
        break;
    case PositionAtTop:
        value = top;
        break;
    case PositionAtBottom:
        value = top + height - page;
        break;
    case PositionAtCenter:
        value = top + height / 2 - page / 2;
        break;
    }
    verticalScrollBar()->setValue(int(std::clamp<qint64>(value, 0, verticalScrollBar()->maximum())));
}

void MessageView::doItemsLayout()
{
    rebuildLayout();
    QAbstractItemView::doItemsLayout();
}

void MessageView::reset()
{
    QAbstractItemView::reset();
    m_following = true;
    m_anchorSerial = 0;
    setUnseen(0);
    rebuildLayout();
}

int MessageView::horizontalOffset() const
{
    return 0;
}

int MessageView::verticalOffset() const
{
    return verticalScrollBar()->value();
}

QModelIndex MessageView::moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers)
{
    const int count = m_heights.count();
    if (!m_model || count == 0)
        return {};
    const QModelIndex current = currentIndex();
    // Without a current row, keyboard navigation starts at the bottom of what is visible.
    const int row = current.isValid() ? current.row() : m_heights.rowAt(verticalOffset() + viewport()->height() - 1);
    const qint64 page = viewport()->height();
    int next = row;
    switch (cursorAction) {
    case MoveUp:
    case MovePrevious:
        next = current.isValid() ? row - 1 : row;
        break;
    case MoveDown:
    case MoveNext:
        next = current.isValid() ? row + 1 : row;
        break;
    case MoveHome:
        next = 0;
        break;
    case MoveEnd:
        next = count - 1;
        break;
    case MovePageUp:
        next = m_heights.rowAt(m_heights.top(row) - page + m_heights.height(row));
        break;
    case MovePageDown:
        next = m_heights.rowAt(m_heights.top(row) + page);
        break;
    case MoveLeft:
    case MoveRight:
        break;
    }
    return m_model->index(std::clamp(next, 0, count - 1));
}

void MessageView::setSelection(const QRect &rect, QItemSelectionModel::SelectionFlags command)
{
    if (!m_model || !selectionModel() || m_heights.count() == 0)
        return;
    const QRect normalized = rect.normalized();
    const int first = m_heights.rowAt(qint64(normalized.top()) + verticalOffset());
    const int last = m_heights.rowAt(qint64(normalized.bottom()) + verticalOffset());
    selectionModel()->select(QItemSelection(m_model->index(first), m_model->index(last)), command);
}

QRegion MessageView::visualRegionForSelection(const QItemSelection &selection) const
{
    QRegion region;
    for (const QItemSelectionRange &range : selection) {
        const QRect first = visualRect(range.topLeft());
        const QRect last = visualRect(range.bottomRight());
        region += first.united(last).intersected(viewport()->rect());
    }
    return region;
}

QModelIndexList MessageView::selectedIndexes() const
{
    return QAbstractItemView::selectedIndexes();
}

bool MessageView::isIndexHidden(const QModelIndex &) const
{
    return false;
}

void MessageView::updateGeometries()
{
    QAbstractItemView::updateGeometries();
    updateScrollRange();
}

void MessageView::scrollContentsBy(int dx, int dy)
{
    if (m_keepPixels)
        return;
    // Only the rows move; the "new messages" button stays put.
    viewport()->scroll(dx, dy, viewport()->rect());
}

QSize MessageView::viewportSizeHint() const
{
    return QAbstractItemView::viewportSizeHint();
}

// QListView tells assistive technology about the current and selected rows
// by their place in its own layout, which this view does not use; in a
// list the accessible child of a row is simply its row number.
void MessageView::currentChanged(const QModelIndex &current, const QModelIndex &previous)
{
    if (QAccessible::isActive() && current.isValid() && hasFocus()) {
        QAccessibleEvent event(this, QAccessible::Focus);
        event.setChild(current.row());
        QAccessible::updateAccessibility(&event);
    }
    QAbstractItemView::currentChanged(current, previous);
}

void MessageView::selectionChanged(const QItemSelection &selected, const QItemSelection &deselected)
{
    if (QAccessible::isActive()) {
        const QModelIndex added = selected.indexes().value(0);
        if (added.isValid()) {
            QAccessibleEvent event(this, QAccessible::SelectionAdd);
            event.setChild(added.row());
            QAccessible::updateAccessibility(&event);
        }
        const QModelIndex removed = deselected.indexes().value(0);
        if (removed.isValid()) {
            QAccessibleEvent event(this, QAccessible::SelectionRemove);
            event.setChild(removed.row());
            QAccessible::updateAccessibility(&event);
        }
    }
    QAbstractItemView::selectionChanged(selected, deselected);
}

// ---- model changes ----

void MessageView::dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles)
{
    QAbstractItemView::dataChanged(topLeft, bottomRight, roles);
    for (int row = topLeft.row(); row <= bottomRight.row() && row < m_heights.count(); ++row)
        m_heights.setHeight(row, measure(row));
    updateScrollRange();
}

void MessageView::rowsInserted(const QModelIndex &parent, int start, int end)
{
    QAbstractItemView::rowsInserted(parent, start, end);
    if (parent.isValid() || !m_model)
        return;
    if (start != m_heights.count()) {
        rebuildLayout(); // not an append; MessageLogModel never does this
        return;
    }
    int chatRows = 0;
    for (int row = start; row <= end; ++row) {
        // New rows are usually on screen next: keep the layout made to measure them.
        m_heights.append(m_delegate->rowHeight(m_model->index(row), true));
        chatRows += isChatRow(m_model->entry(row).kind) ? 1 : 0;
    }
    if (!m_following && chatRows > 0)
        setUnseen(m_unseen + chatRows);
    if (m_following) {
        // A flood appends many rows per event-loop turn. Moving the pixels
        // (a blit of the whole viewport) for each would cost more than
        // painting the visible rows once when the turn ends.
        m_keepPixels = true;
        updateScrollRange();
        m_keepPixels = false;
        viewport()->update();
        return;
    }
    updateScrollRange();
    // New rows may be on screen below the last one (a short scrollback).
    const qint64 newTop = m_heights.top(start) - verticalOffset();
    if (newTop < viewport()->height())
        viewport()->update(QRect(0, int(std::max<qint64>(0, newTop)), viewport()->width(), viewport()->height()));
}

void MessageView::rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end)
{
    if (m_model && !parent.isValid())
        m_delegate->forgetRows(m_model, start, end);
    QAbstractItemView::rowsAboutToBeRemoved(parent, start, end);
}

void MessageView::onRowsRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    if (first != 0) {
        rebuildLayout(); // not a trim at the top; MessageLogModel never does this
        return;
    }
    const int count = last - first + 1;
    qint64 removedHeight = 0;
    for (int row = 0; row < count; ++row)
        removedHeight += m_heights.height(row);
    const qint64 before = verticalOffset();
    m_heights.removeFirst(count);
    m_remeasureCursor = std::max(-1, m_remeasureCursor - count);

    // Every remaining row moved up by removedHeight; so does the scroll
    // position, and no pixel has to move or be repainted.
    const qint64 target = before - removedHeight;
    QScrollBar *bar = verticalScrollBar();
    m_keepPixels = true;
    m_adjusting = true;
    bar->setRange(0, int(std::max<qint64>(0, m_heights.total() - viewport()->height())));
    bar->setValue(int(std::max<qint64>(0, target)));
    m_adjusting = false;
    updateScrollRange();
    m_keepPixels = false;
    // Rows that were on screen went away (a short scrollback): repaint.
    if (target != verticalOffset())
        viewport()->update();
}

void MessageView::rebuildLayout()
{
    m_heights.clear();
    const int count = m_model ? m_model->rowCount() : 0;
    const int estimate = m_delegate->singleLineHeight();
    for (int row = 0; row < count; ++row)
        m_heights.append(estimate);
    invalidateHeights();
}

void MessageView::invalidateHeights()
{
    m_heights.markAllStale();
    m_remeasureCursor = m_heights.count() - 1;
    measureVisibleRows();
    if (m_heights.staleCount() > 0)
        m_remeasureTimer.start();
    viewport()->update();
}

int MessageView::measure(int row) const
{
    return m_delegate->rowHeight(m_model->index(row), false);
}

void MessageView::measureVisibleRows()
{
    if (!m_model)
        return;
    for (int pass = 0; pass < kMaxMeasurePasses; ++pass) {
        updateScrollRange();
        const qint64 top = verticalOffset();
        const qint64 bottom = top + viewport()->height();
        bool changed = false;
        int row = m_heights.rowAt(top);
        for (qint64 y = m_heights.top(row); row >= 0 && row < m_heights.count() && y < bottom; ++row) {
            if (m_heights.isStale(row)) {
                m_heights.setHeight(row, measure(row));
                changed = true;
            }
            y += m_heights.height(row);
        }
        if (!changed)
            return;
    }
    updateScrollRange();
}

void MessageView::remeasureSlice()
{
    QElapsedTimer slice;
    slice.start();
    while (m_remeasureCursor >= 0 && slice.elapsed() < kRemeasureSliceMsecs) {
        if (m_remeasureCursor < m_heights.count() && m_heights.isStale(m_remeasureCursor))
            m_heights.setHeight(m_remeasureCursor, measure(m_remeasureCursor));
        --m_remeasureCursor;
    }
    if (m_remeasureCursor < 0 || m_heights.staleCount() == 0)
        m_remeasureTimer.stop();
    measureVisibleRows();
    viewport()->update();
}

void MessageView::updateScrollRange()
{
    QScrollBar *bar = verticalScrollBar();
    const int page = viewport()->height();
    m_adjusting = true;
    bar->setRange(0, int(std::max<qint64>(0, m_heights.total() - page)));
    bar->setPageStep(page);
    bar->setSingleStep(fontMetrics().lineSpacing() * kScrollLines);
    if (m_following)
        bar->setValue(bar->maximum());
    else
        restoreAnchor();
    m_adjusting = false;
    placeNewMessagesButton();
}

void MessageView::onScrolled(int value)
{
    if (m_adjusting)
        return;
    const bool atBottom = value >= verticalScrollBar()->maximum() - kBottomTolerance;
    m_following = atBottom;
    if (atBottom) {
        m_anchorSerial = 0;
        setUnseen(0);
    } else {
        rememberAnchor();
    }
    measureVisibleRows();
}

void MessageView::rememberAnchor()
{
    const int row = m_heights.rowAt(verticalOffset());
    if (!m_model || row < 0) {
        m_anchorSerial = 0;
        return;
    }
    m_anchorSerial = m_model->entry(row).serial;
    m_anchorOffset = int(verticalOffset() - m_heights.top(row));
}

void MessageView::restoreAnchor()
{
    if (!m_model || m_anchorSerial == 0)
        return;
    int row = m_model->rowForSerial(m_anchorSerial);
    if (row < 0) {
        // The row being read dropped off the top: hold on to the new first row.
        row = 0;
        m_anchorOffset = 0;
        m_anchorSerial = m_model->rowCount() > 0 ? m_model->entry(0).serial : 0;
    }
    const qint64 value = m_heights.top(row) + m_anchorOffset;
    verticalScrollBar()->setValue(int(std::clamp<qint64>(value, 0, verticalScrollBar()->maximum())));
}

// ---- painting and events ----

void MessageView::paintEvent(QPaintEvent *event)
{
    if (!m_model || m_heights.count() == 0)
        return;
    QPainter painter(viewport());
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    const QStyle::State baseState = option.state;
    const QModelIndex current = currentIndex();
    const bool focus = hasFocus() && current.isValid();
    const QItemSelectionModel *selection = selectionModel();
    const int width = viewport()->width();
    const qint64 offset = verticalOffset();
    const QRect area = event->rect();

    int row = m_heights.rowAt(offset + area.top());
    for (qint64 y = m_heights.top(row) - offset; row < m_heights.count() && y <= area.bottom(); ++row) {
        const int height = m_heights.height(row);
        const QModelIndex index = m_model->index(row);
        option.rect = QRect(0, int(y), width, height);
        option.state = baseState;
        if (selection && selection->isSelected(index))
            option.state |= QStyle::State_Selected;
        if (focus && index == current)
            option.state |= QStyle::State_HasFocus;
        m_delegate->paint(&painter, option, index);
        y += height;
    }
}

void MessageView::resizeEvent(QResizeEvent *event)
{
    QAbstractItemView::resizeEvent(event);
    if (m_delegate->setRowWidth(viewport()->width()))
        invalidateHeights();
    else
        measureVisibleRows();
    placeNewMessagesButton();
}

void MessageView::changeEvent(QEvent *event)
{
    QListView::changeEvent(event);
    switch (event->type()) {
    case QEvent::FontChange:
    case QEvent::PaletteChange:
    case QEvent::StyleChange:
        m_delegate->setAppearance(font(), palette());
        invalidateHeights();
        break;
    default:
        break;
    }
}

void MessageView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        copySelection();
        return;
    }
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && currentIndex().isValid()) {
        const QList<QUrl> links = m_delegate->links(currentIndex());
        if (!links.isEmpty()) {
            emit linkActivated(links.first());
            return;
        }
    }
    if (event->key() == Qt::Key_End && (event->modifiers() & Qt::ControlModifier)) {
        scrollToNewest();
        return;
    }
    QAbstractItemView::keyPressEvent(event);
}

void MessageView::wheelEvent(QWheelEvent *event)
{
    QAbstractItemView::wheelEvent(event);
}

void MessageView::mouseMoveEvent(QMouseEvent *event)
{
    if (linkAt(event->position().toPoint()).isValid())
        viewport()->setCursor(Qt::PointingHandCursor);
    else
        viewport()->unsetCursor();
    QAbstractItemView::mouseMoveEvent(event);
}

void MessageView::mousePressEvent(QMouseEvent *event)
{
    m_pressedLink = event->button() == Qt::LeftButton ? linkAt(event->position().toPoint()) : QUrl();
    QAbstractItemView::mousePressEvent(event);
}

void MessageView::mouseReleaseEvent(QMouseEvent *event)
{
    const QUrl pressed = m_pressedLink;
    m_pressedLink.clear();
    QAbstractItemView::mouseReleaseEvent(event);
    // A click, not a drag that started on a link.
    if (event->button() == Qt::LeftButton && pressed.isValid() && linkAt(event->position().toPoint()) == pressed) {
        qCInfo(lcGuiView) << "opening" << pressed;
        emit linkActivated(pressed);
    }
}

void MessageView::contextMenuEvent(QContextMenuEvent *event)
{
    const bool fromKeyboard = event->reason() == QContextMenuEvent::Keyboard;
    const QModelIndex index = fromKeyboard ? currentIndex() : indexAt(event->pos());
    QUrl link = fromKeyboard ? QUrl() : linkAt(event->pos());
    if (!link.isValid() && index.isValid()) {
        const QList<QUrl> links = m_delegate->links(index);
        if (!links.isEmpty())
            link = links.first();
    }

    QMenu menu(this);
    QAction *copy = menu.addAction(tr("&Copy"), this, &MessageView::copySelection);
    copy->setShortcut(QKeySequence::Copy);
    copy->setEnabled(selectionModel() && selectionModel()->hasSelection());
    menu.addAction(tr("Select &All"), this, &QAbstractItemView::selectAll)->setShortcut(QKeySequence::SelectAll);
    if (link.isValid()) {
        menu.addSeparator();
        menu.addAction(tr("&Open Link"), this, [this, link] { emit linkActivated(link); });
        menu.addAction(tr("Copy &Link Address"), this, [link] { QApplication::clipboard()->setText(link.toString()); });
    }
    if (index.isValid() && m_model) {
        const MessageLogModel::Entry &e = m_model->entry(index.row());
        if (isChatRow(e.kind) && !e.own && !e.nick.isEmpty()) {
            menu.addSeparator();
            const QString nick = e.nick;
            menu.addAction(tr("&Whisper to %1").arg(nick), this, [this, nick] { emit whisperRequested(nick); });
        }
    }
    const QPoint at =
        fromKeyboard && index.isValid() ? viewport()->mapToGlobal(visualRect(index).center()) : event->globalPos();
    menu.exec(at);
}

void MessageView::setUnseen(int count)
{
    const bool changed = count != m_unseen;
    m_unseen = count;
    if (count > 0) {
        m_newMessagesButton->setText(tr("%n new message(s)", nullptr, count));
        m_newMessagesButton->adjustSize();
        placeNewMessagesButton();
    }
    m_newMessagesButton->setVisible(count > 0);
    if (changed)
        emit unseenCountChanged(count);
}

void MessageView::placeNewMessagesButton()
{
    if (!m_newMessagesButton)
        return;
    const int margin = fontMetrics().height() / 2;
    const QSize size = m_newMessagesButton->sizeHint();
    m_newMessagesButton->setGeometry(viewport()->width() - size.width() - margin,
                                     viewport()->height() - size.height() - margin, size.width(), size.height());
}

QUrl MessageView::linkAt(const QPoint &viewportPos) const
{
    const QModelIndex index = indexAt(viewportPos);
    if (!index.isValid())
        return {};
    return m_delegate->linkAt(index, visualRect(index), viewportPos);
}

void MessageView::copySelection() const
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}
