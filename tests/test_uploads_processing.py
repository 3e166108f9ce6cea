"""Uploads: what a resident's file becomes before it is kept. Every file is made here, in the test."""

from __future__ import annotations

import logging
import os
import struct
import time
import zlib
from io import BytesIO

import pytest
from PIL import Image, ImageCms
from pypdf import PdfWriter

from assist.uploads import KINDS, Limits, UploadRefused, allowed_types_text, prepare_upload, safe_file_name

PHOTOS = ("document_photo",)
PASSPORT = ("passport_photo",)
RED, BLUE, WHITE = (255, 0, 0), (0, 0, 255), (255, 255, 255)


def encode(image: Image.Image, image_format: str, **options) -> bytes:
    out = BytesIO()
    image.save(out, format=image_format, **options)
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def refusal(data: bytes, kinds=KINDS, limits: Limits = Limits()) -> UploadRefused:
    with pytest.raises(UploadRefused) as caught:
        prepare_upload(data, kinds, limits)
    return caught.value


def jpeg_segments(data: bytes) -> list[int]:
    """The markers of a JPEG's header segments, up to the start of the picture data."""
    assert data[:2] == b"\xff\xd8"
    markers, at = [], 2
    while data[at + 1] != 0xDA:  # start of scan
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2:at + 4])[0]
        markers.append(marker)
        at += 2 + length
    return markers


def close_to(colour, expected, slack=40) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(colour, expected))


def pdf_bytes(pages: int = 3, password: str | None = None) -> bytes:
    """A PDF of blank A4 pages; with a password ("" for one locked only against editing), encrypted."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="council-owner", algorithm="AES-256")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A black-and-white PNG of ``width`` x ``height`` pixels, all black: tiny once compressed."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row * 1000) for _ in range(height // 1000)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


# Photos: what the council receives carries no trace of where or with what it was taken.

SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><SecretXmpCreator/></x:xmpmeta>'


@pytest.mark.parametrize("profile", [{}, {"icc_profile": SRGB}], ids=["no colour profile", "sRGB profile"])
def test_a_photo_with_gps_and_camera_details_is_kept_with_no_metadata_at_all(profile, caplog):
    exif = Image.Exif()
    exif[0x010F] = "SecretCamMaker"
    exif[0x0110] = "SecretCamModel"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 30.0, 0.0)
    gps[3], gps[4] = "W", (0.0, 7.0, 39.0)
    original = encode(Image.new("RGB", (640, 480), (30, 120, 200)), "JPEG", exif=exif,
                      comment=b"SecretComment", xmp=XMP, **profile)
    assert b"SecretCamMaker" in original and b"SecretXmp" in original
    assert opened(original).getexif().get_ifd(0x8825)
    caplog.set_level(logging.DEBUG)

    kept = prepare_upload(original, PHOTOS)

    assert kept.media_type == "image/jpeg" and kept.extension == "jpg"
    assert (kept.width, kept.height, kept.pages) == (640, 480, None)
    for data in (kept.data, kept.thumbnail):
        assert not opened(data).getexif()
        assert b"Exif" not in data and b"Secret" not in data
        # Only the JFIF header, tables and the frame: no APP1 (EXIF/XMP), APP2 (ICC) or COM segment.
        assert set(jpeg_segments(data)) <= {0xE0, 0xDB, 0xC0, 0xC4, 0xDD}
    assert "Secret" not in caplog.text  # Pillow's debug lines would print the EXIF values


def test_a_photo_taken_with_the_phone_turned_is_kept_upright():
    landscape = Image.new("RGB", (400, 200), RED)
    landscape.paste(BLUE, (200, 0, 400, 200))  # left half red, right half blue
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera says: turn a quarter clockwise to show
    kept = prepare_upload(encode(landscape, "JPEG", exif=exif), PHOTOS)

    assert (kept.width, kept.height) == (200, 400)
    image = opened(kept.data)
    assert image.size == (200, 400)
    # A quarter turn clockwise puts the left (red) half at the top.
    assert all(close_to(image.getpixel((x, 5)), RED) for x in (5, 100, 195))
    assert all(close_to(image.getpixel((x, 394)), BLUE) for x in (5, 100, 195))
    assert not opened(kept.data).getexif()


def test_an_iphone_heic_photo_is_accepted_and_kept_upright_as_jpeg():
    landscape = Image.new("RGB", (400, 200), RED)
    landscape.paste(BLUE, (200, 0, 400, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone turned: the HEIC's own rotation says so
    heic = encode(landscape, "HEIF", exif=exif.tobytes(), quality=90)  # assist.uploads registered HEIF
    assert heic[4:12] == b"ftypheic"

    kept = prepare_upload(heic, PHOTOS)

    assert kept.media_type == "image/jpeg" and kept.data[:3] == b"\xff\xd8\xff"
    assert (kept.width, kept.height) == (200, 400)  # turned once, not twice
    image = opened(kept.data)
    assert close_to(image.getpixel((100, 5)), RED) and close_to(image.getpixel((100, 394)), BLUE)
    assert not image.getexif()


def test_a_png_with_transparency_is_kept_as_jpeg_on_white():
    picture = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    picture.paste((200, 0, 0, 255), (100, 0, 200, 100))
    kept = prepare_upload(encode(picture, "PNG"), PHOTOS)

    image = opened(kept.data)
    assert image.format == "JPEG" and image.mode == "RGB"
    assert close_to(image.getpixel((20, 50)), WHITE, slack=8)
    assert close_to(image.getpixel((180, 50)), (200, 0, 0))


def test_a_sixteen_bit_grey_png_keeps_its_tones():
    grey = Image.new("I;16", (64, 64), 32768)  # half-way grey at 16 bits
    kept = opened(prepare_upload(encode(grey, "PNG"), PHOTOS).data)
    assert close_to(kept.getpixel((32, 32)), (128, 128, 128), slack=6)


def test_a_big_photo_is_made_smaller_with_a_small_thumbnail():
    kept = prepare_upload(encode(Image.new("RGB", (4000, 3000), (90, 90, 90)), "JPEG"), PHOTOS)
    assert (kept.width, kept.height) == (2000, 1500)
    assert opened(kept.data).size == (2000, 1500)
    thumbnail = opened(kept.thumbnail)
    assert thumbnail.format == "JPEG" and thumbnail.size == (320, 240)
    assert not thumbnail.getexif()


def test_a_small_webp_photo_is_accepted_and_not_made_bigger():
    kept = prepare_upload(encode(Image.new("RGB", (300, 200), BLUE), "WEBP"), PHOTOS)
    assert kept.media_type == "image/jpeg" and (kept.width, kept.height) == (300, 200)
    assert opened(kept.thumbnail).size == (300, 200)


# PDFs: kept exactly as sent, if the council can open them.

def test_a_pdf_is_kept_unchanged_with_its_page_count():
    original = pdf_bytes(pages=3)
    kept = prepare_upload(original, ("pdf",))
    assert kept.data == original
    assert (kept.media_type, kept.extension, kept.pages) == ("application/pdf", "pdf", 3)
    assert (kept.width, kept.height, kept.thumbnail) == (None, None, None)


def test_a_pdf_locked_only_against_editing_opens_for_anyone_and_is_kept():
    original = pdf_bytes(pages=2, password="")
    kept = prepare_upload(original, ("pdf",))
    assert kept.data == original and kept.pages == 2


@pytest.mark.parametrize("data", [
    pdf_bytes(password="resident-secret"),
    pdf_bytes(pages=0),
    b"%PDF-1.7\nSecretMarker this is not a PDF at all\n",
    pdf_bytes()[:300],  # cut off half-way
    b"%PDF-1.4\n%%EOF\n",
], ids=["needs a password", "no pages", "garbage", "cut off", "empty"])
def test_a_pdf_the_council_could_not_read_is_unreadable_and_nothing_of_it_is_logged(data, caplog):
    caplog.set_level(logging.DEBUG)
    error = refusal(data)
    assert error.code == "unreadable" and error.params == {}
    assert "SecretMarker" not in caplog.text


# The type comes from the bytes, and the question decides which types it takes.

def test_a_text_file_is_the_wrong_type_whatever_it_is_called():
    error = refusal(b"hello", KINDS)
    assert (error.code, error.params) == ("wrong_type", {"allowed": "JPG, PNG, HEIC or PDF"})
    assert refusal(b"hello", PASSPORT).params == {"allowed": "JPG, PNG or HEIC"}


@pytest.mark.parametrize("data", [
    b"GIF89a" + b"\x00" * 40,
    b"II*\x00" + b"\x00" * 40,  # TIFF
    b"PK\x03\x04" + b"\x00" * 40,  # a Word document or a zip
    b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    b"   %PDF-1.7\n",  # the PDF header must come first
    b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf",  # AVIF, which the HEIC decoder cannot read
])
def test_other_file_types_are_refused_as_the_wrong_type(data):
    assert refusal(data).code == "wrong_type"


def test_a_type_the_question_does_not_take_is_the_wrong_type():
    error = refusal(pdf_bytes(), PHOTOS)
    assert (error.code, error.params) == ("wrong_type", {"allowed": "JPG, PNG or HEIC"})
    error = refusal(encode(Image.new("RGB", (10, 10)), "PNG"), ("pdf",))
    assert (error.code, error.params) == ("wrong_type", {"allowed": "PDF"})


def test_a_file_that_claims_to_be_a_photo_but_is_broken_is_unreadable():
    photo = encode(Image.new("RGB", (200, 200), RED), "JPEG")
    assert refusal(photo[:40], PHOTOS).code == "unreadable"
    assert refusal(b"\x89PNG\r\n\x1a\n" + b"rubbish" * 10, PHOTOS).code == "unreadable"
    assert refusal(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 50, PHOTOS).code == "unreadable"


def test_an_empty_file_is_refused():
    assert refusal(b"").code == "empty"


def test_a_file_over_the_limit_is_refused_before_it_is_decoded(monkeypatch):
    photo = encode(Image.new("RGB", (50, 50)), "PNG")
    assert prepare_upload(photo, PHOTOS, Limits(max_file_bytes=len(photo))).width == 50  # at the limit: fine
    noise = encode(Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3)), "PNG")
    assert len(noise) > 1024 * 1024
    limits = Limits(max_file_bytes=1024 * 1024)

    def must_not_decode(*args, **kwargs):
        raise AssertionError("a file over the limit was opened")

    monkeypatch.setattr(Image, "open", must_not_decode)
    error = refusal(noise, PHOTOS, limits)
    assert (error.code, error.params) == ("too_big", {"max_mb": 1})
    assert refusal(b"\xff\xd8\xff" + bytes(10 * 1024 * 1024), PHOTOS).params == {"max_mb": 10}


@pytest.mark.parametrize("size", [(20000, 20000), (8000, 8000)])
def test_a_decompression_bomb_is_unreadable_and_refused_quickly(size):
    bomb = png_bomb(*size)
    assert len(bomb) < 200_000  # tiny as sent, hundreds of megabytes once decoded
    started = time.monotonic()
    assert refusal(bomb, PHOTOS).code == "unreadable"
    assert time.monotonic() - started < 2


# Passport-style photos: portrait, cut to 35:45, and big enough.

def test_a_landscape_passport_photo_is_refused():
    assert refusal(encode(Image.new("RGB", (1200, 900)), "JPEG"), PASSPORT).code == "passport_not_portrait"
    assert refusal(encode(Image.new("RGB", (900, 900)), "JPEG"), PASSPORT).code == "passport_not_portrait"
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone turned: upright, it is portrait
    kept = prepare_upload(encode(Image.new("RGB", (1200, 900)), "JPEG", exif=exif), PASSPORT)
    assert kept.height > kept.width


# 700 x 760 is over 600 x 750 as sent, but cut to 35:45 it is 591 x 760.
@pytest.mark.parametrize("size", [(300, 400), (700, 760)])
def test_a_small_passport_photo_is_refused_with_the_minimum_size(size):
    error = refusal(encode(Image.new("RGB", size), "JPEG"), PASSPORT)
    assert (error.code, error.params) == ("passport_too_small", {"min_width": 600, "min_height": 750})


def test_a_passport_photo_is_kept_cut_to_35_by_45_from_the_middle():
    portrait = Image.new("RGB", (900, 1200), RED)
    portrait.paste(BLUE, (0, 0, 900, 15))  # a band at the top, cut away: 21 rows go from top and bottom
    portrait.paste(BLUE, (0, 1185, 900, 1200))
    kept = prepare_upload(encode(portrait, "JPEG"), PASSPORT)
    assert abs(kept.width / kept.height - 35 / 45) < 0.01 * 35 / 45
    assert (kept.width, kept.height) == (900, 1157)
    assert close_to(opened(kept.data).getpixel((450, 2)), RED)
    assert close_to(opened(kept.data).getpixel((450, 1154)), RED)
    big = prepare_upload(encode(Image.new("RGB", (3000, 4000)), "JPEG"), PASSPORT)  # cut, then made smaller
    assert big.height == 2000 and abs(big.width / big.height - 35 / 45) < 0.01 * 35 / 45


# Names shown for a file.

@pytest.mark.parametrize("name, extension, shown", [
    ("C:\\Users\\x\\IMG_1.HEIC", "jpg", "IMG_1.jpg"),
    ("/home/sam/Documents/council tax.pdf", "pdf", "council tax.pdf"),
    ("scan.png", "jpg", "scan.jpg"),
    ("bill", "pdf", "bill.pdf"),
    ("evil\u202egnp.exe", "jpg", "evilgnp.jpg"),
    ("line\nbreak\x00.jpg", "jpg", "linebreak.jpg"),
    ("\u2067hidden\u2069 name.jpeg", "jpg", "hidden name.jpg"),
    ("", "jpg", "file.jpg"),
    (".", "pdf", "file.pdf"),
    ("..", "pdf", "file.pdf"),
    ("C:\\", "jpg", "file.jpg"),
    ("   .jpg", "jpg", "file.jpg"),
    ("بيان الدخل.pdf", "pdf", "بيان الدخل.pdf"),
    ("a" * 200 + ".png", "jpg", "a" * 76 + ".jpg"),  # at most 80 characters, keeping the extension
])
def test_safe_file_name(name, extension, shown):
    assert safe_file_name(name, extension) == shown


def test_allowed_types_text_names_what_the_question_takes():
    assert allowed_types_text(KINDS) == "JPG, PNG, HEIC or PDF"
    assert allowed_types_text(("document_photo", "passport_photo")) == "JPG, PNG or HEIC"
    assert allowed_types_text(["pdf"]) == "PDF"
    assert allowed_types_text(("passport_photo", "pdf")) == "JPG, PNG, HEIC or PDF"
    with pytest.raises(ValueError):  # a question with no kinds, or unknown ones, is a programming error
        prepare_upload(b"hello", ())
    with pytest.raises(ValueError):
        allowed_types_text(("gif",))
