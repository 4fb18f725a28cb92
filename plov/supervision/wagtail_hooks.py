"""The agency maintains the transition list in the back office. Only users with the model's
permissions (the Sundhedsdatastyrelsen group) see it; the list is not organisation-scoped."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from plov.supervision.models import TransitionProvider


class TransitionProviderViewSet(SnippetViewSet):
    model = TransitionProvider
    icon = "list-ul"
    menu_label = "Overgangsordningen"
    list_display = ["name", "cvr_number", "added_on", "valid_until", "removed_on"]
    search_fields = ["name", "cvr_number"]
    add_to_admin_menu = True


register_snippet(TransitionProviderViewSet)
