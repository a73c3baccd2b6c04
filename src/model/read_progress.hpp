#pragma once
// Internal to the model layer: how far a results.json read has got, told by the reader to a writer that
// follows it on another thread (rewrite_results_file). `analyze` writes the file it reads; written after the
// read, the samples (nearly all of the bytes) kept one of the two cores busy while the other waited for the
// analysis. Written while the read goes on, they use the core the read leaves idle.
//
// The reader says what in the model is final; the writer reads nothing else. What "final" means:
//   - the run's head (test_id, started_at, config) and the scenarios array's size, at "scenarios", when the
//     head members came before it and the array was counted (run.scenarios then never reallocates);
//   - scenario k's members before its samples (name, params, times, duration), at its "samples", when they
//     all came before it and the samples were counted (its samples vector never reallocates);
//   - then its samples one by one, and the scenario whole at its end;
//   - and everything when the read finishes.
// Whatever the file's order denies, the writer waits for, up to the end of the read: the output is the same.
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "perfrunner/model/results.hpp"

namespace perfrunner::model::detail {

// Every container's key in `containers` and `rolling_averages` ("name", or "name@host" when it has a host,
// so the same name on two hosts is no duplicate key), quoted once; and its host ("" = the only one).
struct ContainerTable {
    std::vector<std::string> keys;
    std::vector<std::string> hosts;

    // Adds the containers `run` interned after the ones the table has.
    void extend(const RunResult& run);
};

class ReadProgress {
  public:
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

    // Reader side (each call publishes every write to the model made before it).
    void head_final(std::size_t scenario_count);
    void scenario_head_final(std::size_t scenario);
    void samples_final(std::size_t scenario, std::size_t count, const RunResult& run);
    void scenario_final(std::size_t scenario, const RunResult& run);
    void finished(const RunResult& run);
    void failed();

    // Writer side: what is final now, waiting until `ready(state)` holds or the read has finished or failed.
    struct State {
        std::size_t scenario_count = kNone;  // kNone: the head is not final yet
        std::size_t scenario = 0;            // the scenario being read
        bool scenario_head = false;          // its members before the samples are final
        std::size_t samples = 0;             // its samples final
        std::size_t scenarios_final = 0;     // scenarios [0, this) are final
        std::size_t containers = 0;          // containers() has this many
        bool finished = false;
        bool failed = false;
    };
    State wait(const std::function<bool(const State&)>& ready);
    // The containers interned so far (a copy: the reader's table grows as it reads).
    ContainerTable containers() const;

  private:
    // Runs `change` on the state with mutex_ held, then wakes the writer.
    template <class Change>
    void update(Change&& change);
    void publish_containers(const RunResult& run);  // with mutex_ held

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    State state_;
    ContainerTable table_;
};

// read_results_file into `run` (empty), telling `progress` what is final as it reads. Not its finished() or
// failed(): the caller tells those, whatever ended the read.
void read_results_into(const std::filesystem::path& path, RunResult& run, ReadProgress& progress);

}  // namespace perfrunner::model::detail
