// SPDX-License-Identifier: MIT
#include "testharness.h"

#include <QtGlobal>

#include <atomic>

namespace {
// The one piece of state a test executable keeps about itself: it outlives
// the QCoreApplication that QTest::qExec ran under, until main returns.
std::atomic_bool skipped{false};
} // namespace

namespace TestHarness {

bool inCi()
{
    const QByteArray ci = qgetenv("CI").trimmed().toLower();
    return !ci.isEmpty() && ci != "0" && ci != "false";
}

void noteSkipped()
{
    skipped = true;
}

int exitCode(int failures)
{
    if (failures != 0)
        return 1; // not the failure count: 77 failures must not read as a skip
    return skipped ? kSkipExitCode : 0;
}

} // namespace TestHarness
