// SPDX-License-Identifier: MIT
// Fuzzes FrameCodec::decodeServerFrame, what chat-console and chat-gui run on
// every line a server sends (ChatClient), and FrameCodec::looksLikeJsonObject,
// which decides which lines before `welcome` they read at all.
//
// Invariants:
//  - decoding never crashes, leaks or hits undefined behaviour;
//  - a refused line gives a bad-frame or unknown-type error with a message;
//  - an accepted frame encodes to one line of valid UTF-8; decoding that line
//    gives a frame that encodes to the same bytes again (decoding is lenient
//    with odd values, e.g. a bad timestamp becomes "now", but after one round
//    the wire form is stable).
#include "framecodec.h"
#include "fuzzcheck.h"
#include "validation.h"

#include <cstddef>
#include <cstdint>

using namespace Protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView line(data, qsizetype(size));
    [[maybe_unused]] const bool jsonObject = FrameCodec::looksLikeJsonObject(line);
    const FrameCodec::Decoded<ServerFrame> decoded = FrameCodec::decodeServerFrame(line);

    if (const auto *error = std::get_if<FrameCodec::DecodeError>(&decoded)) {
        FUZZ_CHECK(error->code == ErrorCode::BadFrame || error->code == ErrorCode::UnknownType);
        FUZZ_CHECK(!error->message.isEmpty());
        return 0;
    }

    const QByteArray encoded = FrameCodec::encode(std::get<ServerFrame>(decoded));
    FUZZ_CHECK(encoded.endsWith('\n'));
    FUZZ_CHECK_EQUAL(encoded.count('\n'), 1);
    const FrameCodec::Decoded<ServerFrame> again = FrameCodec::decodeServerFrame(QByteArrayView(encoded).chopped(1));
    const auto *reread = std::get_if<ServerFrame>(&again);
    FUZZ_CHECK(reread != nullptr);
    FUZZ_CHECK_EQUAL(FrameCodec::encode(*reread), encoded);
    return 0;
}
