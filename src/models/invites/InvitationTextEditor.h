// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The practice's invitation settings (administrators): what an SMS or email invitation says around its link, and
// the region that national phone numbers are read in.
#pragma once

#include <functional>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace larch {

class ApiClient;
struct ApiResult;

/// Loads and saves the practice's invitation settings; checks the text as the server will (one {link}, no other
/// placeholder, 20 to 320 characters) and the region's shape (two letters) before saving.
class InvitationTextEditor : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The invitation settings belong to App.invitationText.")
    /// The text as saved on the server (the editor starts from it).
    Q_PROPERTY(QString text READ text NOTIFY textChanged)
    /// True while the practice uses Larch's default text.
    Q_PROPERTY(bool isDefault READ isDefault NOTIFY textChanged)
    /// The practice's default region as saved, two letters such as "US"; phone numbers without a country code are
    /// read in it.
    Q_PROPERTY(QString region READ region NOTIFY textChanged)
    /// A load or save is in flight.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// A sentence on why loading or saving failed (or the text) and how to fix it; "" when nothing did.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    /// A sentence on what is wrong with the region (the server's when it refused it); "" when nothing is.
    Q_PROPERTY(QString regionError READ regionError NOTIFY errorChanged)
public:
    InvitationTextEditor(ApiClient *api, std::function<QString()> practiceId, QObject *parent = nullptr);

    QString text() const { return m_text; }
    bool isDefault() const { return m_isDefault; }
    QString region() const { return m_region; }
    bool busy() const { return m_busy; }
    QString error() const { return m_error; }
    QString regionError() const { return m_regionError; }

    /// What is wrong with a draft text, as a sentence; "" when it can be saved.
    Q_INVOKABLE static QString problemWith(const QString &text);
    /// What is wrong with a typed region's shape, as a sentence; "" for two letters (the server knows which exist).
    Q_INVOKABLE static QString problemWithRegion(const QString &region);
    Q_INVOKABLE void load();
    /// Saves a draft text, keeping the region; the draft is kept (the screen keeps it) when saving fails.
    Q_INVOKABLE void save(const QString &text);
    /// Saves what changed of the draft text and region: the region first, then the text. saved() follows success.
    Q_INVOKABLE void saveSettings(const QString &text, const QString &region);

signals:
    void textChanged();
    void busyChanged();
    void errorChanged();
    void saved();

private:
    void saveText(const QString &text);
    /// Takes the settings of an answer ({"defaultRegion","invitationText","invitationTextIsDefault"}).
    void apply(const QJsonObject &settings);
    void setBusy(bool busy);
    void setErrors(const QString &error, const QString &regionError);

    ApiClient *m_api;
    std::function<QString()> m_practiceId;
    QString m_text;
    QString m_region;
    bool m_isDefault = true;
    bool m_busy = false;
    QString m_error;
    QString m_regionError;
};

} // namespace larch
