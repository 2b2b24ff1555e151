"""Linking the names written in a plan to accounts and agencies.

A lead's name decides who may see and update an action, so a name is linked to an account
only when exactly one active account has it (within the lead's agency, when one is named):
never by a guess between namesakes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..accounts.models import Agency, User


@dataclass
class Directory:
    people: dict[str, list[User]]
    agencies: dict[str, Agency]

    @classmethod
    def load(cls) -> Directory:
        people: dict[str, list[User]] = defaultdict(list)
        for user in User.objects.filter(is_active=True).select_related("agency"):
            people[user.full_name.casefold()].append(user)
        return cls(dict(people), {a.name.casefold(): a for a in Agency.objects.all()})

    def agency(self, name: str) -> Agency | None:
        return self.agencies.get(name.casefold()) if name else None

    def agency_names(self) -> list[str]:
        return [a.name for a in self.agencies.values()]

    def person(self, name: str, agency: str = "") -> User | None:
        """The one account of this name (in `agency` when given), or None."""
        found = self.people.get(name.casefold(), []) if name else []
        if agency:
            found = [u for u in found if u.agency.name.casefold() == agency.casefold()]
        return found[0] if len(found) == 1 else None
