"""LibreOffice headless, for turning the Word files Accord writes into print-grade PDF."""

import hashlib
import shutil
import subprocess
import tempfile
import threading
import zipfile
from collections import OrderedDict
from io import BytesIO
from pathlib import Path

from api.domain.errors import Unavailable

TIMEOUT_SECONDS = 120
CACHED_PDFS = 32
_cache: OrderedDict[str, bytes] = OrderedDict()
_cache_lock = threading.Lock()


def soffice() -> str:
    """The LibreOffice binary, or Unavailable (Debian: libreoffice-writer-nogui)."""
    found = shutil.which("soffice")
    if found is None:
        raise Unavailable("PDF export needs LibreOffice on the server (Debian: libreoffice-writer-nogui)")
    return found


def content_digest(docx: bytes) -> str:
    """A digest of what a .docx shows (its parts less the package's timestamps), to reuse its PDF."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(BytesIO(docx)) as package:
        for name in sorted(package.namelist()):
            if not name.startswith("docProps/"):
                digest.update(name.encode() + b"\0" + package.read(name))
    return digest.hexdigest()


def docx_to_pdf(docx: bytes) -> bytes:
    """The PDF of a .docx, printed once per content (a LibreOffice start costs seconds) and then reused."""
    key = content_digest(docx)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    pdf = print_pdf(docx)
    with _cache_lock:
        _cache[key] = pdf
        while len(_cache) > CACHED_PDFS:
            _cache.popitem(last=False)
    return pdf


def print_pdf(docx: bytes) -> bytes:
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
