// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QtTest/qtest.h>

// What every qtchat test executable shares: how a missing tool is reported,
// and the exit status CTest reads.
//
// A Qt Test suite that skips exits 0, so CTest would count it as passed and CI
// could go green with the cluster or TLS untested. Hence:
//   - QTCHAT_REQUIRE(condition, "what is missing") skips when condition is
//     false, except in CI (CI=true, as .ci/run sets it), where it fails:
//     CI installs every tool, so a missing one is a broken CI, not a skip.
//   - QTCHAT_TEST_MAIN / QTCHAT_TEST_GUILESS_MAIN / QTCHAT_TEST_APPLESS_MAIN
//     replace Qt's QTEST_*MAIN and exit with kSkipExitCode when nothing
//     failed but something was skipped; qtchat_add_test() registers that
//     code as CTest's SKIP_RETURN_CODE, so CTest reports a skip as a skip.
//   - A plain QSKIP is not used in this tree (scripts/test.sh checks): a
//     data row that does not apply is left out of the _data() function.
namespace TestHarness {

// Any value but 0, 77 and the small failure counts Qt Test returns.
constexpr int kSkipExitCode = 77;

// True when the environment variable CI is set to anything but "", "0" or "false".
bool inCi();

// Called by QTCHAT_REQUIRE before it skips.
void noteSkipped();

// The exit status of a suite whose QTest::qExec returned `failures`.
int exitCode(int failures);

} // namespace TestHarness

#define QTCHAT_REQUIRE(condition, missing)                                                                             \
    do {                                                                                                               \
        if (!(condition)) {                                                                                            \
            if (TestHarness::inCi())                                                                                   \
                QFAIL(QByteArray(QByteArray("CI=true, and this test needs ") + (missing)).constData());                \
            TestHarness::noteSkipped();                                                                                \
            QSKIP(QByteArray(QByteArray("needs ") + (missing)).constData());                                           \
        }                                                                                                              \
    } while (false)

// Qt's QTEST_MAIN_WRAPPER, with the status passed through TestHarness::exitCode().
#define QTCHAT_TEST_MAIN_WRAPPER(TestObject, ...)                                                                      \
    static int qtchatRunTests(int argc, char *argv[])                                                                  \
    {                                                                                                                  \
        QT_PREPEND_NAMESPACE(QTest::Internal::callInitMain)<TestObject>();                                             \
        __VA_ARGS__                                                                                                    \
        TestObject tc;                                                                                                 \
        QTEST_SET_MAIN_SOURCE_PATH                                                                                     \
        return QTest::qExec(&tc, argc, argv);                                                                          \
    }                                                                                                                  \
    int main(int argc, char *argv[])                                                                                   \
    {                                                                                                                  \
        return TestHarness::exitCode(qtchatRunTests(argc, argv));                                                      \
    }

#define QTCHAT_TEST_MAIN(TestObject) QTCHAT_TEST_MAIN_WRAPPER(TestObject, QTEST_MAIN_SETUP())
#define QTCHAT_TEST_GUILESS_MAIN(TestObject) QTCHAT_TEST_MAIN_WRAPPER(TestObject, QTEST_QAPP_SETUP(QCoreApplication))
#define QTCHAT_TEST_APPLESS_MAIN(TestObject) QTCHAT_TEST_MAIN_WRAPPER(TestObject)
