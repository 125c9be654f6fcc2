"""The repo's own scripts that start the embedded stack for `make run` and `make test`."""
