// SPDX-License-Identifier: MIT
#include "benchreport.h"

#include <cstdio>

namespace {

std::string number(double value, int decimals)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string quoted(const std::string &text)
{
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (static_cast<unsigned char>(c) < 0x20)
            continue; // control characters have no place in a one-line report
        out += c;
    }
    return out + "\"";
}

} // namespace

std::string BenchReport::toJson() const
{
    std::string json = "{";
    auto add = [&json](const char *key, const std::string &value) {
        if (json.size() > 1)
            json += ',';
        json += '"';
        json += key;
        json += "\":";
        json += value;
    };
    add("label", quoted(label));
    add("server", quoted(server));
    add("phase", std::to_string(phase));
    add("clients", std::to_string(clients));
    add("rooms", std::to_string(rooms));
    add("registered", std::to_string(registered));
    add("senders", std::to_string(senders));
    add("size", std::to_string(size));
    add("rate", number(rate, 1));
    add("window", std::to_string(window));
    add("sent", std::to_string(sent));
    add("accepted", std::to_string(accepted));
    add("refused", std::to_string(refused));
    add("msgs_per_s", number(messagesPerSecond, 1));
    add("deliveries", std::to_string(deliveries));
    add("deliveries_per_s", number(deliveriesPerSecond, 1));
    add("lat_p50_ms", number(latencyP50Ms, 3));
    add("lat_p90_ms", number(latencyP90Ms, 3));
    add("lat_p99_ms", number(latencyP99Ms, 3));
    add("lat_max_ms", number(latencyMaxMs, 3));
    add("lost", std::to_string(lost));
    add("duplicated", std::to_string(duplicated));
    add("reordered", std::to_string(reordered));
    add("corrupt", std::to_string(corrupt));
    add("foreign", std::to_string(foreign));
    add("errors", std::to_string(errors()));
    add("error_frames", std::to_string(errorFrames));
    add("connect_failures", std::to_string(connectFailures));
    add("disconnects", std::to_string(disconnects));
    add("connect_s", number(connectSeconds, 3));
    add("server_cpu_connect_s", number(serverCpuConnectSeconds, 2));
    add("settle_s", number(settleSeconds, 3));
    add("send_s", number(sendSeconds, 3));
    add("bench_cpu_pct", number(benchCpuPercent, 1));
    add("bench_cpu_us_per_delivery", number(benchCpuMicrosPerDelivery, 3));
    add("server_cpu_pct", number(serverCpuPercent, 1));
    add("server_cpu_us_per_delivery", number(serverCpuMicrosPerDelivery, 3));
    add("server_rss_start_kib", std::to_string(serverRssStartKib));
    add("server_rss_idle_kib", std::to_string(serverRssIdleKib));
    add("timed_out", timedOut ? "true" : "false");
    add("ok", deliveryOk() && !timedOut && connectFailures == 0 ? "true" : "false");
    add("first_error", quoted(firstError));
    return json + "}";
}
