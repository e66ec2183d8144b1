"""PDFs for reviewers: one application as its reviewer may read it, and one packet of all the
applications assigned to a reviewer in a stage, each followed by its uploaded PDFs (the ones the
reviewers' audience may open). The heading lists the rubric the application is scored on (its
variant's criteria, ``calls.rubric_variants``). A blind stage hides the applicant's identity: the heading names the
application by number, and uploaded files are listed without their names.

An application's PDF takes about 0.65 s on the shared development machine (10 in 6.5 s), so a
packet of more than ``PACKET_IN_REQUEST`` applications is built in the worker (a background run
with progress, ``run_review_packet``) and stored under a random name for its reviewer to download;
a smaller one is built in the request. Either way at most ``PACKET_MAX_APPLICATIONS``. A stored
packet is served only while the reviewer's assignments in its stage are the ones it was built from
(``stored_packet``), and is deleted after ``REVIEW_PACKET_KEEP_DAYS`` (``prune_review_packets``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from oncoreach.calls.enums import StageKind
from oncoreach.calls.models import ReviewAssignment
from oncoreach.calls.selectors import criteria_for_application
from oncoreach.core.files import random_upload_name
from oncoreach.programs.enums import Audience
from oncoreach.programs.forms_engine import render_response_pdf
from oncoreach.programs.selectors import file_kind, files_for_audience

#: The most applications one packet holds.
PACKET_MAX_APPLICATIONS = 200
#: Up to this many applications the packet is built in the request (about two seconds).
PACKET_IN_REQUEST = 3


def reviewer_audience(assignment: ReviewAssignment) -> str:
    """Committee members read what the committee may; everyone else reviewing, the reviewers'."""
    return Audience.COMMITTEE if assignment.stage.kind == StageKind.COMMITTEE else Audience.REVIEWER


def _heading(assignment: ReviewAssignment) -> dict[str, Any]:
    application = assignment.application
    blind = assignment.stage.blind
    title = _("Application #%(number)s") % {"number": application.pk} if blind else str(application.applicant.full_name)
    details = [(_("Call"), application.call.title), (_("Stage"), assignment.stage.name)]
    if blind:
        details.append((_("Blind review"), _("The applicant’s identity is hidden.")))
    criteria = criteria_for_application(stage=assignment.stage_id, application=application)
    if criteria:  # the criteria of the application's rubric variant, as its reviewer scores them
        rubric = [
            _("%(name)s (0 to %(max)s, weight %(weight)s)")
            % {"name": c.name, "max": c.scale_max, "weight": f"{c.weight.normalize():f}"}
            for c in criteria
        ]
        details.append((_("Rubric"), "; ".join(rubric)))
    return {"title": title, "details": details}


def application_pdf(*, assignment: ReviewAssignment) -> bytes:
    """The assigned application as its reviewer may read it (blind-aware)."""
    response_set = assignment.application.response_set
    if response_set is None:
        raise ValidationError(_("This application has no answers yet."), code="no_answers")
    return render_response_pdf(
        response_set=response_set,
        audience=reviewer_audience(assignment),
        heading_context=_heading(assignment),
        hide_file_names=assignment.stage.blind,
    )


def reviewer_packet(*, assignments: Sequence[ReviewAssignment], progress: Any = None) -> bytes:
    """One PDF: each application (``application_pdf``), then its uploaded PDFs, in order.
    Refused (ValidationError) past PACKET_MAX_APPLICATIONS or with nothing to put in it."""
    from pypdf import PdfWriter
    from pypdf.errors import PyPdfError

    if not assignments:
        raise ValidationError(_("You have no accepted applications to read in this stage."), code="empty")
    if len(assignments) > PACKET_MAX_APPLICATIONS:
        raise ValidationError(
            _("This stage has more than %(count)s applications for you; open them one at a time.")
            % {"count": PACKET_MAX_APPLICATIONS},
            code="too_many",
        )
    writer = PdfWriter()
    for done, assignment in enumerate(assignments):
        if progress is not None:
            progress(done, len(assignments))
        response_set = assignment.application.response_set
        if response_set is None:
            continue
        writer.append(io.BytesIO(application_pdf(assignment=assignment)))
        for answer in files_for_audience(response_set=response_set, audience=reviewer_audience(assignment)):
            if file_kind(answer) != "pdf":
                continue
            try:
                with answer.file.open("rb") as handle:
                    writer.append(io.BytesIO(handle.read()), import_outline=False)
            except (OSError, PyPdfError):
                continue  # a damaged upload: the application's page lists it; the packet goes on
    writer.add_metadata({"/Title": _("Applications to review")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def run_review_packet(*, run: Any) -> dict[str, Any]:
    """The worker's side (registered in ``CallsConfig.ready``): build the packet of the reviewer
    who started the run (their assignments read again now, so a conflict declared meanwhile
    counts), store it under a random name, and say where."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from oncoreach.calls.selectors import assignments_for_packet
    from oncoreach.core.runs import report_progress

    stage, assignments = assignments_for_packet(
        user=run.started_by, slug=run.params["call"], stage_key=run.params["stage"]
    )

    def progress(done: int, total: int) -> None:
        message = _("%(done)s of %(total)s applications") % {"done": done, "total": total}
        report_progress(run=run, progress=int(95 * done / max(total, 1)), message=message)

    body = reviewer_packet(assignments=assignments, progress=progress)
    name = default_storage.save(random_upload_name("calls/packets", "packet.pdf"), ContentFile(body))
    return {
        "file": name,
        "count": len(assignments),
        "assignments": sorted(assignment.pk for assignment in assignments),
        "download_name": f"review-packet-{stage.call.slug}-{stage.key}.pdf",
    }


def stored_packet(*, run: Any) -> str | None:
    """The stored file of a finished packet run while it still holds exactly the applications its
    reviewer may read in that stage now; None once they changed (an assignment withdrawn, declined
    for a conflict or added), so a stale packet is never served, or once the file is gone."""
    from django.core.files.storage import default_storage
    from django.http import Http404

    from oncoreach.calls.selectors import assignments_for_packet

    name = run.result.get("file")
    if not name or "assignments" not in run.result:
        return None
    try:
        _stage, assignments = assignments_for_packet(
            user=run.started_by, slug=run.params["call"], stage_key=run.params["stage"]
        )
    except Http404:
        return None  # nothing left to read there
    if sorted(assignment.pk for assignment in assignments) != run.result["assignments"]:
        return None
    return str(name) if default_storage.exists(name) else None
