// SPDX-License-Identifier: MIT
#pragma once

// Owns one file descriptor and closes it once; movable, not copyable.
class UniqueFd
{
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd);
    ~UniqueFd();
    UniqueFd(UniqueFd &&other) noexcept;
    UniqueFd &operator=(UniqueFd &&other) noexcept;
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;

    int get() const { return m_fd; }
    bool isValid() const { return m_fd >= 0; }
    void reset(int fd = -1);

private:
    int m_fd = -1;
};
