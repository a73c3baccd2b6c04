// results.json reading (results-schema.md): one pass with simdjson On-Demand straight into the model, no DOM,
// so a file of a million container samples needs little more memory than the file itself. Type checks and
// error lines naming the JSON path come from JsonCursor; this file only knows the schema.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "json_cursor.hpp"
#include "mapped_input.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/model/results_json.hpp"
#include "perfrunner/model/scenario_metadata_json.hpp"
#include "read_progress.hpp"

namespace perfrunner::model {
namespace {

using detail::JsonCursor;
using detail::od::document;
using detail::od::value;

class ResultsReader {
  public:
    // `input`, when the text is a mapped file, has the pages the reading has passed dropped as it goes.
    // `progress`, when given, is told what in the model is final as the reading goes (read_progress.hpp).
    explicit ResultsReader(std::string_view source, detail::MappedInput* input = nullptr,
                           detail::ReadProgress* progress = nullptr)
        : in_(source, "results.json"), input_(input), progress_(progress) {}

    [[noreturn]] void malformed(simdjson::error_code e) const { in_.malformed(e); }

    void read_run(document& doc, RunResult& run) {
        bool has_scenarios = false;
        // test_id, started_at and config read so far: the writer's members before the scenarios.
        int head_members = 0;
        bool has_aborted = false;
        bool has_abort_reason = false;
        in_.for_each_member(in_.document_object(doc, "a results object"),
                            [&](std::string_view key, value& f) {
                                if (key == "test_id") {
                                    run.test_id = in_.string(f);
                                    ++head_members;
                                } else if (key == "started_at") {
                                    run.started_at = in_.string(f);
                                    ++head_members;
                                } else if (key == "completed_at") {
                                    run.completed_at = in_.string(f);
                                } else if (key == "config") {
                                    run.config = in_.object_or_empty(f);
                                    ++head_members;
                                } else if (key == "scenarios") {
                                    has_scenarios = true;
                                    detail::od::array scenarios = in_.array(f, "an array of scenarios");
                                    const auto count = reserve_exactly(run.scenarios, scenarios);
                                    streaming_ = progress_ != nullptr && count && head_members == 3;
                                    if (streaming_) {
                                        progress_->head_final(*count);
                                    }
                                    in_.for_each_element(scenarios, [&](value& sv) {
                                        const std::size_t index = run.scenarios.size();
                                        room_for_one_more(run.scenarios);
                                        run.scenarios.emplace_back();
                                        read_scenario(run, sv, run.scenarios.back(), index);
                                        if (streaming_) {
                                            progress_->scenario_final(index, run);
                                        }
                                    });
                                    streaming_ = false;  // what follows is final only when the read is
                                } else if (key == "derived_config") {
                                    if (in_.is_null(f)) {
                                        run.extra["derived_config"] = nullptr;  // kept as it was
                                    } else {
                                        run.derived_config = in_.object_or_empty(f);
                                    }
                                } else if (key == "aborted") {
                                    run.aborted = in_.boolean(f);
                                    has_aborted = true;
                                } else if (key == "abort_reason") {
                                    run.abort_reason = in_.optional_string(f);
                                    has_abort_reason = true;
                                } else if (key == "analysis") {
                                    run.analysis = in_.object_or_empty(f);
                                } else {
                                    run.extra[std::string(key)] = in_.generic(f);
                                }
                            });
        in_.expect_end(doc);
        if (!run.aborted) {
            // The writer writes both only for an aborted run; a run that was not aborted keeps what it had.
            if (has_aborted) {
                run.extra["aborted"] = false;
            }
            if (has_abort_reason) {
                run.extra["abort_reason"] =
                    run.abort_reason ? nlohmann::json(*run.abort_reason) : nlohmann::json(nullptr);
                run.abort_reason.reset();
            }
        }
        if (!has_scenarios) {
            in_.fail("no \"scenarios\" array: not a results.json");
        }
        if (run.scenarios.empty()) {
            in_.fail("\"scenarios\" is empty: nothing to analyze");
        }
    }

  private:
    // `index`: the scenario's place in run.scenarios.
    void read_scenario(RunResult& run, value& v, ScenarioResult& s, std::size_t index) {
        bool has_name = false;
        int head_members = 0;  // name, params, times and duration read so far (written before the samples)
        // Mapped once the scenario's name is known (the members may come in any order).
        nlohmann::ordered_json metadata;
        std::string metadata_path;
        in_.for_each_member(in_.object(v, "a scenario object"), [&](std::string_view key, value& f) {
            if (key == "scenario_name") {
                s.scenario_name = in_.string(f);
                has_name = true;
                ++head_members;
            } else if (key == "scenario_params") {
                s.scenario_params = in_.object_or_empty(f);
                ++head_members;
            } else if (key == "started_at") {
                s.started_at = in_.string(f);
                ++head_members;
            } else if (key == "completed_at") {
                s.completed_at = in_.string(f);
                ++head_members;
            } else if (key == "duration_seconds") {
                s.duration_seconds = in_.number(f);
                ++head_members;
            } else if (key == "samples") {
                if (in_.is_null(f)) {
                    return;
                }
                detail::od::array samples = in_.array(f);
                const bool stream = reserve_exactly(s.samples, samples) && streaming_ && head_members == 5;
                if (stream) {
                    progress_->scenario_head_final(index);
                }
                in_.for_each_element(samples, [&](value& sv) {
                    release_before(sv);
                    if (stream) {
                        room_for_one_more(s.samples);
                    }
                    s.samples.emplace_back();
                    read_sample(run, sv, s.samples.back());
                    if (stream && s.samples.size() % kSamplesPerProgress == 0) {
                        progress_->samples_final(index, s.samples.size(), run);
                    }
                });
            } else if (key == "oom_events") {
                if (in_.is_null(f)) {
                    return;
                }
                in_.for_each_element(in_.array(f),
                                     [&](value& ev) { s.oom_events.push_back(read_oom_event(ev)); });
            } else if (key == "aborted") {
                s.aborted = in_.boolean(f);
            } else if (key == "abort_reason") {
                s.abort_reason = in_.optional_string(f);
            } else if (key == "metadata") {
                metadata = in_.ordered(f);
                metadata_path = in_.path();
            } else {
                s.extra[std::string(key)] = in_.generic(f);
            }
        });
        if (!has_name) {
            in_.fail("missing key \"scenario_name\"");
        }
        s.metadata = metadata_from_json(s.scenario_name, metadata, in_.source(), metadata_path);
    }

    void read_sample(RunResult& run, value& v, Sample& s) {
        bool has_timestamp = false;
        in_.for_each_member(in_.object(v, "a sample object"), [&](std::string_view key, value& f) {
            if (key == "timestamp") {
                s.timestamp = in_.number(f);
                has_timestamp = true;
            } else if (key == "timestamp_iso") {
                s.timestamp_iso = in_.string(f);
            } else if (key == "containers") {
                if (in_.is_null(f)) {
                    s.containers_null = true;
                } else {
                    read_containers(run, f, s);
                }
            } else if (kept_if_null(s.extra_json, key, f)) {
                return;  // rolling_averages, agents_queued, host, pace, error: written only when set
            } else if (key == "rolling_averages") {
                read_rolling_averages(run, f, s);
                if (s.rolling_averages.empty()) {
                    s.extra_json.append(s.extra_json.empty() ? "" : ",").append("\"rolling_averages\":{}");
                }
            } else if (key == "agents_queued") {
                s.agents_queued = read_agents_queued(f);
            } else if (key == "host") {
                s.host = read_host(f);
            } else if (key == "pace") {
                s.pace = read_pace(f);
            } else if (key == "error") {
                s.error = in_.string(f);
            } else if (key == "backfilled") {
                s.backfilled = flag(s.extra_json, key, f);
            } else {
                in_.append_member(s.extra_json, key, f);
            }
        });
        if (!has_timestamp) {
            in_.fail("missing key \"timestamp\" (epoch seconds of the sample)");
        }
    }

    void read_containers(RunResult& run, value& v, Sample& s) {
        // Collected in a reused scratch vector, then copied at exact size: vector growth would leave ~60 %
        // slack per sample (20 containers -> capacity 32), a third of the model's memory.
        scratch_.clear();
        next_mark();
        in_.for_each_member_unchecked(in_.object(v), [&](std::string_view name, value& cv) {
            scratch_.emplace_back();
            read_container(run, name, cv, scratch_.back(), scratch_.size() - 1);
            // A repeated key is refused here, by its container: the same key twice is the same container.
            const ContainerId id = scratch_.back().container;
            if (seen_.size() <= id) {
                seen_.resize(run.containers.size(), 0);
            }
            if (seen_[id] == mark_) {
                in_.fail(
                    "duplicate member (each key may appear once in an object, each container once in a "
                    "sample)");
            }
            seen_[id] = mark_;
        });
        s.containers.reserve(scratch_.size());
        std::move(scratch_.begin(), scratch_.end(), std::back_inserter(s.containers));
    }

    // A new mark for the seen_ table (a wrap of the counter clears it, so an old mark is never mistaken).
    void next_mark() {
        if (++mark_ == 0) {
            std::fill(seen_.begin(), seen_.end(), 0);
            mark_ = 1;
        }
    }

    // `position`: the container's place in its sample, which in nearly every file is its id.
    void read_container(RunResult& run, std::string_view name, value& v, ContainerSample& c,
                        std::size_t position) {
        std::string host;  // "" = the only host (files without hosts)
        // A null reference figure reads as 0.0 (what the analysis expects) and is remembered, so that it is
        // written back as null.
        const auto figure = [&](value& f, std::uint8_t null_bit) {
            if (in_.is_null(f)) {
                c.null_figures |= null_bit;
                return 0.0;
            }
            return in_.number(f);
        };
        in_.for_each_member(in_.object(v), [&](std::string_view key, value& f) {
            if (key == "memory_used_mb") {
                c.memory_used_mb = figure(f, ContainerSample::kNullMemoryUsed);
            } else if (key == "memory_limit_mb") {
                c.memory_limit_mb = figure(f, ContainerSample::kNullMemoryLimit);
            } else if (key == "memory_percent") {
                c.memory_percent = figure(f, ContainerSample::kNullMemoryPercent);
            } else if (key == "cpu_percent") {
                c.cpu_percent = in_.optional_number(f);
            } else if (kept_if_null(c.extra_json, key, f)) {
                return;  // an addition written only when set: a null is kept as it was
            } else if (key == "memory_rss_mb") {
                c.memory_rss_mb = in_.optional_number(f);
            } else if (key == "memory_usage_mb") {
                c.memory_usage_mb = in_.optional_number(f);
            } else if (key == "cpu_percent_of_quota") {
                c.cpu_percent_of_quota = in_.optional_number(f);
            } else if (key == "cpu_cores_effective") {
                c.cpu_cores_effective = in_.optional_number(f);
            } else if (key == "cadvisor_timestamp") {
                c.cadvisor_timestamp = in_.optional_string(f);
            } else if (key == "stale") {
                c.stale = flag(c.extra_json, key, f);
            } else if (key == "missing") {
                c.missing = flag(c.extra_json, key, f);
            } else if (key == "counter_reset") {
                c.counter_reset = flag(c.extra_json, key, f);
            } else if (key == "host") {
                host = in_.string(f);
                if (host.empty()) {  // "" is the only host: kept as read, not a host
                    c.extra_json.append(c.extra_json.empty() ? "" : ",").append("\"host\":\"\"");
                }
            } else {
                in_.append_member(c.extra_json, key, f);
            }
        });
        c.container = host.empty() ? intern_at(run, name, position) : intern_on_host(run, name, host);
    }

    // A member the writer leaves out when it is absent: a null goes to the extra members as it is.
    bool kept_if_null(std::string& extra, std::string_view key, value& f) {
        if (!in_.is_null(f)) {
            return false;
        }
        in_.append_member(extra, key, f);
        return true;
    }

    // A flag the writer writes only when true: `false` goes to the extra members, so it is kept too.
    bool flag(std::string& extra, std::string_view key, value& f) {
        if (in_.boolean(f)) {
            return true;
        }
        extra.append(extra.empty() ? "" : ",")
            .append(nlohmann::json(std::string(key)).dump())
            .append(":false");
        return false;
    }

    void read_rolling_averages(RunResult& run, value& v, Sample& s) {
        in_.for_each_member(in_.object(v), [&](std::string_view name, value& rv) {
            RollingAverage r;
            const auto labelled = labels_.find(name);  // "name@host" of a container with a host
            r.container = labelled != labels_.end() ? labelled->second : intern(run, name);
            in_.for_each_member(in_.object(rv), [&](std::string_view key, value& f) {
                if (key == "memory_percent") {
                    r.memory_percent = in_.optional_number(f).value_or(std::nan(""));
                } else if (key == "cpu_percent") {
                    r.cpu_percent = in_.optional_number(f).value_or(std::nan(""));
                } else {
                    in_.append_member(r.extra_json, key, f);
                }
            });
            s.rolling_averages.push_back(std::move(r));
        });
    }

    AgentsQueued read_agents_queued(value& v) {
        AgentsQueued a;
        in_.for_each_member(in_.object(v), [&](std::string_view key, value& f) {
            if (key == "drivers") {
                a.drivers = in_.integer(f);
            } else if (key == "riders") {
                a.riders = in_.integer(f);
            } else if (key == "total") {
                a.total = in_.integer(f);
            } else {
                in_.append_member(a.extra_json, key, f);
            }
        });
        return a;
    }

    HostSample read_host(value& v) {
        HostSample h;
        in_.for_each_member(in_.object(v), [&](std::string_view key, value& f) {
            if (key == "cpu_percent") {
                h.cpu_percent = in_.optional_number(f);
            } else if (key == "cpu_percent_of_host") {
                h.cpu_percent_of_host = in_.optional_number(f);
            } else if (key == "memory_used_mb") {
                h.memory_used_mb = in_.optional_number(f);
            } else if (key == "memory_total_mb") {
                h.memory_total_mb = in_.optional_number(f);
            } else if (key == "num_cores") {
                h.num_cores = in_.optional_int(f).value_or(0);
            } else {
                in_.append_member(h.extra_json, key, f);
            }
        });
        return h;
    }

    PaceSample read_pace(value& v) {
        PaceSample p;
        in_.for_each_member(in_.object(v), [&](std::string_view key, value& f) {
            if (key == "state") {
                p.state = in_.optional_string(f);
            } else if (key == "simulated_time") {
                p.simulated_time = in_.optional_string(f);
            } else if (key == "achieved_speed") {
                p.achieved_speed = in_.optional_number(f);
            } else if (key == "requested_speed") {
                p.requested_speed = in_.optional_number(f);
            } else if (key == "real_time_ratio") {
                p.real_time_ratio = in_.optional_number(f);
            } else if (key == "status_latency_ms") {
                p.status_latency_ms = in_.optional_number(f);
            } else if (key == "drivers_total") {
                p.drivers_total = in_.optional_integer(f);
            } else if (key == "riders_total") {
                p.riders_total = in_.optional_integer(f);
            } else if (key == "active_trips") {
                p.active_trips = in_.optional_integer(f);
            } else if (key == "events_per_sec") {
                if (!kept_if_null(p.extra_json, key, f)) {  // written only when set: a null stays as read
                    p.events_per_sec = in_.number(f);
                }
            } else {
                in_.append_member(p.extra_json, key, f);
            }
        });
        return p;
    }

    OomEvent read_oom_event(value& v) {
        OomEvent e;
        in_.for_each_member(in_.object(v), [&](std::string_view key, value& f) {
            if (key == "container_name") {
                e.container_name = in_.string(f);
            } else if (key == "host" && !in_.is_null(f)) {  // written only when set: a null stays in extra
                e.host = in_.string(f);
            } else if (key == "timestamp") {
                e.timestamp = in_.number(f);
            } else if (key == "timestamp_iso") {
                e.timestamp_iso = in_.string(f);
            } else if (key == "previous_restart_count") {
                e.previous_restart_count = in_.integer(f);
            } else if (key == "current_restart_count") {
                e.current_restart_count = in_.integer(f);
            } else if (key == "source") {
                e.source = in_.optional_string(f);
            } else if (key == "exit_code") {
                e.exit_code = in_.optional_int(f);
            } else if (key == "evidence") {
                e.evidence = in_.optional_string(f);
            } else {
                e.extra[std::string(key)] = in_.generic(f);
            }
        });
        return e;
    }

    // A scenario's samples are counted before they are read (a skip over the parsed index, no values read):
    // vector growth would copy every Sample and leave up to half of the last block unused, a tenth of the
    // model's memory in a million-sample file, touched for nothing.
    // The count, or nullopt when the array could not be counted (it is malformed: reading it fails).
    template <class T>
    std::optional<std::size_t> reserve_exactly(std::vector<T>& into, detail::od::array& elements) {
        std::size_t count = 0;
        if (elements.count_elements().get(count) != simdjson::SUCCESS) {
            return std::nullopt;
        }
        into.reserve(count);
        return count;
    }

    // While a writer reads a vector's elements, it must never reallocate: it was reserved at the counted
    // size, and a well-formed array has no more elements than counted. Checked all the same.
    template <class T>
    void room_for_one_more(const std::vector<T>& v) const {
        if (streaming_ && v.size() == v.capacity()) {
            in_.fail("more elements than the array was counted to have (malformed JSON)");
        }
    }

    void release_before(value& v) {
        if (input_ != nullptr) {
            input_->release_before(v.raw_json_token().data());
        }
    }

    // Container names are interned once per run. The map owns its keys: views into run.containers would
    // dangle when that vector grows (short names live inside the std::string objects it moves).
    ContainerId intern(RunResult& run, std::string_view name) {
        auto it = ids_.find(name);
        if (it != ids_.end()) {
            return it->second;
        }
        const ContainerId id = run.intern(name);
        ids_.emplace(std::string(name), id);
        return id;
    }

    // intern(), trying first the id the container has when samples list the containers in the order they
    // were first seen: one comparison instead of hashing the name.
    ContainerId intern_at(RunResult& run, std::string_view name, std::size_t position) {
        if (position < run.containers.size() && run.containers[position] == name &&
            run.container_host(static_cast<ContainerId>(position)).empty()) {
            return static_cast<ContainerId>(position);
        }
        return intern(run, name);
    }

    // A container with a host: its key is "name@host" when written by perfrunner (the name is the key without
    // that suffix), or just the name when written by another tool.
    ContainerId intern_on_host(RunResult& run, std::string_view key, const std::string& host) {
        auto& on_host = hosted_[host];
        if (const auto it = on_host.find(key); it != on_host.end()) {
            return it->second;
        }
        const std::string suffix = "@" + host;
        std::string_view name = key;
        if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
            name.remove_suffix(suffix.size());
        }
        const ContainerId id = run.intern(name, host);
        labels_.emplace(run.container_label(id), id);
        on_host.emplace(std::string(key), id);
        return id;
    }

    struct NameHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };

    // Samples read between two reports to progress_ (each takes a lock and may wake the writer).
    static constexpr std::size_t kSamplesPerProgress = 64;

    JsonCursor in_;
    detail::MappedInput* input_;
    detail::ReadProgress* progress_;
    bool streaming_ = false;  // progress_ is being told what is final
    std::unordered_map<std::string, ContainerId, NameHash, std::equal_to<>> ids_;
    std::unordered_map<std::string, ContainerId, NameHash, std::equal_to<>> labels_;  // "name@host" -> id
    // host -> member key -> id, for containers with a host
    std::unordered_map<std::string, std::unordered_map<std::string, ContainerId, NameHash, std::equal_to<>>>
        hosted_;
    std::vector<ContainerSample> scratch_;
    // seen_[id] == mark_: that container is already in the sample being read.
    std::vector<std::uint32_t> seen_;
    std::uint32_t mark_ = 0;
};

void parse_padded(simdjson::padded_string_view text, std::string_view source_name, RunResult& run,
                  detail::MappedInput* input = nullptr, detail::ReadProgress* progress = nullptr) {
    simdjson::ondemand::parser parser;
    document doc;
    ResultsReader reader(source_name, input, progress);
    if (auto e = parser.iterate(text).get(doc); e != simdjson::SUCCESS) {
        reader.malformed(e);
    }
    try {
        reader.read_run(doc, run);
    } catch (const simdjson::simdjson_error& e) {
        reader.malformed(e.error());
    }
}

void read_file_into(const std::filesystem::path& path, RunResult& run, detail::ReadProgress* progress) {
    // Mapped, not copied (mapped_input.hpp): the file is never resident twice, and only a window of it.
    if (auto mapped = detail::MappedInput::open(path)) {
        parse_padded(mapped->view(), path.string(), run, &*mapped, progress);
        return;
    }
    simdjson::padded_string text;
    if (auto e = simdjson::padded_string::load(path.string()).get(text); e != simdjson::SUCCESS) {
        std::error_code ec;
        const bool exists = std::filesystem::exists(path, ec);
        throw InputError(fmt::format("{}: cannot be read ({}; check the path)", path.string(),
                                     exists ? simdjson::error_message(e) : "no such file"));
    }
    parse_padded(text, path.string(), run, nullptr, progress);
}

}  // namespace

RunResult parse_results(std::string_view json_text, std::string_view source_name) {
    simdjson::padded_string padded(json_text);
    RunResult run;
    parse_padded(padded, source_name, run);
    return run;
}

RunResult read_results_file(const std::filesystem::path& path) {
    RunResult run;
    read_file_into(path, run, nullptr);
    return run;
}

namespace detail {

void read_results_into(const std::filesystem::path& path, RunResult& run, ReadProgress& progress) {
    read_file_into(path, run, &progress);
}

}  // namespace detail

}  // namespace perfrunner::model
