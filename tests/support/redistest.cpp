// SPDX-License-Identifier: MIT
#include "redistest.h"

#include "testharness.h"

void RedisTest::initTestCase()
{
    QTCHAT_REQUIRE(!RedisProcess::program().isEmpty(), "redis-server (Debian package redis-server)");
    m_fixture.start();
}

void RedisTest::init()
{
    m_fixture.reset();
}

void RedisTest::cleanupTestCase()
{
    m_fixture.stop();
}
