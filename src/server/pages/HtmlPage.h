// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Shared pieces of the server's HTML pages: escaping, the page frame with its inline style, and the headers
// every page carries (a CSP that allows nothing from elsewhere).
#pragma once

#include "server/api/ApiRouter.h"
#include "server/transport/ServerConfig.h"

#include <QString>

namespace larch::server::html {

/// Text made safe for an HTML element or a quoted attribute.
QString escape(const QString &text);
/// A whole document: title, extra style, body markup; mobile-first, inline CSS only.
QString document(const QString &title, const QString &body, const QString &extraStyle = {});
/// "Get the Larch app": App Store, Google Play and desktop download buttons from the server's flags.
QString storeLinks(const ServerConfig &config);
/// Where a page's forms may post: nowhere (most pages), or back to this server.
enum class FormTarget { None, Self };
/// An HTML response with Content-Security-Policy, X-Content-Type-Options, Referrer-Policy and no caching.
ApiResponse response(int status, const QString &document, FormTarget forms = FormTarget::None);
/// A JSON document (not an API object) such as /.well-known files, with nosniff.
ApiResponse jsonDocument(const QByteArray &json);

} // namespace larch::server::html
