"""The Wagtail admin speaks Danish: plov's own catalogue (plov/locale/da/LC_MESSAGES/django.po and
djangojs.po, in LOCALE_PATHS) covers the strings of the Wagtail apps the project installs, and the
admin pages an editor opens carry no English chrome.

(a) Coverage: every msgid of the installed Wagtail's catalogues for those apps (the English
    catalogues hold all of them; Wagtail's own da catalogues only the ~290 Transifex has) goes
    through Django's gettext/pgettext/ngettext under `translation.override("da")`; at least 99 %
    must come back translated, and a string may stay English only with a reason in ALLOWED_SAME.
(b) An agency user's admin pages (Wagtail dashboard, images, documents, a snippet listing, plov's
    /admin/enheder/) show Danish chrome: no "Sign out", "Search", "Dashboard", "Edit" …
(c) The catalogue is current: scripts/update-admin-catalogue --check (skipped without gettext).

After a Wagtail upgrade: scripts/update-admin-catalogue, translate what it lists, rerun this."""

from __future__ import annotations

import ast
import gettext
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import wagtail
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, GroupCollectionPermission

from tests.test_backoffice_editing import AGENCY_CVR, make_user

ROOT = Path(__file__).resolve().parent.parent
WAGTAIL_DIR = Path(wagtail.__file__).parent
CATALOGUE = ROOT / "plov" / "locale" / "da" / "LC_MESSAGES"

# The Wagtail apps in INSTALLED_APPS whose strings editors can meet ("" is wagtail core). Keep in
# step with DJANGO_APPS in scripts/update-admin-catalogue.
ADMIN_APPS = [
    "admin",
    "snippets",
    "images",
    "documents",
    "users",
    "",
    "sites",
    "search",
    "contrib/forms",
    "contrib/redirects",
    "contrib/simple_translation",
]

# msgids whose Danish translation is, correctly, the same text.
ALLOWED_SAME = {
    "%(range_start)s - %(range_end)s": "placeholders only",
    "%(field_label)s:": "placeholders only",
    "%(status_display)s %(task_name)s %(started_at)s": "placeholders only",
    "%(related_model_name)s %(field_label)s": "placeholders only",
    "Minimum": "the same word in Danish",
    "URL": "the same in Danish",
    "Alias": "the same word in Danish (an alias page)",
    "Status": "the same word in Danish",
    "Status: ": "the same word in Danish",
    "Status %(status)s": "the same word in Danish",
    "status": "the same word in Danish",
    "Type": "the same word in Danish",
    "App": "the same word in Danish",
    "System": "the same word in Danish",
    "system": "the same word in Danish",
    "Download XLSX": "'Download' is the Danish public-sector word (Det Fælles Designsystem)",
    "Download CSV": "'Download' is the Danish public-sector word (Det Fælles Designsystem)",
    "ID": "the same in Danish",
    "Link": "the same word in Danish",
    "Format": "the same word in Danish",
    "Upload": "'upload' is Danish (Retskrivningsordbogen), used across the public sector",
    "Administrator": "the same word in Danish",
    "Token": "the same technical term in Danish",
    "Wagtail API v2": "a product name",
    "Wagtail API v3": "a product name",
    "Wagtail routablepage": "a Wagtail module name",
    "port": "the same word in Danish (network port)",
    "Permanent": "the same word in Danish (a permanent redirect)",
    "permanent": "the same word in Danish (a permanent redirect)",
}

ALLOWED_SAME_JS = {
    "%(time_zone_option)s: %(localized_time_zone_label)s": "placeholders only",
    "%(num)s pixel": "'pixel' is the same word in Danish (the plural is 'pixels' in both)",
}

# Typical English chrome that must not be visible on the Danish admin pages.
ENGLISH_CHROME = [
    "Sign out",
    "Log out",
    "Search",
    "Dashboard",
    "Edit",
    "Delete",
    "Add an image",
    "Add a document",
    "Choose",
    "Settings",
    "Reports",
    "Help",
    "Account",
    "Images",
    "Documents",
    "Snippets",
    "Users",
    "Collection",
    "Skip to main content",
    "Bulk actions",
    "Select all",
    "Sort by",
    "Filter",
    "Cancel",
    "Save",
    "Sorry",
    "There are no",
    "You haven't",
    "Why not",
]

# aria-label/title texts that Wagtail 8.0.1 hard-codes in English (no gettext in the template),
# so no catalogue can translate them. Report upstream rather than override the templates.
UNTRANSLATABLE_ATTRS = {
    "Actions": 'wagtailadmin/shared/headers/_actions.html: <nav aria-label="Actions">',
}


# --- reading the Wagtail catalogues -----------------------------------------------------------


def read_po(path: Path) -> list[dict[str, str]]:
    """The entries of a .po file as dicts (msgctxt, msgid, msgid_plural); no header, no
    obsolete entries. Enough of the format for gettext's own output."""
    entries: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = ""

    def flush() -> None:
        if current.get("msgid"):
            entries.append(dict(current))
        current.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#~"):
            continue
        if not line or line.startswith("#"):
            if "msgid" in current:  # a blank line or the next entry's comments end an entry
                flush()
            key = ""
            continue
        if line.startswith('"'):
            if key:
                current[key] += ast.literal_eval(line)
            continue
        word, _, value = line.partition(" ")
        if word in ("msgctxt", "msgid") and "msgid" in current:
            flush()
        key = word if word in ("msgctxt", "msgid", "msgid_plural") else ""
        if key:
            current[key] = ast.literal_eval(value)
    flush()
    return entries


def wagtail_catalogue_entries(domain: str = "django") -> list[dict[str, str]]:
    apps = ADMIN_APPS if domain == "django" else ["admin"]
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for app in apps:
        for lang in ("en", "da"):
            path = WAGTAIL_DIR / app / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"
            if lang == "en":
                assert path.exists(), f"no source catalogue {path}"
            if path.exists():
                for entry in read_po(path):
                    seen.setdefault((entry.get("msgctxt", ""), entry["msgid"]), entry)
    return list(seen.values())


def translate(entry: dict[str, str]) -> list[tuple[str, str]]:
    """(English, Danish) pairs for an entry: one, or two for plural forms (n=1 and n=5)."""
    msgid, ctx, plural = entry["msgid"], entry.get("msgctxt"), entry.get("msgid_plural")
    with translation.override("da"):
        if plural and ctx:
            return [
                (msgid, translation.npgettext(ctx, msgid, plural, 1)),
                (plural, translation.npgettext(ctx, msgid, plural, 5)),
            ]
        if plural:
            return [
                (msgid, translation.ngettext(msgid, plural, 1)),
                (plural, translation.ngettext(msgid, plural, 5)),
            ]
        if ctx:
            return [(msgid, translation.pgettext(ctx, msgid))]
        return [(msgid, translation.gettext(msgid))]


# --- (a) coverage -------------------------------------------------------------------------------


def test_wagtail_admin_strings_are_translated_to_danish():
    entries = wagtail_catalogue_entries()
    assert len(entries) > 1500, "the Wagtail catalogues were not found or are incomplete"
    english = []
    for entry in entries:
        pairs = translate(entry)
        untranslated = any(not da.strip() or da == source for source, da in pairs)
        if untranslated and entry["msgid"] not in ALLOWED_SAME:
            english.append(entry["msgid"])
    translated = len(entries) - len(english)
    assert translated / len(entries) >= 0.99 and not english, (
        f"{translated}/{len(entries)} Wagtail admin strings are Danish; still English "
        f"(translate them in {CATALOGUE / 'django.po'} or allow-list them with a reason):\n"
        + "\n".join(sorted(english))
    )


def test_wagtail_admin_javascript_strings_are_translated_to_danish():
    entries = wagtail_catalogue_entries("djangojs")
    english = [
        e["msgid"]
        for e in entries
        if any(d == s or not d.strip() for s, d in translate_js(e))
        and e["msgid"] not in ALLOWED_SAME_JS
    ]
    assert not english, "still English in djangojs.po:\n" + "\n".join(english)


def translate_js(entry: dict[str, str]) -> list[tuple[str, str]]:
    """JavaScript strings come from the djangojs domain, read from the compiled catalogue."""
    with (CATALOGUE / "djangojs.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    if entry.get("msgid_plural"):
        return [
            (entry["msgid"], catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 1)),
            (entry["msgid_plural"], catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 5)),
        ]
    return [(entry["msgid"], catalogue.gettext(entry["msgid"]))]


def test_allow_list_names_only_real_wagtail_strings():
    msgids = {e["msgid"] for e in wagtail_catalogue_entries()}
    stale = sorted(set(ALLOWED_SAME) - msgids)
    assert not stale, f"ALLOWED_SAME names strings Wagtail no longer has: {stale}"


def test_danish_is_the_default_and_permitted_admin_language():
    assert settings.LANGUAGE_CODE == "da"
    assert ("da", "Dansk") in settings.WAGTAILADMIN_PERMITTED_LANGUAGES
    assert CATALOGUE.parent.parent in [Path(p) for p in settings.LOCALE_PATHS]


# --- (c) the catalogue is current and well formed -------------------------------------------------


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="needs gettext (msgfmt, msgmerge)")
def test_catalogue_is_current_with_the_installed_wagtail():
    for domain in ("django", "djangojs"):
        check = subprocess.run(
            ["msgfmt", "--check", "-o", "/dev/null", str(CATALOGUE / f"{domain}.po")],
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stderr
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "update-admin-catalogue"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- (b) the pages ----------------------------------------------------------------------------


class VisibleText(HTMLParser):
    """Text nodes outside script/style/template, the labels of the sidebar (which Wagtail's
    JavaScript renders from a JSON script), and aria-label/title/placeholder/alt texts."""

    SKIP = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.in_sidebar_props = False
        self.text: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.SKIP:
            self.skipping += 1
        if tag == "script" and attributes.get("id") == "wagtail-sidebar-props":
            self.in_sidebar_props = True
        for name in ("aria-label", "title", "placeholder", "alt"):
            if attributes.get(name):
                self.attrs.append(attributes[name])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        if tag == "script":
            self.in_sidebar_props = False

    def handle_data(self, data):
        if self.in_sidebar_props:
            self.text.extend(sidebar_labels(json.loads(data)))
        elif not self.skipping and data.strip():
            self.text.append(" ".join(data.split()))


def sidebar_labels(node) -> list[str]:
    if isinstance(node, dict):
        return [
            label
            for key, value in node.items()
            for label in ([value] if key == "label" and isinstance(value, str) else [])
            + (sidebar_labels(value) if key != "label" else [])
        ]
    if isinstance(node, list):
        return [label for value in node for label in sidebar_labels(value)]
    return []


def visible(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    return parser


def english_in(texts: list[str]) -> list[str]:
    found = []
    for text in texts:
        for word in ENGLISH_CHROME:
            if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
                found.append(f"{word!r} in {text!r}")
    return found


@pytest.fixture
def agency_editor(db, settings, tmp_path):
    """An agency user (as single sign-on makes one) who may also add and choose images and
    documents in the root collection, with one of each, so the listings show their rows."""
    settings.MEDIA_ROOT = tmp_path / "media"
    user = make_user("sds-redaktoer", roles=["agency"], cvr=AGENCY_CVR, first="Ida", last="Holm")
    media_group = Group.objects.create(name="Test: billeder og dokumenter")
    root = Collection.get_first_root_node()
    for codename in ("add_image", "choose_image", "add_document", "choose_document"):
        GroupCollectionPermission.objects.create(
            group=media_group,
            collection=root,
            permission=Permission.objects.get(codename=codename),
        )
    media_group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(media_group)
    get_image_model().objects.create(
        title="Havestue", file=get_test_image_file("havestue.png"), uploaded_by_user=user
    )
    get_document_model().objects.create(
        title="Tilsynsrapport",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="tilsynsrapport.pdf"),
        uploaded_by_user=user,
    )
    return user


ADMIN_PAGES = {
    "Wagtail's dashboard": ("/admin/", ["Oversigt", "Konto", "Log ud", "Hjælp"]),
    "image listing": (
        "/admin/images/",
        ["Billeder", "Tilføj et billede", "Sorter efter", "Massehandlinger"],
    ),
    "document listing": (
        "/admin/documents/",
        ["Dokumenter", "Tilføj et dokument", "Massehandlinger"],
    ),
    "transition list (snippet)": (
        "wagtailsnippets_supervision_transitionprovider:list",
        ["Overgangsordningen", "Massehandlinger", "Vælg alle"],
    ),
    "plov's unit dashboard": ("backoffice:dashboard", ["Mine enheder", "Søg", "Log ud"]),
    "account settings": ("/admin/account/", ["Konto", "Profilbillede", "Foretrukket sprog"]),
    "new image": ("/admin/images/add/", ["Ny: Billede", "Understøttede formater", "Beskrivelse"]),
}


@pytest.mark.parametrize("page", list(ADMIN_PAGES))
def test_admin_pages_are_danish(client, agency_editor, page):
    url, danish = ADMIN_PAGES[page]
    if not url.startswith("/"):
        url = reverse(url)
    client.force_login(agency_editor)
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    html = response.content.decode()
    assert re.search(r'<html[^>]*\blang="da"', html), f"{url} is not served as Danish"
    seen = visible(html)
    text = " | ".join(seen.text)
    missing = [word for word in danish if word not in text + " | ".join(seen.attrs)]
    assert not missing, f"{url}: Danish words missing {missing} from: {text}"
    english = english_in(seen.text) + [
        hit
        for hit in english_in(seen.attrs)
        if not any(hit.endswith(f"in {label!r}") for label in UNTRANSLATABLE_ATTRS)
    ]
    assert not english, f"{url}: English chrome: {english}\nvisible text: {text}"
