// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/audit/RequestOrigin.h"

namespace larch::server {

namespace {
thread_local RequestOrigin *currentOrigin = nullptr;
} // namespace

OriginScope::OriginScope(const QString &address) : m_origin{address, {}, {}}, m_previous(currentOrigin)
{
    currentOrigin = &m_origin;
}

OriginScope::~OriginScope() { currentOrigin = m_previous; }

RequestOrigin *OriginScope::current() { return currentOrigin; }

} // namespace larch::server
