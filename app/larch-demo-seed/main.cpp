// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// larch-demo-seed: writes the demo practice's first conversations over the real protocol, as the demo
// accounts' own devices, so the end-to-end encrypted messages are exactly what the app would send.
#include "DemoAccount.h"
#include "DemoFiles.h"

#include "client/e2ee/DeviceIdentity.h"
#include "client/e2ee/KeyRing.h"
#include "client/e2ee/PracticeIdentityPins.h"
#include "client/e2ee/SecureSync.h"
#include "client/keychain/Keystore.h"
#include "client/store/LocalStore.h"
#include "client/sync/SyncEngine.h"
#include "core/crypto/Crypto.h"
#include "core/crypto/DeviceKeys.h"
#include "core/crypto/MessageEnvelope.h"
#include "models/app/AccountSession.h"

#include <QCommandLineParser>
#include <QFile>
#include <QGuiApplication>
#include <QTemporaryDir>
#include <QTextStream>
#include <QUrl>

#include <sodium.h>

#include <memory>
#include <utility>

namespace {

// The patients' conversations as the practice's staff see them titled.
const QString kSamTitle = QStringLiteral("Sam Lee");
const QString kMayaTitle = QStringLiteral("Maya Chen");
constexpr int kApprovalMs = 60000;

struct Settings {
    QString serverUrl;
    QString dataRoot;
    QString password;
};

void say(const QString &line) { QTextStream(stdout) << "larch-demo-seed: " << line << Qt::endl; }

QString readPasswordFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw SeedError(
            QStringLiteral("cannot read the password file %1: %2").arg(path, file.errorString()).toStdString());
    const QString password =
        QString::fromUtf8(file.readAll()).section(QLatin1Char('\n'), 0, 0).remove(QLatin1Char('\r'));
    if (password.isEmpty())
        throw SeedError(QStringLiteral("the password file %1 is empty").arg(path).toStdString());
    return password;
}

// who: how messages about this account name it ("the clinician"), never by name or email.
std::unique_ptr<DemoAccount> account(const Settings &s, const QString &email, const QString &who)
{
    // Each account's app data sits in <data root>/app-<name>, the layout run-demo.sh gives `larch`.
    const QString key = email.section(QLatin1Char('@'), 0, 0);
    return std::make_unique<DemoAccount>(key, who, email, s.dataRoot, s.serverUrl, s.password);
}

// The first staff device makes the practice key; a colleague's device then waits for its approval.
void approveColleague(DemoAccount &approver, DemoAccount &colleague)
{
    bool approved = false;
    const bool settled = waitUntil(
        [&] {
            if (colleague.deviceState() == QLatin1String("active"))
                return true;
            QAbstractItemModel *pending = approver.pendingDevices();
            if (!approved && pending && pending->rowCount() > 0) {
                approver.approveAllPending();
                approved = true;
            }
            return false;
        },
        kApprovalMs);
    if (!settled)
        throw SeedError("the administrator's device was not approved in time");
}

// The demo conversations: warm, everyday exchanges between the practice and two patients.
void writeConversations(DemoAccount &ben, DemoAccount &ana, DemoAccount &sam, DemoAccount &maya)
{
    const QString samAtPractice = ben.conversationId(kSamTitle);
    const QString mayaAtPractice = ben.conversationId(kMayaTitle);
    const QString samOwn = sam.conversationId();
    const QString mayaOwn = maya.conversationId();

    ben.send(samAtPractice,
             QStringLiteral("Welcome to Birch Family Medicine on Larch. You can message the care team here."));
    sam.send(samOwn, QStringLiteral("Thanks! Is it fine to take ibuprofen with my new prescription?"));
    ben.send(samAtPractice, QStringLiteral("Yes, that is fine. Take it with food and no more than three times a day."));
    sam.send(samOwn, QStringLiteral("The rash on my arm is getting better."));
    sam.send(samOwn, QStringLiteral("Could I move my appointment on Thursday to the afternoon?"));

    ana.send(ana.conversationId(kMayaTitle),
             QStringLiteral("Hi Maya, your lab results are in. Dr. Okafor will go through them with you."));
    ben.send(mayaAtPractice,
             QStringLiteral("Your results look good. Keep the same dose and we will check again in three months."));
    maya.send(mayaOwn, QStringLiteral("Great news, thank you. Do I need to book the next blood test myself?"));
    maya.send(mayaOwn, QStringLiteral("Also, can I get a copy of the results?"));

    // The patients have read what the practice wrote; the clinician has their newest messages to read.
    sam.readAll(samOwn);
    maya.readAll(mayaOwn);
}

int seed(const Settings &s)
{
    auto ben = account(s, QStringLiteral("ben@birch.example"), QStringLiteral("the clinician"));
    ben->signIn();
    if (ben->deviceState() != QLatin1String("active"))
        throw SeedError("the clinician's device waits for approval: its keys are not in this keychain any more. "
                        "Remove the demo data folder and run the demo again to start afresh.");
    if (ben->conversationHasMessages(ben->conversationId(kSamTitle))
        || ben->conversationHasMessages(ben->conversationId(kMayaTitle))) {
        say(QStringLiteral("the demo conversations already have messages; nothing to do"));
        return 0;
    }

    auto ana = account(s, QStringLiteral("ana@birch.example"), QStringLiteral("the administrator"));
    ana->signIn();
    approveColleague(*ben, *ana);
    auto sam = account(s, QStringLiteral("sam@patient.example"), QStringLiteral("the first patient"));
    auto maya = account(s, QStringLiteral("maya@patient.example"), QStringLiteral("the second patient"));
    sam->signIn();
    maya->signIn();
    sam->waitUntilActive(kApprovalMs);
    maya->waitUntilActive(kApprovalMs);

    writeConversations(*ben, *ana, *sam, *maya);
    say(QStringLiteral("wrote the demo conversations"));
    return 0;
}

// Signs one account in on a device of its own (its own data folder and keychain), e.g. a patient's phone.
int signInOnly(const Settings &s, const QString &email)
{
    auto person = account(s, email, QStringLiteral("the account"));
    person->signIn();
    say(QStringLiteral("signed in on this device; it is %1").arg(person->deviceState()));
    return 0;
}

// This device's id for the account, as the keychain holds it.
QString deviceIdOf(DemoAccount &person, const QString &serverUrl)
{
    larch::Keystore keystore;
    std::optional<larch::KeystoreRead> read;
    keystore.read(larch::DeviceIdentity::accountFor(QUrl(serverUrl), person.app().session()->userId()),
                  [&](const larch::KeystoreRead &r) { read = r; });
    waitUntil([&] { return read.has_value(); }, 30000);
    if (!read || !read->isFound())
        throw SeedError("the patient's device keys are not in the keychain");
    const auto keys = larch::DeviceKeys::deserialize(read->secret);
    if (!keys)
        throw SeedError("the patient's keychain entry is not readable");
    return keys->deviceId;
}

// A message whose signature matches nothing, posted as the patient's device: what a server that
// altered a message would deliver. The app shows it as a message that could not be verified.
void postUnverifiableMessage(DemoAccount &sam, const QString &serverUrl)
{
    const QString conversationId = sam.conversationId();
    const larch::ApiResult keys = sam.call([&](larch::ApiClient *api, QObject *context, auto done) {
        api->fetchConversationKeys(conversationId, context, std::move(done));
    });
    if (!keys.ok())
        throw SeedError(
            QStringLiteral("cannot read the conversation's keys: %1").arg(keys.error.sentence).toStdString());

    larch::MessageEnvelope envelope;
    envelope.epoch = keys.body.value(QStringLiteral("currentEpoch")).toInteger();
    envelope.senderDeviceId = deviceIdOf(sam, serverUrl);
    envelope.ciphertext.resize(larch::MessageEnvelope::NonceBytes + larch::MessageEnvelope::TagBytes + 48);
    envelope.signature.resize(larch::MessageEnvelope::SignatureBytes);
    randombytes_buf(envelope.ciphertext.data(), size_t(envelope.ciphertext.size()));
    randombytes_buf(envelope.signature.data(), size_t(envelope.signature.size()));
    const larch::ApiResult sent = sam.call([&](larch::ApiClient *api, QObject *context, auto done) {
        api->postEnvelope(conversationId, larch::newId(), envelope.toJson(), context, std::move(done));
    });
    if (!sent.ok())
        throw SeedError(
            QStringLiteral("the server refused the altered message: %1").arg(sent.error.sentence).toStdString());
}

// The states the security screens are about: a colleague's device approved, and in the patient's
// conversation a new device and a message that cannot be verified.
int securityScenes(const Settings &s)
{
    auto ben = account(s, QStringLiteral("ben@birch.example"), QStringLiteral("the clinician"));
    ben->signIn();
    ben->waitUntilActive(kApprovalMs);
    const int approved = ben->approveAllPending();
    auto sam = account(s, QStringLiteral("sam@patient.example"), QStringLiteral("the first patient"));
    sam->signIn();
    sam->waitUntilActive(kApprovalMs);
    postUnverifiableMessage(*sam, s.serverUrl);
    // The clinician's device answers the new patient device's key requests while it is online.
    const bool handedOver = waitUntil(
        [&] {
            const larch::ApiResult requests = ben->call([&](larch::ApiClient *api, QObject *context, auto done) {
                api->fetchKeyRequests(context, std::move(done));
            });
            return requests.ok() && requests.body.value(QStringLiteral("requests")).toArray().isEmpty();
        },
        kApprovalMs);
    if (!handedOver)
        throw SeedError("the clinician's device did not hand the conversation keys to the new patient device in time");
    say(QStringLiteral("approved %1 waiting device%2; posted one message that cannot be verified")
            .arg(approved)
            .arg(approved == 1 ? "" : "s"));
    return 0;
}

// Files in the patient's secure conversation, sent through the compose bar as a person would: the patient
// sends a photo with a caption and a short video, the clinician answers with a PDF of lab results, and the
// patient replies with one message carrying three files (a photo, a PDF and a video).
int attachmentScenes(const Settings &s)
{
    QTemporaryDir files;
    if (!files.isValid())
        throw SeedError(QStringLiteral("cannot make a temporary folder: %1").arg(files.errorString()).toStdString());
    const QString photo = files.filePath(QStringLiteral("Forearm rash.jpg"));
    const QString video = files.filePath(QStringLiteral("Moving my wrist.webm"));
    const QString labResults = files.filePath(QStringLiteral("Lab results.pdf"));
    demofiles::writePhoto(photo);
    demofiles::writeVideo(video);
    demofiles::writeLabResults(labResults);
    // The reply's three files, under the names a patient would give them.
    const QString dayThreePhoto = files.filePath(QStringLiteral("Forearm, day 3.jpg"));
    const QString earlierResults = files.filePath(QStringLiteral("Results from my last clinic.pdf"));
    const QString dayThreeVideo = files.filePath(QStringLiteral("Wrist, day 3.webm"));
    for (const auto &[from, to] :
         {std::pair{photo, dayThreePhoto}, std::pair{labResults, earlierResults}, std::pair{video, dayThreeVideo}}) {
        if (!QFile::copy(from, to))
            throw SeedError(QStringLiteral("cannot write %1").arg(to).toStdString());
    }

    auto sam = account(s, QStringLiteral("sam@patient.example"), QStringLiteral("the first patient"));
    sam->signIn();
    sam->waitUntilActive(kApprovalMs);
    sam->sendFiles(sam->conversationId(), QStringLiteral("The rash on my forearm this morning"),
                   {QUrl::fromLocalFile(photo), QUrl::fromLocalFile(video)});
    auto ben = account(s, QStringLiteral("ben@birch.example"), QStringLiteral("the clinician"));
    ben->signIn();
    ben->waitUntilActive(kApprovalMs);
    ben->sendFiles(ben->conversationId(kSamTitle),
                   QStringLiteral("Here are your lab results. The comments are on page 2."),
                   {QUrl::fromLocalFile(labResults)});
    sam->sendFilesInOneMessage(
        sam->conversationId(),
        QStringLiteral("Thank you. Today's photo, my results from the last clinic and how the wrist moves now"),
        {QUrl::fromLocalFile(dayThreePhoto), QUrl::fromLocalFile(earlierResults), QUrl::fromLocalFile(dayThreeVideo)});
    say(QStringLiteral("sent a photo and a video as the first patient, a PDF as the clinician, and a message with "
                       "three files as the first patient"));
    return 0;
}

// The practice identity scenes: the first patient's app has pinned the practice's identity; the administrator's device
// then replaces it without the old one's signature (what a server listing a key of its own would look like to the
// patient), and the patient's app records the change in the thread and holds its messages.
int identityScenes(const Settings &s)
{
    auto ana = account(s, QStringLiteral("ana@birch.example"), QStringLiteral("the administrator"));
    ana->signIn();
    ana->waitUntilActive(kApprovalMs);
    larch::SecureSync *practice = ana->app().sync()->secure();
    if (!waitUntil([&] { return practice->keys()->currentIdentity() != nullptr; }, kApprovalMs))
        throw SeedError("the administrator's device did not make the practice's identity in time");
    auto sam = account(s, QStringLiteral("sam@patient.example"), QStringLiteral("the first patient"));
    sam->signIn();
    sam->waitUntilActive(kApprovalMs);
    larch::SecureSync *patient = sam->app().sync()->secure();
    const QString conversation = sam->conversationId();
    const QString practiceId = sam->app().store()->conversations().practice(conversation);
    patient->checkIdentity(conversation);
    if (!waitUntil([&] { return patient->pins()->pin(practiceId).has_value(); }, kApprovalMs))
        throw SeedError("the patient's app did not pin the practice's identity in time");

    std::optional<bool> replaced;
    practice->replacePracticeIdentity([&](bool ok, const QString &) { replaced = ok; });
    if (!waitUntil([&] { return replaced.has_value(); }, kApprovalMs) || !*replaced)
        throw SeedError("the administrator's device could not replace the practice's identity");
    patient->checkIdentity(conversation);
    if (!waitUntil([&] { return patient->pins()->isChanged(practiceId); }, kApprovalMs))
        throw SeedError("the patient's app did not see the practice's identity change");
    say(QStringLiteral("replaced the practice's identity without a signature; the first patient's app holds it"));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    // A GUI application without a screen: the attachment scenes draw their files (fonts need one), and the
    // compose bar makes previews as the app would. The seeder never shows a window.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    // Its own settings, so seeding never changes what the `larch` app remembers.
    QCoreApplication::setOrganizationName(QStringLiteral("Larch"));
    QCoreApplication::setApplicationName(QStringLiteral("larch-demo-seed"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LARCH_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Fills a larch-server started with --demo with the demo practice's conversations, written over the "
        "real protocol by the demo accounts' own devices. Their device keys go to the OS keychain and their app "
        "data to DIR/app-<name> (DIR/app-ben is the device `larch` opens as the clinician when "
        "LARCH_CLIENT_DATA_DIR=DIR/app-ben). Does nothing when the conversations already have messages."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption server{
        QStringLiteral("server"), QStringLiteral("Server address, e.g. http://127.0.0.1:8080."), QStringLiteral("URL")};
    const QCommandLineOption dataDir{QStringLiteral("data-dir"), QStringLiteral("Folder for the accounts' app data."),
                                     QStringLiteral("DIR")};
    const QCommandLineOption passwordFile{QStringLiteral("password-file"),
                                          QStringLiteral("File whose first line is the demo accounts' password."),
                                          QStringLiteral("FILE")};
    const QCommandLineOption signInOnlyOption{
        QStringLiteral("sign-in"),
        QStringLiteral("Only sign this demo account in on this device (its own keychain and data folder), then exit."),
        QStringLiteral("EMAIL")};
    const QCommandLineOption scenes{
        QStringLiteral("security-scenes"),
        QStringLiteral("After seeding: approve waiting staff devices as the clinician, and post one message that "
                       "cannot be verified in the first patient's conversation (for screenshots).")};
    const QCommandLineOption attachments{
        QStringLiteral("attachment-scenes"),
        QStringLiteral("After seeding: in the first patient's secure conversation the patient sends a photo (with a "
                       "caption) and a short video, and the clinician a three-page PDF of lab results, through the "
                       "compose bar; then the patient one message with a photo, a PDF and a video; ends once every "
                       "file is uploaded and its message confirmed (for screenshots). "
                       "The video needs gst-launch-1.0 and GStreamer's good plugins (multifilesrc, pngdec, vp8enc).")};
    const QCommandLineOption identity{
        QStringLiteral("identity-scenes"),
        QStringLiteral("After seeding: the first patient's app pins the practice's identity, then the administrator's "
                       "device replaces it without the old identity's signature, and the patient's app records the "
                       "change (for screenshots of the warning).")};
    parser.addOptions({server, dataDir, passwordFile, signInOnlyOption, scenes, attachments, identity});
    parser.process(app);

    try {
        for (const auto *required : {&server, &dataDir, &passwordFile}) {
            if (!parser.isSet(*required))
                throw SeedError(QStringLiteral("--%1 is required").arg(required->names().constFirst()).toStdString());
        }
        if (!larch::initCrypto())
            throw SeedError("libsodium could not start");
        const Settings settings{parser.value(server), parser.value(dataDir),
                                readPasswordFile(parser.value(passwordFile))};
        if (parser.isSet(signInOnlyOption))
            return signInOnly(settings, parser.value(signInOnlyOption));
        if (parser.isSet(scenes))
            return securityScenes(settings);
        if (parser.isSet(attachments))
            return attachmentScenes(settings);
        if (parser.isSet(identity))
            return identityScenes(settings);
        return seed(settings);
    } catch (const SeedError &error) {
        QTextStream(stderr) << "larch-demo-seed: " << QString::fromStdString(error.what()) << Qt::endl;
        return 1;
    }
}
