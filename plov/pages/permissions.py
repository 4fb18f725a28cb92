"""Who edits the agency's pages: the agency's group (Sundhedsdatastyrelsen), on the site's root
page and everything under it, in both languages (the root page's English copy too), and may
translate a page ("Oversæt"). Editors, contract managers and supervisors get nothing (Wagtail
shows them no page explorer at all). The agency also approves pages submitted to Wagtail's
default moderation workflow."""

from __future__ import annotations

AGENCY_GROUP = "Sundhedsdatastyrelsen"
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")


def grant_agency_page_permissions(sender=None, **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    from plov.pages.i18n import ensure_locales, site_roots

    ensure_locales()
    roots = site_roots()
    if not roots:
        return
    permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
    )
    group, _ = Group.objects.get_or_create(name=AGENCY_GROUP)
    for root in roots:  # the Danish root page and its English copy
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    # "Oversæt" (wagtail.contrib.simple_translation): the agency makes the English pages.
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="simple_translation", codename="submit_translation"
        )
    )
    # Wagtail's default workflow ("Moderators approval"): a page submitted for moderation is
    # approved by a colleague in the agency (as well as by Wagtail's own Moderators group).
    from wagtail.models import GroupApprovalTask

    for task in GroupApprovalTask.objects.filter(name="Moderators approval"):
        task.groups.add(group)
