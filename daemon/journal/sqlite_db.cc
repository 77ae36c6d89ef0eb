#include "journal/sqlite_db.h"

#include <fcntl.h>

#include "common/private_file.h"

namespace herald::journal {

Result<std::unique_ptr<Db>> Db::Open(const std::filesystem::path& file) {
  // The journal holds every rendered post: 0600 whatever the umask. SQLite
  // gives its -wal and -shm the database file's mode, so creating (or
  // narrowing) the file first is enough for new ones; older ones are narrowed.
  auto created = OpenWithMode(file, O_RDWR, 0600);
  if (!created.ok()) return Error(created.error().code(), "journal: " + created.error().message());
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    std::filesystem::path side = file.string() + suffix;
    if (std::filesystem::exists(side)) {
      auto narrowed = OpenWithMode(side, O_RDWR, 0600);
      if (!narrowed.ok()) {
        return Error(narrowed.error().code(), "journal: " + narrowed.error().message());
      }
    }
  }
  sqlite3* handle = nullptr;
  int rc =
      sqlite3_open_v2(file.c_str(), &handle,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "journal: cannot open " + file.string() + ": " +
                          (handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc));
    sqlite3_close(handle);
    return Error(ErrorCode::kIo, message);
  }
  std::unique_ptr<Db> db(new Db(handle));
  sqlite3_busy_timeout(handle, 10000);
  Status status =
      db->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  if (!status.ok()) return status.error();
  return db;
}

Db::~Db() {
  statements_.clear();
  sqlite3_close(db_);
}

Status Db::Exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) == SQLITE_OK) return Status::Ok();
  std::string text = message ? message : "unknown error";
  sqlite3_free(message);
  return Error(ErrorCode::kIo, "journal: " + text);
}

Stmt* Db::Prepare(const std::string& sql, Status* error) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second.get();
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK) {
    *error = SqlError("prepare");
    return nullptr;
  }
  return statements_.emplace(sql, std::make_unique<Stmt>(stmt)).first->second.get();
}

Error Db::SqlError(std::string_view context) const {
  return Error(ErrorCode::kIo, "journal: " + std::string(context) + ": " + sqlite3_errmsg(db_));
}

}  // namespace herald::journal
