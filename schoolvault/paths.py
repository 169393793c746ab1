"""Where the user's workspaces live: the per-user data folder (platformdirs), never the install folder.

One definition for the CLI, the GUI and backups, because the Windows installer promises it: the
uninstaller and upgrades leave this folder alone, and the Start menu links to it. On Windows it is
%LOCALAPPDATA%\\SchoolVault, on macOS ~/Library/Application Support/SchoolVault, on Linux
~/.local/share/SchoolVault. installer/schoolvault.iss repeats the Windows path; keep them equal.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_DIR_NAME = "SchoolVault"
DEFAULT_WORKSPACE_NAME = "workspace.sqlite"
# Overrides the folder: a portable copy on a USB stick, or a test that must not touch the real one
# (Windows resolves %LOCALAPPDATA% through the shell, so changing the variable does not move it).
DATA_DIR_ENV = "SCHOOLVAULT_DATA_DIR"


def user_data_dir() -> Path:
    """The per-user data folder (not created here). appauthor=False: no extra vendor folder on Windows."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    from platformdirs import user_data_dir as _user_data_dir
    return Path(_user_data_dir(APP_DIR_NAME, appauthor=False))


def default_workspace() -> Path:
    """The workspace opened when none is named (`--db` absent)."""
    return user_data_dir() / DEFAULT_WORKSPACE_NAME
