// results.json reading with simdjson On-Demand: one pass straight into the model, no DOM, so a file of a
// million container samples needs little more memory than the file itself. Every problem becomes one
// InputError line naming the JSON path, e.g.
//   results.json: scenarios[1].samples[3].containers.rideshare-simulation.cpu_percent: expected a number, got
//   "abc"
#include <cmath>
#include <fstream>
#include <iterator>
#include <unordered_map>
#include <variant>

#include <fmt/format.h>
#include <simdjson.h>

#include "perfrunner/error.hpp"
#include "perfrunner/model/results_json.hpp"

namespace perfrunner::model {
namespace {

namespace od = simdjson::ondemand;

// Sample values beyond this are not measurements (e.g. 1e308): the file is corrupt or hostile.
constexpr double kMaxPlausible = 1e12;

class Reader {
  public:
    explicit Reader(std::string_view source) : source_(source) {}

    // --- path bookkeeping (segments point into the parsed buffer; no allocation per sample) ---
    struct Segment {
        std::variant<std::string_view, std::size_t> part;
    };
    void push(std::string_view key) { path_.push_back(Segment{key}); }
    void push(std::size_t index) { path_.push_back(Segment{index}); }
    void pop() { path_.pop_back(); }

    std::string path_text() const {
        std::string out;
        for (const auto& s : path_) {
            if (const auto* k = std::get_if<std::string_view>(&s.part)) {
                if (!out.empty()) {
                    out.push_back('.');
                }
                out.append(*k);
            } else {
                fmt::format_to(std::back_inserter(out), "[{}]", std::get<std::size_t>(s.part));
            }
        }
        return out.empty() ? std::string("(top level)") : out;
    }

    [[noreturn]] void fail(std::string_view what) const {
        throw InputError(fmt::format("{}: {}: {}", source_, path_text(), what));
    }

    [[noreturn]] void malformed(simdjson::error_code e) const {
        fail(fmt::format("malformed JSON ({}); the file is truncated or not a results.json",
                         simdjson::error_message(e)));
    }

    void check(simdjson::error_code e) const {
        if (e != simdjson::SUCCESS) {
            malformed(e);
        }
    }

    // "got ..." part of a type error: the offending token, cut short.
    std::string got(od::value& v) const {
        od::json_type t;
        if (v.type().get(t) == simdjson::SUCCESS) {
            if (t == od::json_type::object) {
                return "an object";
            }
            if (t == od::json_type::array) {
                return "an array";
            }
        }
        std::string_view raw = v.raw_json_token();
        while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' ||
                                raw.back() == '\t' || raw.back() == ',')) {
            raw.remove_suffix(1);
        }
        std::string text(raw.substr(0, 60));
        if (raw.size() > 60) {
            text += "...";
        }
        return text;
    }

    [[noreturn]] void wrong_type(od::value& v, std::string_view expected) const {
        fail(fmt::format("expected {}, got {}", expected, got(v)));
    }

    // `expected` names what the caller wants, for tokens that are no JSON value at all (NaN, Infinity, junk).
    od::json_type type_of(od::value& v, std::string_view expected = "a JSON value") const {
        od::json_type t;
        if (v.type().get(t) != simdjson::SUCCESS) {
            wrong_type(v, expected);
        }
        return t;
    }

    bool is_null(od::value& v) const {
        bool n = false;
        check(v.is_null().get(n));
        return n;
    }

    double number(od::value& v, double limit = kMaxPlausible) const {
        if (type_of(v, "a number") != od::json_type::number) {
            wrong_type(v, "a number");
        }
        double d = 0;
        if (v.get_double().get(d) != simdjson::SUCCESS) {
            wrong_type(v, "a number");
        }
        if (!std::isfinite(d) || std::fabs(d) > limit) {
            fail(fmt::format("implausible number {} (expected |x| <= {:g})", got(v), limit));
        }
        return d;
    }

    std::optional<double> optional_number(od::value& v) const {
        if (type_of(v, "a number or null") == od::json_type::null) {
            return std::nullopt;
        }
        return number(v);
    }

    // Reference fields that are numbers; a null (never written by the reference) reads as 0.0.
    double number_or_zero(od::value& v) const {
        od::json_type t;
        if (v.type().get(t) == simdjson::SUCCESS && t == od::json_type::null) {
            return 0.0;
        }
        return number(v);
    }

    long integer(od::value& v) const {
        const double d = number(v, 9.0e15);
        return static_cast<long>(std::llround(d));
    }

    std::string string(od::value& v) const { return std::string(string_view(v)); }

    std::string_view string_view(od::value& v) const {
        if (type_of(v) != od::json_type::string) {
            wrong_type(v, "a string");
        }
        std::string_view s;
        if (v.get_string().get(s) != simdjson::SUCCESS) {
            wrong_type(v, "a string");
        }
        return s;
    }

    std::optional<std::string> optional_string(od::value& v) const {
        if (type_of(v) == od::json_type::null) {
            return std::nullopt;
        }
        return string(v);
    }

    bool boolean(od::value& v) const {
        if (type_of(v) != od::json_type::boolean) {
            wrong_type(v, "true or false");
        }
        bool b = false;
        if (v.get_bool().get(b) != simdjson::SUCCESS) {
            wrong_type(v, "true or false");
        }
        return b;
    }

    od::object object(od::value& v, std::string_view expected = "an object") const {
        if (type_of(v) != od::json_type::object) {
            wrong_type(v, expected);
        }
        od::object o;
        check(v.get_object().get(o));
        return o;
    }

    od::array array(od::value& v, std::string_view expected = "an array") const {
        if (type_of(v) != od::json_type::array) {
            wrong_type(v, expected);
        }
        od::array a;
        check(v.get_array().get(a));
        return a;
    }

    // A member's key. Keys without escapes (all real ones) are read in place from the input buffer;
    // unescaping every key would copy ~100 bytes per container sample into the parser's string buffer. Both
    // views stay valid until the parse ends.
    std::string_view key_of(od::field& field) const {
        const char* begin = field.key().raw();
        const char* end = begin;
        while (*end != '"' && *end != '\\') {
            ++end;  // the closing quote exists: stage 1 validated the string
        }
        if (*end == '"') {
            return {begin, static_cast<std::size_t>(end - begin)};
        }
        std::string_view key;
        check(field.unescaped_key().get(key));
        return key;
    }

    // Iterates an object's members: fn(key (unescaped), value).
    template <typename Fn>
    void for_each_member(od::object object, Fn&& fn) {
        for (auto field_result : object) {
            od::field field;
            check(std::move(field_result).get(field));
            const std::string_view key = key_of(field);
            push(key);
            od::value value = field.value();
            fn(key, value);
            pop();
        }
    }

    template <typename Fn>
    void for_each_element(od::array array, Fn&& fn) {
        std::size_t i = 0;
        for (auto element_result : array) {
            od::value value;
            check(element_result.get(value));
            push(i);
            fn(value);
            pop();
            ++i;
        }
    }

    // Any JSON value as nlohmann::json (metadata, params, config, analysis, unknown keys): ints stay ints.
    nlohmann::json generic(od::value& v) {
        switch (type_of(v)) {
            case od::json_type::object: {
                nlohmann::json out = nlohmann::json::object();
                for_each_member(object(v), [&](std::string_view key, od::value& member) {
                    out[std::string(key)] = generic(member);
                });
                return out;
            }
            case od::json_type::array: {
                nlohmann::json out = nlohmann::json::array();
                for_each_element(array(v), [&](od::value& element) { out.push_back(generic(element)); });
                return out;
            }
            case od::json_type::number: {
                od::number n;
                if (v.get_number().get(n) != simdjson::SUCCESS) {
                    wrong_type(v, "a number");
                }
                if (n.is_int64()) {
                    return n.get_int64();
                }
                if (n.is_uint64()) {
                    return n.get_uint64();
                }
                const double d = n.get_double();
                if (!std::isfinite(d)) {
                    fail(fmt::format("implausible number {}", got(v)));
                }
                return d;
            }
            case od::json_type::string:
                return string(v);
            case od::json_type::boolean:
                return boolean(v);
            case od::json_type::null:
                check(v.is_null().error());
                return nullptr;
        }
        wrong_type(v, "a JSON value");
    }

    // `"key":value` appended to an extra_json text (unknown members kept verbatim, compact).
    void keep_unknown(std::string& extra, std::string_view key, od::value& v) {
        if (!extra.empty()) {
            extra.push_back(',');
        }
        extra += nlohmann::json(std::string(key)).dump();
        extra.push_back(':');
        extra += generic(v).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }

    ContainerId intern(RunResult& run, std::string_view name) {
        auto it = ids_.find(name);
        if (it != ids_.end()) {
            return it->second;
        }
        const ContainerId id = run.intern(name);
        ids_.emplace(run.containers[id], id);
        return id;
    }

    void read_container(RunResult& run, std::string_view name, od::value& v, ContainerSample& c) {
        c.container = intern(run, name);
        for_each_member(object(v), [&](std::string_view key, od::value& f) {
            if (key == "memory_used_mb") {
                c.memory_used_mb = number_or_zero(f);
            } else if (key == "memory_limit_mb") {
                c.memory_limit_mb = number_or_zero(f);
            } else if (key == "memory_percent") {
                c.memory_percent = number_or_zero(f);
            } else if (key == "cpu_percent") {
                c.cpu_percent = optional_number(f);
            } else if (key == "memory_rss_mb") {
                c.memory_rss_mb = optional_number(f);
            } else if (key == "memory_usage_mb") {
                c.memory_usage_mb = optional_number(f);
            } else if (key == "cpu_percent_of_quota") {
                c.cpu_percent_of_quota = optional_number(f);
            } else if (key == "cpu_cores_effective") {
                c.cpu_cores_effective = optional_number(f);
            } else if (key == "cadvisor_timestamp") {
                c.cadvisor_timestamp = optional_string(f);
            } else if (key == "stale") {
                c.stale = boolean(f);
            } else if (key == "missing") {
                c.missing = boolean(f);
            } else if (key == "counter_reset") {
                c.counter_reset = boolean(f);
            } else {
                keep_unknown(c.extra_json, key, f);
            }
        });
    }

    HostSample read_host(od::value& v) {
        HostSample h;
        for_each_member(object(v), [&](std::string_view key, od::value& f) {
            if (key == "cpu_percent") {
                h.cpu_percent = optional_number(f);
            } else if (key == "cpu_percent_of_host") {
                h.cpu_percent_of_host = optional_number(f);
            } else if (key == "memory_used_mb") {
                h.memory_used_mb = optional_number(f);
            } else if (key == "memory_total_mb") {
                h.memory_total_mb = optional_number(f);
            } else if (key == "num_cores") {
                h.num_cores = is_null(f) ? 0 : static_cast<int>(integer(f));
            }
            // other host keys are not part of the model; dropped on purpose (none are written today)
        });
        return h;
    }

    PaceSample read_pace(od::value& v) {
        PaceSample p;
        auto opt_long = [this](od::value& f) -> std::optional<long> {
            if (type_of(f) == od::json_type::null) {
                return std::nullopt;
            }
            return integer(f);
        };
        for_each_member(object(v), [&](std::string_view key, od::value& f) {
            if (key == "state") {
                p.state = optional_string(f);
            } else if (key == "simulated_time") {
                p.simulated_time = optional_string(f);
            } else if (key == "achieved_speed") {
                p.achieved_speed = optional_number(f);
            } else if (key == "requested_speed") {
                p.requested_speed = optional_number(f);
            } else if (key == "real_time_ratio") {
                p.real_time_ratio = optional_number(f);
            } else if (key == "status_latency_ms") {
                p.status_latency_ms = optional_number(f);
            } else if (key == "drivers_total") {
                p.drivers_total = opt_long(f);
            } else if (key == "riders_total") {
                p.riders_total = opt_long(f);
            } else if (key == "active_trips") {
                p.active_trips = opt_long(f);
            }
        });
        return p;
    }

    void read_sample(RunResult& run, od::value& v, Sample& s) {
        bool has_timestamp = false;
        for_each_member(object(v, "a sample object"), [&](std::string_view key, od::value& f) {
            if (key == "timestamp") {
                s.timestamp = number(f);
                has_timestamp = true;
            } else if (key == "timestamp_iso") {
                s.timestamp_iso = string(f);
            } else if (key == "containers") {
                if (is_null(f)) {
                    return;
                }
                // Collected in a reused scratch vector, then copied at exact size: vector growth would leave
                // ~60 % slack per sample (20 containers -> capacity 32), a third of the model's memory.
                scratch_.clear();
                for_each_member(object(f), [&](std::string_view name, od::value& cv) {
                    scratch_.emplace_back();
                    read_container(run, name, cv, scratch_.back());
                });
                s.containers.reserve(scratch_.size());
                std::move(scratch_.begin(), scratch_.end(), std::back_inserter(s.containers));
            } else if (key == "rolling_averages") {
                if (is_null(f)) {
                    return;
                }
                for_each_member(object(f), [&](std::string_view name, od::value& rv) {
                    RollingAverage r;
                    r.container = intern(run, name);
                    for_each_member(object(rv), [&](std::string_view k, od::value& x) {
                        if (k == "memory_percent") {
                            r.memory_percent = optional_number(x).value_or(std::nan(""));
                        } else if (k == "cpu_percent") {
                            r.cpu_percent = optional_number(x).value_or(std::nan(""));
                        }
                    });
                    s.rolling_averages.push_back(r);
                });
            } else if (key == "agents_queued") {
                if (is_null(f)) {
                    return;
                }
                AgentsQueued a;
                for_each_member(object(f), [&](std::string_view k, od::value& x) {
                    if (k == "drivers") {
                        a.drivers = integer(x);
                    } else if (k == "riders") {
                        a.riders = integer(x);
                    } else if (k == "total") {
                        a.total = integer(x);
                    }
                });
                s.agents_queued = a;
            } else if (key == "host") {
                if (!is_null(f)) {
                    s.host = read_host(f);
                }
            } else if (key == "pace") {
                if (!is_null(f)) {
                    s.pace = read_pace(f);
                }
            } else if (key == "error") {
                s.error = optional_string(f);
            } else {
                keep_unknown(s.extra_json, key, f);
            }
        });
        if (!has_timestamp) {
            fail("missing key \"timestamp\" (epoch seconds of the sample)");
        }
    }

    OomEvent read_oom_event(od::value& v) {
        OomEvent e;
        for_each_member(object(v), [&](std::string_view key, od::value& f) {
            if (key == "container_name") {
                e.container_name = string(f);
            } else if (key == "timestamp") {
                e.timestamp = number(f);
            } else if (key == "timestamp_iso") {
                e.timestamp_iso = string(f);
            } else if (key == "previous_restart_count") {
                e.previous_restart_count = integer(f);
            } else if (key == "current_restart_count") {
                e.current_restart_count = integer(f);
            } else if (key == "source") {
                e.source = optional_string(f);
            } else if (key == "exit_code") {
                e.exit_code = is_null(f) ? std::nullopt : std::optional<int>(static_cast<int>(integer(f)));
            } else if (key == "evidence") {
                e.evidence = optional_string(f);
            } else {
                e.extra[std::string(key)] = generic(f);
            }
        });
        return e;
    }

    nlohmann::json object_or_empty(od::value& v) {
        if (type_of(v) == od::json_type::null) {
            return nlohmann::json::object();
        }
        if (type_of(v) != od::json_type::object) {
            wrong_type(v, "an object");
        }
        return generic(v);
    }

    void read_scenario(RunResult& run, od::value& v, ScenarioResult& s) {
        bool has_name = false;
        for_each_member(object(v, "a scenario object"), [&](std::string_view key, od::value& f) {
            if (key == "scenario_name") {
                s.scenario_name = string(f);
                has_name = true;
            } else if (key == "scenario_params") {
                s.scenario_params = object_or_empty(f);
            } else if (key == "started_at") {
                s.started_at = string(f);
            } else if (key == "completed_at") {
                s.completed_at = string(f);
            } else if (key == "duration_seconds") {
                s.duration_seconds = number(f);
            } else if (key == "samples") {
                if (is_null(f)) {
                    return;
                }
                for_each_element(array(f), [&](od::value& sv) {
                    s.samples.emplace_back();
                    read_sample(run, sv, s.samples.back());
                });
            } else if (key == "oom_events") {
                if (is_null(f)) {
                    return;
                }
                for_each_element(array(f),
                                 [&](od::value& ev) { s.oom_events.push_back(read_oom_event(ev)); });
            } else if (key == "aborted") {
                s.aborted = boolean(f);
            } else if (key == "abort_reason") {
                s.abort_reason = optional_string(f);
            } else if (key == "metadata") {
                s.metadata = object_or_empty(f);
            } else {
                s.extra[std::string(key)] = generic(f);
            }
        });
        if (!has_name) {
            fail("missing key \"scenario_name\"");
        }
    }

    RunResult read_run(od::document& doc) {
        od::object top;
        {
            od::json_type t;
            check(doc.type().get(t));
            if (t != od::json_type::object) {
                fail("expected a results object at the top level");
            }
            check(doc.get_object().get(top));
        }
        RunResult run;
        bool has_scenarios = false;
        for_each_member(top, [&](std::string_view key, od::value& f) {
            if (key == "test_id") {
                run.test_id = string(f);
            } else if (key == "started_at") {
                run.started_at = string(f);
            } else if (key == "completed_at") {
                run.completed_at = string(f);
            } else if (key == "config") {
                run.config = object_or_empty(f);
            } else if (key == "scenarios") {
                has_scenarios = true;
                for_each_element(array(f, "an array of scenarios"), [&](od::value& sv) {
                    run.scenarios.emplace_back();
                    read_scenario(run, sv, run.scenarios.back());
                });
            } else if (key == "derived_config") {
                if (!is_null(f)) {
                    run.derived_config = object_or_empty(f);
                }
            } else if (key == "aborted") {
                run.aborted = boolean(f);
            } else if (key == "abort_reason") {
                run.abort_reason = optional_string(f);
            } else if (key == "analysis") {
                run.analysis = object_or_empty(f);
            } else {
                run.extra[std::string(key)] = generic(f);
            }
        });
        if (const char* rest = nullptr; doc.current_location().get(rest) == simdjson::SUCCESS) {
            fail("unexpected content after the JSON document");
        }
        if (!has_scenarios) {
            fail("no \"scenarios\" array: not a results.json");
        }
        if (run.scenarios.empty()) {
            fail("\"scenarios\" is empty: nothing to analyze");
        }
        return run;
    }

  private:
    std::string_view source_;
    std::vector<Segment> path_;
    std::unordered_map<std::string_view, ContainerId> ids_;
    std::vector<ContainerSample> scratch_;  // views into run.containers (stable std::strings)
};

RunResult parse_padded(const simdjson::padded_string& text, std::string_view source_name) {
    od::parser parser;
    od::document doc;
    Reader reader(source_name);
    if (auto e = parser.iterate(text).get(doc); e != simdjson::SUCCESS) {
        reader.malformed(e);
    }
    try {
        return reader.read_run(doc);
    } catch (const simdjson::simdjson_error& e) {
        reader.malformed(e.error());
    }
}

}  // namespace

RunResult parse_results(std::string_view json_text, std::string_view source_name) {
    simdjson::padded_string padded(json_text);
    return parse_padded(padded, source_name);
}

RunResult read_results_file(const std::filesystem::path& path) {
    simdjson::padded_string text;
    if (auto e = simdjson::padded_string::load(path.string()).get(text); e != simdjson::SUCCESS) {
        std::error_code ec;
        const bool exists = std::filesystem::exists(path, ec);
        throw InputError(fmt::format("{}: cannot be read ({}; check the path)", path.string(),
                                     exists ? simdjson::error_message(e) : "no such file"));
    }
    return parse_padded(text, path.string());
}

}  // namespace perfrunner::model
