"""The casework pages, one module per part (see `casework/__init__.py`)."""
