// The stand-in simulation's GET /metrics: its live state in the Prometheus text exposition format (0.0.4),
// with the metric names the platform's own simulation exposes (simulation_events_total,
// simulation_trips_active, simulation_real_time_ratio, ...), so a real Prometheus scrapes it like the
// platform's service.
#pragma once

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace standin {

// A snapshot of the engine, taken under its lock.
struct SimulationMetrics {
    // Cumulative since the process started (Prometheus counters: reset only when the process restarts).
    double trip_events = 0;    // trip requested / matched / picked up / completed / given up
    double status_events = 0;  // driver status changes
    double gps_pings = 0;      // 0.2 pings per driver per simulated second
    long trips_active = 0;
    double real_time_ratio = 1.0;  // CPU obtained / CPU needed over the last second (1 = keeps pace)
    int speed_multiplier = 1;      // as set through PUT /simulation/speed
    double effective_speed = 1.0;  // simulated seconds per wall second asked for (unpaced at multiplier 100)
    long simpy_events = 0;         // scheduled model events (agents + trips)
    long drivers = 0;
    long riders = 0;
    long agents_queued = 0;
    double cpu_demand_cores = 0;
    std::string state;  // stopped | running | draining | paused
};

// A number as Prometheus parses it: integers without a fraction, NaN and infinities spelled its way.
inline std::string prometheus_number(double v) {
    if (std::isnan(v)) {
        return "NaN";
    }
    if (std::isinf(v)) {
        return v > 0 ? "+Inf" : "-Inf";
    }
    char buf[40];
    if (std::floor(v) == v && std::fabs(v) < 1e15) {
        std::snprintf(buf, sizeof buf, "%.0f", v);
    } else {
        std::snprintf(buf, sizeof buf, "%.9g", v);
    }
    return buf;
}

class ExpositionWriter {
  public:
    // One metric family: its HELP and TYPE lines, then one line per (labels, value).
    void family(const std::string& name, const std::string& type, const std::string& help,
                const std::vector<std::pair<std::string, double>>& series) {
        out_ += "# HELP " + name + " " + help + "\n";
        out_ += "# TYPE " + name + " " + type + "\n";
        for (const auto& [labels, value] : series) {
            out_ += name;
            if (!labels.empty()) {
                out_ += "{" + labels + "}";
            }
            out_ += " " + prometheus_number(value) + "\n";
        }
    }
    void gauge(const std::string& name, const std::string& help, double value) {
        family(name, "gauge", help, {{"", value}});
    }
    const std::string& text() const { return out_; }

  private:
    std::string out_;
};

inline std::string prometheus_text(const SimulationMetrics& m) {
    ExpositionWriter w;
    w.family("simulation_events_total", "counter", "Simulation events processed since start, by event type.",
             {{R"(event_type="trip")", std::floor(m.trip_events)},
              {R"(event_type="driver_status")", std::floor(m.status_events)},
              {R"(event_type="gps_ping")", std::floor(m.gps_pings)}});
    w.gauge("simulation_trips_active", "Trips in flight (drivers en route to a pickup or a destination).",
            static_cast<double>(m.trips_active));
    w.gauge("simulation_real_time_ratio",
            "Simulated time achieved per simulated time requested (1 keeps pace).", m.real_time_ratio);
    w.gauge("simulation_speed_multiplier", "Speed multiplier as set through the API.",
            static_cast<double>(m.speed_multiplier));
    w.gauge("simulation_effective_speed", "Simulated seconds per wall second asked for.", m.effective_speed);
    w.gauge("simulation_simpy_events", "Scheduled model events (agents and trips).",
            static_cast<double>(m.simpy_events));
    w.family("simulation_agents_active", "gauge", "Active agents by type.",
             {{R"(agent_type="driver")", static_cast<double>(m.drivers)},
              {R"(agent_type="rider")", static_cast<double>(m.riders)}});
    w.gauge("simulation_agents_queued", "Agents waiting to be spawned.",
            static_cast<double>(m.agents_queued));
    w.gauge("simulation_cpu_demand_cores", "CPU the agents need at the current speed, in cores.",
            m.cpu_demand_cores);
    std::vector<std::pair<std::string, double>> states;
    for (const char* s : {"stopped", "running", "draining", "paused"}) {
        states.emplace_back(std::string("state=\"") + s + "\"", m.state == s ? 1.0 : 0.0);
    }
    w.family("simulation_state", "gauge", "1 for the current state of the simulation.", states);
    return w.text();
}

}  // namespace standin
