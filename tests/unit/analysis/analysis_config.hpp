#pragma once
// The config the analysis tests judge hand-built runs with: the reference framework's thresholds and leak
// settings written out, so that a change of a default does not move what these tests expect.
#include "perfrunner/config/config.hpp"

namespace perfrunner::testing_config {

inline config::Config test_config() {
    config::Config c;
    c.thresholds.memory_leak_mb_per_min = 1.0;
    c.thresholds.memory_leak_monitor_mb_per_min = 0.5;
    c.thresholds.memory_warning_percent = 70;
    c.thresholds.memory_critical_percent = 85;
    c.thresholds.cpu_leak_percent_per_min = 5;
    c.thresholds.cpu_warning_percent = 70;
    c.thresholds.cpu_critical_percent = 85;
    c.analysis.leak_warmup_seconds = 30;
    c.analysis.leak_alpha = 0.05;
    c.analysis.leak_min_samples = 50;
    c.analysis.leak_min_neff = 10;
    c.analysis.leak_min_windows = 6;
    c.analysis.leak_envelope_window_seconds = 30;
    c.analysis.cooldown_active_window_seconds = 60;
    c.analysis.cooldown_window_seconds = 120;
    return c;
}

}  // namespace perfrunner::testing_config
