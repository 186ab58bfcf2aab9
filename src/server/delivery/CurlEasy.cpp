// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/delivery/CurlEasy.h"

#include <mutex>
#include <stdexcept>

namespace larch::server {
namespace {
constexpr std::size_t ResponseMax = 64 * 1024;
}

void initCurl()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

CurlEasy::CurlEasy(const std::atomic<bool> &stopping) : m_curl(curl_easy_init()), m_stopping(stopping)
{
    if (!m_curl)
        throw std::runtime_error("curl_easy_init failed");
    curl_easy_setopt(m_curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(m_curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(m_curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(m_curl, CURLOPT_ERRORBUFFER, m_error);
    curl_easy_setopt(m_curl, CURLOPT_WRITEFUNCTION, &CurlEasy::onWrite);
    curl_easy_setopt(m_curl, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(m_curl, CURLOPT_XFERINFOFUNCTION, &CurlEasy::onProgress);
    curl_easy_setopt(m_curl, CURLOPT_XFERINFODATA, this);
    curl_easy_setopt(m_curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(m_curl, CURLOPT_PROTOCOLS_STR, "http,https,smtp,smtps");
    curl_easy_setopt(m_curl, CURLOPT_FOLLOWLOCATION, 0L);
}

CurlEasy::~CurlEasy() { curl_easy_cleanup(m_curl); }

CURLcode CurlEasy::perform()
{
    m_response.clear();
    m_error[0] = '\0';
    return curl_easy_perform(m_curl);
}

long CurlEasy::responseCode() const
{
    long code = 0;
    curl_easy_getinfo(m_curl, CURLINFO_RESPONSE_CODE, &code);
    return code;
}

size_t CurlEasy::onWrite(char *data, size_t size, size_t count, void *self)
{
    auto *me = static_cast<CurlEasy *>(self);
    const size_t n = size * count;
    if (me->m_response.size() < ResponseMax)
        me->m_response.append(data, std::min(n, ResponseMax - me->m_response.size()));
    return n;
}

int CurlEasy::onProgress(void *self, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    return static_cast<CurlEasy *>(self)->m_stopping.load() ? 1 : 0;
}

} // namespace larch::server
