// SPDX-License-Identifier: MIT
#include "messageview.h"

#include "guilogging.h"
#include "messagedelegate.h"
#include "messagelogmodel.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QScrollBar>
#include <QToolButton>

#include <algorithm>

using namespace Qt::StringLiterals;
using Kind = MessageLogModel::Kind;

namespace {

// Within this many pixels of the end counts as "at the bottom".
constexpr int kBottomTolerance = 2;

bool isChatRow(Kind kind)
{
    return kind == Kind::Message || kind == Kind::Action || kind == Kind::Whisper;
}

} // namespace

MessageView::MessageView(QWidget *parent) : QListView(parent), m_delegate(new MessageDelegate(this))
{
    setItemDelegate(m_delegate);
    // Rows differ in height; cached heights keep the relayout after an
    // append cheap (see MessageDelegate), and one pass keeps the scroll
    // position consistent after every append.
    setUniformItemSizes(false);
    setLayoutMode(QListView::SinglePass);
    setResizeMode(QListView::Fixed);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // A scroll bar that comes and goes would change the width and relayout every row.
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setTextElideMode(Qt::ElideNone);
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setFrameShape(QFrame::NoFrame);
    setAccessibleName(tr("Messages"));
    setAccessibleDescription(tr("The conversation, oldest at the top. Ctrl+C copies the selected messages."));

    m_newMessagesButton = new QToolButton(viewport());
    m_newMessagesButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_newMessagesButton->setIcon(style()->standardIcon(QStyle::SP_ArrowDown));
    m_newMessagesButton->setCursor(Qt::ArrowCursor);
    m_newMessagesButton->setFocusPolicy(Qt::NoFocus); // Ctrl+End does the same from the keyboard
    m_newMessagesButton->setAccessibleName(tr("Jump to the newest message"));
    m_newMessagesButton->hide();
    connect(m_newMessagesButton, &QToolButton::clicked, this, &MessageView::scrollToNewest);

    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &MessageView::onScrolled);
    m_delegate->setAppearance(font(), palette());
}

MessageView::~MessageView() = default;

void MessageView::setLogModel(MessageLogModel *model)
{
    m_model = model;
    setModel(model);
}

void MessageView::scrollToNewest()
{
    m_following = true;
    m_anchor = QPersistentModelIndex();
    setUnseen(0);
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

void MessageView::showRow(int row)
{
    const QModelIndex index = model() ? model()->index(row, 0) : QModelIndex();
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

void MessageView::updateGeometries()
{
    m_adjusting = true;
    QListView::updateGeometries();
    verticalScrollBar()->setSingleStep(fontMetrics().height() * 3);
    if (m_following)
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    else
        restoreAnchor();
    m_adjusting = false;
    placeNewMessagesButton();
}

void MessageView::resizeEvent(QResizeEvent *event)
{
    QListView::resizeEvent(event);
    if (m_delegate->setRowWidth(viewport()->width()))
        scheduleDelayedItemsLayout();
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
        scheduleDelayedItemsLayout();
        viewport()->update();
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
    QListView::keyPressEvent(event);
}

void MessageView::mouseMoveEvent(QMouseEvent *event)
{
    if (linkAt(event->position().toPoint()).isValid())
        viewport()->setCursor(Qt::PointingHandCursor);
    else
        viewport()->unsetCursor();
    QListView::mouseMoveEvent(event);
}

void MessageView::mousePressEvent(QMouseEvent *event)
{
    m_pressedLink = event->button() == Qt::LeftButton ? linkAt(event->position().toPoint()) : QUrl();
    QListView::mousePressEvent(event);
}

void MessageView::mouseReleaseEvent(QMouseEvent *event)
{
    const QUrl pressed = m_pressedLink;
    m_pressedLink.clear();
    QListView::mouseReleaseEvent(event);
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

void MessageView::rowsInserted(const QModelIndex &parent, int start, int end)
{
    QListView::rowsInserted(parent, start, end);
    if (m_following || !m_model)
        return;
    int chatRows = 0;
    for (int row = start; row <= end; ++row) {
        if (isChatRow(m_model->entry(row).kind))
            ++chatRows;
    }
    if (chatRows > 0)
        setUnseen(m_unseen + chatRows);
}

void MessageView::rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end)
{
    if (m_model && !parent.isValid()) {
        m_delegate->forgetRows(m_model, start, end);
        // The row the user was reading is dropping off the top: hold on to the next one instead.
        if (m_anchor.isValid() && m_anchor.row() >= start && m_anchor.row() <= end) {
            m_anchor = m_model->index(end + 1, 0);
            m_anchorOffset = 0;
        }
    }
    QListView::rowsAboutToBeRemoved(parent, start, end);
}

void MessageView::onScrolled(int value)
{
    if (m_adjusting)
        return;
    const bool atBottom = value >= verticalScrollBar()->maximum() - kBottomTolerance;
    m_following = atBottom;
    if (atBottom) {
        m_anchor = QPersistentModelIndex();
        setUnseen(0);
        return;
    }
    rememberAnchor();
}

void MessageView::rememberAnchor()
{
    const QModelIndex top = indexAt(QPoint(1, 0));
    m_anchor = top;
    m_anchorOffset = top.isValid() ? visualRect(top).top() : 0;
}

void MessageView::restoreAnchor()
{
    if (!m_anchor.isValid())
        return;
    const int delta = visualRect(m_anchor).top() - m_anchorOffset;
    if (delta != 0)
        verticalScrollBar()->setValue(verticalScrollBar()->value() + delta);
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
    // QListView lays out (and calls updateGeometries) while it is still being set up.
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
