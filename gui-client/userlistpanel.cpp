// SPDX-License-Identifier: MIT
#include "userlistpanel.h"

#include "userdelegate.h"
#include "userlistmodel.h"

#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QVBoxLayout>

UserListPanel::UserListPanel(UserListModel *model, QWidget *parent)
    : QWidget(parent), m_model(model), m_header(new QLabel(this)), m_list(new QListView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    QFont headerFont = m_header->font();
    headerFont.setBold(true);
    m_header->setFont(headerFont);
    m_header->setBuddy(m_list);
    m_header->setContentsMargins(fontMetrics().averageCharWidth() / 2, 0, 0, 0);

    m_list->setItemDelegate(new UserDelegate(m_list));
    m_list->setUniformItemSizes(true);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->setAccessibleName(tr("Users online"));
    m_list->setAccessibleDescription(tr("Double-click or press Enter on a user to whisper to them."));
    m_list->setToolTip(tr("Double-click a user to whisper to them"));

    layout->addWidget(m_header);
    layout->addWidget(m_list, 1);

    setModel(m_model);
    connect(m_list, &QListView::activated, this, [this](const QModelIndex &index) {
        if (!index.data(UserListModel::IsSelfRole).toBool())
            emit whisperRequested(index.data(UserListModel::NickRole).toString());
    });
    connect(m_list, &QWidget::customContextMenuRequested, this, &UserListPanel::showContextMenu);
}

UserListPanel::~UserListPanel() = default;

void UserListPanel::setModel(UserListModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_list->setModel(m_model);
    connect(m_model, &UserListModel::countChanged, this, &UserListPanel::updateHeader);
    updateHeader();
}

QString UserListPanel::headerText() const
{
    return m_header->text();
}

void UserListPanel::updateHeader()
{
    m_header->setText(tr("%n &user(s) online", nullptr, m_model->count()));
}

void UserListPanel::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_list->indexAt(pos);
    if (!index.isValid())
        return;
    const QString nick = index.data(UserListModel::NickRole).toString();
    QMenu menu(this);
    QAction *whisper =
        menu.addAction(tr("&Whisper to %1").arg(nick), this, [this, nick] { emit whisperRequested(nick); });
    whisper->setEnabled(!index.data(UserListModel::IsSelfRole).toBool());
    menu.addAction(tr("&Mention in Message"), this, [this, nick] { emit mentionRequested(nick); });
    menu.exec(m_list->viewport()->mapToGlobal(pos));
}
