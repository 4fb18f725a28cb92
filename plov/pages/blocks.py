"""The blocks the agency's pages are written in: headings, text, a timeline, webinars, links."""

from wagtail import blocks

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Linktekst", max_length=200)
    url = blocks.URLBlock(label="Adresse")

    class Meta:
        label = "Link"
        icon = "link"


class TimelineRowBlock(blocks.StructBlock):
    task = blocks.CharBlock(label="Opgave", max_length=300)
    performer = blocks.CharBlock(label="Udførende", max_length=200)
    period = blocks.CharBlock(label="Tidsrum/milepæl", max_length=200)

    class Meta:
        label = "Opgave"


class TimelineBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label="Overskrift", max_length=200, required=False)
    rows = blocks.ListBlock(TimelineRowBlock(), label="Opgaver")

    class Meta:
        label = "Tidsplan"
        icon = "table"
        template = "pages/blocks/timeline.html"


class WebinarBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Titel", max_length=200)
    audience = blocks.CharBlock(label="Målgruppe", max_length=200, required=False)
    when = blocks.CharBlock(
        label="Tidspunkt", max_length=200, help_text="fx 12. november 2025, kl. 12:30-14:30"
    )
    link = LinkBlock(label="Tilmelding eller præsentation", required=False)

    class Meta:
        label = "Webinar"
        icon = "date"
        template = "pages/blocks/webinar.html"


class LinkListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="Overskrift", max_length=200, required=False)
    links = blocks.ListBlock(LinkBlock(), label="Links")

    class Meta:
        label = "Links"
        icon = "list-ul"
        template = "pages/blocks/links.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label="Overskrift", max_length=200, template="pages/blocks/heading.html", icon="title"
    )
    paragraph = blocks.RichTextBlock(label="Tekst", features=RICH_TEXT_FEATURES)
    timeline = TimelineBlock()
    webinar = WebinarBlock()
    links = LinkListBlock()


class ChecklistBlock(blocks.StructBlock):
    """A group of questions on the printable "Spørgsmål til besøget" list."""

    heading = blocks.CharBlock(label="Overskrift", max_length=200)
    questions = blocks.ListBlock(
        blocks.CharBlock(label="Spørgsmål", max_length=300), label="Spørgsmål"
    )

    class Meta:
        label = "Spørgsmål"
        icon = "tasks"
        template = "pages/blocks/checklist.html"


class ChecklistBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label="Tekst", features=RICH_TEXT_FEATURES)
    checklist = ChecklistBlock()
