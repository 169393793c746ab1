"""The SQLite workspace: the only place with SQL. One module per table group."""

from .db import Workspace, open_workspace  # noqa: F401
