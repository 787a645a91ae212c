// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// The text of chat-bench's messages: who sent it, the phase, its sequence
// number and the send time, padded to the phase's size, as in
// "<prefix><client>:<phase>:<seq>:<monotonic ns>:xxxx". A receiver reads the
// four numbers back to measure latency and check delivery.
namespace BenchPayload {

struct Fields {
    std::int64_t client = 0; // the sender's client index (its nick's number)
    std::int64_t phase = 0;
    std::int64_t seq = 0;
    std::int64_t sentNs = 0;
};

// A `say` frame (one JSON line) carrying the payload of `size` characters.
// `nick` is the sender's nick: the prefix followed by its client index;
// `room` the room it goes to, or empty for none (#lobby, as in version 1).
void writeSay(std::string &frame, std::string_view nick, std::string_view room, int phase, int seq, std::int64_t sentNs,
              int size);

// The fields of a payload that starts with `prefix`; false for any other
// text (another copy's traffic, a person typing).
bool read(std::string_view text, std::string_view prefix, Fields &fields);

} // namespace BenchPayload
