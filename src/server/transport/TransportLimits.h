// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// How much and how long a connection may send: sizes of request heads and bodies, deadlines, WebSocket queues.
#pragma once

#include <algorithm>
#include <cstddef>

namespace larch::server {

/// Transport limits (docs/server.md, "Limits").
namespace TransportLimits {
inline constexpr std::size_t HeaderBytes = 8 * 1024;
inline constexpr std::size_t BodyBytes = 64 * 1024;
/// POST /v1/conversations/{id}/messages: an envelope of the longest plaintext (256 KiB) is about 342 KiB in base64.
inline constexpr std::size_t MessageBodyBytes = 384 * 1024;
/// PUT /v1/me/key-backup, the largest body of any route.
inline constexpr std::size_t KeyBackupBodyBytes = 4 * 1024 * 1024;
/// POST /v1/webhooks/email/inbound: a parsed e-mail with its attachments.
inline constexpr std::size_t InboundEmailBodyBytes = 1024 * 1024;
/// PUT /v1/uploads/{id}: raw blob bytes, uploadRequestMaxBytes of GET /v1/limits.
inline constexpr std::size_t UploadBodyBytes = 4 * 1024 * 1024;
/// The largest body of any route: the limit while headers are read, before the route is known.
inline constexpr std::size_t LargestBodyBytes = std::max(KeyBackupBodyBytes, UploadBodyBytes);
/// A whole request (headers and body), or the idle time between keep-alive requests.
inline constexpr int RequestSeconds = 20;
/// A whole PUT of upload bytes: up to 4 MiB, from a phone on a slow network.
inline constexpr int UploadRequestSeconds = 120;
inline constexpr int TlsHandshakeSeconds = 10;
inline constexpr std::size_t WebSocketInboundBytes = 4 * 1024;
/// Frames a WebSocket client may leave unread before it is disconnected (it resumes with since).
inline constexpr std::size_t WebSocketQueueFrames = 2048;
inline constexpr std::size_t WebSocketQueueBytes = 8 * 1024 * 1024;
} // namespace TransportLimits

} // namespace larch::server
