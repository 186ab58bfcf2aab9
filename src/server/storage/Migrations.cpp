// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/storage/Migrations.h"

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
    // Invitations and sign-up with a code (docs/invitations.md). users is rebuilt (SQLite's table-rebuild
    // procedure, run with foreign keys off) so that email may be NULL, a patient may hold a phone number
    // instead, a patient who signs in with codes has no password, and a patient with no practice yet exists.
    {4, R"sql(
CREATE TABLE users_new (
    id TEXT PRIMARY KEY,
    practice_id TEXT REFERENCES practices(id),
    email TEXT UNIQUE,
    phone TEXT UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'clinician', 'patient')),
    password_hash TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    last_event_seq INTEGER NOT NULL DEFAULT 0,
    deactivated_at INTEGER,
    invited INTEGER NOT NULL DEFAULT 0
);
INSERT INTO users_new (id, practice_id, email, name, role, password_hash, created_at, last_event_seq, deactivated_at)
    SELECT id, practice_id, email, name, role, password_hash, created_at, last_event_seq, deactivated_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_practice_role ON users(practice_id, role, created_at);
ALTER TABLE practices ADD COLUMN default_region TEXT NOT NULL DEFAULT 'US';
ALTER TABLE practices ADD COLUMN invitation_text TEXT;
CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices(id),
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    placeholder_id TEXT NOT NULL REFERENCES users(id),
    patient_name TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    token_digest TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('pending', 'paired', 'revoked')),
    delivery_state TEXT NOT NULL DEFAULT 'queued',
    delivery_detail TEXT NOT NULL DEFAULT '',
    delivery_at INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    sent_count INTEGER NOT NULL DEFAULT 1,
    paired_at INTEGER
);
CREATE INDEX invitations_conversation ON invitations(conversation_id, created_at);
CREATE INDEX invitations_phone ON invitations(phone, state);
CREATE INDEX invitations_email ON invitations(email, state);
CREATE TABLE contact_codes (
    contact TEXT PRIMARY KEY,
    code_digest TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER
) WITHOUT ROWID;
)sql"},
    // Deliveries of invitations and one-time codes (docs/server.md, "Delivery"): the durable queue of the courier
    // and the development outbox. A real transport clears body once the delivery is sent or has failed.
    {5, R"sql(
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    transport TEXT NOT NULL CHECK (transport IN ('outbox', 'gateway', 'smtp')),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    invitation_id TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'delivered', 'failed')),
    detail TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    provider_id TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_provider ON outbox(provider_id) WHERE provider_id <> '';
CREATE INDEX outbox_transport_created ON outbox(transport, created_at DESC, id DESC);
)sql"},
    // The delivery carrying an invitation's current link: a late report of an older delivery (before a resend)
    // no longer overwrites the newest one's state. Existing invitations take their newest outbox row.
    {6, R"sql(
ALTER TABLE invitations ADD COLUMN delivery_id TEXT NOT NULL DEFAULT '';
UPDATE invitations SET delivery_id = COALESCE(
    (SELECT o.id FROM outbox o WHERE o.invitation_id = invitations.id ORDER BY o.created_at DESC, o.rowid DESC LIMIT 1),
    '');
)sql"},
    // Standard (SMS/email) conversations (docs/standard-conversations.md): the contact, consent and opt-out of each,
    // plain-text messages with their delivery state or the note the server wrote, the outbox row carrying a
    // message, and the inbound messages already taken (gateways post again when unsure).
    {7, R"sql(
CREATE TABLE standard_contacts (
    conversation_id TEXT PRIMARY KEY REFERENCES conversations(id),
    practice_id TEXT NOT NULL REFERENCES practices(id),
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    address TEXT NOT NULL,
    reply_token TEXT NOT NULL UNIQUE,
    consent_method TEXT,
    consent_note TEXT NOT NULL DEFAULT '',
    consent_by TEXT,
    consent_by_name TEXT NOT NULL DEFAULT '',
    consent_at INTEGER,
    opted_out_at INTEGER NOT NULL DEFAULT 0,
    secure_conversation_id TEXT NOT NULL DEFAULT '',
    UNIQUE (practice_id, channel, address)
);
CREATE INDEX standard_contacts_address ON standard_contacts(channel, address);
ALTER TABLE messages ADD COLUMN delivery_state TEXT;
ALTER TABLE messages ADD COLUMN delivery_detail TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN delivery_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN note_kind TEXT;
ALTER TABLE messages ADD COLUMN note_conversation_id TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN reply_to TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_message ON outbox(message_id) WHERE message_id <> '';
CREATE TABLE inbound_messages (
    provider_id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL DEFAULT '',
    received_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql"},
    // Practice Links (docs/practice-links.md): a practice's shareable sign-up links, the tags and the link of the
    // conversations they open. Every existing practice gets its default link; its id and 10-character code come
    // from SQLite's randomness (new links get theirs from libsodium).
    {8, R"sql(
CREATE TABLE practice_links (
    id TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices(id),
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    tag TEXT NOT NULL DEFAULT '',
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX practice_links_practice ON practice_links(practice_id, created_at);
ALTER TABLE conversations ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE conversations ADD COLUMN practice_link_id TEXT REFERENCES practice_links(id);
CREATE INDEX conversations_practice_link ON conversations(practice_link_id) WHERE practice_link_id IS NOT NULL;
WITH alphabet(a) AS (SELECT 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')
INSERT INTO practice_links (id, practice_id, code, label, tag, enabled, created_at, updated_at)
SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2)
           || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-'
           || lower(hex(randomblob(6))),
       p.id,
       substr(a, 1 + abs(random() % 64), 1) || substr(a, 1 + abs(random() % 64), 1)
           || substr(a, 1 + abs(random() % 64), 1) || substr(a, 1 + abs(random() % 64), 1)
           || substr(a, 1 + abs(random() % 64), 1) || substr(a, 1 + abs(random() % 64), 1)
           || substr(a, 1 + abs(random() % 64), 1) || substr(a, 1 + abs(random() % 64), 1)
           || substr(a, 1 + abs(random() % 64), 1) || substr(a, 1 + abs(random() % 64), 1),
       'Practice Link', '', 1,
       CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
       CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
FROM practices p, alphabet;
)sql"},
    // Attachments (docs/protocol.md, "Attachments"): resumable uploads of encrypted blobs (the bytes live in
    // <data-dir>/blobs/, named by the upload id) and the digests of short-lived download tokens.
    {9, R"sql(
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    practice_id TEXT NOT NULL REFERENCES practices(id),
    uploader_id TEXT NOT NULL REFERENCES users(id),
    size INTEGER NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,
    complete INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX uploads_practice ON uploads(practice_id);
CREATE INDEX uploads_stale ON uploads(updated_at) WHERE complete = 0;
CREATE TABLE blob_tokens (
    token_digest TEXT PRIMARY KEY,
    upload_id TEXT NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX blob_tokens_upload ON blob_tokens(upload_id);
CREATE INDEX blob_tokens_expiry ON blob_tokens(expires_at);
)sql"},
    // A download token belongs to the session that asked for it, and ends with it (signed out, revoked, its user
    // deactivated or its device removed). Tokens from before carry none and open nothing; they expire in minutes.
    {10, R"sql(
ALTER TABLE blob_tokens ADD COLUMN session_digest BLOB NOT NULL DEFAULT x'';
)sql"},
    // A practice the operator creates (larch-server practice create): its first administrator chooses a password
    // through a one-time link; only the link's SHA-256 is kept.
    {11, R"sql(
CREATE TABLE setup_links (
    link_digest BLOB PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    expires_at INTEGER NOT NULL,
    used_at INTEGER
) WITHOUT ROWID;
)sql"},
    // The audit log (docs/security.md, "Audit log"): append-only, each record chained to the one before by its
    // hash. The triggers stop the server itself from changing the past; the chain shows anyone else who did.
    {12, R"sql(
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    practice_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    action TEXT NOT NULL,
    object_ids TEXT NOT NULL,
    address TEXT NOT NULL,
    previous_hash BLOB NOT NULL,
    hash BLOB NOT NULL
);
CREATE INDEX audit_log_practice ON audit_log(practice_id, at);
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql"},
    // Audit retention (docs/security.md, "Audit retention"): how many years a practice keeps its records (no row:
    // the default 6), and the anchors pruning leaves. Records go oldest first, and only after an anchor naming the
    // last of them (its seq, hash and time, at least 6 years (2190 days) before the pruning) was written: the
    // triggers refuse any other delete, an anchor that names no such record, and any change to an anchor. The
    // chain's check starts from the newest anchor's hash.
    {13, R"sql(
CREATE TABLE audit_retention (
    practice_id TEXT PRIMARY KEY REFERENCES practices(id),
    years INTEGER NOT NULL CHECK (years BETWEEN 6 AND 30),
    changed_at INTEGER NOT NULL
);
CREATE TABLE audit_prune (
    through_seq INTEGER PRIMARY KEY,
    hash BLOB NOT NULL,
    at INTEGER NOT NULL,
    pruned_at INTEGER NOT NULL
);
CREATE TRIGGER audit_prune_checked BEFORE INSERT ON audit_prune
WHEN NEW.through_seq <= COALESCE((SELECT MAX(through_seq) FROM audit_prune), 0)
  OR NOT EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.through_seq AND hash = NEW.hash AND at = NEW.at)
  OR NEW.at > NEW.pruned_at - 2190 * 86400000
BEGIN SELECT RAISE(ABORT, 'a prune anchor must name a stored record at least 6 years old, after the last anchor'); END;
CREATE TRIGGER audit_prune_append_only_update BEFORE UPDATE ON audit_prune
BEGIN SELECT RAISE(ABORT, 'prune anchors are append-only'); END;
CREATE TRIGGER audit_prune_append_only_delete BEFORE DELETE ON audit_prune
BEGIN SELECT RAISE(ABORT, 'prune anchors are append-only'); END;
DROP TRIGGER audit_log_append_only_delete;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
WHEN OLD.seq > COALESCE((SELECT MAX(through_seq) FROM audit_prune), 0)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: only records up to a prune anchor may go'); END;
)sql"},
    // Two-factor sign-in and the practice's security policy (docs/security.md, "Two-factor sign-in"): the TOTP
    // secret sealed with a key outside the database, recovery codes as keyed digests, challenges by token digest.
    {14, R"sql(
CREATE TABLE two_factor (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    sealed_secret BLOB NOT NULL,
    enabled_at INTEGER,
    last_step INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE two_factor_recovery_codes (
    user_id TEXT NOT NULL REFERENCES users(id),
    digest BLOB NOT NULL,
    used_at INTEGER,
    PRIMARY KEY (user_id, digest)
) WITHOUT ROWID;
CREATE TABLE two_factor_challenges (
    token_digest BLOB PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    expires_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX two_factor_challenges_expiry ON two_factor_challenges(expires_at);
ALTER TABLE practices ADD COLUMN two_factor_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE practices ADD COLUMN idle_lock_minutes INTEGER NOT NULL DEFAULT 15;
)sql"},
    // Practice identity pinning (docs/security.md): each practice's long-term identity key, one row per version with
    // the previous version's signature of it, its seed sealed to each staff device, and the identity's signature on
    // practice key versions and on the epochs staff start (a patient's own device signs the epochs it starts).
    {15, R"sql(
CREATE TABLE practice_identities (
    practice_id TEXT NOT NULL REFERENCES practices(id),
    version INTEGER NOT NULL,
    public_key TEXT NOT NULL,
    rotation_signature TEXT,
    created_by_device TEXT NOT NULL REFERENCES devices(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (practice_id, version)
) WITHOUT ROWID;
CREATE TABLE practice_identity_grants (
    practice_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices(id),
    sealed_key TEXT NOT NULL,
    PRIMARY KEY (practice_id, version, device_id),
    FOREIGN KEY (practice_id, version) REFERENCES practice_identities(practice_id, version)
) WITHOUT ROWID;
CREATE INDEX practice_identity_grants_device ON practice_identity_grants(device_id);
ALTER TABLE practice_keys ADD COLUMN identity_version INTEGER;
ALTER TABLE practice_keys ADD COLUMN signature TEXT;
ALTER TABLE conversation_epochs ADD COLUMN identity_version INTEGER;
ALTER TABLE conversation_epochs ADD COLUMN signature TEXT;
)sql"},
    // Video calls (docs/protocol.md, "Video calls"): who called whom and how it went; the media and the sealed
    // signalling never touch the disk. Patients may start calls when the practice allows it (off by default).
    {16, R"sql(
CREATE TABLE calls (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    practice_id TEXT NOT NULL REFERENCES practices(id),
    caller_id TEXT NOT NULL REFERENCES users(id),
    caller_device_id TEXT NOT NULL,
    callee_id TEXT NOT NULL REFERENCES users(id),
    state TEXT NOT NULL CHECK (state IN ('ringing', 'active', 'ended')),
    outcome TEXT,
    answered_device_id TEXT,
    started_at INTEGER NOT NULL,
    answered_at INTEGER,
    ended_at INTEGER
);
CREATE INDEX calls_conversation ON calls(conversation_id, started_at);
CREATE INDEX calls_open ON calls(state) WHERE state <> 'ended';
ALTER TABLE practices ADD COLUMN patients_may_call INTEGER NOT NULL DEFAULT 0;
)sql"},
};

} // namespace

std::span<const Migration> sqliteMigrations() { return kMigrations; }

} // namespace larch::server
