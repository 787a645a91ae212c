// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

// Process-wide set-up of chat-server: log format and level, file limit.
namespace ServerLogging {

// One line per event on stderr: time, level, category, message. Message
// contents are logged only at "debug".
void configure(const QString &level);

// Lifts the soft limit on open files to the hard limit, so max-clients is
// not silently capped by a default of 1024 descriptors.
void raiseFileLimit();

} // namespace ServerLogging
