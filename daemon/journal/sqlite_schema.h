// The journal's SQLite schema and its migrations, tracked by PRAGMA
// user_version. Migration n takes the schema from version n-1 to n; they run in
// order, each in its own transaction. Used by OpenSqliteJournal on its writing
// connection before any other thread exists; MigrateJournalFile is for tests and
// tools that need a file at a given (older) version.
#pragma once

#include <filesystem>

#include "common/result.h"

struct sqlite3;

namespace herald::journal {

inline constexpr int kJournalSchemaVersion = 6;

// Migrates `db` up to `target` (<= kJournalSchemaVersion). Fails with
// kFailedPrecondition when the file's version is above kJournalSchemaVersion.
Status MigrateSchema(sqlite3* db, int target);

// Opens `file` (creating it), migrates to `target`, closes.
Status MigrateJournalFile(const std::filesystem::path& file, int target);

}  // namespace herald::journal
