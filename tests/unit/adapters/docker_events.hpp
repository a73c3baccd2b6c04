#pragma once
// `docker events --format '{{json .}}'` lines recorded from a real engine: two OOM kills in one container.
#include <string>

namespace perfrunner::adapters::test_data {

inline const std::string kEvent1 =
    R"({"status":"oom","id":"abc123456789ffff","Type":"container","Action":"oom","Actor":{"ID":"abc123456789ffff","Attributes":{"image":"perfrunner/busybox:local","name":"hog"}},"scope":"local","time":1700000010,"timeNano":1700000010123456789})";
inline const std::string kEvent2 =
    R"({"status":"oom","id":"abc123456789ffff","Type":"container","Action":"oom","Actor":{"ID":"abc123456789ffff","Attributes":{"image":"perfrunner/busybox:local","name":"hog"}},"scope":"local","time":1700000020,"timeNano":1700000020000000001})";

}  // namespace perfrunner::adapters::test_data
