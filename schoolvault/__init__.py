"""SchoolVault: offline school self-evaluation (학교평가) and organizational diagnosis (SODI)."""

__version__ = "0.2.0"
APP_NAME = "SchoolVault"
APP_NAME_KO = "스쿨볼트"
