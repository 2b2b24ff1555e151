"""People, places, vehicles and groups that casework is about.

vocabulary.py  the choices (kinds, name types, identifier and flag types, link rules)
entries.py     what a person enters, as plain data; `cleaned(today)` names every bad field
normalise.py   pure checks and normal forms (NHS/PNC/CRO/NI numbers, postcodes, UPRNs, VRMs)
               and the phonetic name keys
matching.py    pure scoring of two profiles, with reasons in words
duplicates.py  the similar-subject check: indexed keys → a few candidates → matching
search.py      lookups by name, date of birth, postcode, address, VRM, identifier
services.py    every write, with its audit entry and version check; merging.py: merge/unmerge
hooks.py       re-pointers and signals for apps above subjects (cases, sharing)
areas.py       a point's ward and LSOA from the evidence store; geography.py: BNG ↔ WGS84
network.py     the links around a subject, and a ring layout for drawing them
trigram.py     pg_trgm similarity on PostgreSQL, when the extension is there
"""
