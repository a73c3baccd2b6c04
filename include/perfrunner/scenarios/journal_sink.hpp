#pragma once
// The ResultsSink of a real run: the run journal (model/journal.hpp) in the run folder.
//
// Durability cadence: every record reaches the kernel at once (one write(2) per line), so a crash or a kill
// of perfrunner loses nothing already sampled. fsync, which only a power loss or a kernel crash needs, runs
// after every state record (rare, and each one marks a phase boundary worth keeping) and after every
// `sync_every_samples` sample records (sampling.checkpoint_every_samples, default 10: at the default 2 s
// cadence at most 20 s of samples are exposed to a power loss, and the sampling thread pays one fsync per
// 20 s instead of one per tick, which on a busy or network disk can take longer than a tick).
// The cost of a record is the size of one sample, whatever the run's length (the former checkpoints rewrote
// the whole results.json every N samples: quadratic in the run's length).
#include <cstddef>
#include <filesystem>

#include "perfrunner/model/journal_file.hpp"
#include "perfrunner/ports/results_sink.hpp"

namespace perfrunner::scenarios {

class JournalSink final : public ports::ResultsSink {
  public:
    JournalSink(std::filesystem::path path, std::size_t sync_every_samples);

    void sample_taken(const model::RunResult& run, std::size_t scenario) override;
    void sample_added(const model::RunResult& run, std::size_t scenario,
                      const model::Sample& sample) override;
    void checkpoint(const model::RunResult& run) override;

    // False once any record could not be appended: the journal then misses something the run holds.
    bool complete() const { return failures_ == 0; }
    const std::filesystem::path& path() const { return file_.path(); }

  private:
    model::JournalFile file_;
    std::size_t sync_every_;
    std::size_t unsynced_ = 0;
    std::size_t failures_ = 0;
};

}  // namespace perfrunner::scenarios
