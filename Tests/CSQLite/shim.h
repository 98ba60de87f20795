// SQLite, the oracle of the differential query tests (linked by tests only).
#include <sqlite3.h>
