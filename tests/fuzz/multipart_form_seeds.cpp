// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Seeds for fuzz_multipart_form: inbound e-mail webhook bodies as the courier tests post them (fields, a binary
// attachment, bare LF line breaks, a preamble and an epilogue, quoted boundaries and parameters).
#include "FuzzSeeds.h"

QList<QByteArray> fuzzSeeds()
{
    static const char mail[] = "--B\r\nContent-Disposition: form-data; name=\"sender\"\r\n\r\nsam@example.org\r\n"
                               "--B\r\nContent-Disposition: form-data; name=\"body-plain\"\r\n"
                               "Content-Type: text/plain; charset=utf-8\r\n\r\nline one\r\nline two\r\n"
                               "--B\r\nContent-Disposition: form-data; name=\"attachment-1\"; filename=\"x.pdf\"\r\n"
                               "Content-Type: application/pdf\r\n\r\n%PDF\x00\x01\r\n--B--\r\n";
    const QList<QPair<QByteArray, QByteArray>> inputs{
        {"multipart/form-data; boundary=B", QByteArray(mail, sizeof(mail) - 1)},
        {"multipart/form-data; charset=utf-8; boundary=\"a b'c\"",
         "preamble\r\n--a b'c\r\nContent-Disposition: form-data; name=\"a;b\\\"c\"\r\n\r\nv\r\n--a b'c--\r\nepilogue"},
        {"Multipart/Form-Data; boundary=xYz123",
         "--xYz123 \t\nContent-Disposition: form-data; name=to\n\nclinic@example.org\n--xYz123\n"
         "content-disposition: form-data; name=\"subject\"\n\n\n--xYz123--"},
        {"multipart/form-data; boundary=\"q\\\"x\"",
         "--q\"x\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\n\r\n\r\n--q\"x--\r\n"},
        {"multipart/form-data; boundary=B", "--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--\r\n"},
    };
    QList<QByteArray> seeds;
    for (qsizetype i = 0; i < inputs.size(); ++i)
        seeds << QByteArray(1, char(i * 53)) + inputs[i].first + '\n' + inputs[i].second;
    return seeds;
}
