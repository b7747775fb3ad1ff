#ifndef VIGIL_CSQLITE_SHIM_H
#define VIGIL_CSQLITE_SHIM_H

#include <sqlite3.h>

/// SQLITE_TRANSIENT is a cast of -1 to a function pointer, which Swift cannot
/// import. SQLite copies the bound buffer before the call returns.
static inline sqlite3_destructor_type vigil_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

/// SQLITE_STATIC: the caller promises the buffer outlives the statement step.
static inline sqlite3_destructor_type vigil_sqlite_static(void) {
    return SQLITE_STATIC;
}

#endif
