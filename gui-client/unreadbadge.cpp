// SPDX-License-Identifier: MIT
#include "unreadbadge.h"

#include <QFont>
#include <QLocale>
#include <QPainter>
#include <QPixmap>

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxShown = 99;
// The sizes panels draw tray icons at.
constexpr int kSizes[] = {16, 22, 24, 32, 48, 64};
// The badge covers this share of the icon's height, so it stays legible at 16 px.
constexpr qreal kBadgeShare = 0.62;
const QColor kBadgeColor(0xd9, 0x2d, 0x20);

QPixmap badged(const QIcon &base, int size, const QString &text)
{
    QPixmap pixmap = base.pixmap(size, size);
    if (pixmap.isNull() || pixmap.width() != size) {
        QPixmap blank(size, size);
        blank.fill(Qt::transparent);
        QPainter painter(&blank);
        painter.drawPixmap(blank.rect(), pixmap);
        pixmap = blank;
    }
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const qreal height = size * kBadgeShare;
    const qreal width = qMin<qreal>(size, height * (text.size() > 1 ? 1.35 : 1.0));
    const QRectF disc(size - width, 0, width, height);
    painter.setPen(Qt::NoPen);
    painter.setBrush(kBadgeColor);
    painter.drawRoundedRect(disc, height / 2, height / 2);
    QFont font = painter.font();
    font.setBold(true);
    font.setPixelSize(qMax(6, int(height * (text.size() > 2 ? 0.5 : 0.7))));
    painter.setFont(font);
    painter.setPen(Qt::white);
    painter.drawText(disc, Qt::AlignCenter, text);
    return pixmap;
}

} // namespace

QString UnreadBadge::text(int count)
{
    if (count <= 0)
        return {};
    if (count > kMaxShown)
        return QLocale().toString(kMaxShown) + u'+';
    return QLocale().toString(count);
}

QIcon UnreadBadge::icon(const QIcon &base, int count)
{
    if (count <= 0)
        return base;
    const QString label = text(count);
    QIcon icon;
    for (const int size : kSizes)
        icon.addPixmap(badged(base, size, label));
    return icon;
}
