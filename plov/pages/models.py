"""The agency's own pages, edited in Wagtail's admin with Wagtail's drafts, revisions,
scheduled publishing and its default moderation workflow.

Served by Wagtail's page serving, mounted after every other URL (`plov/urls.py`), so a page can
never take the address of one of the public site's own pages (`ContentPageForm` refuses it).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from plov.pages.blocks import RICH_TEXT_FEATURES, BodyBlock, ChecklistBodyBlock
from plov.pages.forms import ContentPageForm


class ContentPage(Page):
    """What every page of the agency has: a lead paragraph and a body of blocks."""

    intro = RichTextField("indledning", features=RICH_TEXT_FEATURES, blank=True)
    body = StreamField(BodyBlock(), verbose_name="indhold", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    template = "pages/content_page.html"
    base_form_class = ContentPageForm
    parent_page_types = ["wagtailcore.Page"]
    is_creatable = False

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        from plov.pages.context_processors import page_languages

        return {**super().get_context(request, *args, **kwargs), **page_languages(request, self)}


class GuidancePage(ContentPage):
    """Guidance for citizens (Sådan vælger du plejehjem, Om helhedspleje, Frit valg)."""

    is_creatable = True
    template = ContentPage.template

    class Meta:
        verbose_name = "vejledning til borgere"
        verbose_name_plural = "vejledninger til borgere"


class EditorGuidancePage(ContentPage):
    """Guidance for editors and contract managers; the back office may link to it."""

    is_creatable = True
    template = ContentPage.template

    class Meta:
        verbose_name = "vejledning til redaktører"
        verbose_name_plural = "vejledninger til redaktører"


class AboutPage(ContentPage):
    """Om Plejeoverblikket, linked from every public footer."""

    is_creatable = True
    template = ContentPage.template
    max_count = 1

    class Meta:
        verbose_name = "om Plejeoverblikket"
        verbose_name_plural = "om Plejeoverblikket"


class AccessibilityStatementPage(ContentPage):
    """The tilgængelighedserklæring, linked from every footer unless
    PLOV_ACCESSIBILITY_STATEMENT_URL names the statement in WAS-Tool."""

    is_creatable = True
    template = ContentPage.template
    max_count = 1

    class Meta:
        verbose_name = "tilgængelighedserklæring"
        verbose_name_plural = "tilgængelighedserklæringer"


class VisitChecklistPage(ContentPage):
    """Spørgsmål til besøget: the questions to ask on a visit to a care home or a home-care
    provider, printable, offered on every unit page and in compare."""

    is_creatable = True
    max_count = 2  # Danish and English
    body = StreamField(ChecklistBodyBlock(), verbose_name="indhold", blank=True)
    template = "pages/checklist_page.html"

    class Meta:
        verbose_name = "spørgsmål til besøget"
        verbose_name_plural = "spørgsmål til besøget"


class StatusLevel(models.TextChoices):
    INFO = "info", "Information"
    WARNING = "warning", "Advarsel"
    OUTAGE = "outage", "Driftsforstyrrelse"


class DriftsinfoPage(ContentPage):
    """Driftsinfo: the operations status (shown as a banner on every public page while it is in
    force, once this page is published), then status, timeline, webinars and links."""

    is_creatable = True
    template = ContentPage.template
    max_count = 1

    status_level = models.CharField(
        "niveau",
        max_length=10,
        choices=StatusLevel.choices,
        blank=True,
        help_text="Tomt: ingen kendte driftsproblemer, intet banner.",
    )
    status_text = models.CharField("driftsbesked", max_length=300, blank=True)
    status_from = models.DateTimeField("vises fra", null=True, blank=True)
    status_to = models.DateTimeField("vises til", null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("status_level"), FieldPanel("status_text")]),
                FieldRowPanel([FieldPanel("status_from"), FieldPanel("status_to")]),
            ],
            heading="Driftsstatus (banner på alle offentlige sider)",
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    template = "pages/driftsinfo_page.html"

    class Meta:
        verbose_name = "driftsinfo"
        verbose_name_plural = "driftsinfo"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.status_level and not self.status_text.strip():
            errors["status_text"] = "Skriv driftsbeskeden, når et niveau er valgt."
        if self.status_text.strip() and not self.status_level:
            errors["status_level"] = "Vælg et niveau for driftsbeskeden."
        if self.status_from and self.status_to and self.status_to <= self.status_from:
            errors["status_to"] = "Sluttidspunktet skal ligge efter starttidspunktet."
        if errors:
            raise ValidationError(errors)

    def status_in_force(self, now=None) -> bool:
        now = now or timezone.now()
        return bool(
            self.status_level
            and (self.status_from is None or self.status_from <= now)
            and (self.status_to is None or now < self.status_to)
        )
