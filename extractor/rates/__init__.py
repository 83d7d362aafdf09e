"""Rate tables to normalised rate rows."""
