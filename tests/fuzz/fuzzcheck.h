// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QDebug>

#include <cstdio>
#include <cstdlib>
#include <optional>

namespace FuzzCheck {

template<typename T> void print(const char *label, const T &value)
{
    if constexpr (requires(QDebug debug, const T &v) { debug << v; })
        qWarning() << label << value;
    else
        qWarning() << label << "(a value QDebug cannot print)";
}

template<typename T> void print(const char *label, const std::optional<T> &value)
{
    if (value)
        print(label, *value);
    else
        qWarning() << label << "nullopt";
}

} // namespace FuzzCheck

// An invariant of a fuzz target. A broken one prints what was compared and
// aborts, which libFuzzer records as a crash with the input that caused it.
#define FUZZ_CHECK(condition)                                                                                          \
    do {                                                                                                               \
        if (!(condition)) {                                                                                            \
            std::fprintf(stderr, "FUZZ_CHECK failed: %s at %s:%d\n", #condition, __FILE__, __LINE__);                  \
            std::abort();                                                                                              \
        }                                                                                                              \
    } while (false)

#define FUZZ_CHECK_EQUAL(actual, expected)                                                                             \
    do {                                                                                                               \
        if (!((actual) == (expected))) {                                                                               \
            FuzzCheck::print("actual:  ", (actual));                                                                   \
            FuzzCheck::print("expected:", (expected));                                                                 \
            std::fprintf(stderr, "FUZZ_CHECK_EQUAL failed: %s == %s at %s:%d\n", #actual, #expected, __FILE__,         \
                         __LINE__);                                                                                    \
            std::abort();                                                                                              \
        }                                                                                                              \
    } while (false)
