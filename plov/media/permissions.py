"""Wagtail's image and document libraries never change a unit's media behind the unit's back.

A unit's images and documents live in its media folder (`UnitMediaFolder`). In the libraries
(/admin/images/, /admin/documents/), for anything in a unit's folder:

- deleting is refused to everyone, the agency too: removing goes through the unit's media page,
  which needs the unit's lock and keeps the removal restorable for 30 days;
- changing a unit's *image* (its focal point, title, alternative text) is allowed only to whoever
  holds the unit's lock (and has Wagtail's own permission); the library's form cannot replace the
  file or move it out of the folder (`plov.media.forms.LibraryImageForm`);
- changing a unit's *document* is refused: its name and type are edited on the unit's page.

Everything else is Wagtail's own collection-ownership policy.
"""

from __future__ import annotations

from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy


def unit_of_collection(collection_id):
    from plov.media.models import UnitMediaFolder

    folder = (
        UnitMediaFolder.objects.select_related("unit").filter(collection_id=collection_id).first()
    )
    return folder.unit if folder else None


def holds_unit_lock(user, unit) -> bool:
    from plov.backoffice.locking import content_of, holds_lock

    return holds_lock(content_of(unit), user)


class UnitMediaPolicy(CollectionOwnershipPermissionPolicy):
    allow_change = False  # images: True (with the unit's lock)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        unit = unit_of_collection(getattr(instance, "collection_id", None))
        if unit is not None:
            actions = [a for a in actions if a != "delete"]
            if "change" in actions and not (self.allow_change and holds_unit_lock(user, unit)):
                actions = [a for a in actions if a != "change"]
            if not actions:
                return False
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)


class UnitImagePolicy(UnitMediaPolicy):
    allow_change = True


def register() -> None:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import register_permission_policy

    image, document = get_image_model(), get_document_model()
    # exact_class: Wagtail's own apps register theirs after ours (INSTALLED_APPS order).
    register_permission_policy(
        image,
        UnitImagePolicy(
            image, auth_model="wagtailimages.Image", owner_field_name="uploaded_by_user"
        ),
        exact_class=True,
    )
    register_permission_policy(
        document,
        UnitMediaPolicy(
            document, auth_model="wagtaildocs.Document", owner_field_name="uploaded_by_user"
        ),
        exact_class=True,
    )
