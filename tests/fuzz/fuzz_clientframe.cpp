// SPDX-License-Identifier: MIT
// Fuzzes FrameCodec::decodeClientFrame, what the server runs on every JSON line
// a client sends (Connection::handleJsonLine).
//
// Invariants:
//  - decoding never crashes, leaks or hits undefined behaviour;
//  - a refused line gives a bad-frame or unknown-type error with a message, and
//    the error frame the server answers with is one line of valid UTF-8;
//  - an accepted frame encodes to one line of valid UTF-8 that decodes to the
//    same frame (what a client sends is what the server reads).
#include "framecodec.h"
#include "fuzzcheck.h"
#include "validation.h"

#include <cstddef>
#include <cstdint>

using namespace Protocol;

namespace {

void checkOneLineOfUtf8(const QByteArray &bytes)
{
    FUZZ_CHECK(bytes.endsWith('\n'));
    FUZZ_CHECK_EQUAL(bytes.count('\n'), 1);
    if (!Validation::isValidUtf8(bytes)) {
        qWarning() << "encoded:" << bytes.toHex(' ');
        FUZZ_CHECK(Validation::isValidUtf8(bytes));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView line(data, qsizetype(size));
    const FrameCodec::Decoded<ClientFrame> decoded = FrameCodec::decodeClientFrame(line);

    if (const auto *error = std::get_if<FrameCodec::DecodeError>(&decoded)) {
        FUZZ_CHECK(error->code == ErrorCode::BadFrame || error->code == ErrorCode::UnknownType);
        FUZZ_CHECK(!error->message.isEmpty());
        checkOneLineOfUtf8(FrameCodec::encode(ServerFrame{Error{error->code, error->message, error->ref}}));
        return 0;
    }

    const ClientFrame &frame = std::get<ClientFrame>(decoded);
    const QByteArray encoded = FrameCodec::encode(frame);
    checkOneLineOfUtf8(encoded);
    const FrameCodec::Decoded<ClientFrame> again = FrameCodec::decodeClientFrame(QByteArrayView(encoded).chopped(1));
    const auto *reread = std::get_if<ClientFrame>(&again);
    if (!reread || *reread != frame) {
        qWarning() << "input:  " << line.toByteArray();
        qWarning() << "encoded:" << encoded;
        FUZZ_CHECK(reread && *reread == frame);
    }
    return 0;
}
