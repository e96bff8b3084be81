"""What an uploaded document may be: its name, its size and its type, decided from its bytes.

- The name is the person's, shown back and used as the download's file name: a folder in it
  (`/`, `\\`, `..`) is refused; control and format characters are removed; at most 150
  characters. (Browsers send only the base name, and Django's upload parser drops folders too:
  the refusal here is for everything else that calls the service.)
- The size is at most `DOCUMENT_MAX_UPLOAD_MB`, and not zero.
- The type is sniffed from the bytes with `filetype` (pure Python, no libmagic), never taken from
  the upload's Content-Type header, and must match the name's extension: PDF, PNG, JPEG, and the
  office formats DOCX, XLSX and ODT. The office formats are ZIP files; they must also look like one
  inside (the OOXML parts of a Word or Excel file, the OpenDocument `mimetype` entry), so a ZIP of
  anything renamed to .docx is refused.
"""

from __future__ import annotations

import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_NAME = 150
SNIFF_BYTES = 8192
# A real office document has tens to a few hundred parts; far more is not one we accept.
MAX_ZIP_ENTRIES = 5000

# Extension → the content type its bytes must have.
TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
# The parts an office file must contain (in its ZIP directory).
OFFICE_PARTS: dict[str, tuple[str, ...]] = {
    "docx": ("[Content_Types].xml", "word/document.xml"),
    "xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
    "odt": ("mimetype", "content.xml"),
}
ACCEPT = ",".join(f".{ext}" for ext in TYPES)


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int


def max_upload_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_UPLOAD_MB", 10)) * 1024 * 1024


def clean_name(name: str) -> str:
    """The file name to keep, or a ValidationError when it names a folder or nothing."""
    name = unicodedata.normalize("NFC", str(name or ""))
    if "/" in name or "\\" in name:
        raise ValidationError(_("The file name may not contain a folder."), code="path")
    # Control characters (C0, C1, DEL) and format characters (right-to-left overrides, which
    # disguise an extension) go; line and paragraph separators too.
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"})
    name = name.strip().lstrip(".").strip()
    if not name:
        raise ValidationError(_("The file has no name."), code="name")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 5 else name[:MAX_NAME]
    return name


def extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def _office_parts_present(file: IO[bytes], ext: str) -> bool:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return False
            names = {info.filename for info in infos}
            if not all(part in names for part in OFFICE_PARTS[ext]):
                return False
            if ext == "odt":
                info = archive.getinfo("mimetype")
                if info.file_size > 100:
                    return False
                return archive.read(info).strip() == TYPES["odt"].encode()
            return True
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, NotImplementedError):
        return False
    finally:
        file.seek(0)


def check_upload(*, name: str, file: IO[bytes], size: int) -> CheckedUpload:
    """Check an upload (name, size, bytes); the cleaned name and the sniffed content type."""
    name = clean_name(name)
    ext = extension(name)
    if ext not in TYPES:
        raise ValidationError(
            _("This kind of file cannot be added. Choose a PDF, an image (PNG or JPEG) or an office file "
              "(DOCX, XLSX or ODT)."), code="type")
    if size <= 0:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            _("The file is too large (at most %(mb)s MB).") % {"mb": limit // (1024 * 1024)}, code="too_large")
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    guessed = filetype.guess(head)
    sniffed = guessed.mime if guessed is not None else ""
    expected = TYPES[ext]
    if ext in OFFICE_PARTS:
        ok = sniffed in {expected, "application/zip"} and _office_parts_present(file, ext)
    else:
        ok = sniffed == expected
    if not ok:
        raise ValidationError(
            _("The content of the file does not match its name (.%(ext)s). Choose the file itself, not a renamed "
              "one.") % {"ext": ext}, code="content")
    return CheckedUpload(name=name, content_type=expected, size=size)
