// SPDX-License-Identifier: MIT
#include "replyarena.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cstring>

namespace {
// Some 800 bytes an entry: a few dozen entries, what an XREAD brings at a
// few thousand messages a second. A larger reply takes more from the heap
// (given back at the next reset). Each followed room has a reader: kept small.
constexpr std::size_t kBufferBytes = std::size_t(64) << 10;
} // namespace

ReplyArena::ReplyArena()
    : m_buffer(kBufferBytes)
    , m_memory(m_buffer.data(), m_buffer.size())
    , m_functions{&ReplyArena::createString, &ReplyArena::createArray, &ReplyArena::createInteger,
                  &ReplyArena::createNil, &ReplyArena::freeObject}
{}

void ReplyArena::attach(redisContext *context)
{
    reset();
    context->reader->fn = &m_functions;
    context->reader->privdata = this;
}

void ReplyArena::reset()
{
    m_memory.release(); // back to the start of m_buffer
}

redisReply *ReplyArena::createReply(const redisReadTask *task, int type)
{
    auto *arena = static_cast<ReplyArena *>(task->privdata);
    auto *reply = static_cast<redisReply *>(arena->m_memory.allocate(sizeof(redisReply), alignof(redisReply)));
    std::memset(reply, 0, sizeof(redisReply));
    reply->type = type;
    if (task->parent) {
        auto *parent = static_cast<redisReply *>(task->parent->obj);
        parent->element[task->idx] = reply;
    }
    return reply;
}

void *ReplyArena::createString(const redisReadTask *task, char *str, size_t len)
{
    auto *arena = static_cast<ReplyArena *>(task->privdata);
    auto *text = static_cast<char *>(arena->m_memory.allocate(len + 1, 1));
    std::memcpy(text, str, len);
    text[len] = '\0';
    redisReply *reply = createReply(task, task->type);
    reply->str = text;
    reply->len = len;
    return reply;
}

void *ReplyArena::createArray(const redisReadTask *task, int elements)
{
    auto *arena = static_cast<ReplyArena *>(task->privdata);
    redisReply *reply = createReply(task, REDIS_REPLY_ARRAY);
    if (elements > 0) {
        void *slots = arena->m_memory.allocate(sizeof(redisReply *) * size_t(elements), alignof(redisReply *));
        reply->element = static_cast<redisReply **>(std::memset(slots, 0, sizeof(redisReply *) * size_t(elements)));
    }
    reply->elements = size_t(std::max(elements, 0));
    return reply;
}

void *ReplyArena::createInteger(const redisReadTask *task, long long value)
{
    redisReply *reply = createReply(task, REDIS_REPLY_INTEGER);
    reply->integer = value;
    return reply;
}

void *ReplyArena::createNil(const redisReadTask *task)
{
    return createReply(task, REDIS_REPLY_NIL);
}

void ReplyArena::freeObject(void *)
{
    // Nothing: reset() takes back everything at once.
}
