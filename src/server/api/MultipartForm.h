// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// multipart/form-data bodies (RFC 7578), as e-mail providers post parsed messages, read within fixed limits.
#pragma once

#include "server/api/FormData.h"

#include <optional>
#include <QByteArray>
#include <QList>
#include <string>

namespace larch::server {

/// What one body may hold; the transport already bounds its size.
struct MultipartLimits {
    int maxParts = 100; ///< fields and files together
    qsizetype maxHeaderBytes = 8192; ///< the header block of one part
};

/// One part of a multipart/form-data body.
struct FormPart {
    QByteArray name; ///< the form field's name
    QByteArray filename; ///< set for an uploaded file (an attachment), empty for a text field
    QByteArray contentType; ///< the part's Content-Type, empty when it has none
    QByteArray data;
};

/// The boundary of a multipart/form-data Content-Type; empty when it is not one or its boundary is missing or bad.
QByteArray multipartBoundary(const std::string &contentType);
/// The parts of body; nullopt when it is malformed (no opening or closing delimiter, a part without a blank line
/// after its headers or without a name, headers too long, too many parts).
std::optional<QList<FormPart>> parseMultipart(const QByteArray &body, const QByteArray &boundary,
                                              const MultipartLimits &limits = {});
/// The text fields of parts, in order (files left out).
FormFields multipartFields(const QList<FormPart> &parts);

} // namespace larch::server
