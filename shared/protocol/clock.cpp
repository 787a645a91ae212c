// SPDX-License-Identifier: MIT
#include "clock.h"

Clock::Clock(QObject *parent) : QObject(parent)
{
    m_elapsed.start();
}

Clock::~Clock() = default;

qint64 Clock::now() const
{
    return m_elapsed.elapsed();
}
