// The SQLite journal: one database file in WAL mode with synchronous=FULL.
// All of herald's SQL lives in this module (sqlite_journal.cc for the queries,
// sqlite_schema.cc for the schema and its migrations).
//
// Inside, one writer thread owns the writing connection and applies queued
// mutations in batches, one transaction (one fsync) per batch; reads use a
// second connection. The returned Journal owns both and its thread; destroying
// it finishes queued mutations, then closes. Thread-safety: see journal.h.
//
// One process per journal: take a StateDirLock (state_dir_lock.h) on the state
// directory before opening.
#pragma once

#include <filesystem>
#include <memory>

#include "common/result.h"
#include "journal/journal.h"

namespace herald::journal {

// Opens (creating if absent) the journal at `file` and migrates its schema to
// the latest version. kIo when SQLite fails, kFailedPrecondition when the file
// was written by a newer herald (schema version above ours).
Result<std::unique_ptr<Journal>> OpenSqliteJournal(const std::filesystem::path& file);

}  // namespace herald::journal
