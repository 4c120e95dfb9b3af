#include <sqlite3.h>
#include "rounds_sqlite_shim.h"

int rounds_sqlite_harden(struct sqlite3 *db) {
    int rc = SQLITE_OK;
    int out = 0;
    rc |= sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &out);
    rc |= sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &out);
    rc |= sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &out);
    rc |= sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, &out);
    rc |= sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, &out);
    return rc;
}

// Per-thread memory accounting. SQLite's own counter (sqlite3_memory_used) is process-wide, so a
// query's memory cap based on it charges one learner for another's concurrent query. Every SQLite
// allocation goes through these wrappers, which keep a per-thread net byte count; a lab query runs
// start to finish on one thread, so the count's change while it runs is that query's own memory.
static sqlite3_mem_methods rounds_system_allocator;
static _Thread_local long long rounds_thread_bytes = 0;

static void *rounds_malloc(int size) {
    void *pointer = rounds_system_allocator.xMalloc(size);
    if (pointer) rounds_thread_bytes += rounds_system_allocator.xSize(pointer);
    return pointer;
}

static void rounds_free(void *pointer) {
    if (pointer) rounds_thread_bytes -= rounds_system_allocator.xSize(pointer);
    rounds_system_allocator.xFree(pointer);
}

static void *rounds_realloc(void *pointer, int size) {
    int before = pointer ? rounds_system_allocator.xSize(pointer) : 0;
    void *moved = rounds_system_allocator.xRealloc(pointer, size);
    if (moved) rounds_thread_bytes += rounds_system_allocator.xSize(moved) - before;
    return moved;
}

static int rounds_size(void *pointer) { return rounds_system_allocator.xSize(pointer); }
static int rounds_roundup(int size) { return rounds_system_allocator.xRoundup(size); }
static int rounds_init(void *data) { return rounds_system_allocator.xInit(data); }
static void rounds_shutdown(void *data) { rounds_system_allocator.xShutdown(data); }

static int rounds_accounting = 0;

// Runs when the program loads, before anything can initialise SQLite (sqlite3_config refuses
// afterwards).
__attribute__((constructor)) static void rounds_install_allocator(void) {
    if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &rounds_system_allocator) != SQLITE_OK) return;
    sqlite3_mem_methods wrapped = rounds_system_allocator;
    wrapped.xMalloc = rounds_malloc;
    wrapped.xFree = rounds_free;
    wrapped.xRealloc = rounds_realloc;
    wrapped.xSize = rounds_size;
    wrapped.xRoundup = rounds_roundup;
    wrapped.xInit = rounds_init;
    wrapped.xShutdown = rounds_shutdown;
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &wrapped) == SQLITE_OK) rounds_accounting = 1;
}

long long rounds_thread_memory(void) { return rounds_thread_bytes; }

int rounds_memory_accounting(void) { return rounds_accounting; }
