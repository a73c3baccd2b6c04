#include "perfrunner/scenarios/journal_sink.hpp"

#include "perfrunner/model/journal.hpp"

namespace perfrunner::scenarios {

JournalSink::JournalSink(std::filesystem::path path, std::size_t sync_every_samples)
    : file_(std::move(path)), sync_every_(sync_every_samples < 1 ? 1 : sync_every_samples) {}

void JournalSink::sample_taken(const model::RunResult& run, std::size_t scenario) {
    sample_added(run, scenario, run.scenarios.at(scenario).samples.back());
}

void JournalSink::sample_added(const model::RunResult& run, std::size_t scenario,
                               const model::Sample& sample) {
    try {
        file_.append(model::journal_sample_line(run, scenario, sample));
        if (++unsynced_ >= sync_every_) {
            unsynced_ = 0;
            file_.sync();
        }
    } catch (...) {
        ++failures_;
        throw;
    }
}

void JournalSink::checkpoint(const model::RunResult& run) {
    try {
        file_.append(model::journal_state_line(run));
        unsynced_ = 0;
        file_.sync();
    } catch (...) {
        ++failures_;
        throw;
    }
}

}  // namespace perfrunner::scenarios
