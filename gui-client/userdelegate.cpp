// SPDX-License-Identifier: MIT
#include "userdelegate.h"

#include "chattheme.h"
#include "userlistmodel.h"

UserDelegate::UserDelegate(QObject *parent) : QStyledItemDelegate(parent)
{}

void UserDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QString nick = index.data(UserListModel::NickRole).toString();
    const ChatTheme theme(option->palette);
    option->palette.setColor(QPalette::Text, theme.nickColor(nick));
    if (index.data(UserListModel::IsSelfRole).toBool()) {
        option->font.setBold(true);
        option->text = tr("%1 (you)").arg(nick);
    }
}
