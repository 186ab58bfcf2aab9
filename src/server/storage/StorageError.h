// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The error every storage backend throws when it cannot read or write: Larch's own type, whatever the backend.
#pragma once

#include <stdexcept>
#include <string>

namespace larch::server {

/// A storage failure; the write it interrupted was rolled back whole. Its text carries the backend's message,
/// never stored or bound values. The API answers DiskFull with 507 and anything else with 500.
class StorageError : public std::runtime_error {
public:
    /// What the operator has to do about it.
    enum class Kind {
        DiskFull, ///< the disk holding the data is full: free space, then clients retry
        Failed, ///< anything else: see the server's log
    };

    StorageError(const std::string &what, Kind kind) : std::runtime_error(what), m_kind(kind) { }
    Kind kind() const { return m_kind; }

private:
    Kind m_kind;
};

} // namespace larch::server
