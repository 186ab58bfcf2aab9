import QtQuick
import QtQuick.Controls
import Larch
import Larch.Models

// The app window: sign-in until a session exists, then the home screen.
ApplicationWindow {
    id: window
    objectName: "mainWindow"

    width: 1280
    height: 800
    minimumWidth: 360
    minimumHeight: 520
    visible: true
    title: qsTr("Larch")
    color: Theme.window
    font.pixelSize: Theme.fontSize

    palette.window: Theme.window
    palette.base: Theme.surface
    palette.text: Theme.text
    palette.windowText: Theme.text
    palette.buttonText: Theme.text
    palette.button: Theme.surface
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.textOnAccent
    palette.dark: Theme.accent
    palette.mid: Theme.border
    palette.light: Theme.surface
    palette.midlight: Theme.divider
    palette.toolTipBase: Theme.text
    palette.toolTipText: Theme.surface

    Loader {
        id: screen
        objectName: "screenLoader"
        anchors.fill: parent
        focus: true
        sourceComponent: App.signedIn ? homeScreen : signInScreen
    }

    Component {
        id: signInScreen
        SignInPage { objectName: "signInPage"; focus: true }
    }

    Component {
        id: homeScreen
        HomePage { objectName: "homePage"; focus: true }
    }
}
