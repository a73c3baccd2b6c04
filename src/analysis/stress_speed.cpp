#include "perfrunner/analysis/stress_speed.hpp"

#include <algorithm>

#include "perfrunner/analysis/series.hpp"
#include "perfrunner/analysis/stats/descriptive.hpp"

namespace perfrunner::analysis {

namespace {

// The reference leaves an OOM-aborted stress test's metadata empty (its bug 10): peaks from the raw samples.
std::vector<model::PeakValues> peaks_from_samples(const model::RunResult& run,
                                                  const model::ScenarioResult& sc) {
    std::vector<model::PeakValues> peaks;
    for (const auto& sample : sc.samples) {
        for (const auto& c : sample.containers) {
            if (c.missing) {
                continue;
            }
            const std::string& name = run.container_label(c.container);
            auto it = std::find_if(peaks.begin(), peaks.end(),
                                   [&](const model::PeakValues& p) { return p.container == name; });
            if (it == peaks.end()) {
                it = peaks.insert(peaks.end(), model::PeakValues{name, c.memory_percent, 0.0, {}});
            }
            it->memory_percent = std::max(it->memory_percent, c.memory_percent);
            it->cpu_percent = std::max(it->cpu_percent, c.cpu_percent.value_or(0.0));
        }
    }
    return peaks;
}

}  // namespace

StressAnalysis analyze_stress(const model::RunResult& run, const model::ScenarioResult& sc) {
    StressAnalysis s;
    if (const auto* md = std::get_if<model::StressMetadata>(&sc.metadata)) {
        s.trigger = md->trigger;
        s.peak_values = md->peak_values;
        s.drivers_queued = md->drivers_queued;
        if (md->step_mode) {
            s.last_healthy = md->step_mode->last_healthy;
            s.breaking_point = md->step_mode->breaking_point;
            s.recommended_load = md->step_mode->headroom_recommendation;
        }
    }
    if (s.peak_values.empty()) {
        s.peak_values = peaks_from_samples(run, sc);
    }
    return s;
}

SpeedAnalysis analyze_speed(const model::RunResult& run, const model::ScenarioResult& sc,
                            const config::Config& config) {
    SpeedAnalysis sp;
    const auto* md = std::get_if<model::SpeedMetadata>(&sc.metadata);
    if (md == nullptr) {
        return sp;
    }
    std::size_t begin = 0;
    bool failed = false;
    for (const auto& r : md->step_results) {
        SpeedStep st;
        st.step = r.step;
        st.multiplier = r.multiplier;
        st.agent_count = r.agent_count;
        st.sample_count = r.sample_count;
        st.threshold_hit = r.threshold_hit;
        st.trigger = r.trigger;
        const std::size_t end = std::min(begin + st.sample_count, sc.samples.size());
        for (auto id : containers_in(run, sc, config, begin, end)) {
            const auto cpu =
                extract(sc, id, begin, end, [](const model::ContainerSample& c) { return c.cpu_percent; });
            const auto mem = extract(
                sc, id, begin, end,
                [](const model::ContainerSample& c) -> std::optional<double> { return c.memory_percent; });
            if (!cpu.y.empty()) {
                st.mean_cpu_percent.emplace_back(run.container_label(id), stats::describe(cpu.y).mean);
            }
            if (!mem.y.empty()) {
                st.mean_memory_percent.emplace_back(run.container_label(id), stats::describe(mem.y).mean);
            }
        }
        std::vector<double> rtr;
        for (std::size_t i = begin; i < end; ++i) {
            const auto& p = sc.samples[i].pace;
            if (p && p->real_time_ratio) {
                rtr.push_back(*p->real_time_ratio);
            }
        }
        if (!rtr.empty()) {
            st.mean_real_time_ratio = stats::describe(rtr).mean;
        }
        begin = end;
        if (!failed && !st.threshold_hit) {
            sp.max_speed_passed = st.multiplier;
        }
        if (st.threshold_hit) {
            failed = true;
        }
        sp.steps.push_back(std::move(st));
    }
    if (md->max_speed_achieved > 0) {
        sp.max_speed_achieved = md->max_speed_achieved;
    } else if (!sp.steps.empty()) {
        sp.max_speed_achieved = sp.steps.back().multiplier;
    }
    return sp;
}

}  // namespace perfrunner::analysis
