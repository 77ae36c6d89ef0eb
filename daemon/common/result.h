// Errors as values at module boundaries: Error carries a typed code and a
// message for people; Result<T> holds either a T or an Error. Code that maps
// errors to exit codes or HTTP statuses switches on code(), never on message().
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace herald {

enum class ErrorCode {
  kInvalidArgument,     // the caller's input is wrong (calendar, request body, flag)
  kNotFound,            // the thing asked for does not exist
  kAlreadyExists,       // a duplicate (job id, platform claimed twice)
  kPermissionDenied,    // file modes, peer credentials
  kFailedPrecondition,  // the state does not allow it (job already published)
  kUnavailable,         // transient: try again later
  kIo,                  // a file or socket operation failed
  kInternal,            // a bug or an impossible state
  kNotImplemented,      // deliberately not there yet
};

class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design
  static Status Ok() { return {}; }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_{ErrorCode::kInternal, ""};
  bool ok_ = true;
};

}  // namespace herald
