"""Numbered schema migrations. Released migrations are never edited; add m00N_… instead.

The schema version is SQLite's `user_version`; each migration runs in one transaction
together with the version bump, so a crash leaves either the old or the new schema.
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

from ..masking import has_personal

APP_ID = 0x53564C54  # "SVLT": PRAGMA application_id, marks a SQLite file as a SchoolVault workspace


def utils_db(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """`conn` seen through sqlite-utils: introspection, `add_column`, `transform`, simple reads.

    The same connection, left as it is (no recursive-triggers pragma, no plugins). Inside a transaction
    (a migration's, `Workspace.transaction()`) its writes are savepoints of that transaction, so they
    commit and roll back with it; outside one each write commits at once, so write only inside one.
    """
    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


def m001_initial(conn: sqlite3.Connection) -> None:
    for sql in (
        """CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)""",
        """CREATE TABLE school (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL, code TEXT, level TEXT NOT NULL CHECK (level IN ('초','중','고','특수')),
            district TEXT NOT NULL, created_at TEXT NOT NULL)""",
        """CREATE TABLE instruments (
            id INTEGER PRIMARY KEY, instrument_id TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,
            year INTEGER NOT NULL, sha256 TEXT NOT NULL, source TEXT NOT NULL, filename TEXT,
            content TEXT NOT NULL, added_at TEXT NOT NULL, UNIQUE (instrument_id, sha256))""",
        """CREATE TABLE years (
            year INTEGER PRIMARY KEY, stage TEXT NOT NULL DEFAULT 'plan',
            guidebook_ref INTEGER REFERENCES instruments(id), created_at TEXT NOT NULL)""",
        """CREATE TABLE custom_indicators (
            year INTEGER NOT NULL REFERENCES years(year) ON DELETE CASCADE, code TEXT NOT NULL,
            subarea TEXT NOT NULL, definition TEXT NOT NULL, PRIMARY KEY (year, code))""",
        """CREATE TABLE self_evaluations (
            year INTEGER NOT NULL REFERENCES years(year) ON DELETE CASCADE, indicator TEXT NOT NULL,
            chosen INTEGER NOT NULL DEFAULT 1, rating INTEGER,
            evidence TEXT NOT NULL DEFAULT '', achievements TEXT NOT NULL DEFAULT '',
            shortcomings TEXT NOT NULL DEFAULT '', improvements TEXT NOT NULL DEFAULT '',
            midyear_status TEXT, midyear_note TEXT NOT NULL DEFAULT '', updated_at TEXT,
            PRIMARY KEY (year, indicator))""",
        """CREATE TABLE administrations (
            id INTEGER PRIMARY KEY, year INTEGER NOT NULL REFERENCES years(year) ON DELETE CASCADE,
            instrument_ref INTEGER NOT NULL REFERENCES instruments(id), grp TEXT NOT NULL,
            source_name TEXT, source_sha256 TEXT, method TEXT NOT NULL DEFAULT 'import',
            imported_at TEXT NOT NULL, n_respondents INTEGER NOT NULL DEFAULT 0, summary TEXT)""",
        """CREATE INDEX administrations_year ON administrations(year, instrument_ref, grp)""",
        """CREATE TABLE respondents (
            id INTEGER PRIMARY KEY,
            administration_id INTEGER NOT NULL REFERENCES administrations(id) ON DELETE CASCADE,
            row_no INTEGER)""",
        """CREATE INDEX respondents_administration ON respondents(administration_id)""",
        """CREATE TABLE answers (
            respondent_id INTEGER NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
            item TEXT NOT NULL, value INTEGER NOT NULL CHECK (value >= 1),
            PRIMARY KEY (respondent_id, item)) WITHOUT ROWID""",
        """CREATE TABLE comments (
            id INTEGER PRIMARY KEY,
            respondent_id INTEGER NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
            question TEXT NOT NULL, text TEXT NOT NULL, selected INTEGER NOT NULL DEFAULT 0)""",
        """CREATE INDEX comments_respondent ON comments(respondent_id)""",
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY, at TEXT NOT NULL, action TEXT NOT NULL, detail TEXT)""",
    ):
        conn.execute(sql)


def m002_district(conn: sqlite3.Connection) -> None:
    """District-office tables: schools' submissions read back (학교별 제출자료) and imported benchmarks.

    A school's values as the statistics use them are packed on import: `layout_id` names the
    (group, kind, instrument, code) of each position, `vals` holds [mean, score100] per position as
    little-endian doubles, `extra` the overall score, respondent counts and ratings (JSON). So
    `district stats` reads one short row per school. The submitted workbook itself is kept as
    received in district_submissions (drill-down, audit)."""
    for sql in (
        """CREATE TABLE district_layouts (id INTEGER PRIMARY KEY, layout TEXT NOT NULL UNIQUE)""",
        """CREATE TABLE district_schools (
            id INTEGER PRIMARY KEY, school_key TEXT NOT NULL, school_name TEXT NOT NULL, school_code TEXT,
            level TEXT NOT NULL, district TEXT NOT NULL, year INTEGER NOT NULL, rating_points INTEGER,
            format_version INTEGER NOT NULL, app_version TEXT, exported_at TEXT, source_name TEXT,
            source_sha256 TEXT, checksum_ok INTEGER NOT NULL, warnings TEXT, imported_at TEXT NOT NULL,
            layout_id INTEGER NOT NULL REFERENCES district_layouts(id), vals BLOB NOT NULL, extra TEXT NOT NULL,
            UNIQUE (school_key, year))""",
        """CREATE INDEX district_schools_year ON district_schools(year, level, district)""",
        """CREATE TABLE district_submissions (
            school_id INTEGER PRIMARY KEY REFERENCES district_schools(id) ON DELETE CASCADE,
            file BLOB NOT NULL)""",
        """CREATE TABLE district_labels (
            kind TEXT NOT NULL, instrument TEXT NOT NULL, code TEXT NOT NULL, title TEXT,
            PRIMARY KEY (kind, instrument, code)) WITHOUT ROWID""",
        """CREATE TABLE benchmarks (
            id INTEGER PRIMARY KEY, year INTEGER, issuer TEXT, source_name TEXT, sha256 TEXT NOT NULL,
            checksum_ok INTEGER NOT NULL, imported_at TEXT NOT NULL, content TEXT NOT NULL)""",
    ):
        conn.execute(sql)


def m003_periods_and_attributes(conn: sqlite3.Connection) -> None:
    """An administration's period (중간 = the first-semester 중간평가, 학년말 = year-end), and respondents'
    classification answers (응답자 구분) such as 학년.

    Every earlier import was the year's survey the documents use, so it becomes 학년말. A parent may
    tick several grades, so an attribute is multi-valued: one row per (respondent, name, value). Only
    categories are stored (학년 '3학년'), never anything that identifies a person."""
    for sql in (
        """ALTER TABLE administrations ADD COLUMN period TEXT NOT NULL DEFAULT '학년말'
            CHECK (period IN ('중간', '학년말'))""",
        """CREATE INDEX administrations_period ON administrations(year, period)""",
        """CREATE TABLE respondent_attributes (
            respondent_id INTEGER NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
            name TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (respondent_id, name, value)) WITHOUT ROWID""",
        """CREATE INDEX respondent_attributes_name ON respondent_attributes(name, value)""",
    ):
        conn.execute(sql)


def m004_support_and_features(conn: sqlite3.Connection) -> None:
    """What the 학교평가서 (서식3-1) asks beyond the self-evaluation texts: per indicator, the part that needs
    the office's help (컨설팅장학 등 교육청 지원이 필요한 부분), and per 세부영역 a 학교교육활동 특색사례.

    Both are plain texts the school writes; earlier rows start empty."""
    for sql in (
        """ALTER TABLE self_evaluations ADD COLUMN support_needed TEXT NOT NULL DEFAULT ''""",
        """CREATE TABLE subarea_features (
            year INTEGER NOT NULL REFERENCES years(year) ON DELETE CASCADE, subarea TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '', updated_at TEXT, PRIMARY KEY (year, subarea))""",
    ):
        conn.execute(sql)


def m005_comment_personal(conn: sqlite3.Connection) -> None:
    """A flag per comment (서술형 의견): the text holds personal data — a phone number, an e-mail address, a
    resident registration number or a name before 선생님/학생/어머니 (`masking.has_personal`).

    The comment picker marks such comments and the reports never pick them by themselves; every document
    masks the text anyway. Earlier comments are flagged here by the detector of this release."""
    conn.execute("ALTER TABLE comments ADD COLUMN personal INTEGER NOT NULL DEFAULT 0")
    conn.create_function("sv_has_personal", 1, lambda t: int(has_personal(t)), deterministic=True)
    conn.execute("UPDATE comments SET personal = 1 WHERE sv_has_personal(text)")


def m006_row_fingerprints(conn: sqlite3.Connection) -> None:
    """A fingerprint per imported respondent, so that a later download of the same form (the earlier rows
    plus new ones) adds only the new rows.

    The fingerprint is a keyed hash (HMAC-SHA-256, a random key per workspace in settings) of the row's
    submission time and answers: it tells one submission from another and says nothing about who gave
    it. Respondents imported before have none; their import is still recognised as the first rows of a
    later file by its stored content hash."""
    for sql in (
        """CREATE TABLE respondent_fingerprints (
            respondent_id INTEGER PRIMARY KEY REFERENCES respondents(id) ON DELETE CASCADE,
            fingerprint TEXT NOT NULL)""",
        """CREATE INDEX respondent_fingerprints_value ON respondent_fingerprints(fingerprint)""",
    ):
        conn.execute(sql)


def m007_asked(conn: sqlite3.Connection) -> None:
    """How many people were asked per group (설문 대상자 수), entered by the user, for the response rate
    (응답률 = 응답자 ÷ 대상자). One count per year, instrument and group; no row means not known."""
    conn.execute(
        """CREATE TABLE asked (
            year INTEGER NOT NULL,
            instrument_id TEXT NOT NULL,
            grp TEXT NOT NULL,
            count INTEGER NOT NULL CHECK (count >= 0),
            PRIMARY KEY (year, instrument_id, grp))""")


MIGRATIONS = [m001_initial, m002_district, m003_periods_and_attributes, m004_support_and_features,
              m005_comment_personal, m006_row_fingerprints, m007_asked]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def pending(conn: sqlite3.Connection) -> list:
    return MIGRATIONS[schema_version(conn):]


def migrate(conn: sqlite3.Connection) -> int:
    """Apply pending migrations, each atomically with its version bump; returns how many ran."""
    todo = pending(conn)
    start = schema_version(conn)
    for n, step in enumerate(todo, start=start + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            conn.execute(f"PRAGMA user_version = {int(n)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return len(todo)
