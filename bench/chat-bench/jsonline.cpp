// SPDX-License-Identifier: MIT
#include "jsonline.h"

#include <charconv>

namespace JsonLine {

namespace {

class Scanner
{
public:
    explicit Scanner(std::string_view text)
        : m_text(text)
    {
    }

    void skipSpace()
    {
        while (m_pos < m_text.size()
               && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\r' || m_text[m_pos] == '\n'))
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

    // A JSON string after its opening quote; out may be null to skip it.
    bool readString(std::string *out)
    {
        if (!consume('"'))
            return false;
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
                if (!readString(nullptr))
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

std::string *stringSlot(Fields &fields, std::string_view key)
{
    if (key == "type")
        return &fields.type;
    if (key == "from")
        return &fields.from;
    if (key == "text")
        return &fields.text;
    if (key == "code")
        return &fields.code;
    if (key == "ref")
        return &fields.ref;
    return nullptr;
}

} // namespace

bool parse(std::string_view line, Fields &fields)
{
    fields = Fields{};
    Scanner scanner(line);
    if (!scanner.consume('{'))
        return false;
    if (scanner.consume('}'))
        return true;
    std::string key;
    for (;;) {
        key.clear();
        if (!scanner.readString(&key) || !scanner.consume(':'))
            return false;
        std::string *slot = stringSlot(fields, key);
        bool ok = false;
        if (slot && scanner.peek() == '"')
            ok = scanner.readString(slot);
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
