"""Roles of a public body's staff: information officer (PPID) and superior (Atasan PPID)."""
