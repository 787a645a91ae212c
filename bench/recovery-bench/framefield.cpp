// SPDX-License-Identifier: MIT
#include "framefield.h"

#include <charconv>

namespace FrameField {

namespace {

// The position of the value of the top-level key `name` (blanks skipped),
// or npos.
std::size_t valueStart(std::string_view line, std::string_view name)
{
    int depth = 0;
    for (std::size_t at = 0; at < line.size(); ++at) {
        const char c = line[at];
        if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == '"') {
            const std::size_t begin = at + 1;
            std::size_t end = begin;
            while (end < line.size() && line[end] != '"')
                end += line[end] == '\\' ? 2 : 1;
            if (end >= line.size())
                return std::string_view::npos;
            at = end;
            std::size_t next = end + 1;
            while (next < line.size() && line[next] == ' ')
                ++next;
            const bool isKey = next < line.size() && line[next] == ':';
            if (isKey && depth == 1 && line.substr(begin, end - begin) == name) {
                ++next;
                while (next < line.size() && line[next] == ' ')
                    ++next;
                return next;
            }
        }
    }
    return std::string_view::npos;
}

} // namespace

std::optional<std::string_view> string(std::string_view line, std::string_view name)
{
    const std::size_t at = valueStart(line, name);
    if (at == std::string_view::npos || at >= line.size() || line[at] != '"')
        return std::nullopt;
    const std::size_t end = line.find('"', at + 1);
    if (end == std::string_view::npos)
        return std::nullopt;
    return line.substr(at + 1, end - at - 1);
}

std::optional<std::int64_t> integer(std::string_view line, std::string_view name)
{
    const std::size_t at = valueStart(line, name);
    if (at == std::string_view::npos)
        return std::nullopt;
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(line.data() + at, line.data() + line.size(), value);
    if (error != std::errc())
        return std::nullopt;
    return value;
}

} // namespace FrameField
