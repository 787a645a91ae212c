// SPDX-License-Identifier: MIT
#include "frametypename.h"

#include <string_view>

namespace Protocol {
namespace {

// Indexed like the alternatives of ClientFrame and ServerFrame.
constexpr std::array<std::u16string_view, std::variant_size_v<ClientFrame>> kClientTypeNames{
    u"hello", u"say",    u"whisper", u"nick", u"who",  u"ping",  u"bye",   u"op",   u"kick",
    u"mute",  u"unmute", u"slow",    u"join", u"part", u"topic", u"rooms", u"away", u"back",
};
constexpr std::array<std::u16string_view, std::variant_size_v<ServerFrame>> kServerTypeNames{
    u"welcome", u"message", u"whisper", u"joined", u"left", u"renamed", u"users", u"pong", u"error", u"bye",
    u"opped",   u"muted",   u"unmuted", u"slow",   u"room", u"topic",   u"rooms", u"away", u"back",
};

QString nameAt(const auto &table, std::size_t index)
{
    const std::u16string_view name = table.at(index);
    return QString::fromUtf16(name.data(), qsizetype(name.size()));
}

} // namespace

QString clientTypeName(std::size_t alternative)
{
    return nameAt(kClientTypeNames, alternative);
}

QString serverTypeName(std::size_t alternative)
{
    return nameAt(kServerTypeNames, alternative);
}

} // namespace Protocol
