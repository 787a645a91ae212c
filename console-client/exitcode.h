// SPDX-License-Identifier: MIT
#pragma once

// chat-console's exit statuses, documented in docs/console.md. Scripts and
// container health checks depend on them, so they never change meaning.
namespace ExitCode {

constexpr int kOk = 0;
// Could not connect: refused, timed out, network unreachable; --check failed.
constexpr int kConnectFailed = 1;
// Bad command line or environment (unknown option, bad port).
constexpr int kUsage = 2;
constexpr int kUnknownHost = 3;
// No usable nickname: refused by the server (or invalid) and no way to ask
// again, or end of input before a nickname was given.
constexpr int kNickRefused = 4;
constexpr int kServerFull = 5;
// The server ended the session with `bye` (shutdown, flooding, ...).
constexpr int kServerClosed = 6;
// Input ended normally, but some lines were refused (invalid or by the
// server) or could not be delivered; only when stdin is not a terminal.
constexpr int kUndelivered = 7;
// Interrupted by a signal, after leaving politely: 128 + signal number.
constexpr int kSignalBase = 128;

} // namespace ExitCode
