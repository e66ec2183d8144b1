"""Participants, staff intake, hosts and the public certificate check.

Each view: fetch-or-deny (selectors_participants) → one service → render or redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.calls.forms import application_form, valid_uploads
from oncoreach.core.cache import mark_public
from oncoreach.people.selectors import person_for_user
from oncoreach.programs.forms_engine import DynamicForm, answers_for_display, answers_initial, build_form, raw_answers
from oncoreach.workshops import documents, selectors, services
from oncoreach.workshops import selectors_participants as reads
from oncoreach.workshops.enums import OFFER_STATUSES, RegistrationStatus
from oncoreach.workshops.forms import CancelRegistrationForm, HostApprovalForm
from oncoreach.workshops.models import Registration
from oncoreach.workshops.permissions import can_answer_registration, can_cancel_registration

R = RegistrationStatus


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- Participant -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def register(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """GET explains the intake and shows the button; POST starts the registration."""
    course = selectors.get_public_course_or_404(slug=slug, user=request.user)
    person = person_for_user(user=request.user)
    if person is None:
        raise PermissionDenied
    if request.method == "GET":
        context = {
            "nav_section": "workshops",
            "course": course,
            "registration": reads.registration_for(user=request.user, course=course),
            "is_open": course.intake_call is not None and course.intake_call.is_open(),
        }
        return render(request, "workshops/register.html", context)
    try:
        registration = services.register(course=course, person=person, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("workshops:register", slug=course.slug)
    return redirect("workshops:registration-form", pk=registration.pk)


def _answers_form(registration: Registration, request: HttpRequest | None = None, *, complete: bool = False) -> Any:
    application = registration.application
    assert application is not None
    return application_form(application, request, complete=complete)


@login_required
@require_http_methods(["GET", "POST"])
def registration_form(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The course's questions: "Save draft" keeps everything typed; "Submit" checks it all first."""
    registration = reads.get_registration_of_participant(user=request.user, pk=pk)
    if not can_answer_registration(registration):
        return redirect(registration.get_absolute_url())
    problems: list[str] = []
    if request.method == "POST":
        submitting = request.POST.get("action") == "submit"
        form = _answers_form(registration, request, complete=submitting)
        valid = form.is_valid()
        services.save_registration_answers(
            registration=registration,
            values=raw_answers(form=form),
            files=valid_uploads(request, form),
            actor=request.user,
        )
        if submitting and valid:
            try:
                services.submit_registration(registration=registration, actor=request.user)
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(request, _("Your registration is sent. We will tell you by e-mail."))
                return redirect(registration.get_absolute_url())
        elif not submitting and valid:
            messages.success(request, _("Your draft is saved."))
            return redirect("workshops:registration-form", pk=registration.pk)
    else:
        form = _answers_form(registration)
    context = {
        "nav_section": "dashboard",
        "registration": registration,
        "course": registration.course,
        "call": registration.course.intake_call,
        "form": form,
        "problems": problems,
    }
    return render(request, "workshops/registration_form.html", context, status=400 if problems else 200)


@login_required
@require_POST
def registration_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The participant cannot come after all (a place they held goes to the wait list)."""
    registration = reads.get_registration_of_participant(user=request.user, pk=pk)
    form = CancelRegistrationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(ValidationError(list(form.errors.get("confirm", [])))))
        return redirect(registration.get_absolute_url())
    try:
        services.cancel_registration(registration=registration, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(registration.get_absolute_url())


def _survey_form(registration: Registration, field: str, request: HttpRequest | None = None) -> DynamicForm:
    form_definition = (
        registration.course.follow_up_form if field == "follow_up" else registration.course.evaluation_form
    )
    if form_definition is None:
        form_definition = (
            services.default_follow_up_form() if field == "follow_up" else services.default_evaluation_form()
        )
    initial, _files = answers_initial(response_set=getattr(registration, field))
    data = request.POST if request is not None else None
    return build_form(form_definition, data=data, initial=initial, complete=field == "evaluation")


def _detail_context(registration: Registration, user: Any) -> dict[str, object]:
    evaluation_done = registration.evaluation is not None and registration.evaluation.submitted_at is not None
    is_participant = registration.person.user_id == user.pk
    return {
        "nav_section": "dashboard",
        "registration": registration,
        "can_answer": is_participant and can_answer_registration(registration),
        "cancel_form": CancelRegistrationForm() if is_participant and can_cancel_registration(registration) else None,
        "course": registration.course,
        "has_offer": registration.status in OFFER_STATUSES,
        "follow_up_form": _survey_form(registration, "follow_up") if registration.status in OFFER_STATUSES else None,
        "evaluation_form": _survey_form(registration, "evaluation")
        if registration.status == R.ATTENDED and not evaluation_done
        else None,
        "evaluation_done": evaluation_done,
        "evaluation_answers": answers_for_display(response_set=registration.evaluation) if evaluation_done else [],
    }


@login_required
def my_courses(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The participant's registrations, the courses a volunteer teaches (with their travel) and,
    for host contacts, the courses they host."""
    context = {
        "nav_section": "dashboard",
        "registrations": list(reads.registrations_for_person(user=request.user)),
        "teaching": selectors.teaching_for_user(user=request.user),
        "hosted": list(reads.courses_hosted_by(user=request.user)),
    }
    return render(request, "workshops/my_courses.html", context)


@login_required
def registration_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = reads.get_own_registration(user=request.user, pk=pk)
    return render(request, "workshops/registration_detail.html", _detail_context(registration, request.user))


@login_required
@require_POST
def registration_follow_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = reads.get_own_registration(user=request.user, pk=pk)
    if registration.status not in OFFER_STATUSES:
        messages.error(request, _("The follow-up form opens once your place is confirmed."))
        return redirect(registration.get_absolute_url())
    form = _survey_form(registration, "follow_up", request)
    if form.is_valid():
        services.save_follow_up(registration=registration, values=raw_answers(form=form), actor=request.user)
        messages.success(request, _("Thank you, your travel and dietary details are saved."))
        return redirect(registration.get_absolute_url())
    context = _detail_context(registration, request.user) | {"follow_up_form": form}
    return render(request, "workshops/registration_detail.html", context, status=400)


@login_required
@require_POST
def registration_evaluation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = reads.get_own_registration(user=request.user, pk=pk)
    form = _survey_form(registration, "evaluation", request)
    if form.is_valid():
        try:
            services.submit_evaluation(registration=registration, values=raw_answers(form=form), actor=request.user)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Thank you for your evaluation."))
        return redirect(registration.get_absolute_url())
    context = _detail_context(registration, request.user) | {"evaluation_form": form}
    return render(request, "workshops/registration_detail.html", context, status=400)


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def registration_visa_letter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = reads.get_own_registration(user=request.user, pk=pk)
    if registration.status not in OFFER_STATUSES:
        raise Http404
    return _pdf_response(documents.participant_visa_letter_pdf(registration=registration), f"visa-letter-{pk}.pdf")


@login_required
def certificate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = reads.get_own_registration(user=request.user, pk=pk)
    if registration.status != R.ATTENDED or not registration.certificate_code:
        raise Http404
    pdf = documents.certificate_pdf(registration=registration)
    return _pdf_response(pdf, f"certificate-{registration.certificate_code}.pdf")


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: confirms a certificate (name, course, dates — nothing else)."""
    registration = reads.get_certificate(code=code)
    context = {"registration": registration, "course": registration.course, "person": registration.person}
    return mark_public(render(request, "workshops/certificate_verify.html", context))


@require_http_methods(["GET", "POST"])
def impact_survey(request: HttpRequest, token: str) -> HttpResponse:
    """The one-year follow-up survey through its signed link (no sign-in)."""
    registration = reads.get_registration_by_survey_token(token=token)
    done = registration.impact_survey is not None and registration.impact_survey.submitted_at is not None
    form = build_form(services.impact_survey_form(), data=request.POST or None, complete=True)
    if request.method == "POST" and not done and form.is_valid():
        try:
            services.submit_impact_survey(registration=registration, values=raw_answers(form=form))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            done = True
    context = {"registration": registration, "course": registration.course, "form": form, "done": done}
    status = 400 if request.method == "POST" and not done else 200
    return render(request, "workshops/impact_survey.html", context, status=status)


# --- Staff intake ------------------------------------------------------------------------------


@login_required
def staff_intake(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = selectors.get_course_for_staff(user=request.user, slug=slug)
    registrations = list(reads.registrations_for_intake(user=request.user, course=course))
    context = {
        "nav_section": "workshops",
        "course": course,
        "registrations": registrations,
        "impact": reads.impact_for_course(course=course),
        "seat_statuses": {R.ACCEPTED, R.ATTENDED, R.NO_SHOW},
    }
    return render(request, "workshops/staff_intake.html", context)


@login_required
@require_POST
def staff_open_registration(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = selectors.get_course_for_staff(user=request.user, slug=slug)
    try:
        services.open_registration(course=course, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Registration is open."))
    return redirect("workshops:staff-intake", slug=course.slug)


@login_required
@require_POST
def staff_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = reads.get_registration_for_staff(user=request.user, pk=pk)
    try:
        services.decide_registration(
            registration=registration, outcome=request.POST.get("outcome", ""), actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The registration is updated."))
    return redirect("workshops:staff-intake", slug=registration.course.slug)


@login_required
@require_POST
def staff_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = reads.get_registration_for_staff(user=request.user, pk=pk)
    try:
        services.withdraw_registration(registration=registration, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The place is released."))
    return redirect("workshops:staff-intake", slug=registration.course.slug)


@login_required
@require_POST
def staff_promote(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = selectors.get_course_for_staff(user=request.user, slug=slug)
    try:
        promoted = services.promote_from_waitlist(course=course, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("%(name)s is promoted from the wait list.") % {"name": promoted.person.full_name})
    return redirect("workshops:staff-intake", slug=course.slug)


@login_required
@require_POST
def staff_attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = reads.get_registration_for_staff(user=request.user, pk=pk)
    try:
        services.record_participation(
            registration=registration,
            attendance=request.POST.get("attendance", ""),
            pre=request.POST.get("pre_test_score", ""),
            post=request.POST.get("post_test_score", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Attendance and scores are saved."))
    return redirect("workshops:staff-intake", slug=registration.course.slug)


# --- Host --------------------------------------------------------------------------------------


@login_required
def host_registrations(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = reads.get_course_for_host(user=request.user, slug=slug)
    context = {
        "nav_section": "dashboard",
        "course": course,
        "registrations": list(reads.registrations_for_host(course=course)),
    }
    return render(request, "workshops/host_registrations.html", context)


@login_required
def staff_host_applications(request: AuthenticatedHttpRequest) -> HttpResponse:
    applications = list(reads.host_applications_for_staff(user=request.user))
    context = {"nav_section": "workshops", "applications": applications}
    return render(request, "workshops/staff_host_applications.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def staff_host_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Approve a host application: partner organization, course in planning, host contact."""
    application = reads.get_host_application_for_staff(user=request.user, pk=pk)
    form = HostApprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.approve_host_application(application=application, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_by_field = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            for field, errors in errors_by_field.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Approved: the course is created in planning."))
            return redirect("workshops:staff-course", slug=course.slug)
    context = {"nav_section": "workshops", "application": application, "form": form}
    return render(request, "workshops/staff_host_approve.html", context, status=400 if form.errors else 200)
