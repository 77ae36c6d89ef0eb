// Conversions around a job's payload: a calendar's rendered Job becomes the
// journal's JobRecord (its payload is calendar::ToJson, the post_json a
// connector receives), and a journal Job becomes the PostInput handed to a
// connector's step/find. Pure functions; any thread.
#pragma once

#include "calendar/job.h"
#include "common/result.h"
#include "journal/job.h"
#include "plugin/connector.h"

namespace herald::core {

journal::JobRecord ToJobRecord(const calendar::Job& job);

// Fails (kInvalidArgument) when the stored payload is not the JSON it must be.
Result<plugin::PostInput> ToPostInput(const journal::Job& job);

}  // namespace herald::core
