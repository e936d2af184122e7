"""Users of the app: names, roles and argon2 password hashes (never the password)."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from csi_core.store.access import ROLES, Actor, require
from csi_core.store.connection import StoreError

MIN_PASSWORD = 8
USER_ERRORS = ("user_name", "user_role", "user_password", "user_last_admin")  # codes of UserError
_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("not a password of anyone")  # verified against for unknown names: same time


class UserError(StoreError):
    """A user cannot be added or removed as asked (bad name, role or password, the last admin)."""

    def __init__(self, code: str, **params):
        super().__init__(f"{code}: {params}", "other")
        self.code, self.params = code, params


class Users:
    """Store methods on users (mixed into :class:`csi_core.store.db.Store`)."""

    def has_users(self) -> bool:
        return self._one("SELECT count(*) FROM users")[0] > 0

    def users(self) -> pd.DataFrame:
        return self._df("SELECT name, role, created_at, updated_at FROM users ORDER BY name")

    def add_user(self, name: str, role: str, password: str | None, who=None) -> None:
        """Add a user or change one's role (and password, when given)."""
        actor = require(who, "users")
        name = (name or "").strip()
        if not name or len(name) > 200 or any(c.isspace() and c != " " for c in name):
            raise UserError("user_name", name=name)
        if role not in ROLES:
            raise UserError("user_role", role=role)
        if password is not None and len(password) < MIN_PASSWORD:
            raise UserError("user_password", n=MIN_PASSWORD)
        with self.transaction():
            old = self._one("SELECT role FROM users WHERE name = ?", [name])
            if old is None and password is None:
                raise UserError("user_password", n=MIN_PASSWORD)
            if old and old[0] == "admin" and role != "admin" and self._admins() == 1:
                raise UserError("user_last_admin", name=name)
            now = datetime.now()
            if old is None:
                self.con.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?)",
                                 [name, role, _HASHER.hash(password), now, now])
                self._audit(actor, "user_added", f"{name}: {role}")
                return
            if password is not None:
                self.con.execute("UPDATE users SET password = ? WHERE name = ?", [_HASHER.hash(password), name])
            self.con.execute("UPDATE users SET role = ?, updated_at = ? WHERE name = ?", [role, now, name])
            change = f"{name}: {old[0]} → {role}" + ("; new password" if password is not None else "")
            self._audit(actor, "user_changed", change)

    def remove_user(self, name: str, who=None) -> bool:
        """Remove a user; False if there was none of that name. The last admin stays while
        other users exist (nobody could manage them)."""
        actor = require(who, "users")
        with self.transaction():
            old = self._one("SELECT role FROM users WHERE name = ?", [name])
            if old is None:
                return False
            others = self._one("SELECT count(*) FROM users WHERE name <> ?", [name])[0]
            if old[0] == "admin" and self._admins() == 1 and others:
                raise UserError("user_last_admin", name=name)
            self.con.execute("DELETE FROM users WHERE name = ?", [name])
            self._audit(actor, "user_removed", f"{name}: {old[0]}")
        return True

    def _admins(self) -> int:
        return self._one("SELECT count(*) FROM users WHERE role = 'admin'")[0]

    def verify(self, name: str, password: str) -> Actor | None:
        """The user, if the password is right; None otherwise (an unknown name takes as long)."""
        row = self._one("SELECT name, role, password FROM users WHERE name = ?", [(name or "").strip()])
        try:
            _HASHER.verify(row[2] if row else _DUMMY, password or "")
        except (VerificationError, InvalidHashError):
            return None
        return Actor(row[0], row[1]) if row else None

    def role_of(self, name: str) -> str | None:
        row = self._one("SELECT role FROM users WHERE lower(name) = lower(?)", [(name or "").strip()])
        return row[0] if row else None
