"""No casework page skips the policy: every view in casework.urls carries the mark of a gate
in casework/access.py, and each gate names what it asks."""

from __future__ import annotations

import inspect

import pytest
from django.urls import URLPattern, URLResolver

from saferhub.cases import permissions as verbs
from saferhub.casework import access, urls
from saferhub.casework import views as views_package


def patterns(entries, prefix=""):
    for entry in entries:
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def test_every_casework_url_goes_through_a_gate():
    found = list(patterns(urls.urlpatterns))
    assert len(found) > 30
    ungated = [path for path, p in found if not getattr(p.callback, access.GATE, "")]
    assert not ungated, f"views without a casework.access gate: {ungated}"


@pytest.mark.parametrize("path_and_pattern", list(patterns(urls.urlpatterns)), ids=str)
def test_each_gate_names_a_policy_question(path_and_pattern):
    _, pattern = path_and_pattern
    gate = getattr(pattern.callback, access.GATE)
    kind, _, question = gate.partition(":")
    assert kind and question, gate
    if kind == "page":
        assert question in access.PREDICATES
    elif kind == "subject":
        assert question in access.SUBJECT_CHECKS
    elif kind in {"case", *access.PARTS}:
        assert set(question.split("|")) <= verbs.VERBS
    else:
        assert kind in {"access_request", "break_glass"}


def test_every_view_function_in_the_views_is_gated():
    """A view written but not yet in urls.py is gated too (only helpers are not views)."""
    import importlib
    import pkgutil

    ungated = []
    for info in pkgutil.iter_modules(views_package.__path__):
        module = importlib.import_module(f"{views_package.__name__}.{info.name}")
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ != module.__name__:
                continue
            params = list(inspect.signature(inspect.unwrap(func)).parameters)
            if name.startswith("_") or info.name == "common":
                continue
            if params[:1] == ["request"] and not getattr(func, access.GATE, ""):
                ungated.append(f"{module.__name__}.{name}")
    assert not ungated, f"request-taking functions without a gate: {ungated}"


def test_a_gate_refuses_an_unknown_verb():
    with pytest.raises(ValueError):
        access.case("look_closely")
