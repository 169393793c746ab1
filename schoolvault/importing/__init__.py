"""Survey responses in: read an export, map its columns to items, parse answers, write atomically.

reading (file kinds, encodings) → headers (matching, personal data) → values (scale labels) →
plan (preview with every problem) → commit (one transaction). `survey_from` builds a survey from
an export's headers; `paper` saves typed-in paper forms; `comments` lists open-ended answers.
"""

from __future__ import annotations

from .commit import commit_plan, import_responses, load_mapping_file, prepare
from .headers import normalize
from .plan import ImportPlan, plan_import
from .reading import read_table, sheet_names

__all__ = ["ImportPlan", "commit_plan", "import_responses", "load_mapping_file", "normalize", "plan_import",
           "prepare", "read_table", "sheet_names"]
