// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// Reads the few top-level fields chat-bench needs from one server line.
// Nested values (welcome's users and history) are skipped, not parsed: the
// tool must keep up with 10,000 clients on one thread.
namespace JsonLine {

struct Fields {
    std::string type;
    std::string from;
    std::string text;
    std::string code;
    std::string ref;
    std::int64_t id = -1;
};

// False if the line is not a JSON object (a text greeting, say); true with
// the fields found otherwise.
bool parse(std::string_view line, Fields &fields);

} // namespace JsonLine
