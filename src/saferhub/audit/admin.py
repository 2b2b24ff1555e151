"""The audit log is not editable in Django admin; admins read it in the site."""
