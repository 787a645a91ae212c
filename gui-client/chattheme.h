// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

// Colours of the chat derived from the current palette, so that light and
// dark system themes both read well. Nothing here is a fixed RGB for the
// background; tints are blends over the palette's base colour.
class ChatTheme final
{
public:
    explicit ChatTheme(const QPalette &palette);

    bool isDark() const { return m_dark; }

    // A stable colour per nickname: the same nick gets the same colour in
    // every session and on every machine (hash of the nick's identity, not
    // Qt's seeded qHash), readable on the palette's base.
    QColor nickColor(const QString &nick) const;

    QColor text() const;
    QColor quietText() const; // timestamps and system events
    QColor errorText() const;
    QColor link() const;
    QColor ownBackground() const;
    QColor mentionBackground() const;
    QColor mentionAccent() const;
    QColor whisperBackground() const;
    QColor whisperAccent() const;
    QColor selectionBackground() const;
    QColor searchHitBackground() const;

    static QColor blend(const QColor &base, const QColor &over, qreal amount);

private:
    QPalette m_palette;
    bool m_dark;
};
