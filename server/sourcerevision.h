// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

// The git commit this binary was built from, for `--version` and the start-up
// log line, so that a bug report or a benchmark result names exactly what ran.
// Defined in a file generated at every build (cmake/QtChatRevision.cmake).
namespace SourceRevision {
// "abc123def456", "abc123def456+changes" (built from a modified tree), the
// -DQTCHAT_REVISION= given at configure time where there was no git checkout,
// or "unknown".
QString text();
} // namespace SourceRevision
