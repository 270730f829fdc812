"""Work on many stories at once: imports, reports, search, exports."""
