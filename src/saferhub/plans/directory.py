"""Linking the names written in a plan to accounts and agencies.

A lead's name decides who may see and update an action, so a name is linked to an account
only when exactly one active account has it (within the lead's agency, when one is named):
never by a guess between namesakes.

Leads are written "Person (Agency)". An agency whose own name has brackets ("Demo Police
(fictional)") is read back here by the longest of the site's agency names that ends the lead,
so that an exported plan imported again keeps its leads linked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..accounts.models import Agency, User
from . import draft


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

    def read_lead(self, lead: draft.Lead) -> draft.Lead:
        """The lead re-read against the site's agency names, for agencies whose names have
        brackets, which the cell reader splits at the wrong bracket ("Demo Police
        (fictional)" read as the person "Demo Police" of the agency "fictional")."""
        text = f"{lead.person} ({lead.agency})" if lead.person and lead.agency else ""
        text = (text or lead.person or lead.agency).strip()
        folded = text.casefold()
        if "(" not in text:
            return lead
        if agency := self.agency(_unwrapped(text)):
            return draft.Lead(agency=agency.name)
        for name in sorted(self.agencies, key=len, reverse=True):
            if folded.endswith(f"({name})"):
                person = text[: -len(name) - 2].strip()
                return draft.Lead(person=person, agency=self.agencies[name].name)
        if any("(" in part for part in (lead.person, lead.agency)):
            # An agency unknown here, with brackets in its name: split at the bracket that
            # closes the line ("Sam Patel (Other Police (north))").
            person, agency = _last_bracket(text)
            if agency:
                return draft.Lead(person=person, agency=agency)
        return lead

    def read_leads(self, leads: list[draft.Lead]) -> list[draft.Lead]:
        return [self.read_lead(lead) for lead in leads]

    def unmatched(self, lead: draft.Lead) -> str:
        """Why the lead links to no account and no agency ("" when it links to one)."""
        if self.agency(lead.agency) or self.person(lead.person, lead.agency):
            return ""
        if lead.person and len(self.people.get(lead.person.casefold(), [])) > 1 and not lead.agency:
            return "names more than one account: name the agency to link it"
        return "matches no agency and no user of the site: it stays unlinked"

    def relink(self, plan: draft.Plan, file: str) -> list[draft.Problem]:
        """Re-read every lead of an imported plan (in place) and a note for each lead, once
        per name, that links to no account and no agency: its actions would have no one to
        update them."""
        seen: dict[str, list[str]] = {}
        for objective, action in plan.actions():
            action.leads = self.read_leads(action.leads)
            for lead in action.leads:
                reason = self.unmatched(lead)
                if reason:
                    seen.setdefault(f"{lead.label()}\x00{reason}", []).append(
                        action.source or objective.code
                    )
        notes = []
        for key, places in seen.items():
            label, reason = key.split("\x00")
            more = f" (and {len(places) - 1} more actions)" if len(places) > 1 else ""
            notes.append(draft.Problem(f"{file}, {places[0]}{more}", f"lead “{label}” {reason}"))
        return notes


def _unwrapped(text: str) -> str:
    """ "(Agency (x))" → "Agency (x)": how an export writes a lead that is only an agency."""
    if text.startswith("(") and text.endswith(")") and _last_bracket(text)[0] == "":
        return text[1:-1].strip()
    return text


def _last_bracket(text: str) -> tuple[str, str]:
    """ "Sam (A (b))" → ("Sam", "A (b)"): split at the bracket that closes the text; ("", "")
    when it does not end in a closed bracket."""
    if not text.endswith(")"):
        return "", ""
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[index], 0)
        if depth == 0:
            return text[:index].strip(), text[index + 1 : -1].strip()
    return "", ""
