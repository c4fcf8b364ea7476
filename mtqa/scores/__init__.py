"""Stage 4 — score. One module per score (after sacrebleu's ``metrics/``); ``registry.SCORERS``
lists them, ``run.score_documents`` runs the selected ones."""
