"""Settings are read once, in plov/settings/base.py, from the environment (issue 14, §7): each
variable the README documents changes what the code uses. A fresh interpreter per case, since
settings are read when Django starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = """
import json, django
django.setup()
from django.conf import settings
from plov.backoffice.locking import lock_timeout
from plov.media import documents, images
from plov.media.models import restore_days
from plov.registers import sor
print(json.dumps({
    "tile_url": settings.PLOV_MAP_TILE_URL,
    "tile_attribution": settings.PLOV_MAP_TILE_ATTRIBUTION,
    "img_src": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
    "lock_minutes": lock_timeout().total_seconds() / 60,
    "image_bytes": images.max_bytes(),
    "wagtail_image_bytes": settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE,
    "image_pixels": images.max_pixels(),
    "wagtail_image_pixels": settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS,
    "image_min": images.min_size(),
    "image_max_side": images.max_side(),
    "document_bytes": documents.max_bytes(),
    "restore_days": restore_days(),
    "unit_types": {k: str(v) for k, v in sor.UNIT_TYPES.items()},
    "legacy_types": sorted(sor.LEGACY_TYPES),
}))
"""


def probe(**environment: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLOV_")}
    env.update(DJANGO_SETTINGS_MODULE="plov.settings.test", **environment)
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_documented_variables_reach_the_code():
    result = probe(
        PLOV_MAP_TILE_URL="https://tiles.example.dk/{z}/{x}/{y}.png",
        PLOV_MAP_TILE_ATTRIBUTION="© Eksempel-kort",
        PLOV_LOCK_TIMEOUT_MINUTES="7",
        PLOV_MAX_IMAGE_MB="5",
        PLOV_MAX_IMAGE_PIXELS="1000000",
        PLOV_IMAGE_MIN_WIDTH="1000",
        PLOV_IMAGE_MIN_HEIGHT="700",
        PLOV_IMAGE_MAX_SIDE="1600",
        PLOV_MAX_DOCUMENT_MB="3",
        PLOV_MEDIA_RESTORE_DAYS="9",
        PLOV_SOR_UNIT_TYPES="Plejeenhed=care_home, nyt-sted=home_care_site",
        PLOV_SOR_LEGACY_TYPES="plejehjem",
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["tile_url"] == "https://tiles.example.dk/{z}/{x}/{y}.png"
    assert seen["tile_attribution"] == "© Eksempel-kort"
    assert "https://tiles.example.dk" in seen["img_src"]
    assert seen["lock_minutes"] == 7
    assert seen["image_bytes"] == seen["wagtail_image_bytes"] == 5 * 1024 * 1024
    assert seen["image_pixels"] == seen["wagtail_image_pixels"] == 1_000_000
    assert seen["image_min"] == [1000, 700] and seen["image_max_side"] == 1600
    assert seen["document_bytes"] == 3 * 1024 * 1024
    assert seen["restore_days"] == 9
    assert seen["unit_types"] == {"plejeenhed": "care_home", "nyt-sted": "home_care_site"}
    assert seen["legacy_types"] == ["plejehjem"]


def test_without_the_variables_the_documented_defaults_apply():
    result = probe()
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["tile_url"] == "" and seen["img_src"] == ["'self'", "data:"]
    assert seen["lock_minutes"] == 30 and seen["restore_days"] == 30
    assert seen["image_bytes"] == seen["wagtail_image_bytes"] == 30 * 1024 * 1024
    assert seen["image_pixels"] == seen["wagtail_image_pixels"] == 40_000_000
    assert seen["image_min"] == [800, 600] and seen["image_max_side"] == 2400
    assert seen["document_bytes"] == 20 * 1024 * 1024
    assert seen["unit_types"] == {
        "plejeenhed": "care_home",
        "helhedsplejeleverandørsted": "home_care_site",
    }


def test_a_malformed_value_stops_the_start_naming_the_variable():
    for name, value in [
        ("PLOV_SOR_UNIT_TYPES", "plejeenhed"),
        ("PLOV_SOR_UNIT_TYPES", "plejeenhed=plejehjem"),
        ("PLOV_LOCK_TIMEOUT_MINUTES", "en halv time"),
    ]:
        result = probe(**{name: value})
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr and name in result.stderr
