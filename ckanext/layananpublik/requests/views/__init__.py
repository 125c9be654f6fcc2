"""Web pages of the request service: the citizen's side (public.py, /permohonan/...) and
the officers' side (officer.py, /ppid/...). Both only call actions."""
