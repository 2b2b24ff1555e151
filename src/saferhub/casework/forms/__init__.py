"""The casework forms, one module per part: subjects, cases, sharing, search."""
