// SPDX-License-Identifier: MIT
// The resume-token extension of the protocol (docs/protocol.md, "Taking a
// nickname back"): `hello.resume` and `welcome.resume` in JSON, round trips,
// frames without them, and refused types.
#include "framecodec.h"
#include "testharness.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace {

const QString kToken = u"q2Xk4m0_Zb-1aVwE9yTtR3cLpQ8sNfGh"_s;

QJsonObject parse(const QByteArray &line)
{
    return QJsonDocument::fromJson(line).object();
}

} // namespace

class TestResumeFrames final : public QObject
{
    Q_OBJECT

private slots:
    void helloCarriesTheToken()
    {
        Hello hello{u"alice"_s, {}, 7};
        hello.resume = kToken;
        const QJsonObject json = parse(FrameCodec::encode(ClientFrame(hello)));
        QCOMPARE(json.value(u"resume"_s).toString(), kToken);
        const auto decoded = FrameCodec::decodeClientFrame(FrameCodec::encode(ClientFrame(hello)).chopped(1));
        QVERIFY(std::holds_alternative<ClientFrame>(decoded));
        QCOMPARE(std::get<Hello>(std::get<ClientFrame>(decoded)), hello);
    }

    void helloWithoutTokenHasNoField()
    {
        const QJsonObject json = parse(FrameCodec::encode(ClientFrame(Hello{u"alice"_s, {}, {}})));
        QVERIFY(!json.contains(u"resume"_s));
        for (const QByteArray &line :
             {R"({"type":"hello","nick":"a"})"_ba, R"({"type":"hello","nick":"a","resume":null})"_ba}) {
            const auto decoded = FrameCodec::decodeClientFrame(line);
            QVERIFY(std::holds_alternative<ClientFrame>(decoded));
            QVERIFY(std::get<Hello>(std::get<ClientFrame>(decoded)).resume.isEmpty());
        }
    }

    void helloRefusesTokensThatAreNotStrings_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("number") << R"({"type":"hello","nick":"a","resume":12})"_ba;
        QTest::newRow("bool") << R"({"type":"hello","nick":"a","resume":true})"_ba;
        QTest::newRow("array") << R"({"type":"hello","nick":"a","resume":["x"]})"_ba;
        QTest::newRow("object") << R"({"type":"hello","nick":"a","resume":{}})"_ba;
    }

    void helloRefusesTokensThatAreNotStrings()
    {
        QFETCH(QByteArray, line);
        const auto decoded = FrameCodec::decodeClientFrame(line);
        QVERIFY(std::holds_alternative<FrameCodec::DecodeError>(decoded));
        const auto &error = std::get<FrameCodec::DecodeError>(decoded);
        QCOMPARE(error.code, ErrorCode::BadFrame);
        QCOMPARE(error.ref, u"hello"_s);
    }

    void welcomeCarriesTheToken()
    {
        Welcome welcome{u"alice"_s, {u"alice"_s}, {}, u"chat-server/1.0.0"_s, kVersion};
        welcome.resume = kToken;
        const QByteArray line = FrameCodec::encode(ServerFrame(welcome));
        QCOMPARE(parse(line).value(u"resume"_s).toString(), kToken);
        const auto decoded = FrameCodec::decodeServerFrame(line.chopped(1));
        QVERIFY(std::holds_alternative<ServerFrame>(decoded));
        QCOMPARE(std::get<Welcome>(std::get<ServerFrame>(decoded)).resume, kToken);
    }

    void welcomeWithoutTokenHasNoField()
    {
        const Welcome welcome{u"alice"_s, {u"alice"_s}, {}, u"chat-server/1.0.0"_s, kVersion};
        QVERIFY(!parse(FrameCodec::encode(ServerFrame(welcome))).contains(u"resume"_s));
        const auto decoded = FrameCodec::decodeServerFrame(
            R"({"type":"welcome","nick":"a","users":["a"],"history":[],"server":"x","protocol":2})"_ba);
        QVERIFY(std::holds_alternative<ServerFrame>(decoded));
        QVERIFY(std::get<Welcome>(std::get<ServerFrame>(decoded)).resume.isEmpty());
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestResumeFrames)
#include "tst_resumeframes.moc"
