"""Cache invalidation only: publishing anything public bumps the public-page generation."""

from wagtail.signals import page_published, page_unpublished

from oncoreach.core.cache import bump_public_generation


def _bump(**_kwargs: object) -> None:
    bump_public_generation()


page_published.connect(_bump, dispatch_uid="core-bump-on-publish")
page_unpublished.connect(_bump, dispatch_uid="core-bump-on-unpublish")
