"""Everything with side effects: CLI now; storage, API, jobs and UI in later issues."""
