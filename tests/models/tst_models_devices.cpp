// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// PendingDeviceModel: staff devices awaiting approval, updated row by row, under QAbstractItemModelTester.
#include "client/store/LocalStore.h"
#include "core/crypto/Crypto.h"
#include "models/conversations/TimeText.h"
#include "models/security/PendingDeviceModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;

namespace {
const QString Conv = QStringLiteral("c0000000-0000-4000-8000-000000000001");

DeviceInfo device(const QString &userId, const QString &name, qint64 createdAt)
{
    DeviceInfo d;
    d.id = newId();
    d.userId = userId;
    d.name = name;
    d.state = QStringLiteral("pending");
    d.createdAt = createdAt;
    d.boxPublic = QByteArray(32, '\x01');
    d.signPublic = QByteArray(32, '\x02');
    return d;
}
} // namespace

class TestPendingDevices : public QObject {
    Q_OBJECT
private slots:
    void rowsFollowTheList()
    {
        QTemporaryDir dir;
        LocalStore store(dir.path());
        QVERIFY(store.open());
        store.setStorageKey(SecretBytes::random(32));
        Conversation c;
        c.id = Conv;
        c.practiceId = "p";
        c.patientId = "sam";
        c.title = "Sam Lee";
        c.members = {Member{"ana", "Ana Ruiz", "admin", 0}, Member{"cleo", "Cleo Park", "clinician", 0},
                     Member{"sam", "Sam Lee", "patient", 0}};
        store.conversations().upsert(c);

        PendingDeviceModel model(&store);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy count(&model, &PendingDeviceModel::countChanged);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const DeviceInfo ana = device("ana", "Desktop (front-desk)", now - 60000);
        DeviceInfo cleo = device("cleo", "Desktop (exam-room-2)", now);
        model.setDevices({ana, cleo});
        QCOMPARE(model.count(), 2);
        QCOMPARE(count.size(), 1);
        QCOMPARE(model.index(0).data(PendingDeviceModel::DeviceIdRole).toString(), ana.id);
        QCOMPARE(model.index(0).data(PendingDeviceModel::UserNameRole).toString(), QStringLiteral("Ana Ruiz"));
        QCOMPARE(model.index(1).data(PendingDeviceModel::DeviceNameRole).toString(),
                 QStringLiteral("Desktop (exam-room-2)"));
        QCOMPARE(model.index(1).data(PendingDeviceModel::TimeTextRole).toString(),
                 TimeText::listTime(TimeText::fromMs(now)));
        const QHash<int, QByteArray> names = model.roleNames();
        for (const char *name : {"deviceId", "userName", "deviceName", "timeText"})
            QVERIFY(names.values().contains(name));

        // The same list again: no signal. A renamed device: one dataChanged. One approved: one row removed.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.setDevices({ana, cleo});
        QCOMPARE(changed.size(), 0);
        cleo.name = "Laptop";
        model.setDevices({ana, cleo});
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.index(1).data(PendingDeviceModel::DeviceNameRole).toString(), QStringLiteral("Laptop"));
        model.setDevices({cleo});
        QCOMPARE(removed.size(), 1);
        QCOMPARE(model.count(), 1);
        QCOMPARE(model.index(0).data(PendingDeviceModel::DeviceIdRole).toString(), cleo.id);
        model.setDevices({});
        QCOMPARE(model.count(), 0);
        QCOMPARE(count.size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestPendingDevices)
#include "tst_models_devices.moc"
