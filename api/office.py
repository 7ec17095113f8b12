"""LibreOffice headless, for turning the Word files Accord writes into print-grade PDF."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from api.domain.errors import Unavailable

TIMEOUT_SECONDS = 120


def soffice() -> str:
    """The LibreOffice binary, or Unavailable (Debian: libreoffice-writer-nogui)."""
    found = shutil.which("soffice")
    if found is None:
        raise Unavailable("PDF export needs LibreOffice on the server (Debian: libreoffice-writer-nogui)")
    return found


def docx_to_pdf(docx: bytes) -> bytes:
    """The PDF LibreOffice prints from a .docx (fonts as installed: fonts-noto-cjk for Chinese)."""
    binary = soffice()
    with tempfile.TemporaryDirectory(prefix="accord-pdf-") as folder:
        work = Path(folder)
        source = work / "document.docx"
        source.write_bytes(docx)
        # A profile of its own: two conversions at once must not share LibreOffice's user profile lock.
        profile = (work / "profile").as_uri()
        command = [binary, "--headless", "--norestore", f"-env:UserInstallation={profile}"]
        command += ["--convert-to", "pdf:writer_pdf_Export", "--outdir", str(work), str(source)]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise Unavailable(f"LibreOffice could not print the document: {error}") from None
        result = work / "document.pdf"
        if not result.exists():
            raise Unavailable("LibreOffice printed nothing")
        return result.read_bytes()
