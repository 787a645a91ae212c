// SPDX-License-Identifier: MIT
#include "wire.h"

#include "eventtext.h"
#include "framecodec.h"

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace Wire {
namespace {

// History lines a text-mode user sees on joining, for context.
constexpr qsizetype kTextHistoryLines = 10;

QStringList welcomeLines(const Welcome &welcome)
{
    QStringList lines;
    const qsizetype firstRecent = std::max<qsizetype>(0, welcome.history.size() - kTextHistoryLines);
    for (qsizetype i = firstRecent; i < welcome.history.size(); ++i)
        lines.append(EventText::renderMessage(welcome.history.at(i)));
    lines.append(EventText::render(welcome, welcome.nick));
    lines.append(
        u"* You are %1. Change it with /nick NAME. Commands: /nick /msg /me /join /rooms /who /help /quit"_s.arg(
            welcome.nick));
    return lines;
}

} // namespace

QByteArray encode(Mode mode, const ServerFrame &frame, const QString &self)
{
    if (mode != Mode::Text)
        return FrameCodec::encode(frame);
    if (const auto *welcome = std::get_if<Welcome>(&frame))
        return textLines(welcomeLines(*welcome));
    return textLines({EventText::render(frame, self)});
}

QByteArray textLines(const QStringList &lines)
{
    QByteArray bytes = lines.join(u'\n').toUtf8();
    bytes.append('\n');
    return bytes;
}

} // namespace Wire
