// results.json writing: reference key order (results-schema.md §2, §4), then perfrunner additions (§9).
#include <exception>
#include <thread>

#include "json_writer.hpp"
#include "perfrunner/model/atomic_file.hpp"
#include "perfrunner/model/results_json.hpp"
#include "perfrunner/model/scenario_metadata_json.hpp"
#include "read_progress.hpp"
#include "results_key_order.hpp"

namespace perfrunner::model {
namespace {

using detail::JsonWriter;

// Container keys quoted once per file (a million samples repeat 20 names), and hosts: read_progress.hpp.
using detail::ContainerTable;

ContainerTable container_table(const RunResult& run) {
    ContainerTable table;
    table.extend(run);
    return table;
}

void optional_number(JsonWriter& w, std::string_view key, const std::optional<double>& v) {
    w.plain_key(key);
    if (v) {
        w.number(*v);
    } else {
        w.null();
    }
}

void optional_string(JsonWriter& w, std::string_view key, const std::optional<std::string>& v) {
    w.plain_key(key);
    if (v) {
        w.string(*v);
    } else {
        w.null();
    }
}

void optional_integer(JsonWriter& w, std::string_view key, const std::optional<long>& v) {
    w.plain_key(key);
    if (v) {
        w.integer(*v);
    } else {
        w.null();
    }
}

void write_container(JsonWriter& w, const ContainerTable& table, const ContainerSample& c) {
    // Keyed "name@host" when it has a host (the same name on two hosts must not be a duplicate key), and the
    // host written as a member too: readers that know hosts take it from there.
    const std::string_view host = table.hosts.at(c.container);
    w.quoted_key(table.keys.at(c.container));
    w.begin_object();
    const auto figure = [&](std::string_view key, double value, std::uint8_t null_bit) {
        w.plain_key(key);
        if ((c.null_figures & null_bit) != 0) {
            w.null();
        } else {
            w.number(value);
        }
    };
    figure("memory_used_mb", c.memory_used_mb, ContainerSample::kNullMemoryUsed);
    figure("memory_limit_mb", c.memory_limit_mb, ContainerSample::kNullMemoryLimit);
    figure("memory_percent", c.memory_percent, ContainerSample::kNullMemoryPercent);
    optional_number(w, "cpu_percent", c.cpu_percent);
    // Additions only when known, so reference-shaped data stays reference-shaped.
    if (c.memory_rss_mb) {
        optional_number(w, "memory_rss_mb", c.memory_rss_mb);
    }
    if (c.memory_usage_mb) {
        optional_number(w, "memory_usage_mb", c.memory_usage_mb);
    }
    if (c.cpu_percent_of_quota) {
        optional_number(w, "cpu_percent_of_quota", c.cpu_percent_of_quota);
    }
    if (c.cpu_cores_effective) {
        optional_number(w, "cpu_cores_effective", c.cpu_cores_effective);
    }
    if (c.cadvisor_timestamp) {
        optional_string(w, "cadvisor_timestamp", c.cadvisor_timestamp);
    }
    if (c.stale) {
        w.plain_key("stale");
        w.boolean(true);
    }
    if (c.missing) {
        w.plain_key("missing");
        w.boolean(true);
    }
    if (c.counter_reset) {
        w.plain_key("counter_reset");
        w.boolean(true);
    }
    if (!host.empty()) {
        w.plain_key("host");
        w.string(host);
    }
    w.members_text(c.extra_json, "container_sample");
    w.end_object();
}

void write_sample(JsonWriter& w, const ContainerTable& table, const Sample& s) {
    w.begin_object();
    w.plain_key("timestamp");
    w.number(s.timestamp);
    w.plain_key("timestamp_iso");
    w.string(s.timestamp_iso);
    w.plain_key("containers");
    if (s.containers_null && s.containers.empty()) {
        w.null();
    } else {
        w.begin_object();
        for (const auto& c : s.containers) {
            write_container(w, table, c);
        }
        w.end_object();
    }
    if (!s.rolling_averages.empty()) {
        w.plain_key("rolling_averages");
        w.begin_object();
        for (const auto& r : s.rolling_averages) {
            w.quoted_key(table.keys.at(r.container));
            w.begin_object();
            w.plain_key("memory_percent");
            w.number(r.memory_percent);
            w.plain_key("cpu_percent");
            w.number(r.cpu_percent);
            w.members_text(r.extra_json, "rolling_average");
            w.end_object();
        }
        w.end_object();
    }
    if (s.agents_queued) {
        w.plain_key("agents_queued");
        w.begin_object();
        w.plain_key("drivers");
        w.integer(s.agents_queued->drivers);
        w.plain_key("riders");
        w.integer(s.agents_queued->riders);
        w.plain_key("total");
        w.integer(s.agents_queued->total);
        w.members_text(s.agents_queued->extra_json, "agents_queued");
        w.end_object();
    }
    if (s.host) {
        const auto& h = *s.host;
        w.plain_key("host");
        w.begin_object();
        optional_number(w, "cpu_percent", h.cpu_percent);
        optional_number(w, "cpu_percent_of_host", h.cpu_percent_of_host);
        optional_number(w, "memory_used_mb", h.memory_used_mb);
        optional_number(w, "memory_total_mb", h.memory_total_mb);
        w.plain_key("num_cores");
        w.integer(h.num_cores);
        w.members_text(h.extra_json, "host");
        w.end_object();
    }
    if (s.pace) {
        const auto& p = *s.pace;
        w.plain_key("pace");
        w.begin_object();
        optional_string(w, "state", p.state);
        optional_string(w, "simulated_time", p.simulated_time);
        optional_number(w, "achieved_speed", p.achieved_speed);
        optional_number(w, "requested_speed", p.requested_speed);
        optional_number(w, "real_time_ratio", p.real_time_ratio);
        optional_number(w, "status_latency_ms", p.status_latency_ms);
        optional_integer(w, "drivers_total", p.drivers_total);
        optional_integer(w, "riders_total", p.riders_total);
        optional_integer(w, "active_trips", p.active_trips);
        if (p.events_per_sec) {  // an addition of issue 14: older files stay as they were
            optional_number(w, "events_per_sec", p.events_per_sec);
        }
        w.members_text(p.extra_json, "pace");
        w.end_object();
    }
    if (s.error) {
        optional_string(w, "error", s.error);
    }
    if (s.backfilled) {
        w.plain_key("backfilled");
        w.boolean(true);
    }
    w.members_text(s.extra_json, "sample");
    w.end_object();
}

void write_oom_event(JsonWriter& w, const OomEvent& e) {
    w.begin_object();
    w.plain_key("container_name");
    w.string(e.container_name);
    if (e.host) {
        optional_string(w, "host", e.host);
    }
    w.plain_key("timestamp");
    w.number(e.timestamp);
    w.plain_key("timestamp_iso");
    w.string(e.timestamp_iso);
    w.plain_key("previous_restart_count");
    w.integer(e.previous_restart_count);
    w.plain_key("current_restart_count");
    w.integer(e.current_restart_count);
    if (e.source) {
        optional_string(w, "source", e.source);
    }
    if (e.exit_code) {
        w.plain_key("exit_code");
        w.integer(*e.exit_code);
    }
    if (e.evidence) {
        optional_string(w, "evidence", e.evidence);
    }
    if (e.extra.is_object()) {
        for (const auto& [k, v] : e.extra.items()) {
            w.key(k);
            w.json(v, "oom_event." + k);
        }
    }
    w.end_object();
}

// A scenario's members up to its samples, and the samples array opened.
void write_scenario_start(JsonWriter& w, const ScenarioResult& s) {
    w.begin_object();
    w.plain_key("scenario_name");
    w.string(s.scenario_name);
    w.plain_key("scenario_params");
    w.json(s.scenario_params.is_null() ? nlohmann::json::object() : s.scenario_params,
           "params." + s.scenario_name);
    w.plain_key("started_at");
    w.string(s.started_at);
    w.plain_key("completed_at");
    w.string(s.completed_at);
    w.plain_key("duration_seconds");
    w.number(s.duration_seconds);
    w.plain_key("samples");
    w.begin_array();
}

// The samples array closed, and the scenario's members after it.
void write_scenario_end(JsonWriter& w, const ScenarioResult& s) {
    w.end_array();
    w.plain_key("oom_events");
    w.begin_array();
    for (const auto& e : s.oom_events) {
        write_oom_event(w, e);
    }
    w.end_array();
    w.plain_key("aborted");
    w.boolean(s.aborted);
    optional_string(w, "abort_reason", s.abort_reason);
    w.plain_key("metadata");
    w.json(metadata_to_json(s.metadata));
    if (s.extra.is_object()) {
        for (const auto& [k, v] : s.extra.items()) {
            w.key(k);
            w.json(v, "scenario." + k);
        }
    }
    w.end_object();
}

// The run's members before its scenarios, and the scenarios array opened.
void write_run_start(JsonWriter& w, const RunResult& run) {
    w.begin_object();
    w.plain_key("test_id");
    w.string(run.test_id);
    w.plain_key("started_at");
    w.string(run.started_at);
    w.plain_key("config");
    w.json(run.config.is_null() ? nlohmann::json::object() : run.config, "config");
    w.plain_key("scenarios");
    w.begin_array();
}

// The scenarios array closed, and the members after it up to "analysis".
void write_run_after_scenarios(JsonWriter& w, const RunResult& run) {
    w.end_array();
    if (run.derived_config) {
        w.plain_key("derived_config");
        w.json(*run.derived_config, "derived_config");
    }
    w.plain_key("completed_at");
    w.string(run.completed_at);
    if (run.aborted) {
        w.plain_key("aborted");
        w.boolean(true);
        optional_string(w, "abort_reason", run.abort_reason);
    }
}

// Every member before "analysis": nothing `analyze` changes (rewrite_results_file).
void write_run_head(JsonWriter& w, const RunResult& run) {
    write_run_start(w, run);
    const ContainerTable table = container_table(run);
    for (const auto& s : run.scenarios) {
        write_scenario_start(w, s);
        for (const auto& sample : s.samples) {
            write_sample(w, table, sample);
        }
        write_scenario_end(w, s);
    }
    write_run_after_scenarios(w, run);
}

// The same members, written while `run` is being read on another thread: each part once `progress` says it
// is final (read_progress.hpp), so nothing is read from `run` that the reader may still change. Stops,
// leaving the file unfinished, when the read failed: false then.
bool write_run_head_following(JsonWriter& w, const RunResult& run, detail::ReadProgress& progress) {
    using State = detail::ReadProgress::State;
    State now = progress.wait([](const State& s) { return s.scenario_count != detail::ReadProgress::kNone; });
    if (now.failed) {
        return false;
    }
    write_run_start(w, run);
    ContainerTable table;
    for (std::size_t k = 0; k < now.scenario_count; ++k) {
        now = progress.wait(
            [k](const State& s) { return s.scenarios_final > k || (s.scenario == k && s.scenario_head); });
        if (now.failed) {
            return false;
        }
        const ScenarioResult& scenario = run.scenarios[k];
        write_scenario_start(w, scenario);
        std::size_t written = 0;
        while (true) {
            const bool whole = now.scenarios_final > k;
            // Until the scenario is final its vector's size is the reader's: only the published count is
            // read.
            const std::size_t final_samples = whole ? scenario.samples.size() : now.samples;
            if (table.keys.size() != now.containers) {
                table = progress.containers();
            }
            for (; written < final_samples; ++written) {
                write_sample(w, table, scenario.samples[written]);
            }
            if (whole) {
                break;
            }
            now = progress.wait([k, written](const State& s) {
                return s.scenarios_final > k || (s.scenario == k && s.samples > written);
            });
            if (now.failed) {
                return false;
            }
        }
        write_scenario_end(w, scenario);
    }
    now = progress.wait([](const State& s) { return s.finished; });
    if (now.failed) {
        return false;
    }
    write_run_after_scenarios(w, run);
    return true;
}

// "analysis" and the members perfrunner adds after it (verdict, generator, exit code, unknown keys).
void write_run_tail(JsonWriter& w, const RunResult& run) {
    w.plain_key("analysis");
    w.json(run.analysis.is_null() ? nlohmann::json::object() : run.analysis, "analysis");
    if (run.extra.is_object()) {
        for (const auto& [k, v] : run.extra.items()) {
            w.key(k);
            w.json(v, k);
        }
    }
    w.end_object();
}

}  // namespace

void write_run(JsonWriter& w, const RunResult& run) {
    write_run_head(w, run);
    write_run_tail(w, run);
}

std::string to_json_text(const RunResult& run) {
    JsonWriter w(&detail::results_key_order());
    write_run(w, run);
    std::string text = w.take();
    text.push_back('\n');
    return text;
}

void write_results_file(const std::filesystem::path& path, const RunResult& run) {
    // Streamed in 1 MiB chunks: a million-sample run never needs a second copy of the file in memory.
    stream_file_atomically(path, [&](StreamedFile& file) {
        JsonWriter w(&detail::results_key_order(), file.stream());
        write_run(w, run);
        w.raw("\n");
        w.flush();
    });
}

RunResult rewrite_results_file(const std::filesystem::path& input, const std::filesystem::path& output,
                               const std::function<void(RunResult&)>& complete) {
    RunResult run;
    stream_file_atomically(output, [&](StreamedFile& file) {
        JsonWriter w(&detail::results_key_order(), file.stream());
        detail::ReadProgress progress;
        std::exception_ptr read_error;
        std::exception_ptr complete_error;
        std::exception_ptr head_error;
        {
            std::jthread head([&] {
                try {
                    if (write_run_head_following(w, run, progress)) {
                        // The samples are nearly all of the file, and the tail waits for the analysis: the
                        // disk catches up with them meanwhile.
                        w.flush();
                        file.sync_written();
                    }
                } catch (...) {
                    head_error = std::current_exception();
                }
            });
            try {
                detail::read_results_into(input, run, progress);
                progress.finished(run);
            } catch (...) {
                read_error = std::current_exception();
                progress.failed();  // the writer stops where it is: the temporary file is removed
            }
            if (!read_error) {
                try {
                    complete(run);
                } catch (...) {
                    complete_error = std::current_exception();
                }
            }
        }  // joined: `w` is this thread's again
        for (const auto& error : {read_error, complete_error, head_error}) {
            if (error) {
                std::rethrow_exception(error);
            }
        }
        write_run_tail(w, run);
        w.raw("\n");
        w.flush();
    });
    return run;
}

}  // namespace perfrunner::model
