"""The casework pages: people, places, vehicles, groups and cases as practitioners work them.

The outer layer over `subjects`, `cases` and `sharing`: every view asks `sharing.policy`
before it reads or writes, so the apps below never import a view.
"""
