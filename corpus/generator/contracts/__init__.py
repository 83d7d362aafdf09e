"""One module per sample contract; each exposes ``build() -> Contract``."""
