#include "Migrations.h"

namespace larch::server {
namespace {

constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE practices (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'clinician', 'patient')),
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_event_seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX users_practice_role ON users(practice_id, role, created_at);
CREATE TABLE sessions (
    token_digest TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices(id),
    patient_id TEXT NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_activity_at INTEGER NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conversations_practice_activity ON conversations(practice_id, last_activity_at DESC, id DESC);
CREATE INDEX conversations_patient_activity ON conversations(patient_id, last_activity_at DESC, id DESC);
CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    seq INTEGER NOT NULL,
    client_id TEXT NOT NULL,
    sender_id TEXT NOT NULL REFERENCES users(id),
    sender_name TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    UNIQUE (conversation_id, seq),
    UNIQUE (conversation_id, client_id)
);
CREATE TABLE reads (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    last_read_seq INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
) WITHOUT ROWID;
CREATE TABLE events (
    user_id TEXT NOT NULL REFERENCES users(id),
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, seq)
) WITHOUT ROWID;
)sql"},
    // End-to-end encryption (docs/security.md). The server keeps public keys and sealed grants only;
    // a message's envelope is stored as the compact JSON it arrived as, opaque to the server.
    {2, R"sql(
ALTER TABLE users ADD COLUMN deactivated_at INTEGER;
ALTER TABLE practices ADD COLUMN key_rotation_needed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN device_id TEXT;
ALTER TABLE messages ADD COLUMN envelope TEXT;
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    box_public_key TEXT NOT NULL,
    sign_public_key TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'active', 'revoked')),
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX devices_user ON devices(user_id, created_at);
CREATE INDEX sessions_device ON sessions(device_id);
CREATE TABLE practice_keys (
    practice_id TEXT NOT NULL REFERENCES practices(id),
    version INTEGER NOT NULL,
    public_key TEXT NOT NULL,
    created_by_device TEXT NOT NULL REFERENCES devices(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (practice_id, version)
) WITHOUT ROWID;
CREATE TABLE practice_key_grants (
    practice_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices(id),
    sealed_key TEXT NOT NULL,
    PRIMARY KEY (practice_id, version, device_id),
    FOREIGN KEY (practice_id, version) REFERENCES practice_keys(practice_id, version)
) WITHOUT ROWID;
CREATE INDEX practice_key_grants_device ON practice_key_grants(device_id);
CREATE TABLE conversation_epochs (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    epoch INTEGER NOT NULL,
    practice_key_version INTEGER NOT NULL,
    practice_grant TEXT NOT NULL,
    created_by_device TEXT NOT NULL REFERENCES devices(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, epoch)
) WITHOUT ROWID;
CREATE TABLE epoch_grants (
    conversation_id TEXT NOT NULL,
    epoch INTEGER NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices(id),
    sealed_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, epoch, device_id),
    FOREIGN KEY (conversation_id, epoch) REFERENCES conversation_epochs(conversation_id, epoch)
) WITHOUT ROWID;
CREATE TABLE key_requests (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    device_id TEXT NOT NULL REFERENCES devices(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, device_id)
) WITHOUT ROWID;
CREATE TABLE key_backups (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    backup TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
)sql"},
    {3, R"sql(
ALTER TABLE key_backups ADD COLUMN entry_key_id TEXT NOT NULL DEFAULT '';
CREATE TABLE key_backup_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL REFERENCES users(id),
    entry TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX key_backup_entries_user ON key_backup_entries(user_id, id);
)sql"},
};

} // namespace

std::span<const Migration> sqliteMigrations() { return kMigrations; }

} // namespace larch::server
