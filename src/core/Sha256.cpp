#include "Sha256.h"

#include <openssl/evp.h>

namespace larch {

QByteArray sha256(QByteArrayView data)
{
    QByteArray digest(32, '\0');
    unsigned int length = 0;
    if (EVP_Digest(data.data(), static_cast<size_t>(data.size()), reinterpret_cast<unsigned char *>(digest.data()),
                   &length, EVP_sha256(), nullptr) != 1
        || length != 32)
        return {};
    return digest;
}

} // namespace larch
