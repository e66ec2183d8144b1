"""Every existing call becomes stages, and what hung on the call hangs on a stage (reversible).

Forward, per call:
- a submission stage ``application`` with the call's form and window (``opens_at``/``closes_at``);
- a review stage ``review`` with ``reviews_per_application``, when the call reviews at all (a
  positive count, criteria, a panel, assignments, or applications under review or past it);
- its ``extra_stages`` after that: ``letter_of_intent`` (a review-kind stage without reviews: it
  was a status staff moved applications through) and ``interview`` (an interview stage);
- the criteria and review assignments move to the review stage, each review's JSON scores become
  one CriterionScore per criterion, the reviewer panel becomes external-reviewer roles on the
  review stage, and each application's answers become its submission to the first stage;
- each application gets its stage: drafts to ineligible ones the first stage; under review the
  review stage; "letter of intent" and "interview" that stage (now "under review" there);
  shortlisted, decided and declined ones the last stage (calls without a decision stage decide
  there); withdrawn ones the review stage when they had reviewers, else the first. A course's
  wait list ("shortlisted" in a participant intake) becomes "wait-listed".

Backward does the opposite for calls shaped as before (one submission stage first; review,
letter-of-intent and interview stages after it); a call with a second submission stage or a
committee stage cannot be expressed in the old columns and stops the reverse (RuntimeError).
"""

from django.db import migrations

EXTRA = ("letter_of_intent", "interview")


def _stage(CallStage, call, order, key, name, kind, **extra):
    return CallStage.objects.create(call_id=call.pk, order=order, key=key, name=name, kind=kind, **extra)


def _reviews_at_all(apps, call):
    Application = apps.get_model("calls", "Application")
    ReviewAssignment = apps.get_model("calls", "ReviewAssignment")
    RubricCriterion = apps.get_model("calls", "RubricCriterion")
    past_review = ("under_review", "letter_of_intent", "interview")
    return (
        call.reviews_per_application > 0
        or bool(call.extra_stages)
        or RubricCriterion.objects.filter(call_id=call.pk).exists()
        or call.reviewers.exists()
        or ReviewAssignment.objects.filter(application__call_id=call.pk).exists()
        or Application.objects.filter(call_id=call.pk, status__in=past_review).exists()
    )


def _application_stage(application, stages, first, review, last, reviewed):
    status = application.status
    if status in ("draft", "submitted", "eligible", "ineligible"):
        return first, status
    if status in EXTRA:
        return stages[status], "under_review"
    if status == "under_review":
        return review, status
    if status == "withdrawn":
        return (review if reviewed and review is not None else first), status
    if status == "shortlisted" and application.call.kind == "participant":
        return last, "waitlisted"
    return last, status


def forward(apps, schema_editor):
    Call = apps.get_model("calls", "Call")
    CallStage = apps.get_model("calls", "CallStage")
    CallRole = apps.get_model("calls", "CallRole")
    Application = apps.get_model("calls", "Application")
    ApplicationSubmission = apps.get_model("calls", "ApplicationSubmission")
    RubricCriterion = apps.get_model("calls", "RubricCriterion")
    ReviewAssignment = apps.get_model("calls", "ReviewAssignment")
    Review = apps.get_model("calls", "Review")
    CriterionScore = apps.get_model("calls", "CriterionScore")

    for call in Call.objects.order_by("pk"):
        first = _stage(
            CallStage,
            call,
            0,
            "application",
            "Application",
            "submission",
            form_id=call.form_id,
            opens_at=call.opens_at,
            closes_at=call.closes_at,
        )
        stages = {"application": first}
        review = None
        if _reviews_at_all(apps, call):
            review = _stage(
                CallStage, call, 1, "review", "Review", "review", reviews_per_application=call.reviews_per_application
            )
            stages["review"] = review
            for order, key in enumerate([key for key in EXTRA if key in (call.extra_stages or [])], start=2):
                if key == "letter_of_intent":
                    stages[key] = _stage(CallStage, call, order, key, "Letter of intent", "review")
                else:
                    stages[key] = _stage(CallStage, call, order, key, "Interview", "interview")
        last = max(stages.values(), key=lambda stage: stage.order)

        RubricCriterion.objects.filter(call_id=call.pk).update(stage_id=review.pk)
        ReviewAssignment.objects.filter(application__call_id=call.pk).update(stage_id=review.pk)
        for person_id in call.reviewers.values_list("pk", flat=True):
            CallRole.objects.create(person_id=person_id, call_id=call.pk, stage_id=review.pk, role="external_reviewer")

        reviewed = set(
            ReviewAssignment.objects.filter(application__call_id=call.pk).values_list("application_id", flat=True)
        )
        for application in Application.objects.filter(call_id=call.pk).select_related("call", "response_set"):
            stage, status = _application_stage(application, stages, first, review, last, application.pk in reviewed)
            application.current_stage = stage
            application.status = status
            application.save(update_fields=["current_stage", "status"])
            if application.response_set_id is not None:
                ApplicationSubmission.objects.create(
                    application=application,
                    stage=first,
                    response_set_id=application.response_set_id,
                    submitted_at=application.response_set.submitted_at
                    or (application.submitted_at if application.status != "draft" else None),
                )

    criteria = set(RubricCriterion.objects.values_list("pk", flat=True))
    for review in Review.objects.exclude(scores={}).order_by("pk"):
        for key, score in (review.scores or {}).items():
            if str(key).isdigit() and int(key) in criteria and score is not None:
                CriterionScore.objects.create(review=review, criterion_id=int(key), score=int(score))


def _old_extra_stages(stages):
    """The former ``extra_stages`` list of a call's stages, or RuntimeError when they do not fit."""
    if not stages or stages[0].kind != "submission":
        raise RuntimeError("A call does not start with a submission stage; it cannot go back to one form.")
    extra = []
    for stage in stages[1:]:
        if stage.kind == "submission":
            raise RuntimeError(
                f"The call {stage.call_id} has more than one submission stage; the old columns hold one form."
            )
        if stage.kind == "committee":
            raise RuntimeError(f"The call {stage.call_id} has a committee stage; the old columns cannot hold it.")
        if stage.kind == "interview":
            extra.append("interview")
        elif stage.kind == "review" and stage.key == "letter_of_intent":
            extra.append("letter_of_intent")
    return [key for key in EXTRA if key in extra]


def backward(apps, schema_editor):
    Call = apps.get_model("calls", "Call")
    CallStage = apps.get_model("calls", "CallStage")
    CallRole = apps.get_model("calls", "CallRole")
    Application = apps.get_model("calls", "Application")
    ApplicationSubmission = apps.get_model("calls", "ApplicationSubmission")
    RubricCriterion = apps.get_model("calls", "RubricCriterion")
    Review = apps.get_model("calls", "Review")
    CriterionScore = apps.get_model("calls", "CriterionScore")
    ConflictDeclaration = apps.get_model("calls", "ConflictDeclaration")

    for call in Call.objects.order_by("pk"):
        stages = list(CallStage.objects.filter(call_id=call.pk).order_by("order", "pk"))
        call.extra_stages = _old_extra_stages(stages)
        first = stages[0]
        review = next((stage for stage in stages if stage.kind == "review"), None)
        call.form_id = first.form_id
        call.opens_at = first.opens_at or call.created_at
        call.closes_at = first.closes_at or call.created_at
        call.reviews_per_application = review.reviews_per_application if review is not None else 0
        call.save(update_fields=["extra_stages", "form", "opens_at", "closes_at", "reviews_per_application"])
        reviewer_roles = CallRole.objects.filter(
            call_id=call.pk, role__in=["external_reviewer", "staff_reviewer"]
        ).values_list("person_id", flat=True)
        Through = Call.reviewers.through  # by ids: the reverse's model classes may be re-rendered
        Through.objects.filter(call_id=call.pk).delete()
        Through.objects.bulk_create([Through(call_id=call.pk, person_id=pk) for pk in sorted(set(reviewer_roles))])
        RubricCriterion.objects.filter(stage__call_id=call.pk).update(call_id=call.pk)

    for application in Application.objects.select_related("current_stage", "call"):
        stage = application.current_stage
        status = application.status
        if stage is not None and status == "under_review" and stage.key == "letter_of_intent":
            status = "letter_of_intent"
        elif stage is not None and status == "under_review" and stage.kind == "interview":
            status = "interview"
        elif status == "waitlisted":
            status = "shortlisted"
        submission = (
            ApplicationSubmission.objects.filter(application=application, stage__order=0).order_by("pk").first()
        )
        application.status = status
        application.response_set_id = submission.response_set_id if submission is not None else None
        application.save(update_fields=["status", "response_set"])

    for review in Review.objects.order_by("pk"):
        scores = {
            str(criterion_id): score
            for criterion_id, score in CriterionScore.objects.filter(review_id=review.pk).values_list(
                "criterion_id", "score"
            )
        }
        if scores:
            review.scores = scores
            review.save(update_fields=["scores"])

    for declaration in ConflictDeclaration.objects.filter(call__isnull=True).select_related("application"):
        declaration.call_id = declaration.application.call_id
        declaration.save(update_fields=["call"])

    CriterionScore.objects.all().delete()
    ApplicationSubmission.objects.all().delete()
    CallRole.objects.all().delete()
    Application.objects.update(current_stage=None)
    RubricCriterion.objects.update(stage=None)
    apps.get_model("calls", "ReviewAssignment").objects.update(stage=None)
    # Nothing points at a stage any more; plain SQL, because the deletion collector compares the
    # reverse's re-rendered model classes ("Must be CallStage instance").
    schema_editor.execute(f"DELETE FROM {schema_editor.quote_name(CallStage._meta.db_table)}")


class Migration(migrations.Migration):
    dependencies = [("calls", "0004_stages_panels_submissions_scores")]

    operations = [migrations.RunPython(forward, backward)]
