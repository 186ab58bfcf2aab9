// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Seeds for fuzz_call_sdp: an offer as webrtcbin writes it (VP8 and Opus, bundled, one fingerprint on each media
// line), the same with CRLF line ends and with the fingerprint lower-case, and a self-signed certificate in PEM.
#include "FuzzSeeds.h"

namespace {

const char *const Offer = "v=0\n"
                          "o=- 1625496007761729307 0 IN IP4 0.0.0.0\n"
                          "s=-\n"
                          "t=0 0\n"
                          "a=ice-options:trickle\n"
                          "a=group:BUNDLE video0 audio1\n"
                          "m=video 9 UDP/TLS/RTP/SAVPF 96\n"
                          "c=IN IP4 0.0.0.0\n"
                          "a=setup:actpass\n"
                          "a=ice-ufrag:DOASZFMb0n15/ooxvW0Ire0LYFj45o0O\n"
                          "a=ice-pwd:yR3S/Wu8s4oHWtsU59+VsoBli2AvDJU1\n"
                          "a=rtcp-mux\n"
                          "a=rtcp-rsize\n"
                          "a=sendrecv\n"
                          "a=rtpmap:96 VP8/90000\n"
                          "a=rtcp-fb:96 nack pli\n"
                          "a=rtcp-fb:96 ccm fir\n"
                          "a=rtcp-fb:96 transport-cc\n"
                          "a=mid:video0\n"
                          "a=fingerprint:sha-256 00:4B:A6:0A:5E:CE:94:47:D6:87:8D:58:DE:67:F2:62:4C:C3:9A:98:27:29:B7:"
                          "F7:5A:53:04:EA:B2:F6:F3:F2\n"
                          "a=rtcp-mux-only\n"
                          "m=audio 0 UDP/TLS/RTP/SAVPF 97\n"
                          "c=IN IP4 0.0.0.0\n"
                          "a=setup:actpass\n"
                          "a=bundle-only\n"
                          "a=sendrecv\n"
                          "a=rtpmap:97 OPUS/48000/2\n"
                          "a=fmtp:97 sprop-stereo=0;sprop-maxcapturerate=48000\n"
                          "a=ssrc:1457714897 cname:user82419612@host-61f1894d\n"
                          "a=mid:audio1\n"
                          "a=fingerprint:sha-256 00:4B:A6:0A:5E:CE:94:47:D6:87:8D:58:DE:67:F2:62:4C:C3:9A:98:27:29:B7:"
                          "F7:5A:53:04:EA:B2:F6:F3:F2\n"
                          "a=rtcp-mux-only\n";

const char *const Certificate = "-----BEGIN CERTIFICATE-----\n"
                                "MIIBfTCCASWgAwIBAgIUChFzT44wPk6iDVT1qQa962O4vq8wCgYIKoZIzj0EAwIw\n"
                                "FTETMBEGA1UEAwwKbGFyY2gtdGVzdDAeFw0yNjEyMDgwMzU3MDZaFw0zNjEyMDUw\n"
                                "MzU3MDZaMBUxEzARBgNVBAMMCmxhcmNoLXRlc3QwWTATBgcqhkjOPQIBBggqhkjO\n"
                                "PQMBBwNCAASq6F3/LdT+U2T3F9r+6rz/HCR1IQNuwFZfOlfC3vCKP0vqAS9LGXEp\n"
                                "14vnSygy1oOLdWEhd5whCdFt5G9wS+4do1MwUTAdBgNVHQ4EFgQUt39RHhQMKIBj\n"
                                "v81RyuMYZoD2M6EwHwYDVR0jBBgwFoAUt39RHhQMKIBjv81RyuMYZoD2M6EwDwYD\n"
                                "VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNGADBDAh8Esi/dOHJBm4adAjF9WyhT\n"
                                "cG7xkubajtfv5zxJNd15AiBlObUHLR/frTYP7A69Ek18Q32jJo7JewpwYNJbGMBX\n"
                                "Cw==\n"
                                "-----END CERTIFICATE-----\n";

} // namespace

QList<QByteArray> fuzzSeeds()
{
    const QByteArray offer(Offer);
    QByteArray crlf = offer;
    crlf.replace("\n", "\r\n");
    QByteArray lower = offer;
    lower.replace("00:4B:A6:0A:5E:CE:94:47", "00:4b:a6:0a:5e:ce:94:47");
    return {'\0' + offer, '\0' + crlf, '\2' + lower, '\1' + QByteArray(Certificate)};
}
