"""The HTTP API (FastAPI): ``create_app(settings)`` builds it; ``payerlens serve`` runs it."""
