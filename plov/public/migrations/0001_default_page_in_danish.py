"""Wagtail's first migration makes a page "Welcome to your new Wagtail site!" under the root.
plov's public pages are Django views, not Wagtail pages, but the agency sees that page under
*Sider* and counted on the start page: give it the site's name."""

from django.db import migrations

DEFAULT_TITLE = "Welcome to your new Wagtail site!"


def rename(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=2, title=DEFAULT_TITLE).update(
        title="Plejeoverblikket", draft_title="Plejeoverblikket"
    )


class Migration(migrations.Migration):
    dependencies = [("wagtailcore", "0002_initial_data")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
