// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Keystore against a real GNOME Keyring on a private session bus (tests/support/run-with-keyring.sh):
// binary round trips, missing entries, create-once, removal, and a missing or locked keychain.
#include "client/keychain/Keystore.h"

#include <QCoreApplication>
#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusVariant>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QtTest>
#include <QUuid>

#include <optional>

using larch::Keystore;
using larch::KeystoreRead;
using larch::KeystoreWrite;

namespace {

const char *kChildVariable = "LARCH_KEYSTORE_TEST_CHILD";
const char *kChildAccountVariable = "LARCH_KEYSTORE_TEST_ACCOUNT";
const char *kChildMadeVariable = "LARCH_KEYSTORE_TEST_MADE";
const char *kChildDropVariable = "LARCH_KEYSTORE_TEST_DROP_LOGIN_KEYRING";
const int kPatienceMs = 60000;

const QString kSecretsName = QStringLiteral("org.freedesktop.secrets");
const QString kSecretsPath = QStringLiteral("/org/freedesktop/secrets");

// A Secret Service "secret" (oayays), needed to hand gnome-keyring its unlock password.
struct ServiceSecret {
    QDBusObjectPath session;
    QByteArray parameters;
    QByteArray value;
    QString contentType;
};

QDBusArgument &operator<<(QDBusArgument &argument, const ServiceSecret &secret)
{
    argument.beginStructure();
    argument << secret.session << secret.parameters << secret.value << secret.contentType;
    argument.endStructure();
    return argument;
}

const QDBusArgument &operator>>(const QDBusArgument &argument, ServiceSecret &secret)
{
    argument.beginStructure();
    argument >> secret.session >> secret.parameters >> secret.value >> secret.contentType;
    argument.endStructure();
    return argument;
}

QString newAccount()
{
    return QStringLiteral("device/keystore.test/") + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// Every byte value, with zero bytes at both ends and in the middle.
QByteArray binarySecret()
{
    QByteArray bytes(1, '\0');
    for (int i = 0; i < 256; ++i)
        bytes.append(char(i));
    bytes.append(QByteArray(3, '\0'));
    bytes.append("\xff\x00\x7f", 3);
    bytes.append('\0');
    return bytes;
}

// Waits for a Keystore answer; no answer at all comes back as a failure the test reports.
template<typename Result, typename Start>
Result answerOf(Start start)
{
    std::optional<Result> result;
    start([&result](const Result &r) { result = r; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, kPatienceMs))
        return Result::unavailable(QStringLiteral("(test) Keystore gave no answer"));
    return *result;
}

KeystoreRead readNow(Keystore &store, const QString &account)
{
    return answerOf<KeystoreRead>([&](Keystore::ReadDone done) { store.read(account, done); });
}

KeystoreWrite writeNow(Keystore &store, const QString &account, const QByteArray &secret)
{
    return answerOf<KeystoreWrite>([&](Keystore::WriteDone done) { store.write(account, secret, done); });
}

KeystoreWrite removeNow(Keystore &store, const QString &account)
{
    return answerOf<KeystoreWrite>([&](Keystore::WriteDone done) { store.remove(account, done); });
}

KeystoreRead loadOrCreateNow(Keystore &store, const QString &account, const QByteArray &made, int &createCalls)
{
    return answerOf<KeystoreRead>([&](Keystore::ReadDone done) {
        store.loadOrCreate(
            account,
            [&createCalls, made] {
                ++createCalls;
                return made;
            },
            done);
    });
}

QString outcomeName(KeystoreRead::Outcome outcome)
{
    switch (outcome) {
    case KeystoreRead::Outcome::Found: return QStringLiteral("found");
    case KeystoreRead::Outcome::NotFound: return QStringLiteral("not-found");
    case KeystoreRead::Outcome::Unavailable: return QStringLiteral("unavailable");
    }
    return {};
}

// Deletes the login keyring, which leaves the Secret Service running with nowhere to write.
bool dropLoginKeyring()
{
    QDBusMessage call =
        QDBusMessage::createMethodCall(kSecretsName, QStringLiteral("/org/freedesktop/secrets/collection/login"),
                                       "org.freedesktop.Secret.Collection", "Delete");
    return QDBusConnection::sessionBus().call(call).type() == QDBusMessage::ReplyMessage;
}

// The child process: reads the account, runs loadOrCreate with the given bytes, reads again, and
// prints what happened as key=value lines for the parent test to check.
int runChild()
{
    const QString account = qEnvironmentVariable(kChildAccountVariable);
    const QByteArray made = QByteArray::fromHex(qgetenv(kChildMadeVariable));
    QTextStream out(stdout);
    if (qEnvironmentVariableIsSet(kChildDropVariable))
        out << "dropped=" << (dropLoginKeyring() ? "yes" : "no") << '\n';
    Keystore store;
    const KeystoreRead read = readNow(store, account);
    out << "read.outcome=" << outcomeName(read.outcome) << '\n'
        << "read.secret=" << read.secret.toHex() << '\n'
        << "read.reason=" << read.reason << '\n';
    int createCalls = 0;
    const KeystoreRead loaded = loadOrCreateNow(store, account, made, createCalls);
    out << "load.outcome=" << outcomeName(loaded.outcome) << '\n'
        << "load.secret=" << loaded.secret.toHex() << '\n'
        << "load.reason=" << loaded.reason << '\n'
        << "load.createCalls=" << createCalls << '\n';
    const KeystoreRead after = readNow(store, account);
    out << "after.outcome=" << outcomeName(after.outcome) << '\n' << "after.secret=" << after.secret.toHex() << '\n';
    return 0;
}

QMap<QString, QString> parseChildOutput(const QByteArray &output)
{
    QMap<QString, QString> values;
    for (const QString &line : QString::fromUtf8(output).split('\n')) {
        const qsizetype equals = line.indexOf('=');
        if (equals > 0)
            values.insert(line.left(equals), line.mid(equals + 1));
    }
    return values;
}

} // namespace

Q_DECLARE_METATYPE(ServiceSecret)

/// Keystore against a private, real GNOME Keyring.
class KeystoreTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void binarySecretSurvivesRoundTrip();
    void writeReplacesEarlierSecret();
    void missingEntryIsNotFound();
    void loadOrCreateCreatesOnlyOnce();
    void loadOrCreateCalledTwiceAtOnceCreatesOnce();
    void secondProcessLoadsTheSameKey();
    void removeDeletesTheEntry();
    void unreachableKeychainIsUnavailableAndCreatesNothing();
    void failedWriteIsReportedAndNothingIsClaimed();
    void lockedKeychainKeepsExistingKeyAndMakesNone();
    void cleanupTestCase();

private:
    QMap<QString, QString> runChildProcess(const QString &account, const QByteArray &made,
                                           const QProcessEnvironment &environment);
    QString defaultCollection();
    bool collectionLocked(const QString &collection);
    void lockCollection(const QString &collection);
    void unlockCollection(const QString &collection);

    QString m_lockedCollection;
};

void KeystoreTest::initTestCase()
{
    // Outside the wrapper this test would write into the developer's own keychain.
    if (qEnvironmentVariableIsEmpty("LARCH_TEST_KEYRING_PASSWORD"))
        QFAIL("Run this test through tests/support/run-with-keyring.sh (ctest does).");
    qDBusRegisterMetaType<ServiceSecret>();
    QVERIFY(QDBusConnection::sessionBus().isConnected());
}

void KeystoreTest::binarySecretSurvivesRoundTrip()
{
    Keystore store;
    const QString account = newAccount();
    const QByteArray secret = binarySecret();
    QCOMPARE(secret.count('\0'), 7);

    const auto written = writeNow(store, account, secret);
    QVERIFY2(written.done, qPrintable(written.reason));

    const auto read = readNow(store, account);
    QCOMPARE(read.outcome, KeystoreRead::Outcome::Found);
    QCOMPARE(read.secret.size(), secret.size());
    QCOMPARE(read.secret, secret);
    QVERIFY(read.reason.isEmpty());
}

void KeystoreTest::writeReplacesEarlierSecret()
{
    Keystore store;
    const QString account = newAccount();
    QVERIFY(writeNow(store, account, QByteArray("first\0one", 9)).done);
    QVERIFY(writeNow(store, account, QByteArray("second\0one", 10)).done);
    const auto read = readNow(store, account);
    QCOMPARE(read.outcome, KeystoreRead::Outcome::Found);
    QCOMPARE(read.secret, QByteArray("second\0one", 10));
}

void KeystoreTest::missingEntryIsNotFound()
{
    Keystore store;
    const QString present = newAccount();
    QVERIFY(writeNow(store, present, "present").done);

    const auto read = readNow(store, newAccount());
    QCOMPARE(read.outcome, KeystoreRead::Outcome::NotFound);
    QVERIFY(read.secret.isEmpty());
    QVERIFY(read.reason.isEmpty());
}

void KeystoreTest::loadOrCreateCreatesOnlyOnce()
{
    const QString account = newAccount();
    const QByteArray made = binarySecret() + "device-keys";
    int createCalls = 0;
    {
        Keystore store;
        const auto first = loadOrCreateNow(store, account, made, createCalls);
        QCOMPARE(first.outcome, KeystoreRead::Outcome::Found);
        QCOMPARE(first.secret, made);
        QCOMPARE(createCalls, 1);

        const auto second = loadOrCreateNow(store, account, "other bytes", createCalls);
        QCOMPARE(second.outcome, KeystoreRead::Outcome::Found);
        QCOMPARE(second.secret, made);
        QCOMPARE(createCalls, 1);
    }
    Keystore fresh;
    const auto again = loadOrCreateNow(fresh, account, "yet other bytes", createCalls);
    QCOMPARE(again.outcome, KeystoreRead::Outcome::Found);
    QCOMPARE(again.secret, made);
    QCOMPARE(createCalls, 1);
}

void KeystoreTest::loadOrCreateCalledTwiceAtOnceCreatesOnce()
{
    Keystore store;
    const QString account = newAccount();
    int createCalls = 0;
    std::optional<KeystoreRead> first;
    std::optional<KeystoreRead> second;
    const auto create = [&createCalls] {
        ++createCalls;
        return QByteArray("made-") + QByteArray::number(createCalls);
    };
    store.loadOrCreate(account, create, [&first](const KeystoreRead &r) { first = r; });
    store.loadOrCreate(account, create, [&second](const KeystoreRead &r) { second = r; });
    QVERIFY(QTest::qWaitFor([&] { return first && second; }, kPatienceMs));
    QCOMPARE(createCalls, 1);
    QCOMPARE(first->outcome, KeystoreRead::Outcome::Found);
    QCOMPARE(second->outcome, KeystoreRead::Outcome::Found);
    QCOMPARE(first->secret, QByteArray("made-1"));
    QCOMPARE(second->secret, QByteArray("made-1"));
}

void KeystoreTest::secondProcessLoadsTheSameKey()
{
    Keystore store;
    const QString account = newAccount();
    const QByteArray made = binarySecret();
    int createCalls = 0;
    const auto created = loadOrCreateNow(store, account, made, createCalls);
    QCOMPARE(created.outcome, KeystoreRead::Outcome::Found);
    QCOMPARE(createCalls, 1);

    const auto child = runChildProcess(account, "0102030405", QProcessEnvironment::systemEnvironment());
    QCOMPARE(child.value("read.outcome"), QStringLiteral("found"));
    QCOMPARE(QByteArray::fromHex(child.value("read.secret").toLatin1()), made);
    QCOMPARE(child.value("load.outcome"), QStringLiteral("found"));
    QCOMPARE(QByteArray::fromHex(child.value("load.secret").toLatin1()), made);
    QCOMPARE(child.value("load.createCalls"), QStringLiteral("0"));

    // And the other way round: what the child creates, this process finds.
    const QString childAccount = newAccount();
    const auto creator = runChildProcess(childAccount, "00ff00ee", QProcessEnvironment::systemEnvironment());
    QCOMPARE(creator.value("read.outcome"), QStringLiteral("not-found"));
    QCOMPARE(creator.value("load.createCalls"), QStringLiteral("1"));
    const auto read = readNow(store, childAccount);
    QCOMPARE(read.outcome, KeystoreRead::Outcome::Found);
    QCOMPARE(read.secret, QByteArray::fromHex("00ff00ee"));
}

void KeystoreTest::removeDeletesTheEntry()
{
    Keystore store;
    const QString account = newAccount();
    const QString neighbour = newAccount();
    QVERIFY(writeNow(store, account, "to be removed").done);
    QVERIFY(writeNow(store, neighbour, "stays").done);

    const auto removed = removeNow(store, account);
    QVERIFY2(removed.done, qPrintable(removed.reason));
    QCOMPARE(readNow(store, account).outcome, KeystoreRead::Outcome::NotFound);

    const auto kept = readNow(store, neighbour);
    QCOMPARE(kept.outcome, KeystoreRead::Outcome::Found);
    QCOMPARE(kept.secret, QByteArray("stays"));

    const auto removedAgain = removeNow(store, account);
    QVERIFY2(removedAgain.done, qPrintable(removedAgain.reason));

    int createCalls = 0;
    const auto recreated = loadOrCreateNow(store, account, "new keys", createCalls);
    QCOMPARE(createCalls, 1);
    QCOMPARE(recreated.secret, QByteArray("new keys"));
}

void KeystoreTest::unreachableKeychainIsUnavailableAndCreatesNothing()
{
    QTemporaryDir nowhere;
    QVERIFY(nowhere.isValid());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("DBUS_SESSION_BUS_ADDRESS", QStringLiteral("unix:path=") + nowhere.filePath("no-such-bus"));
    environment.remove("DISPLAY");
    environment.remove("WAYLAND_DISPLAY");

    const auto child = runChildProcess(newAccount(), "0badc0de", environment);
    QCOMPARE(child.value("read.outcome"), QStringLiteral("unavailable"));
    QCOMPARE(child.value("read.reason"),
             QStringLiteral("Larch keeps its keys in your system keychain, and no keychain service "
                            "is running. Install and start GNOME Keyring or KWallet, then sign in "
                            "again."));
    QCOMPARE(child.value("load.outcome"), QStringLiteral("unavailable"));
    QCOMPARE(child.value("load.reason"), child.value("read.reason"));
    QCOMPARE(child.value("load.secret"), QString());
    QCOMPARE(child.value("load.createCalls"), QStringLiteral("0"));
}

// The keychain answers and truly holds no entry, so keys are made once; storing them fails because
// the login keyring is gone. Runs in its own private keyring so the others are untouched.
void KeystoreTest::failedWriteIsReportedAndNothingIsClaimed()
{
    QProcess child;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(kChildVariable, "1");
    environment.insert(kChildDropVariable, "1");
    environment.insert(kChildAccountVariable, newAccount());
    environment.insert(kChildMadeVariable, "c0ffee00");
    child.setProcessEnvironment(environment);
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QStringLiteral("sh"), {QStringLiteral(LARCH_KEYRING_WRAPPER), QCoreApplication::applicationFilePath()});
    QVERIFY(child.waitForFinished(kPatienceMs));
    const auto values = parseChildOutput(child.readAllStandardOutput());
    QCOMPARE(child.exitCode(), 0);
    QCOMPARE(values.value("dropped"), QStringLiteral("yes"));
    QCOMPARE(values.value("read.outcome"), QStringLiteral("not-found"));
    QCOMPARE(values.value("load.createCalls"), QStringLiteral("1"));
    QCOMPARE(values.value("load.outcome"), QStringLiteral("unavailable"));
    QCOMPARE(values.value("load.secret"), QString());
    QVERIFY2(values.value("load.reason").startsWith("Larch could not use your system keychain ("),
             qPrintable(values.value("load.reason")));
    QCOMPARE(values.value("after.outcome"), QStringLiteral("not-found"));
}

void KeystoreTest::lockedKeychainKeepsExistingKeyAndMakesNone()
{
    Keystore store;
    const QString account = newAccount();
    const QByteArray original = binarySecret() + "original";
    int createCalls = 0;
    const auto created = loadOrCreateNow(store, account, original, createCalls);
    QCOMPARE(created.outcome, KeystoreRead::Outcome::Found);
    QCOMPARE(createCalls, 1);

    const QString collection = defaultCollection();
    QVERIFY(!collection.isEmpty());
    lockCollection(collection);
    m_lockedCollection = collection;
    QVERIFY(collectionLocked(collection));

    const QString locked = QStringLiteral("Your system keychain is locked. Unlock it and try again.");
    const auto read = readNow(store, account);
    QCOMPARE(read.outcome, KeystoreRead::Outcome::Unavailable);
    QCOMPARE(read.reason, locked);
    QVERIFY(read.secret.isEmpty());

    const auto loaded = loadOrCreateNow(store, account, "replacement keys", createCalls);
    QCOMPARE(loaded.outcome, KeystoreRead::Outcome::Unavailable);
    QCOMPARE(loaded.reason, locked);
    QCOMPARE(createCalls, 1);

    const auto missing = loadOrCreateNow(store, newAccount(), "keys for a new account", createCalls);
    QCOMPARE(missing.outcome, KeystoreRead::Outcome::Unavailable);
    QCOMPARE(missing.reason, locked);
    QCOMPARE(createCalls, 1);

    const auto overwrite = writeNow(store, account, "replacement keys");
    QVERIFY(!overwrite.done);
    QCOMPARE(overwrite.reason, locked);

    const auto removed = removeNow(store, account);
    QVERIFY(!removed.done);
    QCOMPARE(removed.reason, locked);

    // A second process meets the same locked keychain and does not make keys either.
    const auto child = runChildProcess(account, "0badc0de", QProcessEnvironment::systemEnvironment());
    QCOMPARE(child.value("read.outcome"), QStringLiteral("unavailable"));
    QCOMPARE(child.value("load.outcome"), QStringLiteral("unavailable"));
    QCOMPARE(child.value("load.reason"), locked);
    QCOMPARE(child.value("load.createCalls"), QStringLiteral("0"));

    unlockCollection(collection);
    QVERIFY(!collectionLocked(collection));
    m_lockedCollection.clear();

    const auto after = readNow(store, account);
    QCOMPARE(after.outcome, KeystoreRead::Outcome::Found);
    QCOMPARE(after.secret, original);
}

void KeystoreTest::cleanupTestCase()
{
    if (!m_lockedCollection.isEmpty())
        unlockCollection(m_lockedCollection);
}

QMap<QString, QString> KeystoreTest::runChildProcess(const QString &account, const QByteArray &madeHex,
                                                     const QProcessEnvironment &environment)
{
    QProcessEnvironment childEnvironment = environment;
    childEnvironment.insert(kChildVariable, "1");
    childEnvironment.insert(kChildAccountVariable, account);
    childEnvironment.insert(kChildMadeVariable, QString::fromLatin1(madeHex));
    QProcess child;
    child.setProcessEnvironment(childEnvironment);
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QCoreApplication::applicationFilePath(), {});
    if (!child.waitForFinished(kPatienceMs)) {
        child.kill();
        child.waitForFinished();
        return {{"child", "did not finish"}};
    }
    QMap<QString, QString> values = parseChildOutput(child.readAllStandardOutput());
    values.insert("child.exitCode", QString::number(child.exitCode()));
    return values;
}

QString KeystoreTest::defaultCollection()
{
    QDBusMessage call =
        QDBusMessage::createMethodCall(kSecretsName, kSecretsPath, "org.freedesktop.Secret.Service", "ReadAlias");
    call << QStringLiteral("default");
    const QDBusMessage reply = QDBusConnection::sessionBus().call(call);
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty())
        return {};
    const QString path = qvariant_cast<QDBusObjectPath>(reply.arguments().at(0)).path();
    return path == "/" ? QString() : path;
}

bool KeystoreTest::collectionLocked(const QString &collection)
{
    QDBusMessage call =
        QDBusMessage::createMethodCall(kSecretsName, collection, "org.freedesktop.DBus.Properties", "Get");
    call << QStringLiteral("org.freedesktop.Secret.Collection") << QStringLiteral("Locked");
    const QDBusMessage reply = QDBusConnection::sessionBus().call(call);
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty())
        return false;
    return qvariant_cast<QDBusVariant>(reply.arguments().at(0)).variant().toBool();
}

void KeystoreTest::lockCollection(const QString &collection)
{
    QDBusMessage call =
        QDBusMessage::createMethodCall(kSecretsName, kSecretsPath, "org.freedesktop.Secret.Service", "Lock");
    call << QVariant::fromValue(QList<QDBusObjectPath>{QDBusObjectPath(collection)});
    const QDBusMessage reply = QDBusConnection::sessionBus().call(call);
    QVERIFY2(reply.type() == QDBusMessage::ReplyMessage, qPrintable(reply.errorMessage()));
}

// gnome-keyring unlocks without a prompt only through its own interface, given the password the
// wrapper created the login keyring with.
void KeystoreTest::unlockCollection(const QString &collection)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    QDBusMessage open =
        QDBusMessage::createMethodCall(kSecretsName, kSecretsPath, "org.freedesktop.Secret.Service", "OpenSession");
    open << QStringLiteral("plain") << QVariant::fromValue(QDBusVariant(QString()));
    const QDBusMessage session = bus.call(open);
    QVERIFY2(session.type() == QDBusMessage::ReplyMessage, qPrintable(session.errorMessage()));
    QCOMPARE(session.arguments().size(), 2);

    ServiceSecret password;
    password.session = qvariant_cast<QDBusObjectPath>(session.arguments().at(1));
    password.value = qgetenv("LARCH_TEST_KEYRING_PASSWORD");
    password.contentType = QStringLiteral("text/plain");
    QDBusMessage unlock = QDBusMessage::createMethodCall(kSecretsName, kSecretsPath,
                                                         "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                                                         "UnlockWithMasterPassword");
    unlock << QVariant::fromValue(QDBusObjectPath(collection)) << QVariant::fromValue(password);
    const QDBusMessage reply = bus.call(unlock);
    QVERIFY2(reply.type() == QDBusMessage::ReplyMessage, qPrintable(reply.errorMessage()));
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(kChildVariable))
        return runChild();
    KeystoreTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_keystore.moc"
