#include "perfrunner/report/trigger_text.hpp"

#include "perfrunner/report/format.hpp"

namespace perfrunner::report {

std::string trigger_text(const model::Trigger& trigger) {
    const auto or_unknown = [](const std::string& s) { return s.empty() ? std::string("?") : s; };
    return or_unknown(trigger.container) + " " + or_unknown(trigger.metric) + " at " +
           format_number(trigger.value, 2) + " (threshold " + format_number(trigger.threshold, 2) + ")";
}

}  // namespace perfrunner::report
