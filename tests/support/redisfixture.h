// SPDX-License-Identifier: MIT
#pragma once

#include "redisconnection.h"
#include "redisprocess.h"

#include <QByteArrayView>

#include <memory>

// What the suites that drive RedisConnection and LuaScript by hand share
// (tst_luascript, tst_redispipeline): a private redis-server for the whole
// suite and, for each test function, a fresh connection to it with no keys,
// no functions and the command counters at zero, so that a test can count
// the FCALLs and FUNCTION LOADs it caused. The suite calls start() from
// initTestCase() after its QTCHAT_REQUIRE, reset() from init() and stop()
// from cleanupTestCase(); they report failures with QVERIFY, which Qt Test
// sees after the slot returns (a failed init() skips its test function).
class RedisFixture final
{
public:
    void start();
    void reset();
    // The connection and redis-server gone before Qt Test tears down.
    void stop();

    RedisConnection &redis() { return *m_connection; }
    // For a second connection of the test's own (an operator's commands).
    RedisAddress address() const { return m_process->address(); }

    // How often `command` ran since reset() ("fcall", "function|load", as
    // INFO commandstats names them).
    qint64 calls(QByteArrayView command);

private:
    std::unique_ptr<RedisProcess> m_process;
    std::unique_ptr<RedisConnection> m_connection;
};
