// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Builds the server's Courier from its settings: each channel goes to its real transport when configured,
// otherwise to the development outbox.
#pragma once

#include "server/delivery/Courier.h"
#include "server/storage/Storage.h"
#include "server/transport/ServerConfig.h"

#include <memory>

namespace larch::server {

/// True when SMS (or e-mail) has a real transport in config.
bool smsGatewayConfigured(const ServerConfig &config);
bool smtpConfigured(const ServerConfig &config);

/// The courier for a server: logs which channel goes where (no secrets). config must outlive it: the SMS sender
/// reads config.publicUrl when it sends. The courier's thread starts with Courier::start().
std::unique_ptr<Courier> makeCourier(const ServerConfig &config, Storage &storage);

} // namespace larch::server
