// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// A patient joins: phone or email → code → name when the account is new. Presentation only
// (PatientOnboarding, App.onboarding, owns the steps).
FocusScope {
    id: form

    /// An OnboardingStep: Contact, Code, Name or Done.
    property int step: OnboardingStep.Contact
    property string contact
    property string contactHint
    property bool fromInvitation: false
    /// The patient opened a practice's Practice Link: they join that practice.
    property bool fromPracticeLink: false
    /// The practice of the Practice Link; "" until known.
    property string practiceName
    /// The Practice Link is turned off or unknown: errorText says so, and no code can be asked with it.
    property bool linkUnusable: false
    /// The Practice Link carried the practice's security code and it matches: the patient joins it verified.
    property bool identityMatched: false
    property bool busy: false
    property string errorText
    /// A CodeError: None, Wrong, Locked or Expired.
    property int errorKind: CodeError.None

    signal contactEdited(string text)
    signal codeRequested()
    signal verifyRequested(string code)
    signal nameSubmitted(string name)
    signal backRequested()
    /// The person leaves an unusable Practice Link to join or sign in with their phone or email alone.
    signal withoutLinkRequested()

    implicitWidth: 360
    implicitHeight: column.implicitHeight

    ColumnLayout {
        id: column
        width: parent.width
        spacing: Theme.spacing

        Label {
            objectName: "joinHeading"
            Layout.fillWidth: true
            text: form.step === OnboardingStep.Code ? qsTr("Enter your code")
                : form.step === OnboardingStep.Name ? qsTr("What's your name?")
                : form.fromInvitation ? qsTr("Accept your invitation")
                : form.fromPracticeLink ? (form.practiceName.length > 0 ? qsTr("Join %1 on Larch").arg(form.practiceName)
                                                                       : qsTr("Join your practice on Larch"))
                : qsTr("Join as a patient")
            wrapMode: Text.Wrap
            color: Theme.text
            font.pixelSize: Theme.headlineFontSize
            font.weight: Font.DemiBold
            Accessible.role: Accessible.Heading
        }

        // A Practice Link that cannot be used: a calm sentence, and the way on without it.
        ColumnLayout {
            objectName: "linkUnusableNotice"
            visible: form.step === OnboardingStep.Contact && form.linkUnusable
            Layout.fillWidth: true
            spacing: Theme.padding
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: unusableText.implicitHeight + 2 * Theme.padding
                radius: Theme.radius
                color: Theme.warningSoft
                border.width: 1
                border.color: Theme.warningBorder
                Label {
                    id: unusableText
                    objectName: "linkUnusableText"
                    anchors.fill: parent
                    anchors.margins: Theme.padding
                    text: form.errorText
                    wrapMode: Text.Wrap
                    color: Theme.warning
                    Accessible.role: Accessible.AlertMessage
                }
            }
            Label {
                Layout.fillWidth: true
                text: qsTr("Already a patient on Larch, or invited by your practice? Continue with your phone number or email.")
                wrapMode: Text.Wrap
                color: Theme.textSecondary
            }
            SecondaryButton {
                objectName: "withoutLinkButton"
                Layout.fillWidth: true
                text: qsTr("Continue with phone or email")
                onClicked: form.withoutLinkRequested()
            }
        }

        // Step 1: the phone or email the practice invited (or, from a Practice Link, the patient's own).
        ColumnLayout {
            visible: form.step === OnboardingStep.Contact && !form.linkUnusable
            Layout.fillWidth: true
            spacing: Theme.spacing
            Label {
                Layout.fillWidth: true
                text: form.fromInvitation && form.contactHint.length > 0
                      ? qsTr("Your practice invited %1. Enter it in full to get a 6-digit code.").arg(form.contactHint)
                      : form.fromPracticeLink
                      ? qsTr("Message %1 securely from this app. Enter your mobile phone number or email address and we'll send you a 6-digit code.")
                            .arg(form.practiceName.length > 0 ? form.practiceName : qsTr("your practice"))
                      : qsTr("Enter the mobile phone number or email address your practice has for you. We'll send you a 6-digit code.")
                wrapMode: Text.Wrap
                color: Theme.textSecondary
            }
            RowLayout {
                objectName: "identityMatchedLine"
                visible: form.fromPracticeLink && form.identityMatched
                Layout.fillWidth: true
                spacing: Theme.spacing
                Icon {
                    Layout.alignment: Qt.AlignTop
                    iconName: "shield"
                    size: 16
                    color: Theme.accent
                }
                Label {
                    Layout.fillWidth: true
                    textFormat: Text.PlainText
                    text: qsTr("This link's security code matches %1: your conversation starts verified.").arg(form.practiceName)
                    wrapMode: Text.Wrap
                    color: Theme.text
                    font.pixelSize: Theme.smallFontSize + 1
                }
            }
            LarchTextField {
                id: contactField
                objectName: "contactField"
                Layout.fillWidth: true
                focus: form.step === OnboardingStep.Contact
                text: form.contact
                enabled: !form.busy
                placeholderText: qsTr("Mobile phone or email")
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                invalid: form.step === OnboardingStep.Contact && form.errorText.length > 0
                Accessible.name: qsTr("Mobile phone or email")
                onTextEdited: form.contactEdited(text)
                onAccepted: form.codeRequested()
            }
            Label {
                objectName: "contactError"
                Layout.fillWidth: true
                visible: form.step === OnboardingStep.Contact && text.length > 0
                text: form.errorText
                wrapMode: Text.Wrap
                color: Theme.danger
            }
            PrimaryButton {
                objectName: "sendCodeButton"
                Layout.fillWidth: true
                Layout.topMargin: Theme.spacing
                text: qsTr("Send code")
                busy: form.busy
                enabled: contactField.text.trim().length > 0 || form.busy
                onClicked: form.codeRequested()
            }
        }

        CodeEntry {
            id: codeEntry
            objectName: "codeEntry"
            visible: form.step === OnboardingStep.Code
            focus: form.step === OnboardingStep.Code
            Layout.fillWidth: true
            contactHint: form.contactHint
            busy: form.busy
            errorText: form.step === OnboardingStep.Code ? form.errorText : ""
            errorKind: form.errorKind
            onVerifyRequested: (code) => form.verifyRequested(code)
            onNewCodeRequested: form.codeRequested()
            onBackRequested: form.backRequested()
        }

        // Step 3: a new account needs the patient's name.
        ColumnLayout {
            visible: form.step === OnboardingStep.Name
            Layout.fillWidth: true
            spacing: Theme.spacing
            Label {
                Layout.fillWidth: true
                text: qsTr("Your practice will see this name in your conversations.")
                wrapMode: Text.Wrap
                color: Theme.textSecondary
            }
            LarchTextField {
                id: nameField
                objectName: "joinNameField"
                Layout.fillWidth: true
                focus: form.step === OnboardingStep.Name
                enabled: !form.busy
                placeholderText: qsTr("First and last name")
                Accessible.name: qsTr("Your name")
                onAccepted: form.nameSubmitted(text)
            }
            Label {
                objectName: "nameError"
                Layout.fillWidth: true
                visible: form.step === OnboardingStep.Name && text.length > 0
                text: form.errorText
                wrapMode: Text.Wrap
                color: Theme.danger
            }
            PrimaryButton {
                objectName: "createAccountButton"
                Layout.fillWidth: true
                text: qsTr("Create account")
                busy: form.busy
                enabled: nameField.text.trim().length > 0 || form.busy
                onClicked: form.nameSubmitted(nameField.text)
            }
        }

        BusyIndicator {
            visible: form.step === OnboardingStep.Done && form.errorText.length === 0
            running: visible
            Layout.alignment: Qt.AlignHCenter
        }
        Label {
            objectName: "signInError"
            Layout.fillWidth: true
            visible: form.step === OnboardingStep.Done && text.length > 0
            text: form.errorText
            wrapMode: Text.Wrap
            color: Theme.danger
        }
    }
}
