"""Rendering assessments (and, later, plans and indicators) to HTML, PDF and Word.

Every renderer reads one report object built by `model.build_report`; no renderer computes a
figure of its own.
"""
