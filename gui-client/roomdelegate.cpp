// SPDX-License-Identifier: MIT
#include "roomdelegate.h"

#include "chattheme.h"
#include "conversationlistmodel.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

using namespace Qt::StringLiterals;

RoomDelegate::RoomDelegate(QObject *parent) : QStyledItemDelegate(parent)
{}

QString RoomDelegate::badgeText(int unread, bool mentioned)
{
    if (unread <= 0)
        return {};
    const QString count = QLocale().toString(unread);
    return mentioned ? u"@ "_s + count : count;
}

void RoomDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const bool direct = index.data(ConversationListModel::IsDirectRole).toBool();
    const QString name = index.data(ConversationListModel::NameRole).toString();
    option->text = direct ? u"@"_s + name : name;
    if (index.data(ConversationListModel::UnreadRole).toInt() > 0)
        option->font.setBold(true);
}

void RoomDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QString badge = badgeText(index.data(ConversationListModel::UnreadRole).toInt(),
                                    index.data(ConversationListModel::MentionedRole).toBool());
    if (badge.isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QFont badgeFont = option.font;
    badgeFont.setBold(true);
    const QFontMetrics metrics(badgeFont);
    const int pad = metrics.averageCharWidth();
    const int badgeWidth = metrics.horizontalAdvance(badge) + 2 * pad;
    const QRect badgeRect(option.rect.right() - badgeWidth - pad / 2, option.rect.top() + 2, badgeWidth,
                          option.rect.height() - 4);

    QStyleOptionViewItem rest = option;
    rest.rect.setRight(badgeRect.left() - pad / 2);
    QStyledItemDelegate::paint(painter, rest, index);

    const ChatTheme theme(option.palette);
    const bool mentioned = index.data(ConversationListModel::MentionedRole).toBool();
    const QColor fill = mentioned ? theme.mentionAccent() : theme.quietText();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QPainterPath pill;
    pill.addRoundedRect(badgeRect, badgeRect.height() / 2.0, badgeRect.height() / 2.0);
    painter->fillPath(pill, fill);
    painter->setFont(badgeFont);
    painter->setPen(option.palette.color(QPalette::Base));
    painter->drawText(badgeRect, Qt::AlignCenter, badge);
    painter->restore();
}

QSize RoomDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(qMax(size.height(), option.fontMetrics.height() * 3 / 2));
    return size;
}
