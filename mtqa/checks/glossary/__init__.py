"""Glossaries: ``load`` reads CSV/TSV/TBX term lists, ``check`` flags violations."""
