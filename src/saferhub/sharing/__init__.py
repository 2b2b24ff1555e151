"""Who may see and work each case: the one visibility policy, grants and access requests."""
