"""Panel roles: who does what on a call (or a program cycle). A registry that apps add to.

A role says which kinds of stage its holders assess (are assigned applications to review, score
or interview), whether they see a stage's ranking (committees) and whether they chair it. A
``CallRole`` row gives a person a role on one call (optionally one stage) or on one program
cycle (every call of it). Permissions read these capabilities, never role names, so a role an app
registers (``register_role`` from its ``AppConfig.ready``) works everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

from oncoreach.calls.enums import PanelRole, StageKind


@dataclass(frozen=True)
class RoleDefinition:
    code: str
    label: str | Promise
    #: Kinds of stage where holders are assigned applications to assess.
    assesses: frozenset[str] = frozenset()
    #: Holders see the ranking of the stages they sit on (committee pages).
    sees_ranking: bool = False
    #: Holders chair: they record the panel's decision (awards builds that page).
    chairs: bool = False


_roles: dict[str, RoleDefinition] = {}


def register_role(role: RoleDefinition) -> None:
    """Add (or replace, by code) a role; apps call this from ``AppConfig.ready``."""
    _roles[role.code] = role


def role_definition(code: str) -> RoleDefinition | None:
    return _roles.get(code)


def panel_roles() -> list[RoleDefinition]:
    return list(_roles.values())


def role_choices() -> list[tuple[str, str]]:
    return [(role.code, str(role.label)) for role in _roles.values()]


def roles_assessing(kind: str) -> frozenset[str]:
    """The role codes whose holders are assigned applications in a stage of this kind."""
    return frozenset(role.code for role in _roles.values() if kind in role.assesses)


def roles_seeing_ranking() -> frozenset[str]:
    return frozenset(role.code for role in _roles.values() if role.sees_ranking)


for _role in (
    RoleDefinition(
        PanelRole.CHAIR, PanelRole.CHAIR.label, frozenset({StageKind.COMMITTEE}), sees_ranking=True, chairs=True
    ),
    RoleDefinition(PanelRole.MEMBER, PanelRole.MEMBER.label, frozenset({StageKind.COMMITTEE}), sees_ranking=True),
    RoleDefinition(
        PanelRole.STAFF_REVIEWER, PanelRole.STAFF_REVIEWER.label, frozenset({StageKind.REVIEW, StageKind.COMMITTEE})
    ),
    RoleDefinition(PanelRole.EXTERNAL_REVIEWER, PanelRole.EXTERNAL_REVIEWER.label, frozenset({StageKind.REVIEW})),
    RoleDefinition(PanelRole.INTERVIEWER, PanelRole.INTERVIEWER.label, frozenset({StageKind.INTERVIEW})),
):
    register_role(_role)
