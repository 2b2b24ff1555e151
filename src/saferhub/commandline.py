"""What every `saferhub` subcommand group shares: configuring Django, failing with a
message, and writing an output file whole or not at all."""

from __future__ import annotations

import sys
from pathlib import Path

import click


def django_setup() -> None:
    """Configure Django for the commands that use the site's database."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.web.settings")
    django.setup()


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def write_output(output: Path, content: bytes) -> None:
    from .evidence import EvidenceError
    from .evidence.output import write_atomically

    try:
        write_atomically(output, content)
    except EvidenceError as exc:
        fail(str(exc))
    click.echo(f"wrote {output}")
