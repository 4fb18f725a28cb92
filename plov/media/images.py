"""Cleaning an uploaded unit image: decide its real type from its content, refuse what is not a
photo in an accepted format or is too large, and re-encode it as a plain JPEG without metadata.

Accepted: JPEG, PNG, WebP and HEIC/HEIF (iPhone photos), whatever the file is called. The file
name the editor chose is never used on disk. Every image is decoded and drawn again, so nothing
of the original file survives but its pixels: no EXIF (GPS position, camera, owner), no XMP, no
comments, no embedded thumbnails; the orientation the camera wrote is applied first; colours
in another profile (Display P3, CMYK) are converted to sRGB; transparency is laid on white.
"""

from __future__ import annotations

import io
import re
import secrets
import unicodedata
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.text import slugify
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from plov.text import strip_invisible

try:  # HEIC/HEIF: pillow-heif comes with Wagtail (Willow); register its opener with Pillow.
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF_SUPPORTED = True
except ImportError:  # pragma: no cover - pillow-heif is a Wagtail dependency
    HEIF_SUPPORTED = False

# Pillow's format name → what the editor calls it. MPO is how Pillow names many cameras' JPEGs.
ACCEPTED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP", "HEIF": "HEIC"}
# Only these parsers ever look at an upload.
OPEN_FORMATS = ["JPEG", "PNG", "WEBP"] + (["HEIF"] if HEIF_SUPPORTED else [])
ACCEPT_ATTRIBUTE = (
    "image/jpeg,image/png,image/webp,image/heic,image/heif,.jpg,.jpeg,.png,.webp,.heic,.heif"
)

# The limits are settings (plov/settings/base.py): the largest upload and pixel count are
# Wagtail's WAGTAILIMAGES_MAX_UPLOAD_SIZE and WAGTAILIMAGES_MAX_IMAGE_PIXELS (PLOV_MAX_IMAGE_MB,
# PLOV_MAX_IMAGE_PIXELS); the smallest photo taken is PLOV_IMAGE_MIN_WIDTH ×
# PLOV_IMAGE_MIN_HEIGHT (800 × 600: the long and the short side, on its side or upright).
JPEG_QUALITY = 85


def max_pixels() -> int:
    return int(settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS)


def max_side() -> int:
    return int(settings.PLOV_IMAGE_MAX_SIDE)


def min_size() -> tuple[int, int]:
    """(long side, short side) an image must have at least."""
    return (
        int(settings.PLOV_IMAGE_MIN_WIDTH),
        int(settings.PLOV_IMAGE_MIN_HEIGHT),
    )


def too_small_message(width: int, height: int) -> str:
    long_side, short_side = min_size()
    return (
        f"Billedet er for lille ({width} × {height} pixels). Det skal være mindst "
        f"{long_side} × {short_side} pixels (eller {short_side} × {long_side} på højkant), "
        "så det står skarpt på enhedens side. Vælg et større foto, fx det oprindelige fra "
        "kameraet eller telefonen."
    )


def max_bytes() -> int:
    return int(settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)


class ImageRejected(ValueError):
    """The upload is not an acceptable image; the message is for the editor (Danish)."""


@dataclass(frozen=True)
class CleanImage:
    content: bytes  # a JPEG without metadata
    width: int
    height: int
    source_format: str  # "JPEG", "PNG", "WebP" or "HEIC"
    original_width: int
    original_height: int


NOT_AN_IMAGE = (
    "Filen er ikke et billede i et af de tilladte formater: JPEG, PNG, WebP eller HEIC. "
    "Vælg et foto i et af de formater."
)
BROKEN = "Billedet kan ikke læses; filen er måske beskadiget eller kun delvist overført."


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.0f}".replace(".", ",")


def too_many_pixels_message(width: int | None = None, height: int | None = None) -> str:
    size = f" ({width} × {height} pixels)" if width and height else ""
    return (
        f"Billedet er for stort{size}. Det må højst have {_megapixels(max_pixels())} "
        f"megapixels; gem det i en mindre størrelse, f.eks. {max_side()} pixels på den "
        "længste led, og prøv igen."
    )


def clean_image(upload) -> CleanImage:
    """Check and re-encode an uploaded image (a Django UploadedFile or any binary file object).

    Raises ImageRejected with a Danish message for anything that is not an acceptable image.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise ImageRejected(
            f"Filen er for stor ({size / 1024 / 1024:.1f} MB). Et billede må højst fylde "
            f"{max_bytes() // (1024 * 1024)} MB.".replace(".", ",", 1)
        )
    if size == 0:
        raise ImageRejected("Filen er tom.")
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise ImageRejected(
            f"Filen er for stor. Et billede må højst fylde {max_bytes() // (1024 * 1024)} MB."
        )
    return clean_image_bytes(data)


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        # Sizes between Pillow's own limits only warn; plov refuses them below.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            return Image.open(io.BytesIO(data), formats=OPEN_FORMATS)
        except Image.DecompressionBombError:
            raise ImageRejected(too_many_pixels_message()) from None
        except (UnidentifiedImageError, SyntaxError, ValueError, TypeError):
            raise ImageRejected(NOT_AN_IMAGE) from None
        except (OSError, EOFError, RuntimeError):  # e.g. a header cut short
            raise ImageRejected(BROKEN) from None


def clean_image_bytes(data: bytes) -> CleanImage:
    if not data:
        raise ImageRejected("Filen er tom.")
    image = _open(data)
    source_format = ACCEPTED_FORMATS.get(image.format or "")
    if source_format is None:
        raise ImageRejected(NOT_AN_IMAGE)
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageRejected(BROKEN)
    if width * height > max_pixels():
        raise ImageRejected(too_many_pixels_message(width, height))
    long_side, short_side = min_size()
    if max(width, height) < long_side or min(width, height) < short_side:
        raise ImageRejected(too_small_message(width, height))
    try:
        image.verify()
    except Exception:
        raise ImageRejected(BROKEN) from None

    image = _open(data)  # verify() leaves the image unusable: read it again
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            out = _render(image)
    except ImageRejected:
        raise
    except Exception:  # a truncated or corrupt body: Pillow raises several kinds
        raise ImageRejected(BROKEN) from None

    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return CleanImage(buffer.getvalue(), out.width, out.height, source_format, width, height)


def _render(image: Image.Image) -> Image.Image:
    """Decode, orient, convert to sRGB, flatten, resize; a fresh image without metadata."""
    limit = max_side()
    if image.format in ("JPEG", "MPO"):
        image.draft(None, (limit, limit))  # let the JPEG decoder scale down by 2, 4 or 8
    image.load()
    icc = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    image = _to_srgb(image, icc)
    image.thumbnail((limit, limit), Image.Resampling.LANCZOS, reducing_gap=3.0)
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    return clean


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            mode = "RGB" if image.mode == "RGBA" else image.mode
            if image.mode == "RGBA":
                image = image.convert("RGB")
            if mode in ("RGB", "CMYK", "L"):
                return ImageCms.profileToProfile(
                    image, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
                )
        except Exception:  # an unreadable or mismatched profile: keep the numbers as they are
            pass
    return image.convert("RGB")


# --- names ---------------------------------------------------------------------------------

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def safe_stem(text: str, max_length: int = 40) -> str:
    """An ASCII file-name stem from any text: 'Plejecenter Åhaven' → 'plejecenter-aahaven'."""
    ascii_text = unicodedata.normalize("NFKD", (text or "").translate(_DANISH))
    stem = slugify(ascii_text.encode("ascii", "ignore").decode("ascii"))
    return stem[:max_length].strip("-") or "fil"


def stored_name(prefix: str, extension: str) -> str:
    """A generated, unguessable file name: never the editor's."""
    return f"{safe_stem(prefix)}-{secrets.token_hex(6)}.{extension}"


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def original_title(file_name: str, max_length: int = 255) -> str:
    """The editor's file name, kept as the title: any letters, without paths or control codes."""
    name = re.split(r"[\\/]", file_name or "")[-1]
    name = unicodedata.normalize("NFC", strip_invisible(_CONTROL.sub("", name))).strip()
    return name[:max_length] or "billede"
