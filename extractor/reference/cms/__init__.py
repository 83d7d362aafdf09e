"""CMS Medicare Physician Fee Schedule extracts (see SOURCES.md; rebuilt by ``build.py``)."""
