// SPDX-License-Identifier: MIT
#include "benchpayload.h"

#include <charconv>

namespace {

// Reads "<digits>:" at pos, advancing past it; false if it is not there.
bool readField(std::string_view text, std::size_t &pos, std::int64_t &value)
{
    const auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
    if (ec != std::errc())
        return false;
    pos = std::size_t(ptr - text.data());
    return pos < text.size() && text[pos++] == ':';
}

} // namespace

namespace BenchPayload {

void writeSay(std::string &frame, std::string_view nick, std::string_view room, int phase, int seq, std::int64_t sentNs,
              int size)
{
    frame = "{\"type\":\"say\",";
    if (!room.empty()) {
        frame += "\"room\":\"";
        frame += room; // chat-bench's room names need no escaping
        frame += "\",";
    }
    frame += "\"text\":\"";
    const std::size_t textStart = frame.size();
    frame += nick;
    frame += ':';
    frame += std::to_string(phase);
    frame += ':';
    frame += std::to_string(seq);
    frame += ':';
    frame += std::to_string(sentNs);
    frame += ':';
    const std::size_t used = frame.size() - textStart;
    if (used < std::size_t(size))
        frame.append(std::size_t(size) - used, 'x');
    frame += "\"}\n";
}

bool read(std::string_view text, std::string_view prefix, Fields &fields)
{
    if (text.compare(0, prefix.size(), prefix) != 0)
        return false;
    std::size_t pos = prefix.size();
    return readField(text, pos, fields.client) && readField(text, pos, fields.phase) &&
           readField(text, pos, fields.seq) && readField(text, pos, fields.sentNs);
}

} // namespace BenchPayload
