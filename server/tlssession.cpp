// SPDX-License-Identifier: MIT
#include "tlssession.h"

#include "tlscontext.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <climits>

using namespace Qt::StringLiterals;

TlsSession::TlsSession(const TlsContext &context, int fd) : m_ssl(SSL_new(context.handle()))
{
    if (!m_ssl)
        return;
    SSL_set_fd(m_ssl, fd);
    SSL_set_accept_state(m_ssl);
}

TlsSession::~TlsSession()
{
    SSL_free(m_ssl);
}

bool TlsSession::isEstablished() const
{
    return m_ssl && SSL_is_init_finished(m_ssl);
}

ssize_t TlsSession::read(char *data, size_t size)
{
    if (!m_ssl) {
        m_error = u"no TLS session"_s;
        errno = EPROTO;
        return -1;
    }
    ERR_clear_error();
    m_readWantsWrite = false;
    const int result = SSL_read(m_ssl, data, int(std::min<size_t>(size, INT_MAX)));
    if (result > 0)
        return result;
    return fail(result, Direction::Read);
}

ssize_t TlsSession::write(const char *data, size_t size)
{
    if (!m_ssl) {
        m_error = u"no TLS session"_s;
        errno = EPROTO;
        return -1;
    }
    ERR_clear_error();
    m_writeWantsRead = false;
    const int result = SSL_write(m_ssl, data, int(std::min<size_t>(size, INT_MAX)));
    if (result > 0)
        return result;
    return fail(result, Direction::Write);
}

ssize_t TlsSession::fail(int result, Direction direction)
{
    const int savedErrno = errno;
    switch (SSL_get_error(m_ssl, result)) {
    case SSL_ERROR_WANT_READ:
        if (direction == Direction::Write)
            m_writeWantsRead = true;
        errno = EAGAIN;
        return -1;
    case SSL_ERROR_WANT_WRITE:
        if (direction == Direction::Read)
            m_readWantsWrite = true;
        errno = EAGAIN;
        return -1;
    case SSL_ERROR_ZERO_RETURN:
        return 0; // the peer's close_notify
    case SSL_ERROR_SYSCALL:
        if (ERR_peek_error() == 0 && savedErrno != 0) {
            errno = savedErrno;
            return -1;
        }
        if (savedErrno == 0 && ERR_peek_error() == 0)
            return 0; // an EOF without close_notify: the peer is gone all the same
        break;
    default:
        break;
    }
    m_error = TlsContext::takeErrors();
    errno = EPROTO;
    return -1;
}

void TlsSession::shutdown()
{
    if (!m_ssl || !SSL_is_init_finished(m_ssl))
        return;
    ERR_clear_error();
    SSL_shutdown(m_ssl);
    ERR_clear_error();
}
