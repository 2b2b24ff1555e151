"""Long work off the request: report builds and imports as background jobs, with progress."""
