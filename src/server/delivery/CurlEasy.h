// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A libcurl easy handle with the settings both real senders share: time limits, a bounded response, and an
// abort when the server shuts down.
#pragma once

#include <atomic>
#include <curl/curl.h>
#include <string>

namespace larch::server {

/// One transfer's handle. perform() returns libcurl's code; response() holds at most 64 KiB of the answer.
class CurlEasy {
public:
    explicit CurlEasy(const std::atomic<bool> &stopping);
    ~CurlEasy();
    CurlEasy(const CurlEasy &) = delete;
    CurlEasy &operator=(const CurlEasy &) = delete;

    CURL *get() const { return m_curl; }
    CURLcode perform();
    long responseCode() const;
    const std::string &response() const { return m_response; }
    /// Set by libcurl when a transfer fails: a short technical reason, for the operator's log only.
    const char *errorText() const { return m_error; }

private:
    static size_t onWrite(char *data, size_t size, size_t count, void *self);
    static int onProgress(void *self, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

    CURL *m_curl;
    const std::atomic<bool> &m_stopping;
    std::string m_response;
    char m_error[CURL_ERROR_SIZE] = {};
};

/// Calls curl_global_init once; call before the first CurlEasy and before threads start.
void initCurl();

} // namespace larch::server
