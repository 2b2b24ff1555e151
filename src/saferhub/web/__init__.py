"""The Django project: settings, URLs and base templates for the partnership site."""
