"""Who sets the partnership's area: its admins (the holders of MANAGE_ACCOUNTS, the one
admin-only permission in accounts/permissions.py)."""

from ..accounts.permissions import MANAGE_ACCOUNTS

MANAGE_PARTNERSHIP = MANAGE_ACCOUNTS
