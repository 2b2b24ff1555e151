"""The casework pages: people, places, vehicles, groups and cases as practitioners work them.

The outer layer over `subjects`, `cases` and `sharing`: every view asks `sharing.policy`
before it reads or writes, so the apps below never import a view.

access.py      the gates every view goes through (sign-in, the policy's question, the audited
               403), and the mark tests/casework/test_gates.py looks for
problems.py    any service's refusal put on the form field it names
similar.py     the similar-record check, each match in full or locked, on the record
drawing.py     the links around a subject as an SVG picture and a list, from one object
summary.py     "my cases, my tasks, access requests waiting" for the home and casework pages
forms/         fields (shared shapes), subjects, cases, sharing, search
views/         index, search, creating (with the similar-record check), subjects, merging,
               cases, chronology, tasks, documents, sharing (grants, consent, agreements),
               requests (access requests, break glass and its review)
import_*.py    importing from a partner's file (docs/user/casework-import.md)
demo.py        the fictional casework `saferhub demo` loads, and its sample ids
"""
