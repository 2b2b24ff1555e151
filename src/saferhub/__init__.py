"""Safer Hub: the platform for Community Safety Partnerships."""

__version__ = "0.1.0"
