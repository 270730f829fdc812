"""Furniture bank: example outlet furniture lines, one file per outlet and language (see README.md)."""
