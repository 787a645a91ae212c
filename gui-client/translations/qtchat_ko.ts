<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>AppController</name>
    <message>
        <source>Joining as %1…</source>
        <translation>%1(으)로 입장하는 중…</translation>
    </message>
    <message>
        <source>Connecting to %1:%2…</source>
        <translation>%1:%2에 연결하는 중…</translation>
    </message>
    <message>
        <source>Connected. Joining as %1…</source>
        <translation>연결되었습니다. %1(으)로 입장하는 중…</translation>
    </message>
    <message>
        <source>Server certificate changed — qtchat</source>
        <translation>서버 인증서가 바뀌었습니다 — qtchat</translation>
    </message>
    <message>
        <source>The server %1:%2 presents a different certificate than the one trusted before.</source>
        <translation>서버 %1:%2이(가) 전에 신뢰한 것과 다른 인증서를 제시합니다.</translation>
    </message>
    <message>
        <source>This happens when the server got a new certificate, but also when someone between you and the server listens in. Trust the new certificate only if the server&apos;s operator confirms its fingerprint.

Trusted before:
%1

Presented now:
%2</source>
        <translation>서버가 새 인증서를 받았을 때도 이렇게 되지만, 누군가 당신과 서버 사이에서 엿듣고 있을 때도 그렇습니다. 서버 운영자가 지문을 확인해 준 경우에만 새 인증서를 신뢰하세요.

전에 신뢰한 인증서:
%1

지금 제시된 인증서:
%2</translation>
    </message>
    <message>
        <source>&amp;Trust the new certificate</source>
        <translation>새 인증서 신뢰(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Do not connect</source>
        <translation>연결하지 않음(&amp;D)</translation>
    </message>
</context>
<context>
    <name>ChatClient</name>
    <message numerus="yes">
        <source>No answer from the server for %n second(s).</source>
        <translation>
            <numerusform>서버가 %n초 동안 응답하지 않습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not connected: the user list is updated after reconnecting.</source>
        <translation>연결되어 있지 않습니다. 다시 연결되면 사용자 목록이 갱신됩니다.</translation>
    </message>
    <message>
        <source>The server sent a frame that is too large; reconnecting.</source>
        <translation>서버가 너무 큰 프레임을 보냈습니다. 다시 연결합니다.</translation>
    </message>
    <message>
        <source>The server closed the connection.</source>
        <translation>서버가 연결을 닫았습니다.</translation>
    </message>
    <message>
        <source>The connection to the server was lost.</source>
        <translation>서버와의 연결이 끊어졌습니다.</translation>
    </message>
    <message>
        <source>Connection refused by %1: is the server running?</source>
        <translation>%1에서 연결을 거부했습니다. 서버가 실행 중인가요?</translation>
    </message>
    <message>
        <source>Unknown host &quot;%1&quot;.</source>
        <translation>알 수 없는 호스트 &quot;%1&quot;입니다.</translation>
    </message>
    <message>
        <source>Timed out connecting to %1.</source>
        <translation>%1에 연결하는 동안 시간이 초과되었습니다.</translation>
    </message>
    <message>
        <source>Network error talking to %1.</source>
        <translation>%1과(와) 통신하는 중 네트워크 오류가 발생했습니다.</translation>
    </message>
    <message>
        <source>Connection to %1 failed: %2</source>
        <translation>%1에 연결하지 못했습니다: %2</translation>
    </message>
    <message>
        <source>The nickname %1 is still in use; trying again.</source>
        <translation>닉네임 %1이(가) 아직 사용 중입니다. 다시 시도합니다.</translation>
    </message>
    <message>
        <source>Not connected: moderation commands need a connection.</source>
        <translation>연결되어 있지 않습니다. 관리 명령어는 연결되어 있어야 합니다.</translation>
    </message>
    <message>
        <source>The certificate of %1:%2 is not the one trusted before: someone may be between you and the server, or the server has a new certificate. Not connecting.
Trusted:   %3
Presented: %4</source>
        <translation>%1:%2의 인증서가 전에 신뢰한 것이 아닙니다. 누군가 당신과 서버 사이에 있거나 서버가 새 인증서를 받았을 수 있습니다. 연결하지 않습니다.
신뢰한 인증서: %3
제시된 인증서: %4</translation>
    </message>
    <message>
        <source>TLS with %1 failed: %2</source>
        <translation>%1와(과)의 TLS 연결 실패: %2</translation>
    </message>
    <message>
        <source>You are not in %1.</source>
        <translation>%1에 들어가 있지 않습니다.</translation>
    </message>
    <message>
        <source>%1 has no topic.</source>
        <translation>%1에는 주제가 없습니다.</translation>
    </message>
    <message>
        <source>The topic of %1: %2</source>
        <translation>%1의 주제: %2</translation>
    </message>
    <message>
        <source>Not connected: the topic can be set after reconnecting.</source>
        <translation>연결되어 있지 않습니다. 다시 연결된 뒤에 주제를 정할 수 있습니다.</translation>
    </message>
    <message>
        <source>Not connected: the list of rooms can be asked for after reconnecting.</source>
        <translation>연결되어 있지 않습니다. 다시 연결된 뒤에 방 목록을 볼 수 있습니다.</translation>
    </message>
    <message>
        <source>Not connected: you can say you are away after reconnecting.</source>
        <translation>연결되지 않음: 다시 연결된 뒤에 자리 비움을 알릴 수 있습니다.</translation>
    </message>
    <message>
        <source>Not connected: you can say you are back after reconnecting.</source>
        <translation>연결되지 않음: 다시 연결된 뒤에 돌아왔음을 알릴 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>ChatFeed</name>
    <message>
        <source>You joined the chat on %1:%2 as %3.</source>
        <translation>%1:%2 채팅에 %3(으)로 입장했습니다.</translation>
    </message>
    <message numerus="yes">
        <source>Reconnected as %1; %n message(s) arrived while you were away.</source>
        <translation>
            <numerusform>%1(으)로 다시 연결되었습니다. 자리를 비운 동안 메시지 %n개가 도착했습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Disconnected.</source>
        <translation>연결이 끊어졌습니다.</translation>
    </message>
</context>
<context>
    <name>ChatInput</name>
    <message>
        <source>Message</source>
        <translation>메시지</translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter starts a new line, Up and Down recall sent messages, Tab completes nicknames and commands.</source>
        <translation>Enter는 보내기, Shift+Enter는 줄 바꿈, 위/아래 화살표는 보낸 메시지 불러오기, Tab은 닉네임과 명령어 자동 완성입니다.</translation>
    </message>
    <message>
        <source>Write a message… (Enter sends, Shift+Enter for a new line)</source>
        <translation>메시지를 입력하세요… (Enter: 보내기, Shift+Enter: 줄 바꿈)</translation>
    </message>
    <message>
        <source>Long Text</source>
        <translation>긴 텍스트</translation>
    </message>
    <message>
        <source>The text you are pasting makes the message %1 characters long, but the server accepts at most %2 characters in one message.

Paste it anyway? You can then shorten it or send it in parts.</source>
        <translation>붙여 넣으면 메시지가 %1자가 되지만, 서버는 메시지 하나에 최대 %2자까지만 받습니다.

그래도 붙여 넣을까요? 붙여 넣은 뒤 줄이거나 나누어 보낼 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>CommandGrammar</name>
    <message>
        <source>NAME</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>change your nickname</source>
        <translation>닉네임 바꾸기</translation>
    </message>
    <message>
        <source>NICK TEXT</source>
        <translation>닉네임 내용</translation>
    </message>
    <message>
        <source>whisper to one user</source>
        <translation>한 사람에게 귓속말 보내기</translation>
    </message>
    <message>
        <source>ACTION</source>
        <translation>행동</translation>
    </message>
    <message>
        <source>say what you are doing</source>
        <translation>지금 하는 일을 모두에게 알리기</translation>
    </message>
    <message>
        <source>PASSWORD</source>
        <translation>비밀번호</translation>
    </message>
    <message>
        <source>become an operator, who can also use:</source>
        <translation>운영자가 되기 (운영자는 다음 명령도 쓸 수 있음):</translation>
    </message>
    <message>
        <source>NICK [REASON]</source>
        <translation>닉네임 [이유]</translation>
    </message>
    <message>
        <source>disconnect a user</source>
        <translation>사용자를 강퇴하기 (연결 끊기)</translation>
    </message>
    <message>
        <source>NICK [MINUTES]</source>
        <translation>닉네임 [분]</translation>
    </message>
    <message>
        <source>silence a user (default 10 minutes; 0 lifts it)</source>
        <translation>사용자 음소거 (기본 10분, 0이면 해제)</translation>
    </message>
    <message>
        <source>0 minutes lifts the mute</source>
        <translation>0분이면 음소거 해제</translation>
    </message>
    <message>
        <source>NICK</source>
        <translation>닉네임</translation>
    </message>
    <message>
        <source>lift a mute</source>
        <translation>음소거 해제</translation>
    </message>
    <message>
        <source>SECONDS</source>
        <translation>초</translation>
    </message>
    <message>
        <source>one message per SECONDS per user (0 turns it off)</source>
        <translation>한 사람당 초마다 메시지 하나 (0이면 끄기)</translation>
    </message>
    <message>
        <source>0 turns slow mode off</source>
        <translation>0이면 슬로 모드 끄기</translation>
    </message>
    <message>
        <source>show this help</source>
        <translation>이 도움말 보기</translation>
    </message>
    <message>
        <source>[REASON]</source>
        <translation>[이유]</translation>
    </message>
    <message>
        <source>leave the chat</source>
        <translation>채팅에서 나가기</translation>
    </message>
    <message>
        <source>#ROOM</source>
        <translation>#방</translation>
    </message>
    <message>
        <source>join a room (made if new) and talk there</source>
        <translation>방에 들어가서 그곳에서 대화하기 (없으면 새로 만듦)</translation>
    </message>
    <message>
        <source>[#ROOM] [MESSAGE]</source>
        <translation>[#방] [메시지]</translation>
    </message>
    <message>
        <source>leave a room (this one if none is named)</source>
        <translation>방에서 나가기 (방을 적지 않으면 지금 방)</translation>
    </message>
    <message>
        <source>list the rooms</source>
        <translation>방 목록 보기</translation>
    </message>
    <message>
        <source>[TEXT]</source>
        <translation>[내용]</translation>
    </message>
    <message>
        <source>show this room&apos;s topic, or set it</source>
        <translation>이 방의 주제를 보거나 정하기</translation>
    </message>
    <message>
        <source>[#ROOM]</source>
        <translation>[#방]</translation>
    </message>
    <message>
        <source>list the users in this room</source>
        <translation>이 방의 사용자 목록 보기</translation>
    </message>
    <message>
        <source>[MESSAGE]</source>
        <translation>[메시지]</translation>
    </message>
    <message>
        <source>tell everyone you are away</source>
        <translation>자리 비움을 모두에게 알립니다</translation>
    </message>
    <message>
        <source>you are back</source>
        <translation>자리로 돌아왔음을 알립니다</translation>
    </message>
</context>
<context>
    <name>CommandParser</name>
    <message>
        <source>Unknown command /%1. Type /help for the list of commands.</source>
        <translation>알 수 없는 명령어 /%1입니다. 명령어 목록은 /help를 입력하세요.</translation>
    </message>
    <message>
        <source>Usage: %1</source>
        <translation>사용법: %1</translation>
    </message>
    <message>
        <source>Commands:</source>
        <translation>명령어:</translation>
    </message>
    <message>
        <source>Anything else is a message to the room you are in (#lobby at first: everyone); start it with // to send a text that begins with /.</source>
        <translation>그 밖의 입력은 지금 있는 방(처음에는 모두가 있는 #lobby)에 보내는 메시지입니다. /로 시작하는 내용을 보내려면 //로 시작하세요.</translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <source>Connect — qtchat</source>
        <translation>연결 — qtchat</translation>
    </message>
    <message>
        <source>Join a chat</source>
        <translation>채팅 참여하기</translation>
    </message>
    <message>
        <source>Choose a nickname and the server to connect to.</source>
        <translation>닉네임과 연결할 서버를 선택하세요.</translation>
    </message>
    <message>
        <source>Nickname</source>
        <translation>닉네임</translation>
    </message>
    <message>
        <source>Nickname hint</source>
        <translation>닉네임 안내</translation>
    </message>
    <message>
        <source>Server host</source>
        <translation>서버 호스트</translation>
    </message>
    <message>
        <source>Server port</source>
        <translation>서버 포트</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>포트(&amp;P):</translation>
    </message>
    <message>
        <source>&amp;Nickname:</source>
        <translation>닉네임(&amp;N):</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>서버(&amp;S):</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>연결 중</translation>
    </message>
    <message>
        <source>Connection status</source>
        <translation>연결 상태</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>연결(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>취소(&amp;C)</translation>
    </message>
    <message>
        <source>Connection attempt cancelled.</source>
        <translation>연결 시도를 취소했습니다.</translation>
    </message>
    <message numerus="yes">
        <source>Letters of any script, digits, _ - and . (up to %n characters).</source>
        <translation>
            <numerusform>모든 문자(한글 포함), 숫자, _ - . 사용 가능 (최대 %n자).</numerusform>
        </translation>
    </message>
    <message>
        <source>Encrypt with &amp;TLS</source>
        <translation>TLS로 암호화(&amp;T)</translation>
    </message>
    <message>
        <source>Without a CA certificate, the server&apos;s certificate is trusted the first time and must stay the same afterwards.</source>
        <translation>CA 인증서가 없으면 서버의 인증서를 처음 연결할 때 신뢰하며, 그 뒤로는 같은 인증서여야 합니다.</translation>
    </message>
    <message>
        <source>none: trust the server&apos;s certificate on first use</source>
        <translation>없음: 처음 연결할 때 서버 인증서를 신뢰</translation>
    </message>
    <message>
        <source>CA certificate file</source>
        <translation>CA 인증서 파일</translation>
    </message>
    <message>
        <source>C&amp;A certificate:</source>
        <translation>CA 인증서(&amp;A):</translation>
    </message>
</context>
<context>
    <name>ConnectionStatus</name>
    <message>
        <source>Connection state</source>
        <translation>연결 상태</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>연결</translation>
    </message>
    <message>
        <source>Round-trip time</source>
        <translation>왕복 시간</translation>
    </message>
    <message>
        <source>Reconnect &amp;Now</source>
        <translation>지금 다시 연결(&amp;N)</translation>
    </message>
    <message>
        <source>Reconnect now</source>
        <translation>지금 다시 연결</translation>
    </message>
    <message>
        <source>Lag: %1 ms</source>
        <translation>지연: %1ms</translation>
    </message>
    <message>
        <source>Connected to %1 as %2</source>
        <translation>%1에 %2(으)로 연결됨</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>%1에 연결하는 중…</translation>
    </message>
    <message>
        <source>Joining as %1…</source>
        <translation>%1(으)로 입장하는 중…</translation>
    </message>
    <message numerus="yes">
        <source>Connection lost. Reconnecting in %n second(s)…</source>
        <translation>
            <numerusform>연결이 끊어졌습니다. %n초 후에 다시 연결합니다…</numerusform>
        </translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>연결되지 않음</translation>
    </message>
    <message numerus="yes">
        <source>(%n message(s) waiting to be sent)</source>
        <translation>
            <numerusform>(보낼 메시지 %n개 대기 중)</numerusform>
        </translation>
    </message>
    <message>
        <source>Connected to %1 as %2, encrypted (TLS)</source>
        <translation>%1에 %2(으)로 연결됨, 암호화됨 (TLS)</translation>
    </message>
    <message>
        <source>Server certificate SHA-256:
%1</source>
        <translation>서버 인증서 SHA-256:
%1</translation>
    </message>
    <message>
        <source>Presence</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>자리 비움</translation>
    </message>
    <message>
        <source>You are away.</source>
        <translation>자리 비움 상태입니다.</translation>
    </message>
    <message>
        <source>Away: %1</source>
        <translation>자리 비움: %1</translation>
    </message>
    <message>
        <source>You are away: %1</source>
        <translation>자리 비움 상태입니다: %1</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>That nickname is already taken. Choose another one.</source>
        <translation>이미 사용 중인 닉네임입니다. 다른 닉네임을 선택하세요.</translation>
    </message>
    <message>
        <source>The nickname &quot;%1&quot; is already taken. Choose another one.</source>
        <translation>닉네임 &quot;%1&quot;은(는) 이미 사용 중입니다. 다른 닉네임을 선택하세요.</translation>
    </message>
    <message>
        <source>The server does not accept this nickname (%1).</source>
        <translation>서버가 이 닉네임을 받아들이지 않습니다(%1).</translation>
    </message>
    <message>
        <source>The server is full. Try again later.</source>
        <translation>서버가 가득 찼습니다. 나중에 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Nobody by that name is online (%1).</source>
        <translation>그 이름으로 접속한 사람이 없습니다(%1).</translation>
    </message>
    <message>
        <source>You are sending too fast; the server refused a message. Wait a moment and try again.</source>
        <translation>너무 빨리 보내고 있어 서버가 메시지를 거부했습니다. 잠시 후 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The server refused the message (%1).</source>
        <translation>서버가 메시지를 거부했습니다(%1).</translation>
    </message>
    <message>
        <source>The message was too large for the server.</source>
        <translation>메시지가 너무 커서 서버가 받을 수 없습니다.</translation>
    </message>
    <message>
        <source>The server refused a request (%1: %2).</source>
        <translation>서버가 요청을 거부했습니다(%1: %2).</translation>
    </message>
    <message numerus="yes">
        <source>Too many wrong operator passwords; try again in %n second(s).</source>
        <translation>
            <numerusform>운영자 비밀번호가 너무 많이 틀렸습니다. %n초 후에 다시 시도하세요.</numerusform>
        </translation>
    </message>
    <message>
        <source>This server has no operators: /op is not available.</source>
        <translation>이 서버에는 운영자가 없습니다. /op를 사용할 수 없습니다.</translation>
    </message>
    <message>
        <source>Wrong operator password.</source>
        <translation>운영자 비밀번호가 틀렸습니다.</translation>
    </message>
    <message>
        <source>Only operators can do that. Become one with /op PASSWORD.</source>
        <translation>운영자만 할 수 있습니다. /op 비밀번호로 운영자가 되세요.</translation>
    </message>
    <message numerus="yes">
        <source>You are muted; you can write again in %n second(s).</source>
        <translation>
            <numerusform>음소거되었습니다. %n초 후에 다시 쓸 수 있습니다.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Slow mode is on; you can send your next message in %n second(s).</source>
        <translation>
            <numerusform>슬로 모드가 켜져 있습니다. %n초 후에 다음 메시지를 보낼 수 있습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>The server cannot reach the other chat servers right now, so this was not sent. Try again in a moment.</source>
        <translation>서버가 지금 다른 채팅 서버에 연결할 수 없어서 보내지 못했습니다. 잠시 후에 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The server does not accept this room name (%1).</source>
        <translation>서버가 이 방 이름을 받지 않습니다 (%1).</translation>
    </message>
    <message>
        <source>You are not in that room; join it first (%1).</source>
        <translation>그 방에 들어가 있지 않습니다. 먼저 들어가세요 (%1).</translation>
    </message>
    <message>
        <source>Everyone stays in #lobby: it cannot be left.</source>
        <translation>모두가 #lobby에 남아 있습니다. 나갈 수 없습니다.</translation>
    </message>
    <message>
        <source>No more rooms can be joined now (%1).</source>
        <translation>지금은 방에 더 들어갈 수 없습니다 (%1).</translation>
    </message>
    <message>
        <source>The server does not accept this topic (%1).</source>
        <translation>서버가 이 주제를 받지 않습니다 (%1).</translation>
    </message>
</context>
<context>
    <name>EventText</name>
    <message>
        <source>quit</source>
        <translation>나감</translation>
    </message>
    <message>
        <source>connection lost</source>
        <translation>연결 끊김</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>시간 초과</translation>
    </message>
    <message>
        <source>too slow to keep up</source>
        <translation>수신이 너무 느림</translation>
    </message>
    <message>
        <source>flooding</source>
        <translation>도배</translation>
    </message>
    <message>
        <source>server shutdown</source>
        <translation>서버 종료</translation>
    </message>
    <message>
        <source>1 user online: %1</source>
        <translation>접속자 1명: %1</translation>
    </message>
    <message>
        <source>%1 users online: %2</source>
        <translation>접속자 %1명: %2</translation>
    </message>
    <message>
        <source>* Welcome, %1! %2</source>
        <translation>* %1님, 환영합니다! %2</translation>
    </message>
    <message>
        <source>-&gt; *%1* %2</source>
        <translation>-&gt; *%1* %2</translation>
    </message>
    <message>
        <source>*%1* %2</source>
        <translation>*%1* %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>* pong</source>
        <translation>* 퐁</translation>
    </message>
    <message>
        <source>* error: %1</source>
        <translation>* 오류: %1</translation>
    </message>
    <message>
        <source>kicked</source>
        <translation>강퇴됨</translation>
    </message>
    <message>
        <source>%1 joined</source>
        <translation>%1님이 들어왔습니다</translation>
    </message>
    <message>
        <source>%1 was kicked by %2</source>
        <translation>%2님이 %1님을 강퇴했습니다</translation>
    </message>
    <message>
        <source>%1 was kicked by %2 (%3)</source>
        <translation>%2님이 %1님을 강퇴했습니다 (%3)</translation>
    </message>
    <message>
        <source>%1 left (%2)</source>
        <translation>%1님이 나갔습니다 (%2)</translation>
    </message>
    <message>
        <source>%1 is now known as %2</source>
        <translation>%1님의 닉네임이 %2(으)로 바뀌었습니다</translation>
    </message>
    <message>
        <source>You were kicked by %1.</source>
        <translation>%1님이 당신을 강퇴했습니다.</translation>
    </message>
    <message>
        <source>You were kicked by %1: %2</source>
        <translation>%1님이 당신을 강퇴했습니다: %2</translation>
    </message>
    <message>
        <source>%1 is now an operator</source>
        <translation>%1님이 이제 운영자입니다</translation>
    </message>
    <message>
        <source>%1 was muted by %2 for 1 minute</source>
        <translation>%2님이 %1님을 1분 동안 음소거했습니다</translation>
    </message>
    <message>
        <source>%1 was muted by %2 for %3 minutes</source>
        <translation>%2님이 %1님을 %3분 동안 음소거했습니다</translation>
    </message>
    <message>
        <source>%1 was unmuted by %2</source>
        <translation>%2님이 %1님의 음소거를 해제했습니다</translation>
    </message>
    <message>
        <source>%1 turned slow mode off</source>
        <translation>%1님이 슬로 모드를 껐습니다</translation>
    </message>
    <message>
        <source>%1 turned slow mode on: one message per second</source>
        <translation>%1님이 슬로 모드를 켰습니다: 1초에 메시지 하나</translation>
    </message>
    <message>
        <source>%1 turned slow mode on: one message per %2 seconds</source>
        <translation>%1님이 슬로 모드를 켰습니다: %2초에 메시지 하나</translation>
    </message>
    <message>
        <source>Slow mode is on: one message per second.</source>
        <translation>슬로 모드가 켜져 있습니다: 1초에 메시지 하나.</translation>
    </message>
    <message>
        <source>Slow mode is on: one message per %1 seconds.</source>
        <translation>슬로 모드가 켜져 있습니다: %1초에 메시지 하나.</translation>
    </message>
    <message>
        <source>More messages arrived while you were away than the server sends again; the oldest of them are not shown.</source>
        <translation>자리를 비운 사이에 서버가 다시 보내 주는 것보다 많은 메시지가 도착했습니다. 가장 오래된 메시지는 표시되지 않습니다.</translation>
    </message>
    <message>
        <source>The server is shutting down. Goodbye!</source>
        <translation>서버가 종료됩니다. 안녕히 가세요!</translation>
    </message>
    <message>
        <source>Another connection took your nickname back with this session&apos;s resume token; this one is closed and does not reconnect.</source>
        <translation>다른 연결이 이 세션의 재개 토큰으로 닉네임을 되찾았습니다. 이 연결은 닫히며 다시 연결하지 않습니다.</translation>
    </message>
    <message>
        <source>Goodbye (%1).</source>
        <translation>안녕히 가세요 (%1).</translation>
    </message>
    <message>
        <source>left the room</source>
        <translation>방에서 나감</translation>
    </message>
    <message>
        <source>1 room:</source>
        <translation>방 1개:</translation>
    </message>
    <message>
        <source>%1 rooms:</source>
        <translation>방 %1개:</translation>
    </message>
    <message>
        <source>%1 cleared the topic</source>
        <translation>%1님이 주제를 지웠습니다</translation>
    </message>
    <message>
        <source>%1 set the topic: %2</source>
        <translation>%1님이 주제를 정했습니다: %2</translation>
    </message>
    <message>
        <source>%1 cleared the topic of %2</source>
        <translation>%1님이 %2의 주제를 지웠습니다</translation>
    </message>
    <message>
        <source>%1 set the topic to “%2” in %3</source>
        <translation>%1님이 %3의 주제를 “%2”(으)로 정했습니다</translation>
    </message>
    <message>
        <source>You are in %1. It has no topic.</source>
        <translation>%1에 들어왔습니다. 주제는 없습니다.</translation>
    </message>
    <message>
        <source>You are in %1. Topic: %2</source>
        <translation>%1에 들어왔습니다. 주제: %2</translation>
    </message>
    <message>
        <source>1 user in %1: %2</source>
        <translation>%1 사용자 1명: %2</translation>
    </message>
    <message>
        <source>%1 users in %2: %3</source>
        <translation>%2 사용자 %1명: %3</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2명)</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2명): %3</translation>
    </message>
    <message>
        <source>%1 joined %2</source>
        <translation>%1님이 %2에 들어왔습니다</translation>
    </message>
    <message>
        <source>%1 left %2</source>
        <translation>%1님이 %2에서 나갔습니다</translation>
    </message>
    <message>
        <source>%1 left %2 (%3)</source>
        <translation>%1님이 %2에서 나갔습니다 (%3)</translation>
    </message>
    <message>
        <source>%1 (away)</source>
        <translation>%1 (자리 비움)</translation>
    </message>
    <message>
        <source>%1 (away: %2)</source>
        <translation>%1 (자리 비움: %2)</translation>
    </message>
    <message>
        <source>%1 is away</source>
        <translation>%1 님이 자리를 비웠습니다</translation>
    </message>
    <message>
        <source>%1 is away: %2</source>
        <translation>%1 님이 자리를 비웠습니다: %2</translation>
    </message>
    <message>
        <source>%1 is back</source>
        <translation>%1 님이 돌아왔습니다</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>&amp;Find:</source>
        <translation>찾기(&amp;F):</translation>
    </message>
    <message>
        <source>Text or nickname</source>
        <translation>텍스트 또는 닉네임</translation>
    </message>
    <message>
        <source>Find in messages</source>
        <translation>메시지에서 찾기</translation>
    </message>
    <message>
        <source>Older match (Enter, F3)</source>
        <translation>이전 결과 (Enter, F3)</translation>
    </message>
    <message>
        <source>Older match</source>
        <translation>이전 결과</translation>
    </message>
    <message>
        <source>Newer match (Shift+Enter, Shift+F3)</source>
        <translation>다음 결과 (Shift+Enter, Shift+F3)</translation>
    </message>
    <message>
        <source>Newer match</source>
        <translation>다음 결과</translation>
    </message>
    <message>
        <source>Close (Escape)</source>
        <translation>닫기 (Esc)</translation>
    </message>
    <message>
        <source>Close find bar</source>
        <translation>찾기 표시줄 닫기</translation>
    </message>
    <message>
        <source>Matches</source>
        <translation>검색 결과</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>결과 없음</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%2개 중 %1번째</translation>
    </message>
</context>
<context>
    <name>GuiOptions</name>
    <message>
        <source>Desktop client for chat-server.</source>
        <translation>chat-server용 데스크톱 클라이언트입니다.</translation>
    </message>
    <message>
        <source>Server host to fill in.</source>
        <translation>미리 채울 서버 호스트입니다.</translation>
    </message>
    <message>
        <source>host</source>
        <translation>호스트</translation>
    </message>
    <message>
        <source>Server port to fill in.</source>
        <translation>미리 채울 서버 포트입니다.</translation>
    </message>
    <message>
        <source>port</source>
        <translation>포트</translation>
    </message>
    <message>
        <source>Nickname to fill in.</source>
        <translation>미리 채울 닉네임입니다.</translation>
    </message>
    <message>
        <source>nick</source>
        <translation>닉네임</translation>
    </message>
    <message>
        <source>Connect right away when the values are valid.</source>
        <translation>입력값이 올바르면 바로 연결합니다.</translation>
    </message>
    <message>
        <source>User interface language (en, ko); default: the system&apos;s.</source>
        <translation>사용자 인터페이스 언어(en, ko). 기본값은 시스템 언어입니다.</translation>
    </message>
    <message>
        <source>language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>Messages kept in the window (default %1).</source>
        <translation>창에 보관할 메시지 수입니다(기본값 %1).</translation>
    </message>
    <message>
        <source>rows</source>
        <translation>행</translation>
    </message>
    <message>
        <source>Settings file to use instead of the usual one.</source>
        <translation>기본 설정 파일 대신 사용할 설정 파일입니다.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>파일</translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation>예상하지 못한 인수: %1</translation>
    </message>
    <message>
        <source>The port must be a number from 1 to 65535.</source>
        <translation>포트는 1부터 65535 사이의 숫자여야 합니다.</translation>
    </message>
    <message>
        <source>The scrollback must be a number of at least %1.</source>
        <translation>스크롤백은 %1 이상의 숫자여야 합니다.</translation>
    </message>
    <message>
        <source>Tick the TLS box: connect encrypted.</source>
        <translation>TLS 상자를 선택합니다: 암호화하여 연결합니다.</translation>
    </message>
    <message>
        <source>CA certificate (PEM) to verify the server with (implies --tls).</source>
        <translation>서버를 확인할 CA 인증서(PEM) (--tls 포함).</translation>
    </message>
    <message>
        <source>Say you are away after this many minutes without input (0: never; default 10).</source>
        <translation>입력이 없는 채로 이 시간(분)이 지나면 자리 비움으로 알립니다 (0: 하지 않음, 기본값 10).</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>분</translation>
    </message>
    <message>
        <source>The minutes before going away must be a whole number, 0 or more.</source>
        <translation>자리 비움까지의 시간(분)은 0 이상의 정수여야 합니다.</translation>
    </message>
</context>
<context>
    <name>IdleAway</name>
    <message>
        <source>Idle</source>
        <translation>자리 비움</translation>
    </message>
</context>
<context>
    <name>JoinRoomDialog</name>
    <message>
        <source>Join a Room — qtchat</source>
        <translation>방 입장 — qtchat</translation>
    </message>
    <message>
        <source>&amp;Room name or filter:</source>
        <translation>방 이름 또는 검색어(&amp;R):</translation>
    </message>
    <message>
        <source>#room</source>
        <translation>#방</translation>
    </message>
    <message>
        <source>Room name or filter</source>
        <translation>방 이름 또는 검색어</translation>
    </message>
    <message>
        <source>Rooms on the server</source>
        <translation>서버의 방</translation>
    </message>
    <message>
        <source>Hint</source>
        <translation>도움말</translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation>입장(&amp;J)</translation>
    </message>
    <message>
        <source>Asking the server for its rooms…</source>
        <translation>서버에 방 목록을 요청하는 중…</translation>
    </message>
    <message>
        <source>Type the name of a room, or choose one from the list.</source>
        <translation>방 이름을 입력하거나 목록에서 방을 고르세요.</translation>
    </message>
    <message numerus="yes">
        <source>%n room(s) on the server.</source>
        <translation>
            <numerusform>서버에 방이 %n개 있습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nobody is in %1 yet: Join creates it.</source>
        <translation>%1에는 아직 아무도 없습니다. 입장하면 방이 만들어집니다.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Send</source>
        <translation>보내기</translation>
    </message>
    <message>
        <source>Send the message (Enter)</source>
        <translation>메시지 보내기 (Enter)</translation>
    </message>
    <message>
        <source>Input hint</source>
        <translation>입력 안내</translation>
    </message>
    <message>
        <source>Characters used</source>
        <translation>사용한 글자 수</translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation>채팅(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Reconnect Now</source>
        <translation>지금 다시 연결(&amp;R)</translation>
    </message>
    <message>
        <source>Change &amp;Nickname…</source>
        <translation>닉네임 바꾸기(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Who Is Here</source>
        <translation>접속자 보기(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>찾기(&amp;F)…</translation>
    </message>
    <message>
        <source>Find &amp;Older</source>
        <translation>이전 결과 찾기(&amp;O)</translation>
    </message>
    <message>
        <source>Find &amp;Newer</source>
        <translation>다음 결과 찾기(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Copy Selected Messages</source>
        <translation>선택한 메시지 복사(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>Jump to &amp;Newest Message</source>
        <translation>최신 메시지로 이동(&amp;N)</translation>
    </message>
    <message>
        <source>Go to &amp;Message Box</source>
        <translation>메시지 입력창으로 이동(&amp;M)</translation>
    </message>
    <message>
        <source>Next &amp;Pane</source>
        <translation>다음 영역(&amp;P)</translation>
    </message>
    <message>
        <source>P&amp;revious Pane</source>
        <translation>이전 영역(&amp;R)</translation>
    </message>
    <message>
        <source>Show &amp;Users</source>
        <translation>사용자 목록 표시(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Commands</source>
        <translation>명령어(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;About qtchat</source>
        <translation>qtchat 정보(&amp;A)</translation>
    </message>
    <message>
        <source>About qtchat</source>
        <translation>qtchat 정보</translation>
    </message>
    <message>
        <source>qtchat %1

A small TCP chat: this desktop client, a console client and the chat-server.
Built with Qt %2.</source>
        <translation>qtchat %1

작은 TCP 채팅: 이 데스크톱 클라이언트, 콘솔 클라이언트, chat-server로 이루어져 있습니다.
Qt %2(으)로 만들었습니다.</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Qt 정보(&amp;Q)</translation>
    </message>
    <message>
        <source>Not connected: the message will be sent once the connection is back.</source>
        <translation>연결되어 있지 않습니다. 연결이 복구되면 메시지를 보냅니다.</translation>
    </message>
    <message>
        <source>%1 @ %2 — qtchat</source>
        <translation>%1 @ %2 — qtchat</translation>
    </message>
    <message>
        <source>%1 @ %2 (offline) — qtchat</source>
        <translation>%1 @ %2 (오프라인) — qtchat</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>&amp;Join a Room…</source>
        <translation>방 입장(&amp;J)…</translation>
    </message>
    <message>
        <source>&amp;Switch To…</source>
        <translation>빠른 이동(&amp;S)…</translation>
    </message>
    <message>
        <source>Next R&amp;oom</source>
        <translation>다음 방(&amp;O)</translation>
    </message>
    <message>
        <source>Previous Roo&amp;m</source>
        <translation>이전 방(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Away</source>
        <translation>자리 비움(&amp;A)</translation>
    </message>
</context>
<context>
    <name>MessageContextMenu</name>
    <message>
        <source>&amp;Copy</source>
        <translation>복사(&amp;C)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>모두 선택(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Open Link</source>
        <translation>링크 열기(&amp;O)</translation>
    </message>
    <message>
        <source>Copy &amp;Link Address</source>
        <translation>링크 주소 복사(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Whisper to %1</source>
        <translation>%1에게 귓속말(&amp;W)</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>to %1:</source>
        <translation>%1에게 귓속말:</translation>
    </message>
    <message>
        <source>whispers:</source>
        <translation>귓속말:</translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message>
        <source>Messages</source>
        <translation>메시지</translation>
    </message>
    <message>
        <source>The conversation, oldest at the top. Ctrl+C copies the selected messages.</source>
        <translation>대화 내용입니다. 오래된 메시지가 위에 있습니다. Ctrl+C로 선택한 메시지를 복사합니다.</translation>
    </message>
</context>
<context>
    <name>NewMessagesButton</name>
    <message>
        <source>Jump to the newest message</source>
        <translation>최신 메시지로 이동</translation>
    </message>
    <message numerus="yes">
        <source>%n new message(s)</source>
        <translation>
            <numerusform>새 메시지 %n개</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NotificationLevelMenu</name>
    <message>
        <source>&amp;Notifications</source>
        <translation>알림(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;All Messages</source>
        <translation>모든 메시지(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Mentions Only</source>
        <translation>나를 언급한 메시지만(&amp;M)</translation>
    </message>
    <message>
        <source>Messages that mention your nickname, and whispers</source>
        <translation>내 닉네임을 언급한 메시지와 귓속말</translation>
    </message>
    <message>
        <source>N&amp;othing</source>
        <translation>알리지 않음(&amp;O)</translation>
    </message>
</context>
<context>
    <name>NotificationPolicy</name>
    <message numerus="yes">
        <source>%n new message(s)</source>
        <translation>
            <numerusform>새 메시지 %n개</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>the newest of several: who whispered what</comment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 in %2: %3</source>
        <comment>the newest of several: who wrote in which room what</comment>
        <translation>%2의 %1: %3</translation>
    </message>
    <message>
        <source>%1 whispers</source>
        <comment>a notification&apos;s title: who whispered</comment>
        <translation>%1의 귓속말</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <comment>a notification&apos;s title: who wrote in which room (bob in #dev)</comment>
        <translation>%2의 %1</translation>
    </message>
</context>
<context>
    <name>NotificationSettings</name>
    <message>
        <source>&amp;Do Not Disturb</source>
        <translation>방해 금지(&amp;D)</translation>
    </message>
    <message>
        <source>Show no notifications and do not flash the taskbar</source>
        <translation>알림을 보이지 않고 작업 표시줄도 깜빡이지 않습니다</translation>
    </message>
</context>
<context>
    <name>QuickSwitcher</name>
    <message>
        <source>Switch to — qtchat</source>
        <translation>빠른 이동 — qtchat</translation>
    </message>
    <message>
        <source>Room or person</source>
        <translation>방 또는 사람</translation>
    </message>
    <message>
        <source>Switch to room or person</source>
        <translation>방이나 사람으로 이동</translation>
    </message>
    <message>
        <source>Matching rooms and conversations</source>
        <translation>일치하는 방과 대화</translation>
    </message>
</context>
<context>
    <name>RoomDirectoryModel</name>
    <message numerus="yes">
        <source>%1 (%n user(s))</source>
        <translation>
            <numerusform>%1 (사용자 %n명)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>RoomSidebar</name>
    <message>
        <source>&amp;Rooms</source>
        <translation>방(&amp;R)</translation>
    </message>
    <message>
        <source>Rooms and conversations</source>
        <translation>방과 대화</translation>
    </message>
    <message>
        <source>Click or press Enter on a room or a conversation to show it.</source>
        <translation>방이나 대화를 클릭하거나 Enter를 누르면 그 대화를 보여 줍니다.</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>보기(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Close Conversation</source>
        <translation>대화 닫기(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Leave Room</source>
        <translation>방 나가기(&amp;L)</translation>
    </message>
</context>
<context>
    <name>ServerTrust</name>
    <message>
        <source>cannot read the CA file %1: %2</source>
        <translation>CA 파일 %1을(를) 읽을 수 없습니다: %2</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate</source>
        <translation>%1에 PEM 인증서가 없습니다</translation>
    </message>
</context>
<context>
    <name>TopicBar</name>
    <message>
        <source>No topic. Click to set one.</source>
        <translation>주제가 없습니다. 클릭해서 정하세요.</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>주제</translation>
    </message>
    <message>
        <source>The room&apos;s topic: edit it and press Enter to set it for everyone</source>
        <translation>방의 주제: 고친 뒤 Enter를 누르면 모두에게 바뀝니다</translation>
    </message>
    <message>
        <source>%1 &amp;topic:</source>
        <translation>%1 주제(&amp;T):</translation>
    </message>
</context>
<context>
    <name>TrayNotifier</name>
    <message>
        <source>&amp;Hide qtchat</source>
        <translation>qtchat 숨기기(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Show qtchat</source>
        <translation>qtchat 보이기(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <source>qtchat is still running</source>
        <translation>qtchat이 계속 실행 중입니다</translation>
    </message>
    <message>
        <source>It stays in the system tray and tells you about new messages. To leave, choose Quit in the tray icon&apos;s menu.</source>
        <translation>시스템 트레이에 남아 새 메시지를 알려 줍니다. 끝내려면 트레이 아이콘 메뉴에서 끝내기를 고르세요.</translation>
    </message>
    <message>
        <source>qtchat</source>
        <comment>the first line of the tray icon&apos;s tooltip</comment>
        <translation>qtchat</translation>
    </message>
    <message numerus="yes">
        <source>%n unread message(s)</source>
        <translation>
            <numerusform>읽지 않은 메시지 %n개</numerusform>
        </translation>
    </message>
    <message>
        <source>Do not disturb</source>
        <translation>방해 금지</translation>
    </message>
</context>
<context>
    <name>UserDelegate</name>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (나)</translation>
    </message>
</context>
<context>
    <name>UserListModel</name>
    <message>
        <source>%1, operator</source>
        <translation>%1, 운영자</translation>
    </message>
    <message>
        <source>%1, away</source>
        <translation>%1, 자리 비움</translation>
    </message>
    <message>
        <source>%1, away: %2</source>
        <translation>%1, 자리 비움: %2</translation>
    </message>
    <message>
        <source>%1 is away</source>
        <translation>%1 님이 자리를 비웠습니다</translation>
    </message>
    <message>
        <source>%1 is away: %2</source>
        <translation>%1 님이 자리를 비웠습니다: %2</translation>
    </message>
</context>
<context>
    <name>UserListPanel</name>
    <message>
        <source>Users online</source>
        <translation>접속 중인 사용자</translation>
    </message>
    <message>
        <source>Double-click or press Enter on a user to whisper to them.</source>
        <translation>사용자를 두 번 클릭하거나 Enter를 누르면 귓속말을 보냅니다.</translation>
    </message>
    <message>
        <source>Double-click a user to whisper to them</source>
        <translation>사용자를 두 번 클릭하면 귓속말을 보냅니다</translation>
    </message>
    <message numerus="yes">
        <source>%n &amp;user(s) online</source>
        <translation>
            <numerusform>접속자 %n명(&amp;U)</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Whisper to %1</source>
        <translation>%1에게 귓속말(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Mention in Message</source>
        <translation>메시지에서 언급하기(&amp;M)</translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <source>A nickname needs at least one character.</source>
        <translation>닉네임은 한 글자 이상이어야 합니다.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not allowed in a nickname: use letters of any script, digits, _, - and .</source>
        <translation>&quot;%1&quot;은(는) 닉네임에 쓸 수 없습니다. 모든 문자(한글 포함), 숫자, _, -, .만 사용하세요.</translation>
    </message>
    <message>
        <source>space</source>
        <translation>공백</translation>
    </message>
    <message>
        <source>A nickname cannot start with a combining mark.</source>
        <translation>닉네임은 결합 문자로 시작할 수 없습니다.</translation>
    </message>
    <message>
        <source>The message is empty.</source>
        <translation>메시지가 비어 있습니다.</translation>
    </message>
    <message>
        <source>The message contains control characters (only tab and line breaks are allowed).</source>
        <translation>메시지에 제어 문자가 있습니다(탭과 줄 바꿈만 허용됩니다).</translation>
    </message>
    <message numerus="yes">
        <source>A nickname has at most %n characters.</source>
        <translation>
            <numerusform>닉네임은 최대 %n자입니다.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>A message has at most %n characters.</source>
        <translation>
            <numerusform>메시지는 최대 %n자입니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>The message contains invalid Unicode (an unpaired surrogate).</source>
        <translation>메시지에 잘못된 유니코드(짝이 없는 서로게이트)가 들어 있습니다.</translation>
    </message>
    <message>
        <source>A room name starts with #, as in #lobby.</source>
        <translation>방 이름은 #lobby처럼 #로 시작합니다.</translation>
    </message>
    <message>
        <source>A room name needs at least one character after the #.</source>
        <translation>방 이름은 # 뒤에 한 글자 이상이 있어야 합니다.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not allowed in a room name: use letters of any script, digits, _, - and .</source>
        <translation>방 이름에는 &quot;%1&quot;을(를) 쓸 수 없습니다. 모든 문자의 글자, 숫자, _, -, .을 쓰세요</translation>
    </message>
    <message>
        <source>A room name cannot start with a combining mark.</source>
        <translation>방 이름은 결합 문자로 시작할 수 없습니다.</translation>
    </message>
    <message>
        <source>A topic is one line without control characters (no tabs either).</source>
        <translation>주제는 제어 문자가 없는 한 줄입니다 (탭도 안 됩니다).</translation>
    </message>
    <message>
        <source>The topic contains invalid Unicode (an unpaired surrogate).</source>
        <translation>주제에 잘못된 유니코드(짝 없는 서로게이트)가 있습니다.</translation>
    </message>
    <message numerus="yes">
        <source>A room name has at most %n characters after the #.</source>
        <translation>
            <numerusform>방 이름은 # 뒤에 최대 %n자입니다.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>A topic has at most %n characters.</source>
        <translation>
            <numerusform>주제는 최대 %n자입니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>An away message is one line without control characters (no tabs either).</source>
        <translation>자리 비움 메시지는 제어 문자(탭 포함) 없이 한 줄이어야 합니다.</translation>
    </message>
    <message>
        <source>The away message contains invalid Unicode (an unpaired surrogate).</source>
        <translation>자리 비움 메시지에 잘못된 유니코드(짝 없는 서로게이트)가 있습니다.</translation>
    </message>
    <message numerus="yes">
        <source>An away message has at most %n characters.</source>
        <translation>
            <numerusform>자리 비움 메시지는 최대 %n자입니다.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>chat-gui</source>
        <translation>chat-gui</translation>
    </message>
</context>
</TS>
