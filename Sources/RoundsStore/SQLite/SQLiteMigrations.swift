import GRDB

/// The schema, as numbered migrations. Released migrations are never edited; changes are new
/// migrations. Any other store must number and name its migrations alike (`Storage.appliedMigrations`).
enum SQLiteMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("0001_create_learners") { db in
            try db.execute(
                sql: """
                    CREATE TABLE learner (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
                        created_at DATETIME NOT NULL,
                        target_role TEXT,
                        interview_date TEXT CHECK (interview_date IS NULL OR interview_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
                        desired_retention REAL NOT NULL DEFAULT 0.9 CHECK (desired_retention BETWEEN 0.7 AND 0.97)
                    )
                    """)
        }
        migrator.registerMigration("0002_create_sessions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE practice_session (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL CHECK (kind IN ('practice', 'mock')),
                        started_at DATETIME NOT NULL,
                        ended_at DATETIME CHECK (ended_at IS NULL OR ended_at >= started_at),
                        role TEXT,
                        level TEXT CHECK (level IS NULL OR level IN ('beginner', 'intermediate', 'advanced')),
                        minutes INTEGER CHECK (minutes IS NULL OR minutes > 0)
                    );
                    CREATE INDEX practice_session_learner ON practice_session(learner_id, started_at);
                    """)
        }
        migrator.registerMigration("0003_create_attempts_and_reviews") { db in
            try db.execute(
                sql: """
                    CREATE TABLE attempt (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
                        question_id TEXT NOT NULL,
                        session_id INTEGER REFERENCES practice_session(id) ON DELETE CASCADE,
                        answered_at DATETIME NOT NULL,
                        answer TEXT NOT NULL,
                        score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
                        band INTEGER NOT NULL CHECK (band BETWEEN 0 AND 4),
                        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
                        rating_overridden BOOLEAN NOT NULL,
                        seconds_taken INTEGER CHECK (seconds_taken IS NULL OR seconds_taken >= 0),
                        summary TEXT NOT NULL
                    );
                    CREATE INDEX attempt_learner_question ON attempt(learner_id, question_id, answered_at);
                    CREATE TABLE review (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
                        question_id TEXT NOT NULL,
                        attempt_id INTEGER REFERENCES attempt(id) ON DELETE CASCADE,
                        reviewed_at DATETIME NOT NULL,
                        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
                        phase TEXT NOT NULL CHECK (phase IN ('learning', 'review', 'relearning')),
                        step INTEGER,
                        stability REAL NOT NULL CHECK (stability > 0),
                        difficulty REAL NOT NULL CHECK (difficulty BETWEEN 1 AND 10),
                        due_at DATETIME NOT NULL,
                        last_review_at DATETIME NOT NULL
                    );
                    CREATE INDEX review_learner_question ON review(learner_id, question_id, reviewed_at);
                    """)
        }
        // History is append-only: the database itself refuses to change or delete an attempt or a
        // review, except when the learner who owns it is deleted (account deletion cascades).
        migrator.registerMigration("0004_append_only_history") { db in
            for table in ["attempt", "review"] {
                try db.execute(
                    sql: """
                        CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                        BEGIN SELECT RAISE(ABORT, '\(table) history is append-only'); END;
                        CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                        WHEN EXISTS (SELECT 1 FROM learner WHERE id = OLD.learner_id)
                        BEGIN SELECT RAISE(ABORT, '\(table) history is append-only'); END;
                        """)
            }
        }
        migrator.registerMigration("0005_create_accounts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE account (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        learner_id INTEGER NOT NULL UNIQUE REFERENCES learner(id) ON DELETE CASCADE,
                        email TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
                        password_hash TEXT NOT NULL CHECK (password_hash LIKE '$2%'),
                        role TEXT NOT NULL CHECK (role IN ('learner', 'coach', 'admin')),
                        created_at REAL NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("0006_create_web_sessions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE web_session (
                        token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
                        account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                        created_at REAL NOT NULL,
                        expires_at REAL NOT NULL
                    );
                    CREATE INDEX web_session_account ON web_session(account_id);
                    """)
        }
        migrator.registerMigration("0007_create_sign_in_failures") { db in
            try db.execute(
                sql: """
                    CREATE TABLE sign_in_failure (
                        key TEXT NOT NULL,
                        at REAL NOT NULL
                    );
                    CREATE INDEX sign_in_failure_key ON sign_in_failure(key, at);
                    """)
        }
        migrator.registerMigration("0008_create_api_tokens") { db in
            try db.execute(
                sql: """
                    CREATE TABLE api_token (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
                        token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
                        created_at REAL NOT NULL,
                        last_used_at REAL
                    );
                    CREATE INDEX api_token_account ON api_token(account_id);
                    """)
        }
        // Lab hand-ins are history like answers: append-only, removed only with their learner.
        migrator.registerMigration("0009_create_lab_attempts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE lab_attempt (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
                        lab_id TEXT NOT NULL CHECK (length(lab_id) BETWEEN 1 AND 80),
                        submitted_at DATETIME NOT NULL,
                        submission TEXT NOT NULL,
                        accepted BOOLEAN NOT NULL,
                        score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
                        findings TEXT NOT NULL CHECK (json_valid(findings))
                    );
                    CREATE INDEX lab_attempt_learner_lab ON lab_attempt(learner_id, lab_id, submitted_at);
                    CREATE TRIGGER lab_attempt_no_update BEFORE UPDATE ON lab_attempt
                    BEGIN SELECT RAISE(ABORT, 'lab_attempt history is append-only'); END;
                    CREATE TRIGGER lab_attempt_no_delete BEFORE DELETE ON lab_attempt
                    WHEN EXISTS (SELECT 1 FROM learner WHERE id = OLD.learner_id)
                    BEGIN SELECT RAISE(ABORT, 'lab_attempt history is append-only'); END;
                    """)
        }
        // Reads that must not grow with a learner's history (issue 21): the answer list newest first,
        // and the review of one attempt.
        migrator.registerMigration("0010_index_history_reads") { db in
            try db.execute(
                sql: """
                    CREATE INDEX attempt_learner_time ON attempt(learner_id, answered_at);
                    CREATE INDEX review_attempt ON review(attempt_id);
                    """)
        }
        // Drafts are the one learner table that is not history: a row is replaced as the learner types
        // and removed when the answer is saved (issue 18).
        migrator.registerMigration("0011_create_drafts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE draft (
                        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
                        key TEXT NOT NULL CHECK (length(key) BETWEEN 3 AND 200),
                        text TEXT NOT NULL,
                        saved_at REAL NOT NULL,
                        PRIMARY KEY (learner_id, key)
                    );
                    CREATE INDEX draft_learner_time ON draft(learner_id, saved_at);
                    """)
        }
        // One-time links an admin gives to someone who forgot their password (issue 18): stored by the
        // SHA-256 of the token, like sessions, and removed when used or replaced.
        migrator.registerMigration("0012_create_password_resets") { db in
            try db.execute(
                sql: """
                    CREATE TABLE password_reset (
                        token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
                        account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                        created_at REAL NOT NULL,
                        expires_at REAL NOT NULL
                    );
                    CREATE INDEX password_reset_account ON password_reset(account_id);
                    """)
        }
        // The hours a week the study plan spreads over the days (issue 17); NULL until the learner says.
        migrator.registerMigration("0013_add_learner_hours_per_week") { db in
            try db.execute(
                sql: """
                    ALTER TABLE learner ADD COLUMN hours_per_week REAL
                        CHECK (hours_per_week IS NULL OR hours_per_week BETWEEN 0.5 AND 80)
                    """)
        }
        // The learner's job postings and company notes (issue 17). Not history: the learner adds and
        // removes them. `plan_target` marks the one opening the study plan is built for.
        migrator.registerMigration("0014_create_openings") { db in
            try db.execute(
                sql: """
                    CREATE TABLE opening (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
                        title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
                        company TEXT NOT NULL CHECK (length(company) BETWEEN 1 AND 300),
                        location TEXT,
                        remote INTEGER NOT NULL CHECK (remote IN (0, 1)),
                        salary_min REAL,
                        salary_max REAL,
                        salary_currency TEXT,
                        salary_period TEXT CHECK (salary_period IN ('hour', 'day', 'week', 'month', 'year')),
                        date_posted TEXT,
                        description TEXT NOT NULL,
                        url TEXT,
                        added_at REAL NOT NULL,
                        plan_target INTEGER NOT NULL DEFAULT 0 CHECK (plan_target IN (0, 1)),
                        CHECK ((salary_min IS NULL) = (salary_currency IS NULL)
                            AND (salary_min IS NULL) = (salary_period IS NULL)
                            AND (salary_min IS NULL) = (salary_max IS NULL)
                            AND (salary_min IS NULL OR (salary_min >= 0 AND salary_min <= salary_max)))
                    );
                    CREATE INDEX opening_learner ON opening(learner_id, added_at);
                    CREATE UNIQUE INDEX opening_one_plan_target ON opening(learner_id) WHERE plan_target = 1;
                    CREATE TABLE company_note (
                        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
                        company_key TEXT NOT NULL,
                        company TEXT NOT NULL CHECK (length(company) BETWEEN 1 AND 300),
                        tech_stack TEXT NOT NULL,
                        interview_format TEXT NOT NULL,
                        people TEXT NOT NULL,
                        updated_at REAL NOT NULL,
                        PRIMARY KEY (learner_id, company_key)
                    );
                    """)
        }
        // The level the learner says they are at (issue 17's first run); NULL until said.
        migrator.registerMigration("0015_add_learner_level") { db in
            try db.execute(
                sql: """
                    ALTER TABLE learner ADD COLUMN level TEXT
                        CHECK (level IS NULL OR level IN ('beginner', 'intermediate', 'advanced'))
                    """)
        }
        return migrator
    }
}
