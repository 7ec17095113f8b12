"""Edit a Word file in LibreOffice itself, with its change tracking on, as a delegate would by hand.

Run by Debian's /usr/bin/python3 (python3-uno), never imported by the tests: the project's venv Python
cannot import uno. Usage: python3 libreoffice_edit.py IN.docx OUT.docx < edits.json, where edits.json is

    {"givenname": "Li", "sn": "Wei",
     "replace": [{"in": "a phrase of the paragraph", "old": "word", "new": "words", "comment": "why"}],
     "delete": ["a phrase of the paragraph to delete"],
     "insert_after": [{"after": "a phrase of the paragraph", "text": "the new paragraph"}]}

It starts its own soffice (headless, a fresh user profile under a temporary folder), sets the author's
name in that profile through the configuration provider (LibreOffice records it on every change), turns
RecordChanges on, makes the edits through the Writer API and stores the result as "MS Word 2007 XML".
"""

import json
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK

START_SECONDS = 90
WORD = "MS Word 2007 XML"


def prop(name, value):
    """A com.sun.star.beans.PropertyValue."""
    return PropertyValue(Name=name, Value=value)


def connect(pipe, soffice):
    """The component context of the soffice listening on `pipe`, once it has started."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if soffice.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"soffice did not start (exit {soffice.poll()})") from None
            time.sleep(0.3)


def set_author(context, givenname, sn):
    """The user's name in the profile: LibreOffice signs every tracked change and comment with it."""
    provider = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", context
    )
    data = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (prop("nodepath", "/org.openoffice.UserProfile/Data"),),
    )
    data.setPropertyValue("givenname", givenname)
    data.setPropertyValue("sn", sn)
    data.commitChanges()


def now():
    """The time as a com.sun.star.util.DateTime (a new comment has none of its own)."""
    moment = datetime.now(UTC)
    return uno.createUnoStruct(
        "com.sun.star.util.DateTime",
        0,
        moment.second,
        moment.minute,
        moment.hour,
        moment.day,
        moment.month,
        moment.year,
        True,
    )


def paragraph(document, phrase):
    """The first body paragraph whose text contains the phrase."""
    enumeration = document.getText().createEnumeration()
    while enumeration.hasMoreElements():
        element = enumeration.nextElement()
        if element.supportsService("com.sun.star.text.Paragraph") and phrase in element.getString():
            return element
    raise SystemExit(f"no paragraph contains {phrase!r}")


def replace(document, edit, author):
    """Replace a word in one paragraph (a tracked deletion and insertion), and comment on the new word."""
    found = paragraph(document, edit["in"])
    text = found.getText()
    cursor = text.createTextCursorByRange(found.getStart())
    cursor.goRight(found.getString().index(edit["old"]), False)
    cursor.goRight(len(edit["old"]), True)
    cursor.setString(edit["new"])  # leaves the cursor round the new word
    if edit.get("comment"):
        note = document.createInstance("com.sun.star.text.textfield.Annotation")
        note.Author = author
        note.Content = edit["comment"]
        note.DateTimeValue = now()
        text.insertTextContent(cursor, note, True)  # a range: the comment sits on the new word


def delete(document, phrase):
    """Delete a whole paragraph, its paragraph mark included."""
    found = paragraph(document, phrase)
    cursor = found.getText().createTextCursorByRange(found.getStart())
    cursor.gotoEndOfParagraph(True)
    cursor.goRight(1, True)
    cursor.setString("")


def insert_after(document, edit):
    """Type a new paragraph after another one: Enter at its end, then the text."""
    found = paragraph(document, edit["after"])
    text = found.getText()
    cursor = text.createTextCursorByRange(found.getEnd())
    text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
    for name in ("CharColor", "CharHeight", "CharWeight"):  # not the grey status tag it follows
        cursor.setPropertyToDefault(name)
    text.insertString(cursor, edit["text"], False)


def edit_file(source, target, edits, soffice, profile):
    """Open `source` in LibreOffice, make the edits with changes recorded, store `target` as Word."""
    context = connect(edits["pipe"], soffice)
    set_author(context, edits["givenname"], edits["sn"])
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    # A copy of its own: LibreOffice leaves a lock file beside what it opens.
    copy = profile.parent / f"source{source.suffix}"
    copy.write_bytes(source.read_bytes())
    # The model alone, without a frame or view: LibreOffice 7.4 headless aborts when a comment is added
    # to a document that has a view (an uncaught NoSuchElementException in the comments' side pane).
    document = context.ServiceManager.createInstanceWithContext("com.sun.star.text.TextDocument", context)
    document.load((prop("URL", copy.as_uri()), prop("FilterName", WORD)))
    try:
        document.RecordChanges = True
        author = f"{edits['givenname']} {edits['sn']}"
        for edit in edits.get("replace", []):
            replace(document, edit, author)
        for phrase in edits.get("delete", []):
            delete(document, phrase)
        for edit in edits.get("insert_after", []):
            insert_after(document, edit)
        document.storeToURL(target.as_uri(), (prop("FilterName", WORD),))
    finally:
        document.close(True)
        desktop.terminate()


def main():
    source, target = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    edits = json.load(sys.stdin)
    with tempfile.TemporaryDirectory(prefix="accord-lo-") as folder:
        edits["pipe"] = f"accord-{uuid.uuid4().hex}"
        profile = Path(folder) / "profile"
        command = [
            edits.get("soffice", "soffice"),
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            f"-env:UserInstallation={profile.as_uri()}",
            f"--accept=pipe,name={edits['pipe']};urp;StarOffice.ComponentContext",
        ]
        soffice = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            edit_file(source, target, edits, soffice, profile)
            soffice.wait(timeout=60)
        finally:
            if soffice.poll() is None:
                soffice.kill()
                soffice.wait()


if __name__ == "__main__":
    main()
