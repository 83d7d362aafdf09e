"""Reference data shipped with the package (public benchmark tables)."""
