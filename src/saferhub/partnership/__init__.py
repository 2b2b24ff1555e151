"""The partnership's own settings: its area and comparators, the site's default evidence."""
