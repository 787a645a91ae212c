// SPDX-License-Identifier: MIT
#include "framefield.h"

#include <charconv>
#include <string>

namespace FrameField {

namespace {

// The position just after `"name":` and any blanks, or npos.
std::size_t valueStart(std::string_view line, std::string_view name)
{
    std::string key = "\"";
    key += name;
    key += "\":";
    std::size_t at = line.find(key);
    if (at == std::string_view::npos)
        return at;
    at += key.size();
    while (at < line.size() && line[at] == ' ')
        ++at;
    return at;
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
