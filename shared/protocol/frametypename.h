// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <array>
#include <cstddef>
#include <type_traits>
#include <variant>

// The wire names of the frames (their `type`), each spelled once, in the
// tables of frametypename.cpp, indexed like the alternatives of ClientFrame
// and ServerFrame. typeName(frame) in protocol.h answers from them too.
namespace Protocol {

QString clientTypeName(std::size_t alternative);
QString serverTypeName(std::size_t alternative);

namespace Detail {
template<typename Frame, typename Variant> struct AlternativeIndex;
template<typename Frame, typename... Alternatives> struct AlternativeIndex<Frame, std::variant<Alternatives...>> {
    static constexpr std::size_t value = [] {
        constexpr std::array matches{std::is_same_v<Frame, Alternatives>...};
        std::size_t index = 0;
        while (index < matches.size() && !matches[index])
            ++index;
        return index;
    }();
    static constexpr bool found = value < sizeof...(Alternatives);
};
} // namespace Detail

// The wire name of one frame struct, for encoders and decoders alike.
template<typename Frame> QString typeName()
{
    using InClient = Detail::AlternativeIndex<Frame, ClientFrame>;
    using InServer = Detail::AlternativeIndex<Frame, ServerFrame>;
    static_assert(InClient::found || InServer::found, "not a protocol frame");
    if constexpr (InClient::found)
        return clientTypeName(InClient::value);
    else
        return serverTypeName(InServer::value);
}

} // namespace Protocol
