"""Who may change what: the roles, the acting user every write names, and the mapping of
single-sign-on e-mail addresses to roles.

Roles grow: a *viewer* reads, plays with the what-if sliders and downloads; an *editor*
also uploads, replaces and brings back quarters, keeps the action log and the
complaint log, saves scenarios and records the annual assessment's entries; an *admin*
also manages users, the company weights, the settings, backups and restores. The store's
write functions check the role they are given
(:func:`require`), so hiding a button is never the only guard.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from csi_core import i18n

ROLES = ("viewer", "editor", "admin")
_VIEWER = frozenset({"read", "whatif", "download"})
_EDITOR = _VIEWER | {"upload", "replace", "restore_period", "actions", "scenarios", "complaints", "assessment"}
_ADMIN = _EDITOR | {"users", "weights", "settings", "backup", "restore", "audit"}
PERMISSIONS: dict[str, frozenset[str]] = {"viewer": _VIEWER, "editor": frozenset(_EDITOR), "admin": frozenset(_ADMIN)}


@dataclass(frozen=True)
class Actor:
    """The user a change is made for: a name (kept in the audit trail) and a role."""

    name: str
    role: str

    def may(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())


# The command line and the first-start demo: whoever can open the database file.
LOCAL = Actor("local", "admin")


class PermissionDenied(Exception):
    """The acting user's role does not allow the change; nothing was changed."""

    def __init__(self, actor: Actor, permission: str):
        super().__init__(f"{actor.name} ({actor.role}) may not {permission}")
        self.actor, self.permission = actor, permission

    def message(self, lang: str) -> str:
        return i18n.t("auth.denied", lang, name=self.actor.name, role=i18n.t(f"role.{self.actor.role}", lang),
                      action=i18n.t(f"permission.{self.permission}", lang))


def actor_of(who: Actor | str | None) -> Actor:
    """The actor of a write: an :class:`Actor` as given; a bare name (the command line,
    the demo loader, tests) is a local caller with every right."""
    if isinstance(who, Actor):
        return who
    return Actor(who or LOCAL.name, "admin")


def require(who: Actor | str | None, permission: str) -> Actor:
    """The actor, if its role allows ``permission``; :class:`PermissionDenied` if not."""
    actor = actor_of(who)
    if not actor.may(permission):
        raise PermissionDenied(actor, permission)
    return actor


def role_for_email(email: str, mapping: dict) -> str | None:
    """The role single sign-on gives an e-mail address: the highest role with a pattern
    matching it (``"qm@example.com"``, ``"*@quality.example.com"``), case-insensitive;
    None when no pattern matches (no access).

    >>> role_for_email("Li@Quality.Example.com", {"editor": ["*@quality.example.com"], "viewer": ["*"]})
    'editor'
    """
    address = (email or "").strip().lower()
    if "@" not in address:
        return None
    for role in reversed(ROLES):
        patterns = mapping.get(role) or []
        if isinstance(patterns, str):
            patterns = [patterns]
        if any(fnmatch.fnmatchcase(address, str(p).strip().lower()) for p in patterns):
            return role
    return None
