// SPDX-License-Identifier: MIT
#include "protocol.h"

#include "frametypename.h"

#include <array>
#include <utility>

namespace Protocol {
namespace {

using namespace Qt::StringLiterals;

constexpr std::array kErrorNames{
    std::pair{ErrorCode::NotRegistered, u"not-registered"},
    std::pair{ErrorCode::AlreadyRegistered, u"already-registered"},
    std::pair{ErrorCode::NickInvalid, u"nick-invalid"},
    std::pair{ErrorCode::NickTaken, u"nick-taken"},
    std::pair{ErrorCode::BadFrame, u"bad-frame"},
    std::pair{ErrorCode::UnknownType, u"unknown-type"},
    std::pair{ErrorCode::TextInvalid, u"text-invalid"},
    std::pair{ErrorCode::NoSuchUser, u"no-such-user"},
    std::pair{ErrorCode::RateLimited, u"rate-limited"},
    std::pair{ErrorCode::FrameTooLarge, u"frame-too-large"},
    std::pair{ErrorCode::ServerFull, u"server-full"},
    std::pair{ErrorCode::StoreFailed, u"store-failed"},
    std::pair{ErrorCode::Timeout, u"timeout"},
    std::pair{ErrorCode::OpDisabled, u"op-disabled"},
    std::pair{ErrorCode::WrongPassword, u"wrong-password"},
    std::pair{ErrorCode::NotOperator, u"not-operator"},
    std::pair{ErrorCode::Muted, u"muted"},
    std::pair{ErrorCode::SlowMode, u"slow-mode"},
    std::pair{ErrorCode::ClusterUnavailable, u"cluster-unavailable"},
    std::pair{ErrorCode::ServerBusy, u"server-busy"},
    std::pair{ErrorCode::RoomInvalid, u"room-invalid"},
    std::pair{ErrorCode::NotInRoom, u"not-in-room"},
    std::pair{ErrorCode::CannotPart, u"cannot-part"},
    std::pair{ErrorCode::TooManyRooms, u"too-many-rooms"},
    std::pair{ErrorCode::TopicInvalid, u"topic-invalid"},
};

constexpr std::array kLeaveNames{
    std::pair{LeaveReason::Quit, u"quit"},       std::pair{LeaveReason::Disconnected, u"disconnected"},
    std::pair{LeaveReason::Timeout, u"timeout"}, std::pair{LeaveReason::SlowConsumer, u"slow-consumer"},
    std::pair{LeaveReason::Flood, u"flood"},     std::pair{LeaveReason::Shutdown, u"shutdown"},
    std::pair{LeaveReason::Kicked, u"kicked"},   std::pair{LeaveReason::Part, u"part"},
};

template<typename Enum, typename Table> QString nameOf(const Table &table, Enum value)
{
    for (const auto &[key, name] : table) {
        if (key == value)
            return QString::fromUtf16(name);
    }
    return {};
}

template<typename Enum, typename Table> std::optional<Enum> valueOf(const Table &table, const QString &name)
{
    for (const auto &[key, wireName] : table) {
        if (name == QStringView(wireName))
            return key;
    }
    return std::nullopt;
}

} // namespace

QString errorCodeName(ErrorCode code)
{
    return nameOf(kErrorNames, code);
}

std::optional<ErrorCode> errorCodeFromName(const QString &name)
{
    return valueOf<ErrorCode>(kErrorNames, name);
}

QString leaveReasonName(LeaveReason reason)
{
    return nameOf(kLeaveNames, reason);
}

std::optional<LeaveReason> leaveReasonFromName(const QString &name)
{
    return valueOf<LeaveReason>(kLeaveNames, name);
}

QString typeName(const ClientFrame &frame)
{
    return clientTypeName(frame.index());
}

QString typeName(const ServerFrame &frame)
{
    return serverTypeName(frame.index());
}

} // namespace Protocol
