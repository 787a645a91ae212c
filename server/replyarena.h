// SPDX-License-Identifier: MIT
#pragma once

#include <hiredis/read.h>

#include <cstddef>
#include <memory_resource>
#include <vector>

struct redisContext;
struct redisReply;

// Where a StreamReader's hiredis replies are built: hiredis' own reply
// objects (the same redisReply layout), but taken from one buffer used over
// and over instead of two allocations per string and per array. Every
// instance reads every entry of the cluster's stream, and hiredis' own
// allocations and frees were the larger part of that (issue #16).
//
// A reply built here is valid until reset(); it must not be given to
// freeReplyObject(). Only for a connection whose replies are all read by
// the owner of the arena.
class ReplyArena final
{
public:
    ReplyArena();
    ReplyArena(const ReplyArena &) = delete;
    ReplyArena &operator=(const ReplyArena &) = delete;

    // Makes `context`'s reader build its replies here from now on.
    void attach(redisContext *context);
    // Forgets every reply built so far; their memory is used again. Not
    // while hiredis is part way through one (between the reads of a reply
    // that came in pieces).
    void reset();

private:
    static void *createString(const redisReadTask *task, char *str, size_t len);
    static void *createArray(const redisReadTask *task, int elements);
    static void *createInteger(const redisReadTask *task, long long value);
    static void *createNil(const redisReadTask *task);
    static void freeObject(void *reply);
    // A new reply object of `type`, linked into its parent array.
    static redisReply *createReply(const redisReadTask *task, int type);

    std::vector<std::byte> m_buffer;
    std::pmr::monotonic_buffer_resource m_memory;
    redisReplyObjectFunctions m_functions;
};
