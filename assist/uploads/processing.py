"""Turn an uploaded file's bytes into something safe to keep.

The type is decided from the bytes alone (never the file name or the browser's content type).
Photos (JPEG, PNG, HEIC/HEIF, WebP) are decoded in full, turned upright, flattened to RGB and
re-encoded as a plain JPEG that carries no metadata at all: no EXIF (so no GPS position or camera
details), no XMP, no comment and no colour profile (colours are converted to sRGB first). PDFs are
checked to open without a password and kept byte for byte.

Nothing here logs anything about a file. Pillow's own debug lines print EXIF values (GPS
positions, camera serial numbers), so the ``PIL`` logger is held at INFO even when the app runs
at debug level.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO

import pillow_heif
from PIL import Image, ImageCms, ImageOps
from pypdf import PasswordType, PdfReader

pillow_heif.register_heif_opener()
logging.getLogger("PIL").setLevel(logging.INFO)

KINDS = ("document_photo", "passport_photo", "pdf")
PHOTO_KINDS = frozenset({"document_photo", "passport_photo"})

#: A photo whose header claims more pixels than this is refused before it is decoded (a
#: 60-megapixel RGB image takes about 180 MB once decoded; phone cameras stay under 50).
MAX_DECODED_PIXELS = 60_000_000
THUMBNAIL_PIXELS = 320
JPEG_QUALITY = 85
#: A UK passport photo is 35 mm wide and 45 mm high.
PASSPORT_RATIO = (35, 45)

_HEVC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}


@dataclass(frozen=True)
class Limits:
    """How big a file may be, and what a kept photo looks like."""

    max_file_bytes: int = 10 * 1024 * 1024
    max_pixels: int = 2000
    passport_min_width: int = 600
    passport_min_height: int = 750


class UploadRefused(Exception):
    """Why a file cannot be kept: .code is one of the words below, .params a dict for the message.

    Codes: ``empty``, ``too_big`` ({"max_mb": 10}), ``wrong_type`` ({"allowed": "JPG, PNG or
    HEIC"}), ``unreadable``, ``passport_too_small`` ({"min_width": 600, "min_height": 750}) and
    ``passport_not_portrait``.
    """

    def __init__(self, code: str, params: dict | None = None):
        super().__init__(code)
        self.code = code
        self.params = dict(params or {})

    def __repr__(self) -> str:
        return f"UploadRefused({self.code!r}, {self.params!r})"


@dataclass(frozen=True)
class PreparedFile:
    """What is kept of an upload: a clean JPEG for a photo, the original bytes for a PDF."""

    data: bytes = field(repr=False)
    media_type: str
    extension: str
    width: int | None = None
    height: int | None = None
    pages: int | None = None
    thumbnail: bytes | None = field(default=None, repr=False)


def prepare_upload(data: bytes, kinds: Sequence[str], limits: Limits = Limits()) -> PreparedFile:
    """Check an upload against a file question allowing ``kinds`` and return what to keep.

    Raises UploadRefused with the reason a resident should be told."""
    kinds = _checked_kinds(kinds)
    if not data:
        raise UploadRefused("empty")
    if len(data) > limits.max_file_bytes:
        raise UploadRefused("too_big", {"max_mb": _megabytes(limits.max_file_bytes)})
    found = _sniff(data)
    allowed = "pdf" in kinds if found == "pdf" else bool(PHOTO_KINDS & set(kinds))
    if found is None or not allowed:
        raise UploadRefused("wrong_type", {"allowed": allowed_types_text(kinds)})
    if found == "pdf":
        return _prepare_pdf(bytes(data))
    return _prepare_photo(bytes(data), found, "passport_photo" in kinds, limits)


def _sniff(data: bytes) -> str | None:
    """What the bytes are: "pdf", or Pillow's format name ("JPEG", "PNG", "HEIF", "WEBP"), or None."""
    head = bytes(data[:64])
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        size = int.from_bytes(head[:4], "big")
        brands = {head[8:12]} | {head[i:i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
        if brands & _HEVC_BRANDS or (head[8:12] in (b"mif1", b"msf1") and not brands & {b"avif", b"avis"}):
            return "HEIF"
    return None


def allowed_types_text(kinds: Sequence[str]) -> str:
    """The file types a question allows, for messages: "JPG, PNG, HEIC or PDF", "JPG, PNG or HEIC" or "PDF"."""
    kinds = _checked_kinds(kinds)
    photos, pdf = bool(PHOTO_KINDS & set(kinds)), "pdf" in kinds
    if photos and pdf:
        return "JPG, PNG, HEIC or PDF"
    return "JPG, PNG or HEIC" if photos else "PDF"


#: Invisible characters that reorder or hide text: bidirectional embeddings, overrides, isolates and marks.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
MAX_NAME_LENGTH = 80


def safe_file_name(name: str, extension: str) -> str:
    """A name to show for an upload: the last part of ``name`` without control or bidi characters,
    at most 80 characters, ending in ``.extension`` (the type actually kept)."""
    extension = extension.lstrip(".")
    name = re.split(r"[/\\]", name or "")[-1]
    name = "".join(c for c in _BIDI.sub("", name) if unicodedata.category(c) not in ("Cc", "Cs", "Zl", "Zp")
                   and c != "\ufeff")
    name = unicodedata.normalize("NFC", name)
    stem = _EXTENSION.sub("", name.strip()).strip()
    stem = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(" .")
    if not stem.strip("."):
        stem = "file"
    return f"{stem}.{extension}"


def _checked_kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    if isinstance(kinds, str):
        kinds = (kinds,)
    kinds = tuple(kinds)
    unknown = [kind for kind in kinds if kind not in KINDS]
    if not kinds or unknown:
        raise ValueError(f"file kinds must be some of {KINDS}, not {kinds!r}")
    return kinds


def _megabytes(size: int) -> int | float:
    """``size`` in MB, rounded down to one decimal place (so "smaller than" stays true)."""
    tenths = math.floor(size * 10 / (1024 * 1024)) / 10
    return int(tenths) if tenths == int(tenths) else tenths


def _prepare_pdf(data: bytes) -> PreparedFile:
    try:
        reader = PdfReader(BytesIO(data))
        # A PDF locked only against editing (many bank statements) opens without a password: keep it.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise UploadRefused("unreadable")
        pages = len(reader.pages)
    except UploadRefused:
        raise
    except Exception as error:  # pypdf raises many kinds of error on broken files
        raise UploadRefused("unreadable") from error
    if pages < 1:
        raise UploadRefused("unreadable")
    return PreparedFile(data=data, media_type="application/pdf", extension="pdf", pages=pages)


def _prepare_photo(data: bytes, image_format: str, passport: bool, limits: Limits) -> PreparedFile:
    image = _decode(data, image_format)
    if passport:
        image = _passport_crop(image, limits)
    image = _to_rgb(image)
    if max(image.size) > limits.max_pixels:
        image.thumbnail((limits.max_pixels, limits.max_pixels), Image.Resampling.LANCZOS)
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS), Image.Resampling.LANCZOS)
    return PreparedFile(data=_jpeg(image), media_type="image/jpeg", extension="jpg", width=image.width,
                        height=image.height, thumbnail=_jpeg(thumbnail))


def _decode(data: bytes, image_format: str) -> Image.Image:
    """The whole image, decoded by the one plugin its bytes name, turned as its EXIF says."""
    try:
        image = Image.open(BytesIO(data), formats=[image_format])
        if image.width * image.height > MAX_DECODED_PIXELS:
            raise UploadRefused("unreadable")
        image.load()
        return ImageOps.exif_transpose(image)
    except UploadRefused:
        raise
    except Exception as error:  # decoders raise OSError, ValueError, SyntaxError, DecompressionBombError...
        raise UploadRefused("unreadable") from error


def _passport_crop(image: Image.Image, limits: Limits) -> Image.Image:
    """A portrait photo cut down the middle to 35:45, if it is still big enough."""
    width, height = image.size
    if height <= width:
        raise UploadRefused("passport_not_portrait")
    ratio_w, ratio_h = PASSPORT_RATIO
    if width * ratio_h > height * ratio_w:  # too wide: trim the sides
        new_width, new_height = round(height * ratio_w / ratio_h), height
    else:  # too tall: trim the top and bottom
        new_width, new_height = width, round(width * ratio_h / ratio_w)
    left, top = (width - new_width) // 2, (height - new_height) // 2
    if new_width < limits.passport_min_width or new_height < limits.passport_min_height:
        raise UploadRefused("passport_too_small",
                            {"min_width": limits.passport_min_width, "min_height": limits.passport_min_height})
    return image.crop((left, top, left + new_width, top + new_height))


def _to_rgb(image: Image.Image) -> Image.Image:
    """8-bit sRGB with transparent areas made white."""
    icc = image.info.get("icc_profile")
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.has_transparency_data:
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, (255, 255, 255))
        image.paste(rgba, mask=rgba.getchannel("A"))
    if icc and image.mode in ("RGB", "CMYK", "L"):
        try:
            image = ImageCms.profileToProfile(image, ImageCms.ImageCmsProfile(BytesIO(icc)),
                                              ImageCms.createProfile("sRGB"),
                                              outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            image = image.convert("RGB")  # a profile that does not fit: keep the colours as they are
    return image if image.mode == "RGB" else image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    """A baseline JPEG with nothing in it but the picture (Pillow would copy a comment from .info)."""
    image.info = {}
    out = BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()
