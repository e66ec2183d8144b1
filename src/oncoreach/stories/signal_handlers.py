"""Notifications for moderation done in the Wagtail admin, and guests kept out of Wagtail's mail;
and Wagtail's reference index brought up to date when a page is published (pictures, below).

STYLE.md §3 keeps signals out of domain flow. These handlers are the allowed exception: they only
*notify*, and only for actions editors take in the Wagtail admin (approve, request changes,
publish), where our services are not in the call path. ``stories.services`` calls the same
``notify_*`` functions; the outbox's unique (event, recipient) key makes each mail go once.

Guest authors (users who cannot open the Wagtail admin) must get our own e-mails, in their own
language, not Wagtail's admin notifications with links they cannot follow (ARCHITECTURE.md §7).
Wagtail sends those from four receivers connected with fixed ``dispatch_uid``s; ``install()``
replaces them with subclasses that stay silent for workflows a guest started (our outbox e-mails
the editors and the author instead) and never write to a recipient without admin access.
Workflows started by editors in the admin keep Wagtail's notifications unchanged.
"""

from __future__ import annotations

from typing import Any

from wagtail.admin import mail as wagtail_mail
from wagtail.models import Page, TaskState, WorkflowState
from wagtail.signals import page_published, task_submitted, workflow_approved, workflow_rejected, workflow_submitted


def can_use_admin(user: Any) -> bool:
    return bool(user is not None and user.is_active and user.has_perm("wagtailadmin.access_admin"))


def started_by_guest(workflow_state: WorkflowState) -> bool:
    requester = workflow_state.requested_by
    return requester is not None and not can_use_admin(requester)


class _AdminUsersOnly:
    """Mixin for Wagtail's notifiers: nothing for guest-started workflows, only admin users otherwise."""

    def get_valid_recipients(self, instance: Any, **kwargs: Any) -> set[Any]:
        workflow_state = instance if isinstance(instance, WorkflowState) else instance.workflow_state
        if started_by_guest(workflow_state):
            return set()
        recipients = super().get_valid_recipients(instance, **kwargs)  # type: ignore[misc]
        return {user for user in recipients if can_use_admin(user)}


class TaskSubmittedNotifier(_AdminUsersOnly, wagtail_mail.GroupApprovalTaskStateSubmissionEmailNotifier):  # type: ignore[misc]
    pass


class WorkflowSubmittedNotifier(_AdminUsersOnly, wagtail_mail.WorkflowStateSubmissionEmailNotifier):  # type: ignore[misc]
    pass


class WorkflowApprovedNotifier(_AdminUsersOnly, wagtail_mail.WorkflowStateApprovalEmailNotifier):  # type: ignore[misc]
    pass


class WorkflowRejectedNotifier(_AdminUsersOnly, wagtail_mail.WorkflowStateRejectionEmailNotifier):  # type: ignore[misc]
    pass


# The dispatch_uids are the ones wagtail.admin.signal_handlers uses.
_WAGTAIL_NOTIFIERS = [
    (task_submitted, TaskState, "group_approval_task_submitted_email_notification", TaskSubmittedNotifier()),
    (workflow_submitted, WorkflowState, "workflow_state_submitted_email_notification", WorkflowSubmittedNotifier()),
    (workflow_approved, WorkflowState, "workflow_state_approved_email_notification", WorkflowApprovedNotifier()),
    (workflow_rejected, WorkflowState, "workflow_state_rejected_email_notification", WorkflowRejectedNotifier()),
]


def notify_on_publish(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A story went live (approved in a workflow, or published directly by an editor)."""
    from oncoreach.stories.models import StoryPage
    from oncoreach.stories.services import notify_author_published

    page = instance.specific if isinstance(instance, Page) else instance
    if isinstance(page, StoryPage):
        notify_author_published(page=page)


def index_references_on_publish(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Record what the page now shows in Wagtail's reference index at once.

    Wagtail refreshes the index in a background task after every save; the picture view
    (``stories.views.story_image``) decides from it which pictures are public, so a published
    story's pictures must not wait for the worker (nor stay private if it is down).
    """
    from wagtail.models import ReferenceIndex

    page = instance.specific if isinstance(instance, Page) else instance
    ReferenceIndex.create_or_update_for_object(page)


def notify_on_rejection(sender: Any, instance: WorkflowState, user: Any = None, **kwargs: Any) -> None:
    """An editor asked for changes: the author gets the comment by our e-mail."""
    from oncoreach.stories.services import notify_author_changes_requested

    if instance.current_task_state_id is not None:
        notify_author_changes_requested(task_state=TaskState.objects.get(pk=instance.current_task_state_id))


def install() -> None:
    """Connect our handlers; called from ``StoriesConfig.ready``.

    Works in either app order: if Wagtail's receivers are already connected they are replaced;
    if not, ours take their ``dispatch_uid`` first and Wagtail's later ``connect`` is a no-op.
    """
    for signal, sender, uid, notifier in _WAGTAIL_NOTIFIERS:
        signal.disconnect(sender=sender, dispatch_uid=uid)
        signal.connect(notifier, sender=sender, dispatch_uid=uid, weak=False)
    page_published.connect(notify_on_publish, dispatch_uid="stories-notify-author-on-publish")
    page_published.connect(index_references_on_publish, dispatch_uid="stories-index-references-on-publish")
    workflow_rejected.connect(notify_on_rejection, sender=WorkflowState, dispatch_uid="stories-notify-author-on-reject")
