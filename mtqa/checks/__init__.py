"""Stage 5 — check. One module per check family (``base.Check``); ``registry.CHECKS`` lists them in
their run order, ``engine.run_checks`` runs them. Rule data (YAML) is read by ``data``."""
