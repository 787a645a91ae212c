// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

// The few fields recovery-bench reads from server frames, found by name.
// Not a JSON parser: it takes the first `"name":` in the line, which is the
// top-level one for the fields asked for here (the server writes `type`,
// `nick` and `resume` before any nested history, and history entries carry
// `from`, not `nick`), and strings are returned raw (nicks and tokens here
// never need escapes).
namespace FrameField {

std::optional<std::string_view> string(std::string_view line, std::string_view name);
std::optional<std::int64_t> integer(std::string_view line, std::string_view name);

} // namespace FrameField
