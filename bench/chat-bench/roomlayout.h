// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

// Which room each client of a run is in. With --rooms N, client i is in
// "#bench-<i mod N>" (besides #lobby, which the protocol gives everyone), so
// clients 0 .. N-1 are one per room, N .. 2N-1 another one per room, and so
// on: the first N x S clients are S senders in every room. Without --rooms,
// everyone shares #lobby as room 0, as in protocol version 1.
class RoomLayout
{
public:
    explicit RoomLayout(int rooms);

    bool enabled() const { return m_rooms > 0; }
    // How many rooms messages go to: 1 without --rooms.
    int count() const { return enabled() ? m_rooms : 1; }
    int roomOf(int client) const { return enabled() ? client % m_rooms : 0; }
    // The room's name as chat-bench spells it in hello and say frames.
    const std::string &name(int room) const { return m_names[std::size_t(room)]; }

private:
    int m_rooms;
    std::vector<std::string> m_names;
};
