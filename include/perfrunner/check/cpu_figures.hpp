#pragma once
// `perfrunner check` shows a CPU figure per container, but a source gives one only across two polls with a
// new sample in between (cAdvisor's stats, Prometheus' scrapes): a container or host still without one is
// polled again, and each keeps the first figure it gets.
#include "perfrunner/ports/metrics_source.hpp"

namespace perfrunner::check {

// Polls `source` up to `attempts` more times, `pause_seconds` apart, while `reading` is ok and a container
// (or the host) has no CPU figure yet; returns the last reading with the first figure each one got filled in.
ports::MetricsReading complete_cpu_figures(ports::MetricsSource& source, ports::MetricsReading reading,
                                           double pause_seconds, int attempts);

}  // namespace perfrunner::check
