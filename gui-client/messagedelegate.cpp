// SPDX-License-Identifier: MIT
#include "messagedelegate.h"

#include "messagelogmodel.h"
#include "timestamp.h"

#include <QApplication>
#include <QFontMetrics>
#include <QPainter>
#include <QRegularExpression>
#include <QStyle>
#include <QTextLine>

#include <algorithm>

using namespace Qt::StringLiterals;
using Kind = MessageLogModel::Kind;

namespace {

// Full text layouts kept for painting and hit-testing: a few screens' worth.
constexpr int kLayoutCacheRows = 600;
// Distinct authors whose colour is remembered; a flood of new nicks starts over.
constexpr int kMaxRememberedNickColors = 2000;
// The nick column, in average character widths (about 6 Hangul syllables).
constexpr int kNickColumnChars = 13;
// The text column never gets narrower than this, in average character widths.
constexpr int kMinimumTextChars = 12;

const QString kClockTemplate = u"88:88"_s;

const QRegularExpression &urlPattern()
{
    static const QRegularExpression pattern(u"\\b(?:(?:https?|ftp)://|www\\.)[^\\s<>\"]+"_s,
                                            QRegularExpression::CaseInsensitiveOption);
    return pattern;
}

// "see https://example.org/a)." -> the URL without the sentence's punctuation.
qsizetype trimmedUrlLength(QStringView url)
{
    qsizetype length = url.size();
    while (length > 0) {
        const QChar last = url.at(length - 1);
        if (QStringView(u".,;:!?'\"").contains(last)) {
            --length;
            continue;
        }
        if (last == u')' && url.left(length).count(u'(') < url.left(length).count(u')')) {
            --length;
            continue;
        }
        break;
    }
    return length;
}

QString glyphFor(Kind kind)
{
    switch (kind) {
    case Kind::Joined:
        return u"\u2192"_s; // →
    case Kind::Left:
        return u"\u2190"_s; // ←
    case Kind::Renamed:
        return u"\u2194"_s; // ↔
    case Kind::Error:
        return u"!"_s;
    case Kind::Notice:
        return u"\u2022"_s; // •
    case Kind::Action:
        return u"*"_s;
    case Kind::Message:
    case Kind::Whisper:
        break;
    }
    return {};
}

bool isSystem(Kind kind)
{
    return kind != Kind::Message && kind != Kind::Action && kind != Kind::Whisper;
}

QTextCharFormat colouredFormat(const QColor &color, bool bold, bool italic = false)
{
    QTextCharFormat format;
    format.setForeground(color);
    if (bold)
        format.setFontWeight(QFont::Bold);
    if (italic)
        format.setFontItalic(true);
    return format;
}

} // namespace

MessageDelegate::MessageDelegate(QObject *parent)
    : QStyledItemDelegate(parent), m_theme(QApplication::palette()), m_layouts(kLayoutCacheRows)
{
    setAppearance(QApplication::font(), QApplication::palette());
}

MessageDelegate::~MessageDelegate() = default;

bool MessageDelegate::setRowWidth(int width)
{
    if (width == m_rowWidth)
        return false;
    m_rowWidth = width;
    updateGeometry();
    return true;
}

void MessageDelegate::setAppearance(const QFont &font, const QPalette &palette)
{
    m_font = font;
    m_boldFont = font;
    m_boldFont.setBold(true);
    m_theme = ChatTheme(palette);
    m_nickColors.clear();
    updateGeometry();
}

void MessageDelegate::setSearchTerm(const QString &term)
{
    if (term == m_searchTerm)
        return;
    m_searchTerm = term;
    // Highlights change the formats, not the heights.
    m_layouts.clear();
}

void MessageDelegate::forgetRows(const MessageLogModel *model, int first, int last)
{
    for (int row = first; row <= last; ++row) {
        const quint64 serial = model->entry(row).serial;
        m_layouts.remove(serial);
    }
}

void MessageDelegate::forgetAllRows()
{
    m_layouts.clear();
}

void MessageDelegate::updateGeometry()
{
    const QFontMetrics metrics(m_font);
    const int charWidth = std::max(1, metrics.averageCharWidth());
    m_padding = charWidth;
    m_verticalPadding = std::max(1, metrics.height() / 5);
    m_accentWidth = std::max(2, metrics.height() / 7);
    m_gap = charWidth + charWidth / 2;
    m_timeWidth = metrics.horizontalAdvance(kClockTemplate);
    m_nickWidth = charWidth * kNickColumnChars;
    m_textX = m_padding + m_timeWidth + m_gap + m_nickWidth + m_gap;
    m_textWidth = std::max(m_rowWidth - m_textX - m_padding, charWidth * kMinimumTextChars);
    m_layouts.clear();
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    if (!qobject_cast<const MessageLogModel *>(index.model()))
        return QStyledItemDelegate::sizeHint(option, index);
    return {m_rowWidth, rowHeight(index)};
}

int MessageDelegate::rowHeight(const QModelIndex &index, bool keepLayout) const
{
    const auto *model = qobject_cast<const MessageLogModel *>(index.model());
    if (!model)
        return 0;
    if (keepLayout)
        return layoutFor(model, index.row())->height;
    if (const RowLayout *cached = m_layouts.object(model->entry(index.row()).serial))
        return cached->height;
    return buildLayout(model, index.row())->height;
}

int MessageDelegate::singleLineHeight() const
{
    return QFontMetrics(m_font).height() + 2 * m_verticalPadding;
}

const MessageDelegate::RowLayout *MessageDelegate::layoutFor(const MessageLogModel *model, int row) const
{
    const quint64 serial = model->entry(row).serial;
    if (const RowLayout *cached = m_layouts.object(serial))
        return cached;
    RowLayout *built = buildLayout(model, row).release();
    m_layouts.insert(serial, built);
    return built;
}

std::unique_ptr<MessageDelegate::RowLayout> MessageDelegate::buildLayout(const MessageLogModel *model, int row) const
{
    ++m_layoutCount;
    const MessageLogModel::Entry &e = model->entry(row);
    QString text;
    QList<QTextLayout::FormatRange> formats;
    qsizetype bodyStart = 0;

    switch (e.kind) {
    case Kind::Action:
        text = e.nick + u' ';
        // Upright: a slanted bold Hangul nick runs into the space after it.
        formats.append({0, int(e.nick.size()), colouredFormat(nickColor(e.nick), true)});
        bodyStart = text.size();
        text += e.text;
        formats.append({int(bodyStart), int(e.text.size()), colouredFormat(m_theme.text(), false, true)});
        break;
    case Kind::Whisper: {
        const QString label = e.own ? tr("to %1:").arg(e.target) : tr("whispers:");
        text = label + u' ';
        formats.append({0, int(label.size()), colouredFormat(m_theme.whisperAccent(), true)});
        bodyStart = text.size();
        text += e.text;
        break;
    }
    case Kind::Message:
    case Kind::Joined:
    case Kind::Left:
    case Kind::Renamed:
    case Kind::Error:
    case Kind::Notice:
        text = e.text;
        break;
    }

    auto layout = std::make_unique<RowLayout>();

    // Links, in the body only.
    const QString body = text.mid(bodyStart);
    for (auto it = urlPattern().globalMatch(body); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        const qsizetype length = trimmedUrlLength(match.capturedView());
        const QUrl url = QUrl::fromUserInput(match.captured().left(length));
        if (length == 0 || !url.isValid())
            continue;
        const int start = int(bodyStart + match.capturedStart());
        layout->links.append({start, int(length), url});
        QTextCharFormat format = colouredFormat(m_theme.link(), false);
        format.setFontUnderline(true);
        formats.append({start, int(length), format});
    }

    if (!m_searchTerm.isEmpty()) {
        QTextCharFormat hit;
        hit.setBackground(m_theme.searchHitBackground());
        for (qsizetype at = text.indexOf(m_searchTerm, 0, Qt::CaseInsensitive); at >= 0;
             at = text.indexOf(m_searchTerm, at + m_searchTerm.size(), Qt::CaseInsensitive))
            formats.append({int(at), int(m_searchTerm.size()), hit});
    }

    // QTextLayout breaks lines at U+2028, not at '\n'; same length, so ranges stay put.
    text.replace(u'\n', QChar::LineSeparator);
    layout->text = std::make_unique<QTextLayout>(text, m_font);
    QTextOption textOption;
    textOption.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout->text->setTextOption(textOption);
    layout->text->setFormats(formats);
    layout->text->setCacheEnabled(true);

    qreal y = 0;
    layout->text->beginLayout();
    for (QTextLine line = layout->text->createLine(); line.isValid(); line = layout->text->createLine()) {
        line.setLineWidth(m_textWidth);
        line.setPosition(QPointF(0, y));
        y += line.height();
    }
    layout->text->endLayout();

    layout->clock = Timestamp::toClock(e.ts);
    if (e.kind == Kind::Message || e.kind == Kind::Whisper) {
        layout->elidedNick =
            QFontMetrics(e.own || e.mention ? m_boldFont : m_font).elidedText(e.nick, Qt::ElideRight, m_nickWidth);
        layout->nickColor = nickColor(e.nick);
    }

    const int lineHeight = QFontMetrics(m_font).height();
    layout->height = std::max(lineHeight, int(std::ceil(y))) + 2 * m_verticalPadding;
    return layout;
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const auto *model = qobject_cast<const MessageLogModel *>(index.model());
    if (!model) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    ++m_paintCount;
    const int row = index.row();
    const MessageLogModel::Entry &e = model->entry(row);
    const RowLayout *layout = layoutFor(model, row);
    const QRect rect = option.rect;

    painter->save();
    painter->setClipRect(rect);

    QColor background;
    QColor accent;
    if (option.state & QStyle::State_Selected) {
        background = m_theme.selectionBackground();
    } else if (e.mention) {
        background = m_theme.mentionBackground();
        accent = m_theme.mentionAccent();
    } else if (e.kind == Kind::Whisper) {
        background = m_theme.whisperBackground();
        accent = m_theme.whisperAccent();
    } else if (e.own) {
        background = m_theme.ownBackground();
    }
    if (background.isValid())
        painter->fillRect(rect, background);
    if (accent.isValid())
        painter->fillRect(QRect(rect.left(), rect.top(), m_accentWidth, rect.height()), accent);

    const QPointF textOrigin(rect.left() + m_textX, rect.top() + m_verticalPadding);
    // Time and nick sit on the baseline of the text's first line, which may
    // be taller than the UI font when Hangul or emoji come from a fallback font.
    const QFontMetrics metrics(m_font);
    qreal baseline = textOrigin.y() + metrics.ascent();
    if (layout->text->lineCount() > 0)
        baseline = textOrigin.y() + layout->text->lineAt(0).ascent();

    painter->setFont(m_font);
    painter->setPen(m_theme.quietText());
    const QString &clock = layout->clock;
    painter->drawText(QPointF(rect.left() + m_padding + m_timeWidth - metrics.horizontalAdvance(clock), baseline),
                      clock);

    paintNickColumn(painter, rect, baseline, e, *layout);

    QColor textColor = m_theme.text();
    if (e.kind == Kind::Error)
        textColor = m_theme.errorText();
    else if (isSystem(e.kind))
        textColor = m_theme.quietText();
    painter->setPen(textColor);
    layout->text->draw(painter, textOrigin);

    if (option.state & QStyle::State_HasFocus) {
        QStyleOptionFocusRect focus;
        focus.QStyleOption::operator=(option);
        focus.rect = rect.adjusted(0, 0, -1, -1);
        focus.backgroundColor = background.isValid() ? background : option.palette.color(QPalette::Base);
        const QWidget *widget = option.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, widget);
    }
    painter->restore();
}

void MessageDelegate::paintNickColumn(QPainter *painter, const QRect &rect, qreal baseline,
                                      const MessageLogModel::Entry &e, const RowLayout &layout) const
{
    const qreal right = rect.left() + m_padding + m_timeWidth + m_gap + m_nickWidth;

    if (e.kind != Kind::Message && e.kind != Kind::Whisper) {
        const QString glyph = glyphFor(e.kind);
        painter->setFont(m_boldFont);
        painter->setPen(e.kind == Kind::Error ? m_theme.errorText() : m_theme.quietText());
        painter->drawText(QPointF(right - QFontMetrics(m_boldFont).horizontalAdvance(glyph), baseline), glyph);
        return;
    }

    const QFont &font = e.own || e.mention ? m_boldFont : m_font;
    painter->setFont(font);
    painter->setPen(layout.nickColor);
    painter->drawText(QPointF(right - QFontMetrics(font).horizontalAdvance(layout.elidedNick), baseline),
                      layout.elidedNick);
}

QColor MessageDelegate::nickColor(const QString &nick) const
{
    const auto known = m_nickColors.constFind(nick);
    if (known != m_nickColors.cend())
        return *known;
    if (m_nickColors.size() >= kMaxRememberedNickColors)
        m_nickColors.clear();
    const QColor color = m_theme.nickColor(nick);
    m_nickColors.insert(nick, color);
    return color;
}

QUrl MessageDelegate::linkAt(const QModelIndex &index, const QRect &rowRect, const QPoint &pos) const
{
    const auto *model = qobject_cast<const MessageLogModel *>(index.model());
    if (!model)
        return {};
    const RowLayout *layout = layoutFor(model, index.row());
    if (layout->links.isEmpty())
        return {};
    const QPointF local = QPointF(pos) - QPointF(rowRect.left() + m_textX, rowRect.top() + m_verticalPadding);
    for (int i = 0; i < layout->text->lineCount(); ++i) {
        const QTextLine line = layout->text->lineAt(i);
        if (local.y() < line.y() || local.y() >= line.y() + line.height())
            continue;
        if (local.x() < line.x() || local.x() > line.x() + line.naturalTextWidth())
            return {};
        const int cursor = line.xToCursor(local.x(), QTextLine::CursorOnCharacter);
        for (const Link &link : layout->links) {
            if (cursor >= link.start && cursor < link.start + link.length)
                return link.url;
        }
        return {};
    }
    return {};
}

QList<QUrl> MessageDelegate::links(const QModelIndex &index) const
{
    QList<QUrl> urls;
    const auto *model = qobject_cast<const MessageLogModel *>(index.model());
    if (!model)
        return urls;
    for (const Link &link : layoutFor(model, index.row())->links)
        urls.append(link.url);
    return urls;
}
