#pragma once
// Live progress of `perfrunner run` on stderr.
//  - terminal: one status line refreshed in place (scenario, phase, elapsed/remaining, agents queued, the
//  busiest
//    containers' CPU and memory against their thresholds, real-time ratio); notes and phase changes on their
//    own lines above it;
//  - log (CI, pipes): plain timestamped lines on phase changes, notes, and a status line at most every
//    log_interval_seconds.
// --quiet uses progress::NullProgress instead.
#include <cstdio>
#include <functional>
#include <string>

#include "perfrunner/config/config.hpp"
#include "perfrunner/progress/listener.hpp"

namespace perfrunner::progress {

class ConsoleProgress final : public ProgressListener {
  public:
    enum class Mode { terminal, log };
    ConsoleProgress(const config::Config& config, Mode mode, std::FILE* out, std::function<double()> now,
                    double log_interval_seconds = 10.0);

    void phase_started(const PhaseInfo& phase) override;
    void sample_taken(const model::RunResult& run, const model::Sample& sample,
                      const LiveFigures& live) override;
    void note(std::string_view text) override;
    void finished() override;

    // The status text for one sample (exposed for tests).
    std::string status_text(const model::RunResult& run, const model::Sample& sample,
                            const LiveFigures& live) const;

  private:
    void clear_line();
    std::string stamp() const;

    const config::Config& config_;
    Mode mode_;
    std::FILE* out_;
    std::function<double()> now_;
    double log_interval_;
    PhaseInfo phase_;
    double last_log_ = -1e300;
    bool line_open_ = false;
};

}  // namespace perfrunner::progress
