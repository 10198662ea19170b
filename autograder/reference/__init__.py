"""Reference implementations: what the hidden checks compare student answers with."""
