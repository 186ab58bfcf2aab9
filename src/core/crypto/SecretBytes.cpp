// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/crypto/SecretBytes.h"

#include <sodium.h>

namespace larch {

SecretBytes::SecretBytes(QByteArray &&bytes) : m_bytes(std::move(bytes)) { m_bytes.detach(); }

SecretBytes SecretBytes::random(qsizetype size)
{
    SecretBytes s = zeroed(size);
    randombytes_buf(s.data(), static_cast<size_t>(size));
    return s;
}

SecretBytes SecretBytes::zeroed(qsizetype size) { return SecretBytes(QByteArray(size, '\0')); }

SecretBytes::SecretBytes(const SecretBytes &other) : m_bytes(other.m_bytes.constData(), other.m_bytes.size()) { }

SecretBytes &SecretBytes::operator=(const SecretBytes &other)
{
    if (this != &other) {
        wipe(m_bytes);
        m_bytes = QByteArray(other.m_bytes.constData(), other.m_bytes.size());
    }
    return *this;
}

SecretBytes::SecretBytes(SecretBytes &&other) noexcept : m_bytes(std::move(other.m_bytes)) { }

SecretBytes &SecretBytes::operator=(SecretBytes &&other) noexcept
{
    if (this != &other) {
        wipe(m_bytes);
        m_bytes = std::move(other.m_bytes);
        other.m_bytes = QByteArray();
    }
    return *this;
}

SecretBytes::~SecretBytes() { wipe(m_bytes); }

bool SecretBytes::operator==(const SecretBytes &other) const
{
    if (m_bytes.size() != other.m_bytes.size())
        return false;
    if (m_bytes.isEmpty())
        return true;
    return sodium_memcmp(m_bytes.constData(), other.m_bytes.constData(), static_cast<size_t>(m_bytes.size())) == 0;
}

void SecretBytes::wipe(QByteArray &bytes)
{
    // A shared or raw-data buffer belongs to someone else too; writing through data() would only
    // detach and wipe a fresh copy.
    if (!bytes.isEmpty() && bytes.isDetached())
        sodium_memzero(bytes.data(), static_cast<size_t>(bytes.size()));
    bytes = QByteArray();
}

} // namespace larch
