"""Judging eligibility: a pure function of the data (call rules, person, reference data, date).

The result is stored on the application as a snapshot, so a later World Bank file or profile
edit never changes a decision already made (ARCHITECTURE.md §3, §7). A rule that could not be
judged because the applicant's profile lacks something (country, career stage, training year)
is *missing*, not failed: the applicant is told what to add, with a link to the profile field,
and may submit again to re-check (``services.recheck_eligibility``). Staff may override a
verdict with a reason (``services.override_eligibility``); the snapshot keeps the override.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from oncoreach.calls.enums import ApplicationStatus, CountryBasis
from oncoreach.calls.models import Application, Call
from oncoreach.geo.enums import IncomeGroup
from oncoreach.geo.selectors import income_group_on
from oncoreach.people.enums import CareerStage
from oncoreach.people.models import Person
from oncoreach.people.selectors import is_member_on

#: The profile field that fixes each rule judged "missing" (``people:profile-edit`` anchors).
PROFILE_FIELDS: dict[str, str] = {
    "country_missing": "country_of_practice",
    "career_stage": "career_stage",
    "years_since_training": "training_completed_year",
}


@dataclass(frozen=True)
class RuleOutcome:
    rule: str
    passed: bool
    params: dict[str, Any] = field(default_factory=dict)
    #: True when the rule could not be judged: the applicant's profile lacks the data it needs.
    missing: bool = False

    @property
    def message(self) -> str:
        return describe_rule(self.rule, self.passed, self.params, missing=self.missing)


@dataclass(frozen=True)
class EligibilityResult:
    eligible: bool
    rules: tuple[RuleOutcome, ...]
    reference_date: dt.date
    fiscal_year: int | None = None
    is_after_newest_year: bool = False
    income_group: str | None = None
    country: str = ""

    @property
    def missing(self) -> list[str]:
        """The rules that could not be judged for lack of data, in order."""
        return [rule.rule for rule in self.rules if rule.missing]

    @property
    def fixable(self) -> bool:
        """Not eligible only because data is missing: the applicant may fix it and re-check."""
        failed = [rule for rule in self.rules if not rule.passed]
        return bool(failed) and all(rule.missing for rule in failed)

    def as_snapshot(self) -> dict[str, Any]:
        """JSON for Application.eligibility; messages in English for exports, codes to re-word."""
        with translation.override("en"):
            rules = [
                {"rule": r.rule, "passed": r.passed, "missing": r.missing, "params": r.params, "message": r.message}
                for r in self.rules
            ]
        return {
            "eligible": self.eligible,
            "missing": self.missing,
            "fixable": self.fixable,
            "reference_date": self.reference_date.isoformat(),
            "fiscal_year": self.fiscal_year,
            "is_after_newest_year": self.is_after_newest_year,
            "income_group": self.income_group,
            "country": self.country,
            "rules": rules,
        }


def _group_names(codes: list[str]) -> str:
    return ", ".join(str(IncomeGroup(code).label) for code in codes if code in IncomeGroup.values)


def describe_rule(  # noqa: PLR0911, PLR0912 — one sentence per rule
    rule: str, passed: bool, params: dict[str, Any], *, missing: bool = False
) -> str:
    """One rule's outcome in words, in the active language (staff and applicant pages)."""
    if rule == "career_stage" and missing:
        return _("We need your career stage to judge eligibility; please add it to your profile.")
    if rule == "country_missing":
        return _("We need your %(basis)s to judge eligibility; please add it to your profile.") % params
    if rule == "income_group":
        values = {
            **params,
            "groups": _group_names(params.get("allowed", [])),
            "group": _group_names([params.get("group", "")]) or _("not classified"),
        }
        if passed:
            return (
                _("%(country)s was in the group “%(group)s” in fiscal year %(fiscal_year)s, which this call accepts.")
                % values
            )
        return (
            _("%(country)s was in the group “%(group)s” in fiscal year %(fiscal_year)s; this call accepts: %(groups)s.")
            % values
        )
    if rule == "career_stage":
        values = {
            **params,
            "stage": str(CareerStage(params["stage"]).label)
            if params.get("stage") in CareerStage.values
            else _("not given"),
        }
        if passed:
            return _("Your career stage (%(stage)s) is one this call accepts.") % values
        return _("This call is for other career stages than yours (%(stage)s).") % values
    if rule == "years_since_training":
        if params.get("years") is None:
            return (
                _("We need the year your training ended; this call accepts up to %(limit)s years since training.")
                % params
            )
        if passed:
            return (
                _("You finished training %(years)s years before the reference date (the limit is %(limit)s).") % params
            )
        return _("You finished training %(years)s years before the reference date; the limit is %(limit)s.") % params
    if rule == "membership":
        if passed:
            return _("You were a member of the society on %(date)s.") % params
        return (
            _("This call is for members of the society on %(date)s; our records show no membership of yours then.")
            % params
        )
    if rule == "prior_award":
        if passed:
            return _("No earlier award in the programs this call excludes.")
        return _("You were accepted in %(program)s (%(year)s), which this call excludes.") % params
    return rule


def _subtract_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _country_field(call: Call) -> str:
    return "country_of_residence" if call.country_basis == CountryBasis.RESIDENCE else "country_of_practice"


def reference_date_for(call: Call) -> dt.date:
    return call.reference_date or call.cycle.reference_date


def judge_eligibility(*, call: Call, person: Person, on: dt.date | None = None) -> EligibilityResult:
    """Check a person against a call's rules as of ``on`` (default: the call's reference date)."""
    on = on or reference_date_for(call)
    rules: list[RuleOutcome] = []
    fiscal_year: int | None = None
    after_newest = False
    group: str | None = None
    country_name = ""

    if call.eligible_income_groups:
        if call.country_basis == CountryBasis.RESIDENCE:
            country = person.country_of_residence
        else:
            country = person.country_of_practice
        if country is None:
            rules.append(
                RuleOutcome(
                    "country_missing",
                    False,
                    {"basis": str(CountryBasis(call.country_basis).label).lower(), "field": _country_field(call)},
                    missing=True,
                )
            )
        else:
            lookup = income_group_on(country=country, on=on)
            fiscal_year, after_newest, group, country_name = (
                lookup.fiscal_year,
                lookup.is_after_newest_year,
                str(lookup.income_group),
                country.name,
            )
            rules.append(
                RuleOutcome(
                    "income_group",
                    group in call.eligible_income_groups,
                    {
                        "country": country.name,
                        "group": group,
                        "fiscal_year": fiscal_year,
                        "allowed": list(call.eligible_income_groups),
                    },
                )
            )

    if call.allowed_career_stages:
        rules.append(
            RuleOutcome(
                "career_stage",
                person.career_stage in call.allowed_career_stages,
                {"stage": person.career_stage},
                missing=not person.career_stage,
            )
        )

    if call.max_years_since_training is not None:
        limit = call.max_years_since_training
        years = on.year - person.training_completed_year if person.training_completed_year else None
        rules.append(
            RuleOutcome(
                "years_since_training",
                years is not None and 0 <= years <= limit,
                {"years": years, "limit": limit},
                missing=years is None,
            )
        )

    if call.requires_membership:
        rules.append(RuleOutcome("membership", is_member_on(person=person, on=on), {"date": on.isoformat()}))

    program_ids = [program.pk for program in call.prior_award_programs.all()]
    if program_ids:
        earlier = (
            Application.objects.filter(
                applicant=person, status=ApplicationStatus.ACCEPTED, call__cycle__program_id__in=program_ids
            )
            .exclude(call=call)
            .select_related("call__cycle__program")
        )
        if call.prior_award_years:
            earlier = earlier.filter(decided_at__date__gte=_subtract_years(on, call.prior_award_years))
        found = earlier.order_by("-decided_at").first()
        rules.append(
            RuleOutcome(
                "prior_award",
                found is None,
                {"program": found.call.cycle.program.name, "year": found.call.cycle.year} if found else {},
            )
        )

    return EligibilityResult(
        eligible=all(rule.passed for rule in rules),
        rules=tuple(rules),
        reference_date=on,
        fiscal_year=fiscal_year,
        is_after_newest_year=after_newest,
        income_group=group,
        country=country_name,
    )


def rules_in_words(*, call: Call) -> list[str]:
    """The call's eligibility rules as sentences for its public page."""
    sentences: list[str] = []
    on = reference_date_for(call)
    if call.eligible_income_groups:
        basis = str(CountryBasis(call.country_basis).label).lower()
        sentences.append(
            _("Your %(basis)s must be in one of these World Bank income groups on %(date)s: %(groups)s.")
            % {"basis": basis, "date": on.isoformat(), "groups": _group_names(call.eligible_income_groups)}
        )
    if call.allowed_career_stages:
        names = ", ".join(str(CareerStage(code).label) for code in call.allowed_career_stages)
        sentences.append(_("Career stages accepted: %(stages)s.") % {"stages": names})
    if call.max_years_since_training is not None:
        sentences.append(
            _("You finished training no more than %(years)s years before %(date)s.")
            % {"years": call.max_years_since_training, "date": on.isoformat()}
        )
    if call.requires_membership:
        sentences.append(_("You are a member of the society on %(date)s.") % {"date": on.isoformat()})
    programs = [program.name for program in call.prior_award_programs.all()]
    if programs:
        if call.prior_award_years:
            sentences.append(
                _("You have not been accepted in %(programs)s in the last %(years)s years.")
                % {"programs": ", ".join(programs), "years": call.prior_award_years}
            )
        else:
            sentences.append(
                _("You have not been accepted in %(programs)s before.") % {"programs": ", ".join(programs)}
            )
    if call.reference_letters_required:
        sentences.append(
            _("You name %(count)s referees, who upload their letters through a private link.")
            % {"count": call.reference_letters_required}
        )
    if not sentences:
        sentences.append(_("Anyone may apply."))
    return sentences


@dataclass(frozen=True)
class RuleLine:
    """One rule of a stored snapshot as the reader sees it; ``fix_field`` names the profile field
    that fixes a missing one."""

    passed: bool
    text: str
    missing: bool = False
    fix_field: str = ""

    def __iter__(self) -> Any:  # (passed, text), as pages unpacked it before
        return iter((self.passed, self.text))


def snapshot_in_words(snapshot: dict[str, Any]) -> list[RuleLine]:
    """A stored snapshot's rule outcomes re-worded in the reader's language."""
    lines = []
    for rule in snapshot.get("rules", []):
        code, passed, params = rule.get("rule", ""), bool(rule.get("passed")), rule.get("params", {})
        missing = bool(rule.get("missing")) or code == "country_missing"
        lines.append(
            RuleLine(
                passed=passed,
                text=describe_rule(code, passed, params, missing=missing),
                missing=missing and not passed,
                fix_field=(params.get("field") or PROFILE_FIELDS.get(code, "")) if missing and not passed else "",
            )
        )
    return lines


def snapshot_is_fixable(snapshot: dict[str, Any]) -> bool:
    """The stored verdict is "not eligible" only for missing data, and staff did not override it."""
    if snapshot.get("eligible") is not False or snapshot.get("override"):
        return False
    failed = [rule for rule in snapshot.get("rules", []) if not rule.get("passed")]
    return bool(failed) and all(rule.get("missing") or rule.get("rule") == "country_missing" for rule in failed)
