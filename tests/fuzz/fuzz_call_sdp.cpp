// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Fuzz target: what a call reads from the other side before it trusts it. The offer or answer's SDP text (the
// fingerprint CallMedia pins, with sdpFingerprint, and GStreamer's SDP parser, which gets the same text), and the PEM
// certificate the peer's DTLS transport reports (pemFingerprint).
// Input: one control byte, then the bytes: an even control byte reads them as SDP text (UTF-8), an odd one as PEM.
// Beyond "no crash, no read outside the input" it checks: a fingerprint found is 32 bytes and its text is in the SDP
// (upper or lower case), an SDP naming only that fingerprint yields it again, and every read is the same twice.
#define GST_USE_UNSTABLE_API
#include "calls/SdpFingerprint.h"

#include <gst/sdp/sdp.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "fuzz_call_sdp: %s\n", what);
    std::abort();
}

void sdp(const QByteArray &bytes)
{
    const QString text = QString::fromUtf8(bytes);
    const auto fingerprint = larch::calls::sdpFingerprint(text);
    if (fingerprint != larch::calls::sdpFingerprint(text))
        broken("the same SDP read twice gave two answers");
    if (fingerprint) {
        if (fingerprint->size() != 32)
            broken("a fingerprint is not 32 bytes");
        const QString hex = larch::calls::fingerprintText(*fingerprint);
        if (!text.contains(hex, Qt::CaseInsensitive))
            broken("a fingerprint found is not in the SDP");
        if (larch::calls::sdpFingerprint(QStringLiteral("a=fingerprint:sha-256 ") + hex) != fingerprint)
            broken("an SDP naming only the fingerprint found does not give it back");
    }
    // GStreamer's parser refuses empty text with a critical warning; CallMedia never hands it one (no fingerprint).
    if (qstrlen(bytes.constData()) == 0)
        return;
    // A refused text still leaves an allocated message behind, which the caller frees (as CallMedia does).
    GstSDPMessage *message = nullptr;
    const GstSDPResult parsed = gst_sdp_message_new_from_text(bytes.constData(), &message);
    if (parsed == GST_SDP_OK && message) {
        gchar *again = gst_sdp_message_as_text(message);
        g_free(again);
    }
    if (message)
        gst_sdp_message_free(message);
}

void pem(const QByteArray &bytes)
{
    const auto fingerprint = larch::calls::pemFingerprint(bytes);
    if (fingerprint != larch::calls::pemFingerprint(bytes))
        broken("the same PEM read twice gave two answers");
    if (fingerprint && fingerprint->size() != 32)
        broken("a certificate's fingerprint is not 32 bytes");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray bytes(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1)); // NUL-terminated copy
    if (data[0] % 2 == 0)
        sdp(bytes);
    else
        pem(bytes);
    return 0;
}
