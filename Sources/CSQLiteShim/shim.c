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
