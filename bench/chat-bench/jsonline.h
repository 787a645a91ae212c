// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

// Reads the few top-level fields chat-bench needs from one server line.
// Nested values (welcome's users and history) are skipped, not parsed, and
// strings without escapes are not copied: the tool must keep up with the
// fastest server on one thread.
namespace JsonLine {

struct Fields {
    // Views into the parsed line, or into storage when a string had escapes;
    // valid until the next parse into the same Fields or the line changes.
    std::string_view type;
    std::string_view from;
    std::string_view text;
    std::string_view code;
    std::string_view ref;
    std::string_view room;
    std::int64_t id = -1;
    std::array<std::string, 6> storage; // unescaped copies, one per field above
};

// False if the line is not a JSON object (a text greeting, say); true with
// the fields found otherwise.
bool parse(std::string_view line, Fields &fields);

} // namespace JsonLine
