// SPDX-License-Identifier: MIT
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>

// The benchmark tools may only talk to this machine: 127.0.0.0/8 or ::1.
// Host names other than "localhost" are not resolved on purpose, so a typo
// can never send load to another machine.
namespace Loopback {

struct Address {
    sockaddr_storage storage{};
    socklen_t length = 0;
    bool isIpv4 = false;
};

// A loopback literal (or "localhost") with the port, or nothing if the host
// is not a loopback address.
std::optional<Address> resolve(const std::string &host, std::uint16_t port);

// 127.0.0.<1 + index>: the extra source addresses chat-bench spreads its
// connections over, so 10,000 connections never exhaust one address's
// ephemeral ports.
Address ipv4Source(int index);

std::string toString(const Address &address);

} // namespace Loopback
