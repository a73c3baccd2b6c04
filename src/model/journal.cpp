// Journal records are results documents of the one mapping (results_json.hpp) written on one line; see
// journal.hpp for the record kinds.
#include "perfrunner/model/journal.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "perfrunner/error.hpp"
#include "perfrunner/model/results_json.hpp"
#include "perfrunner/model/timestamps.hpp"

namespace perfrunner::model {
namespace {

// The results writer pretty-prints; JSON strings never hold a raw newline (it is escaped), so every newline
// and the indentation after it lie between tokens and can go.
std::string one_line(const std::string& pretty) {
    std::string out;
    out.reserve(pretty.size());
    bool skip_indent = false;
    for (const char ch : pretty) {
        if (ch == '\n') {
            skip_indent = true;
            continue;
        }
        if (skip_indent && ch == ' ') {
            continue;
        }
        skip_indent = false;
        out.push_back(ch);
    }
    out.push_back('\n');
    return out;
}

// Every member of a scenario except its samples (a state record never carries samples: those are appended
// once each).
ScenarioResult without_samples(const ScenarioResult& s) {
    ScenarioResult c;
    c.scenario_name = s.scenario_name;
    c.scenario_params = s.scenario_params;
    c.started_at = s.started_at;
    c.completed_at = s.completed_at;
    c.duration_seconds = s.duration_seconds;
    c.oom_events = s.oom_events;
    c.aborted = s.aborted;
    c.abort_reason = s.abort_reason;
    c.metadata = s.metadata;
    c.extra = s.extra;
    return c;
}

RunResult run_without_samples(const RunResult& run) {
    RunResult c;
    c.test_id = run.test_id;
    c.started_at = run.started_at;
    c.config = run.config;
    c.scenarios.reserve(run.scenarios.size());
    for (const auto& s : run.scenarios) {
        c.scenarios.push_back(without_samples(s));
    }
    c.derived_config = run.derived_config;
    c.completed_at = run.completed_at;
    c.aborted = run.aborted;
    c.abort_reason = run.abort_reason;
    c.analysis = run.analysis;
    c.extra = run.extra;
    return c;
}

// A sample of `from` with its container ids moved into `to`'s table.
Sample reinterned(const RunResult& from, Sample sample, RunResult& to) {
    for (auto& c : sample.containers) {
        c.container = to.intern(from.container_name(c.container), from.container_host(c.container));
    }
    for (auto& r : sample.rolling_averages) {
        r.container = to.intern(from.container_name(r.container), from.container_host(r.container));
    }
    return sample;
}

std::string record_kind(const RunResult& record) {
    const auto it = record.extra.find("journal");
    if (it == record.extra.end() || !it->is_string()) {
        throw InputError("not a journal record (no \"journal\" member naming its kind)");
    }
    return it->get<std::string>();
}

std::size_t scenario_index(const RunResult& record) {
    const auto it = record.extra.find("scenario");
    if (it == record.extra.end() || !it->is_number_integer() || it->get<long long>() < 0) {
        throw InputError("sample record without a \"scenario\" index (an integer >= 0)");
    }
    return static_cast<std::size_t>(it->get<long long>());
}

class Replayer {
  public:
    void add(const RunResult& record) {
        const std::string kind = record_kind(record);
        if (kind == "state") {
            add_state(record);
        } else if (kind == "sample") {
            add_sample(record);
        } else {
            throw InputError(fmt::format("unknown record kind \"{}\"", kind));
        }
    }

    JournalReplay finish(std::string_view source_name) {
        if (!has_state_) {
            throw InputError(
                fmt::format("{}: no run record (not a perfrunner journal, or empty)", source_name));
        }
        for (std::size_t i = 0; i < state_.scenarios.size() && i < samples_.size(); ++i) {
            // Backfilled samples are journaled after the ticks around them: back into time order.
            std::stable_sort(samples_[i].begin(), samples_[i].end(),
                             [](const Sample& a, const Sample& b) { return a.timestamp < b.timestamp; });
            state_.scenarios[i].samples = std::move(samples_[i]);
        }
        // The samples' container ids index the replay's own table.
        state_.containers = std::move(containers_.containers);
        state_.container_hosts = std::move(containers_.container_hosts);
        replay_.ended = !state_.completed_at.empty();
        replay_.run = std::move(state_);
        return std::move(replay_);
    }

    JournalReplay& replay() { return replay_; }

  private:
    void add_state(const RunResult& record) {
        const auto version = record.extra.find("journal_version");
        if (version == record.extra.end() || *version != kJournalVersion) {
            throw InputError(fmt::format(
                "state record of an unknown journal version (this perfrunner reads {})", kJournalVersion));
        }
        const auto count = record.extra.find("journal_scenarios");
        if (count == record.extra.end() || !count->is_number_integer() || count->get<long long>() < 0 ||
            static_cast<std::size_t>(count->get<long long>()) > record.scenarios.size()) {
            throw InputError("state record without a valid \"journal_scenarios\" count");
        }
        const auto scenarios = static_cast<std::size_t>(count->get<long long>());
        if (scenarios < state_.scenarios.size()) {
            throw InputError("state record with fewer scenarios than the one before (records out of order)");
        }
        state_ = run_without_samples(record);
        state_.scenarios.resize(scenarios);
        for (const char* key : {"journal", "journal_version", "journal_scenarios"}) {
            state_.extra.erase(key);
        }
        has_state_ = true;
    }

    void add_sample(const RunResult& record) {
        if (!has_state_) {
            throw InputError("sample record before the first state record");
        }
        const std::size_t index = scenario_index(record);
        if (index >= state_.scenarios.size()) {
            throw InputError(fmt::format("sample of scenario {} but the run has {} scenarios so far", index,
                                         state_.scenarios.size()));
        }
        if (record.scenarios.size() != 1 || record.scenarios.front().samples.size() != 1) {
            throw InputError("sample record without exactly one scenario holding one sample");
        }
        if (samples_.size() <= index) {
            samples_.resize(index + 1);
        }
        samples_[index].push_back(reinterned(record, record.scenarios.front().samples.front(), containers_));
        ++replay_.samples;
    }

    JournalReplay replay_;
    RunResult state_;
    bool has_state_ = false;
    std::vector<std::vector<Sample>> samples_;
    RunResult containers_;  // only its container table is used
};

bool blank(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

std::string journal_state_line(const RunResult& run) {
    RunResult record = run_without_samples(run);
    record.extra["journal"] = "state";
    record.extra["journal_version"] = kJournalVersion;
    // A results document needs a scenario; before the first one a placeholder stands in, and the count says
    // how many are real.
    record.extra["journal_scenarios"] = record.scenarios.size();
    if (record.scenarios.empty()) {
        record.scenarios.emplace_back().scenario_name = "journal_placeholder";
    }
    return one_line(to_json_text(record));
}

std::string journal_sample_line(const RunResult& run, std::size_t scenario_index, const Sample& sample) {
    RunResult record;
    record.scenarios.emplace_back();
    record.scenarios.back().samples.push_back(reinterned(run, sample, record));
    record.extra["journal"] = "sample";
    record.extra["scenario"] = scenario_index;
    return one_line(to_json_text(record));
}

JournalReplay parse_journal(std::string_view text, std::string_view source_name) {
    Replayer replayer;
    std::size_t line_no = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t nl = text.find('\n', pos);
        const std::string_view line =
            text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        ++line_no;
        if (blank(line)) {
            continue;
        }
        const bool last = text.substr(pos).find_first_not_of(" \t\r\n") == std::string_view::npos;
        const std::string where = fmt::format("{} line {}", source_name, line_no);
        try {
            replayer.add(parse_results(line, where));
            ++replayer.replay().records;
        } catch (const InputError& e) {
            if (last) {
                // The line being written when the run ended (killed, crashed, disk full, power lost).
                replayer.replay().truncated_tail = true;
                break;
            }
            std::string what = e.what();
            if (what.rfind(where, 0) != 0) {
                what.insert(0, where + ": ");
            }
            throw InputError(what);
        }
    }
    return replayer.finish(source_name);
}

JournalReplay read_journal_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::error_code ec;
        const bool exists = std::filesystem::exists(path, ec);
        throw InputError(fmt::format("{}: cannot be read ({})", path.string(),
                                     exists ? "permission denied or not a file" : "no such file"));
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        throw InputError(fmt::format("{}: read error", path.string()));
    }
    return parse_journal(text.str(), path.string());
}

void close_unfinished_run(RunResult& run, const std::string& reason) {
    const auto last_time = [](const ScenarioResult& s) {
        return s.samples.empty() ? s.started_at : s.samples.back().timestamp_iso;
    };
    std::string run_end = run.started_at;
    for (auto& s : run.scenarios) {
        if (s.completed_at.empty()) {
            s.completed_at = last_time(s);
            const auto started = parse_iso(s.started_at);
            if (started && !s.samples.empty()) {
                s.duration_seconds =
                    s.samples.back().timestamp - static_cast<double>(started->epoch_ns) / 1e9;
            }
            if (!s.aborted) {
                s.aborted = true;
                s.abort_reason = reason;
            }
        }
        if (!s.completed_at.empty()) {
            run_end = s.completed_at;
        }
    }
    if (run.completed_at.empty()) {
        run.completed_at = run_end;
        if (!run.aborted) {
            run.aborted = true;
            run.abort_reason = reason;
        }
    }
}

}  // namespace perfrunner::model
