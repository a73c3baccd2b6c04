#pragma once
// The ResultsSink of a real run: results.json rewritten atomically (temporary file + fsync + rename), so a
// crash or a kill at any moment leaves the previous complete checkpoint.
#include <filesystem>

#include "perfrunner/model/results_json.hpp"
#include "perfrunner/ports/results_sink.hpp"

namespace perfrunner::scenarios {

class FileResultsSink final : public ports::ResultsSink {
  public:
    explicit FileResultsSink(std::filesystem::path path) : path_(std::move(path)) {}
    void checkpoint(const model::RunResult& run) override { model::write_results_file(path_, run); }
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

}  // namespace perfrunner::scenarios
