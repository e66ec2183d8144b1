"""Staff pages about one person: everything the program holds about them, with links.

Other apps add their parts (applications, reviews, courses, volunteer work) through
``people.selectors.register_person_section``, so this module never imports them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.people import selectors, services
from oncoreach.people.forms import PublicationForm


@login_required
def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_staff(user=request.user, pk=pk)
    context = {
        "person": person,
        "roles": selectors.roles_for_user(user=person.user, person=person),
        "affiliations": list(selectors.affiliations_for_person(person=person)),
        "inquiries": list(selectors.inquiries_for_person(person=person)),
        "sections": selectors.person_sections_for_staff(user=request.user, person=person),
        "nav_section": "dashboard",
    }
    return render(request, "people/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_publications(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff keep a person's publication list for them (people without a login, say)."""
    person = selectors.get_person_for_staff(user=request.user, pk=pk)
    form = PublicationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_publication(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The publication is added."))
            return redirect("people:person-publications", pk=person.pk)
    context = {
        "form": form,
        "person": person,
        "publications": selectors.publications_for_person(person=person),
        "own": False,
        "nav_section": "dashboard",
    }
    return render(request, "people/publication_list.html", context)


@login_required
@require_POST
def person_publication_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    publication = selectors.get_publication_for_staff(user=request.user, pk=pk)
    services.remove_publication(publication=publication, actor=request.user)
    messages.success(request, _("The publication is removed."))
    return redirect("people:person-publications", pk=publication.person_id)
