// SPDX-License-Identifier: MIT
#include "jsonline.h"

#include <array>
#include <charconv>
#include <cstring>

namespace JsonLine {

namespace {

class Scanner
{
public:
    explicit Scanner(std::string_view text) : m_text(text) {}

    void skipSpace()
    {
        while (m_pos < m_text.size() &&
               (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\r' || m_text[m_pos] == '\n'))
            ++m_pos;
    }

    bool consume(char c)
    {
        skipSpace();
        if (m_pos >= m_text.size() || m_text[m_pos] != c)
            return false;
        ++m_pos;
        return true;
    }

    char peek()
    {
        skipSpace();
        return m_pos < m_text.size() ? m_text[m_pos] : '\0';
    }

    // A JSON string; its content as a view into the line when it has no
    // escapes, else unescaped into storage. Returns false if malformed.
    bool readString(std::string_view &value, std::string &storage)
    {
        if (!consume('"'))
            return false;
        const std::size_t begin = m_pos;
        const std::size_t end = findQuoteOrBackslash(m_pos);
        if (end >= m_text.size())
            return false;
        if (m_text[end] == '"') {
            value = m_text.substr(begin, end - begin);
            m_pos = end + 1;
            return true;
        }
        storage.assign(m_text.substr(begin, end - begin));
        m_pos = end;
        if (!readEscapedTail(&storage))
            return false;
        value = storage;
        return true;
    }

    bool skipString()
    {
        if (!consume('"'))
            return false;
        const std::size_t end = findQuoteOrBackslash(m_pos);
        if (end >= m_text.size())
            return false;
        m_pos = end;
        if (m_text[end] == '"') {
            ++m_pos;
            return true;
        }
        return readEscapedTail(nullptr);
    }

    bool readInteger(std::int64_t &value)
    {
        skipSpace();
        const char *begin = m_text.data() + m_pos;
        const char *end = m_text.data() + m_text.size();
        const auto [ptr, ec] = std::from_chars(begin, end, value);
        if (ec != std::errc())
            return skipValue();
        m_pos += std::size_t(ptr - begin);
        // A fraction or exponent makes it no id of ours; skip the rest.
        while (m_pos < m_text.size() && m_text[m_pos] != ',' && m_text[m_pos] != '}')
            ++m_pos;
        return true;
    }

    // Skips any value: nested objects and arrays by depth, minding strings.
    bool skipValue()
    {
        skipSpace();
        int depth = 0;
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c == '"') {
                if (!skipString())
                    return false;
                if (depth == 0)
                    return true;
                continue;
            }
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (depth == 0)
                    return true; // the end of the enclosing object
                --depth;
                if (depth == 0) {
                    ++m_pos;
                    return true;
                }
            } else if (c == ',' && depth == 0) {
                return true;
            }
            ++m_pos;
        }
        return false;
    }

private:
    // memchr is vectorised; the strings we read are up to 4 KiB of text.
    std::size_t findQuoteOrBackslash(std::size_t pos) const
    {
        const char *base = m_text.data() + pos;
        const std::size_t length = m_text.size() - pos;
        const auto *quote = static_cast<const char *>(std::memchr(base, '"', length));
        const std::size_t untilQuote = quote ? std::size_t(quote - base) : length;
        const auto *backslash = static_cast<const char *>(std::memchr(base, '\\', untilQuote));
        return pos + (backslash ? std::size_t(backslash - base) : untilQuote);
    }

    // From a backslash inside a string to just past its closing quote,
    // appending the unescaped text to out (if given).
    bool readEscapedTail(std::string *out)
    {
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos++];
            if (c == '"')
                return true;
            if (c != '\\') {
                if (out)
                    out->push_back(c);
                continue;
            }
            if (m_pos >= m_text.size())
                return false;
            const char escaped = m_text[m_pos++];
            if (escaped == 'u') {
                if (!readUnicodeEscape(out))
                    return false;
                continue;
            }
            if (out)
                out->push_back(unescape(escaped));
        }
        return false;
    }

    static char unescape(char c)
    {
        switch (c) {
        case 'n':
            return '\n';
        case 't':
            return '\t';
        case 'r':
            return '\r';
        case 'b':
            return '\b';
        case 'f':
            return '\f';
        default:
            return c; // '"', '\\', '/'
        }
    }

    bool readUnicodeEscape(std::string *out)
    {
        constexpr int kHexDigits = 4;
        if (m_pos + kHexDigits > m_text.size())
            return false;
        unsigned code = 0;
        const auto [ptr, ec] = std::from_chars(m_text.data() + m_pos, m_text.data() + m_pos + kHexDigits, code, 16);
        if (ec != std::errc() || ptr != m_text.data() + m_pos + kHexDigits)
            return false;
        m_pos += kHexDigits;
        if (out)
            appendUtf8(*out, code); // surrogate pairs are not needed for our texts
        return true;
    }

    static void appendUtf8(std::string &out, unsigned code)
    {
        if (code < 0x80) {
            out.push_back(char(code));
        } else if (code < 0x800) {
            out.push_back(char(0xc0 | (code >> 6)));
            out.push_back(char(0x80 | (code & 0x3f)));
        } else {
            out.push_back(char(0xe0 | (code >> 12)));
            out.push_back(char(0x80 | ((code >> 6) & 0x3f)));
            out.push_back(char(0x80 | (code & 0x3f)));
        }
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
};

// The field a key is read into, with its storage, or -1 for keys we skip.
int slotOf(std::string_view key)
{
    constexpr std::array<std::string_view, 6> kKeys{"type", "from", "text", "code", "ref", "room"};
    for (std::size_t i = 0; i < kKeys.size(); ++i) {
        if (key == kKeys[i])
            return int(i);
    }
    return -1;
}

std::string_view &viewOf(Fields &fields, int slot)
{
    switch (slot) {
    case 0:
        return fields.type;
    case 1:
        return fields.from;
    case 2:
        return fields.text;
    case 3:
        return fields.code;
    case 4:
        return fields.ref;
    default:
        return fields.room;
    }
}

} // namespace

bool parse(std::string_view line, Fields &fields)
{
    fields.type = fields.from = fields.text = fields.code = fields.ref = fields.room = {};
    fields.id = -1;
    Scanner scanner(line);
    if (!scanner.consume('{'))
        return false;
    if (scanner.consume('}'))
        return true;
    std::string keyStorage;
    for (;;) {
        std::string_view key;
        if (!scanner.readString(key, keyStorage) || !scanner.consume(':'))
            return false;
        const int slot = slotOf(key);
        bool ok = false;
        if (slot >= 0 && scanner.peek() == '"')
            ok = scanner.readString(viewOf(fields, slot), fields.storage[std::size_t(slot)]);
        else if (key == "id" && scanner.peek() != '"')
            ok = scanner.readInteger(fields.id);
        else
            ok = scanner.skipValue();
        if (!ok)
            return false;
        if (scanner.consume(','))
            continue;
        return scanner.consume('}');
    }
}

} // namespace JsonLine
