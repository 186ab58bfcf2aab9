// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Seeds for fuzz_envelope: message plaintexts as MessageContent::toBytes writes them (a caption, a photo and a PDF
// with hashes and a thumbnail, the attachment-only message of tests/core), plain UTF-8 text and text that is not
// UTF-8, and call signals (an offer, a candidate, a camera turned off); each once straight to the parsers and once
// through a sealed envelope.
#include "FuzzSeeds.h"

#include "core/attachments/AttachmentRef.h"
#include "core/protocol/CallSignal.h"

QList<QByteArray> fuzzSeeds()
{
    larch::AttachmentRef photo;
    photo.blobId = QStringLiteral("0b9e2c4e-1f6a-4d3b-9a51-2c7d8e9f0a1b");
    photo.key = QByteArray(32, '\x01');
    photo.blobSha256 = QByteArray(32, '\x02');
    photo.sha256 = QByteArray(32, '\x03');
    photo.size = 48213;
    photo.mime = QStringLiteral("image/jpeg");
    photo.kind = QStringLiteral("image");
    photo.name = QStringLiteral("rash.jpg");
    photo.width = 640;
    photo.height = 480;
    photo.thumbnail = QByteArray("\xff\xd8\xff\xe0 thumbnail \xff\xd9");
    larch::AttachmentRef pdf = photo;
    pdf.sha256.clear();
    pdf.mime = QStringLiteral("application/pdf");
    pdf.kind = QStringLiteral("pdf");
    pdf.name = QStringLiteral("lab results.pdf");
    pdf.width = pdf.height = 0;
    pdf.pages = 3;
    pdf.thumbnail.clear();
    larch::AttachmentRef video = photo;
    video.mime = QStringLiteral("video/mp4");
    video.kind = QStringLiteral("video");
    video.name = QStringLiteral("gait.mp4");
    video.durationMs = 12500;

    const QList<QByteArray> plaintexts{
        larch::MessageContent{QStringLiteral("Here is the photo — ünïcødé ✓"), {photo}}.toBytes(),
        larch::MessageContent{QString(), {pdf, video}}.toBytes(),
        larch::MessageContent{QStringLiteral("text only"), {}}.toBytes(),
        QByteArray("{\"text\":\"\",\"attachments\":[]}"),
        QByteArray("See you at 3 \xe2\x80\x94 \xc3\xbc"),
        QByteArray("\xc3\x28 not UTF-8"),
    };
    // Call signals, once to the parser alone and once through a format-3 envelope (control byte 16).
    larch::CallSignal offer;
    offer.seq = 1;
    offer.sdp = QStringLiteral("v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\na=fingerprint:sha-256 00:4B\r\n");
    larch::CallSignal candidate;
    candidate.kind = larch::CallSignal::Kind::Candidate;
    candidate.seq = 2;
    candidate.candidate = QStringLiteral("candidate:1 1 UDP 2015363327 127.0.0.1 40000 typ host");
    larch::CallSignal media;
    media.kind = larch::CallSignal::Kind::MediaState;
    media.seq = 3;
    media.cameraOff = true;
    QList<QByteArray> seeds;
    for (qsizetype i = 0; i < plaintexts.size(); ++i) {
        seeds << QByteArray(1, char(1 + i)) + plaintexts.at(i); // the parser alone
        seeds << QByteArray(1, char(i < 4 ? 0 : 8)) + plaintexts.at(i); // through an envelope, format 2 or 1
    }
    for (const larch::CallSignal &signal : {offer, candidate, media}) {
        seeds << QByteArray(1, char(1)) + signal.toBytes();
        seeds << QByteArray(1, char(16)) + signal.toBytes();
    }
    return seeds;
}
