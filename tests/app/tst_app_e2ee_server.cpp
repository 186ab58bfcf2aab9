// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// app_e2ee: what the server holds: a live exchange leaves no canary in any file, and messages tampered with in its database show as unverifiable.
#include "tst_app_e2ee.h"

void TestAppE2ee::liveExchangeLeavesNoCanaryAnywhere()
{
    QVERIFY(m_ben);
    m_sam = signedInApp(m_samDir.path(), url(), "sam@patient.example");
    QVERIFY(m_sam->session()->signedIn());
    QTRY_VERIFY_WITH_TIMEOUT(m_sam->session()->online() && m_ben->session()->online(), NetworkWait);
    m_canary = QStringLiteral("larch-canary-%1").arg(newId());
    const QString fromBen = m_canary + QStringLiteral(" from Ben");
    const QString fromSam = m_canary + QStringLiteral(" from Sam");

    m_ben->current()->open(m_samConv);
    m_sam->current()->open(m_samConv);
    ThreadModel *benThread = m_ben->thread();
    ThreadModel *samThread = m_sam->thread();
    // Sam's first device is Sam arriving, not a change of devices.
    QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(*benThread, QStringLiteral("Sam Lee joined Larch.")) >= 0, NetworkWait);
    QCOMPARE(rowOfBody(*benThread, QStringLiteral("Sam Lee added a new device.")), -1);
    QVERIFY(sendText(*m_ben, fromBen));
    QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(*samThread, fromBen) >= 0, NetworkWait);
    QCOMPARE(roleText(*samThread, rowOfBody(*samThread, fromBen), ThreadModel::VerificationRole),
             QStringLiteral("verified"));
    QCOMPARE(roleText(*samThread, rowOfBody(*samThread, fromBen), ThreadModel::SenderNameRole),
             QStringLiteral("Dr. Ben Okafor"));
    QVERIFY(sendText(*m_sam, fromSam));
    QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(*benThread, fromSam) >= 0, NetworkWait);
    QCOMPARE(roleText(*benThread, rowOfBody(*benThread, fromSam), ThreadModel::VerificationRole),
             QStringLiteral("verified"));
    QTRY_VERIFY_WITH_TIMEOUT(isDelivered(*m_sam->thread(), fromSam), NetworkWait);
    QTRY_VERIFY_WITH_TIMEOUT(
        !roleText(*benThread, rowOfBody(*benThread, fromBen), ThreadModel::MessageIdRole).isEmpty(), NetworkWait);
    m_canaryMessageId = roleText(*benThread, rowOfBody(*benThread, fromBen), ThreadModel::MessageIdRole);
    // The previews in both lists are the text, decrypted on the device.
    QTRY_COMPARE_WITH_TIMEOUT(m_sam->conversationList()->index(0).data(ConversationListModel::PreviewRole).toString(),
                              fromSam, NetworkWait);

    // A non-member gets nothing of the conversation.
    const QString mayaToken = bareToken(url(), "maya@patient.example", Password);
    const ApiResult stranger = call(url(), mayaToken, [&](ApiClient &api, QObject *ctx, ApiClient::Callback done) {
        api.fetchMessages(m_samConv, 0, 200, ctx, done);
    });
    QCOMPARE(stranger.error.kind, ApiError::Kind::NotFound);

    // The canary is in no server file, no server log line, and no byte of either app's cache.
    const QByteArray server = bytesUnder(m_serverDir.path());
    const QByteArray log = bytesOf(m_logPath);
    const QByteArray ben = bytesUnder(m_benDir.path());
    const QByteArray sam = bytesUnder(m_samDir.path());
    QVERIFY(containsText(server, "Sam Lee")); // the scans do see what is stored in the clear
    QVERIFY(containsText(ben, m_samConv));
    QVERIFY(!log.isEmpty());
    for (const QByteArray *bytes : {&server, &log, &ben, &sam})
        QVERIFY(!containsText(*bytes, m_canary));
    QVERIFY(!containsText(server, m_welcome));
}

void TestAppE2ee::tamperedMessagesShowAsUnverifiable()
{
    QVERIFY(m_ben && m_sam2 && m_maya);
    m_ben->current()->open(m_samConv);
    ThreadModel *benThread = m_ben->thread();
    const QStringList texts{"T1 ciphertext", "T2 epoch", "T3 other user's device", "T4 unknown device", "T5 genuine"};
    for (const QString &t : texts)
        QVERIFY(sendText(*m_ben, t));
    for (const QString &t : texts)
        QTRY_VERIFY_WITH_TIMEOUT(isDelivered(*benThread, t), NetworkWait);
    QStringList ids;
    for (const QString &t : texts)
        ids << roleText(*benThread, rowOfBody(*benThread, t), ThreadModel::MessageIdRole);

    // The server's files are altered while it runs: the message rows and the events that carry them.
    ServerDatabase db(m_serverDir.path());
    QVERIFY(db.isOpen());
    auto tamper = [&](const QString &id, const std::function<void(QJsonObject &)> &change) {
        const QByteArray before = db.value("SELECT envelope FROM messages WHERE id = ?", {id}).toByteArray();
        QJsonObject envelope = QJsonDocument::fromJson(before).object();
        change(envelope);
        const QByteArray after = QJsonDocument(envelope).toJson(QJsonDocument::Compact);
        QCOMPARE(db.exec("UPDATE messages SET envelope = ? WHERE id = ?", {after, id}), 1);
        QVERIFY(db.exec("UPDATE events SET payload = replace(payload, ?, ?) WHERE instr(payload, ?) > 0",
                        {QString::fromUtf8(before), QString::fromUtf8(after), QString::fromUtf8(before)})
                >= 1);
    };
    tamper(ids[0], [](QJsonObject &e) {
        QByteArray c = QByteArray::fromBase64(e.value("ciphertext").toString().toLatin1());
        c[30] = char(c[30] ^ 0x01);
        e["ciphertext"] = QString::fromLatin1(c.toBase64());
    });
    tamper(ids[1], [](QJsonObject &e) { e["epoch"] = e.value("epoch").toInt() == 1 ? 2 : 1; });
    const QString samDevice = m_sam2->identity()->keys().deviceId;
    tamper(ids[2], [&](QJsonObject &e) { e["senderDeviceId"] = samDevice; });
    tamper(ids[3], [](QJsonObject &e) { e["senderDeviceId"] = newId(); });
    // And a message of Sam's conversation is replayed into Maya's under a new client id, written straight
    // into the server's tables with the event that delivers it to Maya.
    const QString replayId = newId();
    const QVariantList original =
        db.rows("SELECT sender_id, sender_name, envelope FROM messages WHERE id = ?", {m_canaryMessageId}).value(0);
    QCOMPARE(original.size(), 3);
    Message replay{replayId,
                   newId(),
                   m_mayaConv,
                   db.value("SELECT MAX(seq) + 1 FROM messages WHERE conversation_id = ?", {m_mayaConv}).toLongLong(),
                   original[0].toString(),
                   original[1].toString(),
                   QString(),
                   QDateTime::currentMSecsSinceEpoch(),
                   QJsonDocument::fromJson(original[2].toByteArray()).object()};
    QCOMPARE(db.exec("INSERT INTO messages (id, conversation_id, seq, client_id, sender_id, sender_name, body, "
                     "sent_at, envelope) VALUES (?, ?, ?, ?, ?, ?, '', ?, ?)",
                     {replay.id, replay.conversationId, replay.seq, replay.clientId, replay.senderId, replay.senderName,
                      replay.sentAt, original[2].toByteArray()}),
             1);
    QCOMPARE(db.exec("UPDATE conversations SET last_seq = ?, last_activity_at = ? WHERE id = ?",
                     {replay.seq, replay.sentAt, m_mayaConv}),
             1);
    const QString mayaId = m_maya->session()->userId();
    QCOMPARE(db.exec("UPDATE users SET last_event_seq = last_event_seq + 1 WHERE id = ?", {mayaId}), 1);
    QCOMPARE(db.exec("INSERT INTO events (user_id, seq, type, payload, created_at) VALUES "
                     "(?, (SELECT last_event_seq FROM users WHERE id = ?), 'message.created', ?, ?)",
                     {mayaId, mayaId, QJsonDocument(replay.toJson()).toJson(QJsonDocument::Compact), replay.sentAt}),
             1);

    // Sam on a fresh install of the same device reads everything from the server.
    auto fresh = signedInApp(m_samFreshDir.path(), url(), "sam@patient.example");
    QVERIFY(fresh->session()->signedIn());
    QTRY_COMPARE_WITH_TIMEOUT(fresh->conversationList()->rowCount(), 1, NetworkWait);
    fresh->current()->open(m_samConv);
    ThreadModel *thread = fresh->thread();
    const int stored = db.value("SELECT COUNT(*) FROM messages WHERE conversation_id = ?", {m_samConv}).toInt();
    QTRY_COMPARE_WITH_TIMEOUT((loadAll(*thread), countRows(*thread, ThreadModel::KindRole, "message")), stored,
                              NetworkWait);
    const QList<MessageCheck> expected{MessageCheck::BadSignature, MessageCheck::BadSignature,
                                       MessageCheck::UnknownDevice, MessageCheck::UnknownDevice};
    for (int i = 0; i < 4; ++i) {
        QTRY_COMPARE_WITH_TIMEOUT(roleText(*thread, rowOfMessage(*thread, ids[i]), ThreadModel::VerificationRole),
                                  QStringLiteral("unverifiable"), NetworkWait);
        const int row = rowOfMessage(*thread, ids[i]);
        QCOMPARE(roleText(*thread, row, ThreadModel::VerificationTextRole), describe(expected[i]));
        QCOMPARE(roleText(*thread, row, ThreadModel::BodyRole), QString());
    }
    QTRY_COMPARE_WITH_TIMEOUT(roleText(*thread, rowOfMessage(*thread, ids[4]), ThreadModel::BodyRole), texts[4],
                              NetworkWait);
    // Nothing disappeared: every message the server holds has its row.
    QCOMPARE(countRows(*thread, ThreadModel::KindRole, "message"), stored);

    // Maya, on a fresh install of her device, finds the replayed message in place, unverifiable.
    auto maya = signedInApp(m_mayaFreshDir.path(), url(), "maya@patient.example");
    QVERIFY(maya->session()->signedIn());
    QTRY_COMPARE_WITH_TIMEOUT(maya->conversationList()->rowCount(), 1, NetworkWait);
    maya->current()->open(m_mayaConv);
    ThreadModel *mayaThread = maya->thread();
    QTRY_COMPARE_WITH_TIMEOUT(
        (loadAll(*mayaThread),
         roleText(*mayaThread, rowOfMessage(*mayaThread, replayId), ThreadModel::VerificationRole)),
        QStringLiteral("unverifiable"), NetworkWait);
    QCOMPARE(roleText(*mayaThread, rowOfMessage(*mayaThread, replayId), ThreadModel::VerificationTextRole),
             describe(MessageCheck::BadSignature));
    QCOMPARE(roleText(*mayaThread, rowOfMessage(*mayaThread, replayId), ThreadModel::BodyRole), QString());
    QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(*mayaThread, m_welcome) >= 0, NetworkWait);
}
