"""Indicators and targets: partnership KPIs computed from the evidence store, entered by hand,
or computed from a youth justice case extract."""
