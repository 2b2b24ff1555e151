"""Importing subjects and cases from the CSV and Excel files partners already keep.

files.py    the file read, bounded (`uploads`): its type by content, CSV text in UTF-8 or
            Windows-1252, each sheet's rows as stored, formulas kept as their text
columns.py  the column map: the heading row found, each heading recognised (Surname, Last
            name, DOB, VRM, Case ref, ...) or given by an explicit map, required columns
values.py   one cell into one value (dates, genders, roles, kinds of record), pure
rows.py     the rows into plain records (the subjects app's entries, a case part, a role)
            with every problem as (row, column, message); pure, given a `Context`
plan.py     the preview: the context from the database, what would be created, the similar
            records (in Safer Hub and earlier in the file) and a proposed choice per row
apply.py    one transaction through the services, or nothing; the import's own audit entry
pending.py  a previewed file held for its confirmation (one-time token, expiring)
command.py  `saferhub casework import FILE --as EMAIL [--map ...] [--dry-run]`
"""
