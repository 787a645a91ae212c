// SPDX-License-Identifier: MIT
#include "roomsidebar.h"

#include "conversationlistmodel.h"
#include "notificationlevelmenu.h"
#include "roomdelegate.h"

#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QVBoxLayout>

RoomSidebar::RoomSidebar(ConversationListModel *model, NotificationSettings *notifications, QWidget *parent)
    : QWidget(parent), m_model(model), m_notifications(notifications), m_list(new QListView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *header = new QLabel(tr("&Rooms"), this);
    QFont headerFont = header->font();
    headerFont.setBold(true);
    header->setFont(headerFont);
    header->setBuddy(m_list);
    header->setContentsMargins(fontMetrics().averageCharWidth() / 2, 0, 0, 0);

    m_list->setModel(m_model);
    m_list->setItemDelegate(new RoomDelegate(m_list));
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->setAccessibleName(tr("Rooms and conversations"));
    m_list->setAccessibleDescription(tr("Click or press Enter on a room or a conversation to show it."));
    layout->addWidget(header);
    layout->addWidget(m_list, 1);

    connect(m_list, &QListView::clicked, this, [this](const QModelIndex &index) {
        m_model->setCurrent(index.row());
        emit rowClicked();
    });
    connect(m_list, &QListView::activated, this,
            [this](const QModelIndex &index) { m_model->setCurrent(index.row()); });
    connect(m_list, &QWidget::customContextMenuRequested, this, &RoomSidebar::showContextMenu);
    connect(m_model, &ConversationListModel::currentChanged, this, &RoomSidebar::followCurrent);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &RoomSidebar::followCurrent);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &RoomSidebar::followCurrent);
    followCurrent();
}

RoomSidebar::~RoomSidebar() = default;

void RoomSidebar::step(int step)
{
    const int count = m_model->rowCount();
    if (count == 0)
        return;
    m_model->setCurrent(((m_model->current() + step) % count + count) % count);
}

void RoomSidebar::followCurrent()
{
    m_list->setCurrentIndex(m_model->index(m_model->current()));
}

void RoomSidebar::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_list->indexAt(pos);
    if (!index.isValid())
        return;
    contextMenu(index.row())->exec(m_list->viewport()->mapToGlobal(pos));
}

std::unique_ptr<QMenu> RoomSidebar::contextMenu(int row)
{
    auto menu = std::make_unique<QMenu>(this);
    menu->addAction(tr("&Show"), this, [this, row] { m_model->setCurrent(row); });
    if (m_notifications)
        menu->addMenu(new NotificationLevelMenu(m_model->name(row), m_notifications, menu.get()));
    menu->addSeparator();
    if (m_model->isDirect(row)) {
        menu->addAction(tr("&Close Conversation"), this, [this, row] { m_model->closeDirect(row); });
    } else {
        const QString room = m_model->name(row);
        QAction *leave = menu->addAction(tr("&Leave Room"), this, [this, room] { emit leaveRequested(room); });
        leave->setEnabled(row != 0); // nobody leaves #lobby
    }
    return menu;
}
