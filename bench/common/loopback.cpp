// SPDX-License-Identifier: MIT
#include "loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

namespace Loopback {

namespace {
constexpr std::uint32_t kLoopbackNet = 0x7f000000; // 127.0.0.0/8
constexpr std::uint32_t kLoopbackMask = 0xff000000;
constexpr int kMaxSourceIndex = 253; // 127.0.0.1 .. 127.0.0.254
} // namespace

std::optional<Address> resolve(const std::string &host, std::uint16_t port)
{
    const std::string literal = host == "localhost" ? std::string("127.0.0.1") : host;
    Address address;

    in_addr v4{};
    if (::inet_pton(AF_INET, literal.c_str(), &v4) == 1) {
        if ((ntohl(v4.s_addr) & kLoopbackMask) != kLoopbackNet)
            return std::nullopt;
        sockaddr_in sin{};
        sin.sin_family = AF_INET;
        sin.sin_port = htons(port);
        sin.sin_addr = v4;
        std::memcpy(&address.storage, &sin, sizeof sin);
        address.length = sizeof sin;
        address.isIpv4 = true;
        return address;
    }

    in6_addr v6{};
    if (::inet_pton(AF_INET6, literal.c_str(), &v6) == 1) {
        const bool loopback = IN6_IS_ADDR_LOOPBACK(&v6) || (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
        if (!loopback)
            return std::nullopt;
        sockaddr_in6 sin6{};
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = htons(port);
        sin6.sin6_addr = v6;
        std::memcpy(&address.storage, &sin6, sizeof sin6);
        address.length = sizeof sin6;
        return address;
    }
    return std::nullopt;
}

Address ipv4Source(int index)
{
    const int host = 1 + (index % kMaxSourceIndex);
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = 0;
    sin.sin_addr.s_addr = htonl(kLoopbackNet | std::uint32_t(host));
    Address address;
    std::memcpy(&address.storage, &sin, sizeof sin);
    address.length = sizeof sin;
    address.isIpv4 = true;
    return address;
}

std::string toString(const Address &address)
{
    char text[INET6_ADDRSTRLEN] = {};
    std::uint16_t port = 0;
    if (address.storage.ss_family == AF_INET) {
        const auto *sin = reinterpret_cast<const sockaddr_in *>(&address.storage);
        ::inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text);
        port = ntohs(sin->sin_port);
        return std::string(text) + ":" + std::to_string(port);
    }
    const auto *sin6 = reinterpret_cast<const sockaddr_in6 *>(&address.storage);
    ::inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof text);
    port = ntohs(sin6->sin6_port);
    std::string out = "[";
    out += text;
    out += "]:";
    out += std::to_string(port);
    return out;
}

} // namespace Loopback
