"""Storage: the SQLModel tables (``models``), the engine and sessions (``db``), Alembic
migrations (``migrations/``), the content-addressed file store (``blobs``) and the one
transaction that writes an analysis (``results``)."""
