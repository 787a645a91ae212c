// SPDX-License-Identifier: MIT
#include "chattheme.h"

#include "validation.h"

#include <array>

namespace {

// Hues spread around the wheel, skipping the narrow band links use.
constexpr std::array<int, 14> kNickHues{0, 20, 35, 50, 90, 130, 160, 180, 195, 260, 280, 300, 320, 340};
constexpr int kNickSaturation = 170;
constexpr int kNickLightnessOnLight = 95;
constexpr int kNickLightnessOnDark = 175;
constexpr int kDarkThreshold = 128;

const QColor kMentionTint(255, 170, 0);
const QColor kWhisperTint(150, 90, 220);
const QColor kSearchTint(255, 220, 0);

// Rec. 601 luma, 0..1: enough to tell a dark blue from a light one.
constexpr double kMinimumLinkBrightnessOnDark = 0.45;

double perceivedBrightness(const QColor &color)
{
    return 0.299 * color.redF() + 0.587 * color.greenF() + 0.114 * color.blueF();
}

// FNV-1a over UTF-16: stable across runs, unlike qHash, which Qt seeds per process.
quint32 stableHash(const QString &text)
{
    quint32 hash = 2166136261u;
    for (const QChar c : text) {
        hash ^= c.unicode();
        hash *= 16777619u;
    }
    return hash;
}

} // namespace

ChatTheme::ChatTheme(const QPalette &palette)
    : m_palette(palette), m_dark(palette.color(QPalette::Base).lightness() < kDarkThreshold)
{}

QColor ChatTheme::nickColor(const QString &nick) const
{
    const quint32 hash = stableHash(Validation::nickKey(nick));
    const int hue = kNickHues[hash % kNickHues.size()];
    return QColor::fromHsl(hue, kNickSaturation, m_dark ? kNickLightnessOnDark : kNickLightnessOnLight);
}

QColor ChatTheme::text() const
{
    return m_palette.color(QPalette::Text);
}

QColor ChatTheme::quietText() const
{
    return blend(m_palette.color(QPalette::Text), m_palette.color(QPalette::Base), 0.42);
}

QColor ChatTheme::errorText() const
{
    return m_dark ? QColor(255, 125, 110) : QColor(185, 35, 25);
}

QColor ChatTheme::link() const
{
    const QColor link = m_palette.color(QPalette::Link);
    // Some dark palettes keep the light theme's pure blue link colour, which
    // is barely visible on a dark base (HSL lightness calls #0000ff "medium").
    if (m_dark && link.toHsv().value() > 0 && perceivedBrightness(link) < kMinimumLinkBrightnessOnDark)
        return QColor(120, 170, 255);
    return link;
}

QColor ChatTheme::ownBackground() const
{
    return blend(m_palette.color(QPalette::Base), m_palette.color(QPalette::Text), m_dark ? 0.07 : 0.045);
}

QColor ChatTheme::mentionBackground() const
{
    return blend(m_palette.color(QPalette::Base), kMentionTint, m_dark ? 0.22 : 0.18);
}

QColor ChatTheme::mentionAccent() const
{
    return m_dark ? QColor(255, 180, 40) : QColor(225, 130, 0);
}

QColor ChatTheme::whisperBackground() const
{
    return blend(m_palette.color(QPalette::Base), kWhisperTint, m_dark ? 0.2 : 0.1);
}

QColor ChatTheme::whisperAccent() const
{
    return m_dark ? QColor(195, 155, 255) : QColor(120, 60, 190);
}

QColor ChatTheme::selectionBackground() const
{
    return blend(m_palette.color(QPalette::Base), m_palette.color(QPalette::Highlight), 0.3);
}

QColor ChatTheme::searchHitBackground() const
{
    return blend(m_palette.color(QPalette::Base), kSearchTint, m_dark ? 0.45 : 0.6);
}

QColor ChatTheme::blend(const QColor &base, const QColor &over, qreal amount)
{
    const qreal keep = 1.0 - amount;
    return QColor::fromRgbF(float(base.redF() * keep + over.redF() * amount),
                            float(base.greenF() * keep + over.greenF() * amount),
                            float(base.blueF() * keep + over.blueF() * amount));
}
