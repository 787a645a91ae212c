// SPDX-License-Identifier: MIT
// LoadGenerator's side of the protocol: registering (hello, and with rooms
// the room frame) and what the server's frames mean for the measurement.
#include "loadgenerator.h"

#include "benchpayload.h"
#include "monotonicclock.h"

#include <cstring>

using MonotonicClock::nowNs;

void LoadGenerator::finishConnect(BenchConnection &connection)
{
    const int error = connection.connectResult();
    if (error != 0) {
        fail(connection, std::string("connect: ") + std::strerror(error));
        return;
    }
    connection.setState(BenchConnection::State::WaitingForWelcome);
    std::string hello = "{\"type\":\"hello\",\"nick\":\"" + connection.nick() + "\",\"client\":\"chat-bench/1\"";
    // One round trip: the server answers welcome, then the room frame.
    if (m_rooms.enabled())
        hello += ",\"rooms\":[\"" + m_rooms.name(m_rooms.roomOf(connection.index())) + "\"]";
    hello += "}\n";
    if (!connection.send(hello)) {
        fail(connection, "write failed sending hello");
        return;
    }
    connection.watchWrites(m_epoll.get(), connection.hasPendingOutput());
}

void LoadGenerator::readFrom(BenchConnection &connection)
{
    const BenchConnection::ReadResult result = connection.read(m_scratch.data(), m_scratch.size());
    if (result == BenchConnection::ReadResult::WouldBlock)
        return;
    if (result == BenchConnection::ReadResult::Closed) {
        fail(connection, "the server closed the connection");
        return;
    }
    // One timestamp per read: the moment these bytes reached the client.
    m_readNs = nowNs();
    m_lastInputNs = m_readNs;
    std::string_view line;
    while (connection.state() != BenchConnection::State::Failed && connection.nextLine(line))
        handleLine(connection, line);
    if (connection.state() != BenchConnection::State::Failed)
        connection.compactInput();
}

void LoadGenerator::handleLine(BenchConnection &connection, std::string_view line)
{
    // JSON clients ignore lines that are not JSON objects (the greeting).
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] != '{')
        return;
    if (!JsonLine::parse(line, m_fields))
        return;

    if (m_fields.type == "message") {
        if (connection.state() == BenchConnection::State::Registered)
            handleMessage(connection);
        return;
    }
    m_lastControlNs = m_readNs;
    if (m_fields.type == "error") {
        handleError(connection);
        return;
    }
    handleRegistration(connection);
}

void LoadGenerator::handleRegistration(BenchConnection &connection)
{
    using State = BenchConnection::State;
    if (m_fields.type == "welcome" && connection.state() == State::WaitingForWelcome) {
        if (m_rooms.enabled()) {
            connection.setState(State::WaitingForRoom);
            return;
        }
    } else if (m_fields.type == "room" && connection.state() == State::WaitingForRoom) {
        if (m_fields.room != m_rooms.name(m_rooms.roomOf(connection.index()))) {
            fail(connection, "hello.rooms answered with room " + std::string(m_fields.room));
            return;
        }
    } else {
        return;
    }
    connection.setState(State::Registered);
    --m_inFlight;
    ++m_settled;
}

bool LoadGenerator::inWrongRoom(const BenchConnection &receiver, std::int64_t sender)
{
    if (!m_rooms.enabled())
        return false;
    const int room = m_rooms.roomOf(receiver.index());
    if (m_rooms.roomOf(int(sender)) != room) {
        ++m_report.foreign; // leaked out of the sender's room
        return true;
    }
    // The right message, labelled with another room.
    if (m_fields.room != m_rooms.name(room))
        ++m_report.corrupt;
    return false;
}

void LoadGenerator::handleMessage(BenchConnection &receiver)
{
    const std::int64_t now = m_readNs;
    const std::string_view text = m_fields.text;
    // Anything but this copy's payload (another copy's traffic, a late
    // message of an earlier phase) is not counted.
    BenchPayload::Fields payload;
    if (!BenchPayload::read(text, m_options.prefix, payload) || m_stage != Stage::Sending ||
        payload.phase != m_phaseIndex || payload.seq < 0 || payload.seq >= m_spec.messages || payload.client < 0 ||
        payload.client >= std::int64_t(m_senderOf.size())) {
        ++m_report.foreign;
        return;
    }
    const std::int64_t nickIndex = payload.client;
    const std::int64_t seq = payload.seq;
    const std::int64_t sentNs = payload.sentNs;
    // Nicks carry client indexes; the ledger counts senders from 0.
    const int sender = m_senderOf[std::size_t(nickIndex)];
    if (sender < 0) {
        ++m_report.foreign;
        return;
    }
    if (inWrongRoom(receiver, nickIndex))
        return;
    if (text.size() != std::size_t(m_spec.size) || m_fields.from != m_connections[std::size_t(nickIndex)]->nick() ||
        m_fields.id < 0)
        ++m_report.corrupt;

    ++m_report.deliveries;
    m_tally->delivered(receiver.index(), sender, int(seq), m_fields.id, now - sentNs, now);

    if (receiver.index() != int(nickIndex))
        return;
    // The sender's own copy: the server accepted the message.
    if (receiver.acknowledge(int(seq))) {
        ++m_report.accepted;
        m_tally->accepted(now);
    }
}

void LoadGenerator::handleError(BenchConnection &connection)
{
    ++m_report.errorFrames;
    if (m_report.firstError.empty())
        m_report.firstError = "error frame " + std::string(m_fields.code) + " (ref " + std::string(m_fields.ref) + ")";
    if (connection.state() == BenchConnection::State::WaitingForWelcome ||
        connection.state() == BenchConnection::State::WaitingForRoom) {
        fail(connection, "hello refused: " + std::string(m_fields.code));
        return;
    }
    // Replies come in request order: a refused say is the oldest outstanding.
    if (m_fields.ref == "say" && !connection.outstandingSeqs().empty()) {
        connection.outstandingSeqs().pop_front();
        ++m_report.refused;
        m_tally->refused(m_rooms.roomOf(connection.index()));
    }
}
