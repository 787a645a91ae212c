// SPDX-License-Identifier: MIT
#pragma once

#include "chattheme.h"
#include "messagelogmodel.h"

#include <QCache>
#include <QFont>
#include <QHash>
#include <QStyledItemDelegate>
#include <QTextLayout>
#include <QUrl>

#include <memory>

// Paints the rows of a MessageLogModel in columns, the way IRC clients do:
//
//   22:00     alice  hello, this is a long message that wraps under
//                    itself and keeps the nick column clear
//   22:01         →  carol joined
//
// Text layouts (for painting, measuring and link hit-testing) are cached
// for a bounded number of rows, keyed by the model's row serial; the view
// keeps the heights (see MessageView and RowHeights), so a row is shaped
// once when it arrives and again only when it is painted after leaving the
// cache or after a width or font change.
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
    // Another log is shown. Serials are numbered per log (every room's log
    // starts at 1), so nothing cached for the previous one may be reused.
    void forgetAllRows();

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The link under `pos` in a row painted at `rowRect`, if any.
    QUrl linkAt(const QModelIndex &index, const QRect &rowRect, const QPoint &pos) const;
    QList<QUrl> links(const QModelIndex &index) const;

    // The height of a row at the current width. With keepLayout false a
    // layout made only to measure is not cached (background re-measuring
    // must not push the visible rows out of the cache).
    int rowHeight(const QModelIndex &index, bool keepLayout = true) const;
    // A one-line row: the estimate for rows not measured yet.
    int singleLineHeight() const;

    // For tests and the benchmark: how many layouts are cached.
    int cachedLayouts() const { return int(m_layouts.size()); }
    // How many rows were laid out (text shaping) and painted since construction.
    quint64 layoutCount() const { return m_layoutCount; }
    quint64 paintCount() const { return m_paintCount; }

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
        // Painted on every frame, so worked out once per layout.
        QString clock;
        QString elidedNick;
        QColor nickColor;
    };

    void updateGeometry();
    const RowLayout *layoutFor(const MessageLogModel *model, int row) const;
    std::unique_ptr<RowLayout> buildLayout(const MessageLogModel *model, int row) const;
    void paintNickColumn(QPainter *painter, const QRect &rect, qreal baseline, const MessageLogModel::Entry &entry,
                         const RowLayout &layout) const;
    // ChatTheme::nickColor normalises and case-folds the nick; a busy room
    // has few authors, so the colours are remembered.
    QColor nickColor(const QString &nick) const;

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

    mutable QCache<quint64, RowLayout> m_layouts;
    mutable QHash<QString, QColor> m_nickColors;
    mutable quint64 m_layoutCount = 0;
    mutable quint64 m_paintCount = 0;
};
