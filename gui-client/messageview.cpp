// SPDX-License-Identifier: MIT
#include "messageview.h"

#include "messageactions.h"
#include "messagedelegate.h"
#include "messagelayout.h"
#include "messagelogmodel.h"
#include "newmessagesbutton.h"
#include "rownavigation.h"

#include <QAccessible>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>

#include <algorithm>

using namespace Qt::StringLiterals;
using Kind = MessageLogModel::Kind;

// MessageView is a QListView for what users and assistive technology see, but
// lays its rows out itself (see messageview.h): its overrides call
// QAbstractItemView's implementations, never QListView's, on purpose.
// NOLINTBEGIN(bugprone-parent-virtual-call)

namespace {

// Within this many pixels of the end counts as "at the bottom".
constexpr int kBottomTolerance = 2;
// Measuring the visible rows can move what is visible; this many rounds always settle it.
constexpr int kMaxMeasurePasses = 8;
constexpr int kScrollLines = 3;

bool isChatRow(Kind kind)
{
    return kind == Kind::Message || kind == Kind::Action || kind == Kind::Whisper;
}

// The accessible child of a row is its row number (see currentChanged()).
void tellAccessibility(QWidget *view, QAccessible::Event type, const QModelIndex &row)
{
    if (!QAccessible::isActive() || !row.isValid())
        return;
    QAccessibleEvent event(view, type);
    event.setChild(row.row());
    QAccessible::updateAccessibility(&event);
}

} // namespace

MessageView::MessageView(QWidget *parent)
    : QListView(parent)
    , m_delegate(new MessageDelegate(this))
    , m_layout(new MessageLayout([this](int row) { return m_delegate->rowHeight(m_model->index(row), false); }, this))
{
    m_actions = new MessageActions(this, m_delegate);
    connect(m_actions, &MessageActions::linkActivated, this, &MessageView::linkActivated);
    connect(m_actions, &MessageActions::whisperRequested, this, &MessageView::whisperRequested);
    m_newMessagesButton = new NewMessagesButton(viewport());
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

    connect(m_layout, &MessageLayout::heightsChanged, this, [this] {
        measureVisibleRows();
        viewport()->update();
    });
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &MessageView::onScrolled);
    m_delegate->setAppearance(font(), palette());
}

MessageView::~MessageView() = default;

void MessageView::setLogModel(MessageLogModel *model)
{
    if (model == m_model) // disconnecting would cut what setModel() does not make again
        return;
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_delegate->forgetAllRows();
    m_actions->setModel(model);
    setModel(model);
    if (m_model)
        connect(m_model, &QAbstractItemModel::rowsRemoved, this, &MessageView::onRowsRemoved);
    rebuildLayout();
}

void MessageView::scrollToNewest()
{
    followNewest();
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
    return m_actions->selectedText();
}

// ---- geometry ----

QRect MessageView::visualRect(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != m_model || index.row() >= heights().count())
        return {};
    const qint64 top = heights().top(index.row()) - verticalOffset();
    return {0, int(top), viewport()->width(), heights().height(index.row())};
}

QModelIndex MessageView::indexAt(const QPoint &point) const
{
    if (!m_model || heights().count() == 0)
        return {};
    const qint64 y = qint64(point.y()) + verticalOffset();
    if (y < 0 || y >= heights().total() || point.x() < 0 || point.x() >= viewport()->width())
        return {};
    return m_model->index(heights().rowAt(y));
}

void MessageView::scrollTo(const QModelIndex &index, ScrollHint hint)
{
    if (!index.isValid() || index.model() != m_model || index.row() >= heights().count())
        return;
    const int row = index.row();
    if (heights().isStale(row))
        m_layout->remeasure(row);
    updateScrollRange();
    const qint64 value = RowNavigation::scrollValue(heights(), row, verticalOffset(), viewport()->height(), hint);
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
    followNewest();
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
    const int count = heights().count();
    if (!m_model || count == 0)
        return {};
    const QModelIndex current = currentIndex();
    // Without a current row, keyboard navigation starts at the bottom of what is visible.
    const int row = current.isValid() ? current.row() : heights().rowAt(verticalOffset() + viewport()->height() - 1);
    // Indexed by CursorAction: MoveUp, MoveDown, MoveLeft, MoveRight, MoveHome,
    // MoveEnd, MovePageUp, MovePageDown, MoveNext, MovePrevious.
    using enum RowNavigation::Step;
    static constexpr RowNavigation::Step kSteps[] = {Previous, Next,   Stay,     Stay, First,
                                                     Last,     PageUp, PageDown, Next, Previous};
    static_assert(MoveUp == 0 && MoveHome == 4 && MovePageDown == 7 && MovePrevious == 9);
    const RowNavigation::Step step = kSteps[cursorAction];
    return m_model->index(RowNavigation::rowAfter(heights(), step, row, current.isValid(), viewport()->height()));
}

void MessageView::setSelection(const QRect &rect, QItemSelectionModel::SelectionFlags command)
{
    if (!m_model || !selectionModel() || heights().count() == 0)
        return;
    const QRect normalized = rect.normalized();
    const int first = heights().rowAt(qint64(normalized.top()) + verticalOffset());
    const int last = heights().rowAt(qint64(normalized.bottom()) + verticalOffset());
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

// QListView's would measure every row.
QSize MessageView::viewportSizeHint() const
{
    return QAbstractItemView::viewportSizeHint();
}

// QListView tells assistive technology about the current and selected rows
// by their place in its own layout, which this view does not use; in a
// list the accessible child of a row is simply its row number.
void MessageView::currentChanged(const QModelIndex &current, const QModelIndex &previous)
{
    if (hasFocus())
        tellAccessibility(this, QAccessible::Focus, current);
    QAbstractItemView::currentChanged(current, previous);
}

void MessageView::selectionChanged(const QItemSelection &selected, const QItemSelection &deselected)
{
    tellAccessibility(this, QAccessible::SelectionAdd, selected.indexes().value(0));
    tellAccessibility(this, QAccessible::SelectionRemove, deselected.indexes().value(0));
    QAbstractItemView::selectionChanged(selected, deselected);
}

// ---- model changes ----

void MessageView::dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles)
{
    QAbstractItemView::dataChanged(topLeft, bottomRight, roles);
    for (int row = topLeft.row(); row <= bottomRight.row() && row < heights().count(); ++row)
        m_layout->remeasure(row);
    updateScrollRange();
}

void MessageView::rowsInserted(const QModelIndex &parent, int start, int end)
{
    QAbstractItemView::rowsInserted(parent, start, end);
    if (parent.isValid() || !m_model)
        return;
    if (start != heights().count()) {
        rebuildLayout(); // not an append; MessageLogModel never does this
        return;
    }
    // New rows are usually on screen next: keep the text layouts made to measure them.
    m_layout->append(start, end, [this](int row) { return m_delegate->rowHeight(m_model->index(row), true); });
    int chatRows = 0;
    for (int row = start; row <= end; ++row)
        chatRows += isChatRow(m_model->entry(row).kind) ? 1 : 0;
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
    const qint64 newTop = heights().top(start) - verticalOffset();
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
        removedHeight += heights().height(row);
    const qint64 before = verticalOffset();
    m_layout->removeFirst(count);

    // Every remaining row moved up by removedHeight; so does the scroll
    // position, and no pixel has to move or be repainted.
    const qint64 target = before - removedHeight;
    QScrollBar *bar = verticalScrollBar();
    m_keepPixels = true;
    m_adjusting = true;
    bar->setRange(0, int(std::max<qint64>(0, heights().total() - viewport()->height())));
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
    m_layout->rebuild(m_model ? m_model->rowCount() : 0, m_delegate->singleLineHeight());
    measureVisibleRows();
    viewport()->update();
}

void MessageView::invalidateHeights()
{
    m_layout->invalidate();
    measureVisibleRows();
    viewport()->update();
}

const RowHeights &MessageView::heights() const
{
    return m_layout->heights();
}

void MessageView::measureVisibleRows()
{
    if (!m_model)
        return;
    // Measuring can move what is visible (the anchor or the bottom is kept); a few rounds settle it.
    for (int pass = 0; pass < kMaxMeasurePasses; ++pass) {
        updateScrollRange();
        if (!m_layout->measureRange(verticalOffset(), verticalOffset() + viewport()->height()))
            return;
    }
    updateScrollRange();
}

void MessageView::updateScrollRange()
{
    QScrollBar *bar = verticalScrollBar();
    const int page = viewport()->height();
    m_adjusting = true;
    bar->setRange(0, int(std::max<qint64>(0, heights().total() - page)));
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
        m_anchor.clear();
        setUnseen(0);
    } else if (m_model) {
        m_anchor.remember(*m_model, heights(), value);
    }
    measureVisibleRows();
}

void MessageView::restoreAnchor()
{
    if (!m_model || !m_anchor.isSet())
        return;
    const qint64 value = m_anchor.restoredValue(*m_model, heights());
    verticalScrollBar()->setValue(int(std::clamp<qint64>(value, 0, verticalScrollBar()->maximum())));
}

// ---- painting and events ----

void MessageView::paintEvent(QPaintEvent *event)
{
    if (!m_model || heights().count() == 0)
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

    int row = heights().rowAt(offset + area.top());
    for (qint64 y = heights().top(row) - offset; row < heights().count() && y <= area.bottom(); ++row) {
        const int height = heights().height(row);
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
    if (event->key() == Qt::Key_End && (event->modifiers() & Qt::ControlModifier)) {
        scrollToNewest();
        return;
    }
    QAbstractItemView::keyPressEvent(event);
}

void MessageView::followNewest()
{
    m_following = true;
    m_anchor.clear();
    setUnseen(0);
}

void MessageView::setUnseen(int count)
{
    const bool changed = count != m_unseen;
    m_unseen = count;
    m_newMessagesButton->setCount(count);
    if (changed)
        emit unseenCountChanged(count);
}

void MessageView::placeNewMessagesButton()
{
    // QListView lays out (and calls updateGeometries) while it is still being set up.
    if (m_newMessagesButton)
        m_newMessagesButton->place();
}

// NOLINTEND(bugprone-parent-virtual-call)
