#ifndef ROUNDS_SQLITE_SHIM_H
#define ROUNDS_SQLITE_SHIM_H

// sqlite3_db_config is variadic, which Swift cannot call. The header names no SQLite type beyond a
// forward declaration, so it does not clash with the module that GRDB builds from <sqlite3.h>.
struct sqlite3;

/// Locks a connection down for untrusted SQL: DEFENSIVE on (no writing to the schema or pages),
/// TRUSTED_SCHEMA off, extension loading off, double-quoted string literals off.
/// Returns 0 (SQLITE_OK) when every setting took.
int rounds_sqlite_harden(struct sqlite3 *db);

/// Bytes SQLite holds that this thread allocated, net of what it freed (see shim.c).
long long rounds_thread_memory(void);

/// 1 when the per-thread accounting is installed (it must be, before SQLite is first used).
int rounds_memory_accounting(void);

#endif
