// SPDX-License-Identifier: MIT
#include "roomlayout.h"

RoomLayout::RoomLayout(int rooms) : m_rooms(rooms)
{
    if (!enabled()) {
        m_names.emplace_back("#lobby");
        return;
    }
    m_names.reserve(std::size_t(rooms));
    for (int room = 0; room < rooms; ++room)
        m_names.push_back("#bench-" + std::to_string(room));
}
