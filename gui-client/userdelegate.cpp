// SPDX-License-Identifier: MIT
#include "userdelegate.h"

#include "chattheme.h"
#include "userlistmodel.h"

using namespace Qt::StringLiterals;

namespace {
// How much of its colour an away user's name keeps: readable, yet set apart.
constexpr qreal kAwayOpacity = 0.45;
} // namespace

UserDelegate::UserDelegate(QObject *parent) : QStyledItemDelegate(parent)
{}

void UserDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QString nick = index.data(UserListModel::NickRole).toString();
    const ChatTheme theme(option->palette);
    option->palette.setColor(QPalette::Text, theme.nickColor(nick));
    // "@" marks an operator, as IRC clients do; the accessible text says it in words.
    const QString shown = index.data(UserListModel::IsOperatorRole).toBool() ? u'@' + nick : nick;
    option->text = shown;
    if (index.data(UserListModel::IsSelfRole).toBool()) {
        option->font.setBold(true);
        option->text = tr("%1 (you)").arg(shown);
    }
    // Away users are dimmed and in italics, as in Quassel and HexChat; the
    // away message is the row's tooltip (the model's ToolTipRole).
    if (index.data(UserListModel::IsAwayRole).toBool()) {
        QColor dimmed = option->palette.color(QPalette::Text);
        dimmed.setAlphaF(kAwayOpacity);
        option->palette.setColor(QPalette::Text, dimmed);
        option->font.setItalic(true);
    }
}
