// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The low-level SHA256_CTX is the one form of OpenSSL's SHA-256 whose state is plain bytes that can be saved and
// restored (EVP contexts cannot); OpenSSL 3 marks it deprecated.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "core/crypto/Sha256.h"

#include <cstring>
#include <openssl/evp.h>
#include <openssl/sha.h>

namespace larch {

namespace {
constexpr char StreamStateVersion = 1;
static_assert(sizeof(SHA256_CTX) == Sha256Stream::StateBytes - 1);
static_assert(alignof(SHA256_CTX) <= 8);
} // namespace

QByteArray sha256(QByteArrayView data)
{
    QByteArray digest(32, '\0');
    unsigned int length = 0;
    if (EVP_Digest(data.data(), static_cast<size_t>(data.size()), reinterpret_cast<unsigned char *>(digest.data()),
                   &length, EVP_sha256(), nullptr)
            != 1
        || length != 32)
        return {};
    return digest;
}

Sha256Stream::Sha256Stream() { SHA256_Init(reinterpret_cast<SHA256_CTX *>(m_context)); }

void Sha256Stream::update(QByteArrayView data)
{
    SHA256_Update(reinterpret_cast<SHA256_CTX *>(m_context), data.data(), static_cast<size_t>(data.size()));
}

qint64 Sha256Stream::bytesHashed() const
{
    const auto *c = reinterpret_cast<const SHA256_CTX *>(m_context);
    return qint64(((quint64(c->Nh) << 32) | quint64(c->Nl)) / 8);
}

QByteArray Sha256Stream::digest() const
{
    SHA256_CTX copy;
    std::memcpy(&copy, m_context, sizeof copy);
    QByteArray out(SHA256_DIGEST_LENGTH, '\0');
    SHA256_Final(reinterpret_cast<unsigned char *>(out.data()), &copy);
    return out;
}

QByteArray Sha256Stream::saveState() const
{
    QByteArray state(StateBytes, '\0');
    state[0] = StreamStateVersion;
    std::memcpy(state.data() + 1, m_context, sizeof m_context);
    return state;
}

std::optional<Sha256Stream> Sha256Stream::restore(QByteArrayView state)
{
    if (state.size() != StateBytes || state[0] != StreamStateVersion)
        return std::nullopt;
    Sha256Stream s;
    std::memcpy(s.m_context, state.data() + 1, sizeof s.m_context);
    const auto *c = reinterpret_cast<const SHA256_CTX *>(s.m_context);
    // Whole bytes only, the partial block consistent with the count, and SHA-256's digest length.
    if ((c->Nl & 7) != 0 || c->num != (c->Nl / 8) % SHA256_CBLOCK || c->md_len != SHA256_DIGEST_LENGTH)
        return std::nullopt;
    return s;
}

} // namespace larch
