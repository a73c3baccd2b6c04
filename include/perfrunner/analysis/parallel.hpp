#pragma once
// parallel_map: f(0) … f(n-1) on up to `max_workers` threads, results in index order.
//
// Why: the analysis's per-container passes (the leak rule's Theil-Sen fits, the scenario summaries) are
// independent pure functions of a const RunResult, and they are most of `analyze`'s analysis time on a big
// file; two cores halve it. Results land in their index's slot, so the output is the same, byte for byte, as
// a serial loop's whatever the threads' timing. The first exception (by index) is rethrown after every worker
// has stopped, as the serial loop would throw it.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

namespace perfrunner::analysis {

// Workers for the analysis: the cores there are, at most four (the passes have 20-odd items; more threads
// would mostly wait), at least one.
inline unsigned analysis_workers() {
    return std::clamp(std::thread::hardware_concurrency(), 1U, 4U);
}

template <class F>
auto parallel_map(std::size_t n, F&& f, unsigned max_workers = analysis_workers())
    -> std::vector<decltype(f(std::size_t{}))> {
    using R = decltype(f(std::size_t{}));
    std::vector<std::optional<R>> slots(n);
    std::vector<std::exception_ptr> errors(n);
    std::atomic<std::size_t> next{0};
    // Items are taken one at a time from a shared counter: containers differ in cost (a leaking one takes the
    // rule's longer path), so a fixed split would leave one worker idle.
    const auto work = [&] {
        for (std::size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
            try {
                slots[i].emplace(f(i));
            } catch (...) {
                errors[i] = std::current_exception();
            }
        }
    };
    const std::size_t workers = std::min<std::size_t>(max_workers, n);
    {
        std::vector<std::jthread> threads;
        for (std::size_t t = 1; t < workers; ++t) {
            try {
                threads.emplace_back(work);
            } catch (const std::system_error&) {
                break;  // no thread to be had: the ones running (this one at least) do every item
            }
        }
        work();
    }  // jthreads join here
    std::vector<R> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (errors[i]) {
            std::rethrow_exception(errors[i]);
        }
        out.push_back(std::move(*slots[i]));
    }
    return out;
}

}  // namespace perfrunner::analysis
