#include "perfrunner/scenarios/trigger_record.hpp"

#include "perfrunner/model/rounding.hpp"

namespace perfrunner::scenarios {

model::Trigger reference_trigger(const model::Trigger& trigger, bool round_threshold) {
    return model::Trigger{trigger.container,
                          trigger.metric,
                          model::round_half_even(trigger.value, 2),
                          round_threshold ? model::round_half_even(trigger.threshold, 2) : trigger.threshold,
                          std::nullopt,
                          trigger.extra};
}

model::Trigger detailed_trigger(const model::Trigger& trigger) {
    model::Trigger out = reference_trigger(trigger, /*round_threshold=*/true);
    out.detail = trigger.detail;
    if (out.detail) {
        out.detail->window_mean = model::round_half_even(out.detail->window_mean, 2);
    }
    return out;
}

std::vector<model::LevelWindowMean> round_window_means(std::vector<model::LevelWindowMean> means) {
    for (auto& m : means) {
        m.memory_percent = model::round_half_even(m.memory_percent, 2);
        m.cpu_percent_of_cores = model::round_half_even(m.cpu_percent_of_cores, 2);
    }
    return means;
}

}  // namespace perfrunner::scenarios
