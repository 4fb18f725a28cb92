"""What the back office's own pages share (agreements, supervision lists, data quality): the
breadcrumb to the dashboard and a view that refuses by its user's scope."""

from __future__ import annotations

from django.urls import reverse_lazy
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from plov import clock
from plov.accounts.http import forbidden, refuses_forbidden
from plov.accounts.scope import Scope

HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": "Forside"}


class ScopedView(WagtailAdminTemplateMixin, View):
    """A back-office page that answers 403 itself when scope refuses: Wagtail's admin would
    turn a PermissionDenied into a redirect to the dashboard. `refusal`: the 403 page's
    message (empty: the default one)."""

    refusal = ""

    def allowed(self) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.scope = Scope.for_user(request.user)
        self.today = clock.today()
        if not self.allowed():
            return forbidden(request, self.refusal)
        return refuses_forbidden(super().dispatch)(request, *args, **kwargs)
