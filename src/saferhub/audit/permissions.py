"""Access to the audit log: partnership admins and the data protection officer."""

from ..accounts.permissions import VIEW_AUDIT, has, requires

__all__ = ["VIEW_AUDIT", "has", "requires"]
