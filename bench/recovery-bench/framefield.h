// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

// The few top-level fields recovery-bench reads from server frames, found
// by name. Not a full JSON parser: it walks the line's strings and nesting
// only to tell top-level keys from nested ones (the server writes keys in
// alphabetical order, so a welcome's `history`, whose messages have a `type`
// of their own, comes before its `type`), and strings are returned raw
// (nicks, codes and tokens here never need escapes).
namespace FrameField {

std::optional<std::string_view> string(std::string_view line, std::string_view name);
std::optional<std::int64_t> integer(std::string_view line, std::string_view name);

} // namespace FrameField
