// SPDX-License-Identifier: MIT
#pragma once

#include "chattheme.h"

#include <QCache>
#include <QFont>
#include <QHash>
#include <QStyledItemDelegate>
#include <QTextLayout>
#include <QUrl>

#include <memory>

class MessageLogModel;

// Paints the rows of a MessageLogModel in columns, the way IRC clients do:
//
//   22:00     alice  hello, this is a long message that wraps under
//                    itself and keeps the nick column clear
//   22:01         →  carol joined
//
// Row heights are cached per row (keyed by the model's row serial) for the
// current width and font, so the list view's relayout after an append costs
// a hash lookup per row, not a text layout. Full text layouts (for painting
// and link hit-testing) are kept only for a bounded number of recent rows.
class MessageDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit MessageDelegate(QObject *parent = nullptr);
    ~MessageDelegate() override;

    // The width rows are laid out for: the view's viewport width. Returns
    // true when it changed (every height must be measured again).
    bool setRowWidth(int width);
    int rowWidth() const { return m_rowWidth; }

    // Font or palette changed: everything cached is stale.
    void setAppearance(const QFont &font, const QPalette &palette);

    // Text to highlight in every row (Ctrl+F); empty for none.
    void setSearchTerm(const QString &term);
    QString searchTerm() const { return m_searchTerm; }

    // Rows that left the model: their cache entries go too.
    void forgetRows(const MessageLogModel *model, int first, int last);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The link under `pos` in a row painted at `rowRect`, if any.
    QUrl linkAt(const QModelIndex &index, const QRect &rowRect, const QPoint &pos) const;
    QList<QUrl> links(const QModelIndex &index) const;

    // For tests and the benchmark: how many rows have a cached height.
    int cachedHeights() const { return int(m_heights.size()); }
    // How many rows were laid out (text shaping) since construction.
    quint64 layoutCount() const { return m_layoutCount; }

private:
    struct Link {
        int start = 0;
        int length = 0;
        QUrl url;
    };
    struct RowLayout {
        std::unique_ptr<QTextLayout> text;
        QList<Link> links;
        int height = 0;
    };

    void updateGeometry();
    const RowLayout *layoutFor(const MessageLogModel *model, int row) const;
    std::unique_ptr<RowLayout> buildLayout(const MessageLogModel *model, int row) const;
    void paintNickColumn(QPainter *painter, const QRect &rect, qreal baseline, const MessageLogModel *model,
                         int row) const;

    QFont m_font;
    QFont m_boldFont;
    ChatTheme m_theme;
    int m_rowWidth = 0;
    QString m_searchTerm;

    // Geometry derived from the font and width (see updateGeometry()).
    int m_padding = 0;
    int m_verticalPadding = 0;
    int m_timeWidth = 0;
    int m_nickWidth = 0;
    int m_gap = 0;
    int m_textX = 0;
    int m_textWidth = 0;
    int m_accentWidth = 0;

    mutable QHash<quint64, int> m_heights;
    mutable QCache<quint64, RowLayout> m_layouts;
    mutable quint64 m_layoutCount = 0;
};
