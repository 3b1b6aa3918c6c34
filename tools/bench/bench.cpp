// rollsim_bench: the performance figures of docs/performance.md, measured on the real model (the edge
// proxy: hostPort, readiness and liveness probes, an external health check, a 90-180 s init).
// Build it in Release (`cmake --preset release-fast && cmake --build --preset release-fast
// --target rollsim_bench`) and run it with no arguments; `--smoke` runs tiny sizes only (the
// test suite checks that the benchmark works, never how fast). docs/performance.md explains
// each figure.

#include <execinfo.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <queue>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "experiment/variants.hpp"
#include "kernel/random.hpp"
#include "model/world.hpp"
#include "rollsim/io.hpp"
#include "rollsim/run.hpp"

// ---- Allocation counting: every operator new of this process while `g_counting` is set.
namespace {
std::atomic<bool> g_counting{false};
bool g_trap = false;  // ROLLSIM_BENCH_TRAP_ALLOC=1: print where each counted allocation comes from
std::atomic<std::uint64_t> g_allocations{0};
}  // namespace

void* operator new(std::size_t n) {
    if (g_counting.load(std::memory_order_relaxed)) {
        g_allocations.fetch_add(1, std::memory_order_relaxed);
        if (g_trap) {
            void* frames[12];
            backtrace_symbols_fd(frames, backtrace(frames, 12), 2);
            (void)write(2, "--\n", 3);
        }
    }
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

const std::string kManifests = std::string(ROLLSIM_SOURCE_DIR) + "/scenarios/edge-proxy-single-node/manifests/";

/// The bench scenario's text: `nodes` edge nodes, one strategy.
std::string scenario_text(std::int32_t nodes, const std::string& max_unavailable) {
    return fmt::format(R"(apiVersion: rollsim.io/v1alpha1
kind: Scenario
metadata: {{name: bench-{0}-nodes}}
spec:
  seed: 1
  trials: 1
  horizon: 5000h
  cluster:
    nodePools:
      - {{name: edge, count: {0}, labels: {{node-role.example.com/edge: "true", kubernetes.io/arch: amd64}}}}
  daemonSet:
    current: {1}edge-proxy-v1.yaml
    proposed: {1}edge-proxy-v2.yaml
  workload:
    imagePull: {{distribution: lognormal, median: 6s, p95: 20s}}
    listen: {{distribution: uniform, min: 1s, max: 3s}}
    serve: {{distribution: uniform, min: 5s, max: 10s}}
    shutdown: 3s
    probeSurface: {{readiness: serving, liveness: listening, startup: listening}}
    proposed: {{serve: {{distribution: uniform, min: 90s, max: 180s}}}}
  traffic:
    mode: hostPort
    healthCheck: {{interval: 10s, unhealthyThreshold: 3, healthyThreshold: 2, surface: serving}}
  variants:
    strategies:
      - {{name: bench, updateStrategy: {{rollingUpdate: {{maxUnavailable: {2}}}}}}}
)",
                       nodes, kManifests, max_unavailable);
}

rollsim::ScenarioSpec scenario(std::int32_t nodes, const std::string& max_unavailable) {
    return rollsim::load_scenario_text(scenario_text(nodes, max_unavailable), "<bench>");
}

struct TrialFigures {
    double wall = 0;              ///< seconds for the measured trial
    std::uint64_t events = 0;
    double simulated_hours = 0;
    long peak_rss_kb = 0;
    std::uint64_t allocations = 0;  ///< during the measured (second) trial
    bool completed = false;
};

/// One trial, measured after one warm-up trial on the same World. Runs in a child process so
/// that the peak resident memory is this case's own.
TrialFigures one_trial(std::int32_t nodes, const std::string& mu) {
    int fd[2];
    if (pipe(fd) != 0) std::abort();
    const pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        const auto s = scenario(nodes, mu);
        const auto plan = rollsim::experiment::plan_variants(s);
        rollsim::model::World world;
        world.run_trial(plan[0]->model, s.seed, 1, nullptr);  // warm-up: the World's memory grows here
        TrialFigures f;
        const auto t0 = Clock::now();
        world.prepare(plan[0]->model, s.seed, 0, nullptr);
        g_allocations = 0;
        g_counting = true;  // the event loop only
        const auto o = world.finish();
        g_counting = false;
        f.wall = seconds_since(t0);
        f.allocations = g_allocations;
        f.events = o.events;
        f.simulated_hours = o.end.to_seconds() / 3600;
        f.completed = o.completed;
        rusage ru{};
        getrusage(RUSAGE_SELF, &ru);
        f.peak_rss_kb = ru.ru_maxrss;
        if (write(fd[1], &f, sizeof f) != sizeof f) _exit(1);
        _exit(0);
    }
    close(fd[1]);
    TrialFigures f;
    if (read(fd[0], &f, sizeof f) != sizeof f) std::fprintf(stderr, "bench: the child failed\n");
    close(fd[0]);
    waitpid(pid, nullptr, 0);
    return f;
}

/// The physical floor of this design: a binary heap of (time, sequence) events, each handler
/// scheduling one later event, for `events` events with `live` pending at a time.
double bare_heap(std::uint64_t events, std::size_t live) {
    struct E {
        std::int64_t time;
        std::uint64_t seq;
        bool operator>(const E& o) const { return time != o.time ? time > o.time : seq > o.seq; }
    };
    std::vector<E> storage;
    storage.reserve(live + 1);
    std::priority_queue<E, std::vector<E>, std::greater<>> heap(std::greater<>{}, std::move(storage));
    rollsim::kernel::Rng rng(12345);
    std::uint64_t seq = 0;
    for (std::size_t i = 0; i < live; ++i) heap.push({static_cast<std::int64_t>(rng.below(1'000'000)), seq++});
    std::int64_t sink = 0;
    const auto t0 = Clock::now();
    for (std::uint64_t i = 0; i < events; ++i) {
        const E e = heap.top();
        heap.pop();
        sink += e.time;
        heap.push({e.time + 1 + static_cast<std::int64_t>(rng.below(200'000)), seq++});
    }
    const double wall = seconds_since(t0);
    if (sink == 42) std::puts("");  // keep the loop
    return wall;
}

/// Many trials of one scenario through rollsim::run on `threads` threads.
double many_trials(const rollsim::ScenarioSpec& s, std::int32_t trials, unsigned threads, std::uint64_t* events,
                   std::size_t* record_bytes) {
    rollsim::RunOptions opt;
    opt.trials = trials;
    opt.threads = threads;
    const auto t0 = Clock::now();
    const auto r = rollsim::run(s, opt);
    const double wall = seconds_since(t0);
    *events = r.variants.front().events_processed;
    *record_bytes = r.variants.front().record_bytes_per_trial;
    return wall;
}

/// Where a trial's events go: each kind's count and its share per node, largest first.
void print_events_by_kind(const rollsim::kernel::Simulation& sim, std::int32_t nodes) {
    std::vector<std::pair<std::uint64_t, std::size_t>> kinds;
    for (std::size_t k = 0; k < sim.events_by_kind().size(); ++k) {
        if (sim.events_by_kind()[k] > 0) kinds.emplace_back(sim.events_by_kind()[k], k);
    }
    std::sort(kinds.rbegin(), kinds.rend());
    std::printf("events per node: %.2f (and %.2f stale timer entries dropped)\n",
                static_cast<double>(sim.events_processed()) / nodes, static_cast<double>(sim.stale_entries()) / nodes);
    for (const auto& [count, kind] : kinds) {
        std::printf("  %-24s %10llu  %6.2f per node\n", rollsim::model::event_name(static_cast<rollsim::model::Ev>(kind)),
                    static_cast<unsigned long long>(count), static_cast<double>(count) / nodes);
    }
}

// ---- End to end: the rollsim binary beside this one, as a user runs it (whole process:
// start, loading, trials, summaries, writing the report).

struct ProcessFigures {
    double wall = 0;
    double peak_mb = 0;
    int status = -1;
};

ProcessFigures run_process(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::fflush(stdout);  // or the child writes what is still buffered a second time
    const auto t0 = Clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        if (std::freopen("/dev/null", "w", stdout) == nullptr) _exit(127);
        execv(argv[0], argv.data());
        _exit(127);
    }
    ProcessFigures f;
    rusage ru{};
    int status = 0;
    wait4(pid, &status, 0, &ru);
    f.wall = seconds_since(t0);
    f.peak_mb = static_cast<double>(ru.ru_maxrss) / 1024;
    f.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return f;
}

std::string write_temp(const std::string& name, const std::string& text) {
    const std::string path = fmt::format("/tmp/rollsim-bench-{}-{}", getpid(), name);
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (f == nullptr || std::fwrite(text.data(), 1, text.size(), f) != text.size()) std::abort();
    std::fclose(f);
    return path;
}

/// `kubectl get nodes -o json` for `n` edge nodes.
std::string node_list(std::int32_t n) {
    std::string out = R"({"apiVersion": "v1", "kind": "List", "items": [)";
    for (std::int32_t i = 0; i < n; ++i) {
        out += fmt::format(R"({}{{"apiVersion": "v1", "kind": "Node", "metadata": {{"name": "edge-{}", "labels": {{)"
                           R"("node-role.example.com/edge": "true", "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": "edge-{}"}}}},)"
                           R"("status": {{"allocatable": {{"cpu": "8", "memory": "32Gi", "pods": "110"}},)"
                           R"("conditions": [{{"type": "Ready", "status": "True"}}]}}}})",
                           i == 0 ? "" : ",", i, i);
    }
    return out + "]}";
}

void end_to_end(const std::string& rollsim, std::int32_t mid, std::int32_t big, std::int32_t many, double budget) {
    std::printf("\nEnd to end: the rollsim binary, whole process (start, loading, trials, summaries, report)\n");
    const std::string five = write_temp("mid.yaml", scenario_text(mid, "10%"));
    const std::string huge = write_temp("big.yaml", scenario_text(big, "10%"));
    const auto show = [](const std::string& what, const ProcessFigures& f) {
        std::printf("  %-58s %8.2f s  %7.1f MB%s\n", what.c_str(), f.wall, f.peak_mb,
                    f.status == 0 || f.status == 3 ? "" : fmt::format("  (exit {})", f.status).c_str());
        return f.wall;
    };
    const auto run = [&](const std::string& file, std::int32_t trials, unsigned threads) {
        return run_process({rollsim, "run", file, "--trials", std::to_string(trials), "--threads", std::to_string(threads),
                            "--quiet", "--report", "/dev/null"});
    };
    show(fmt::format("one {}-node trial, 1 thread", big), run(huge, 1, 1));
    const std::int32_t half = many / 2;
    const double one = show(fmt::format("{} trials x {} nodes, 1 thread", half, mid), run(five, half, 1));
    const double two = show(fmt::format("{} trials x {} nodes, 2 threads", half, mid), run(five, half, 2));
    std::printf("  %-58s %8.2fx\n", "speed-up 1 -> 2 threads", one / two);
    if (two * 2 < budget) {
        show(fmt::format("{} trials x {} nodes, 2 threads", many, mid), run(five, many, 2));
    } else {
        std::printf("  %d trials x %d nodes, 2 threads: over the budget, about %.0f s\n", many, mid, two * 2);
    }
    const std::string nodes = write_temp("nodes.json", node_list(mid));
    show(fmt::format("default review of a {}-node DaemonSet (an image bump)", mid),
         run_process({rollsim, "review", "--current", kManifests + "edge-proxy-v1.yaml", "--proposed",
                      kManifests + "edge-proxy-v2.yaml", "--nodes", nodes, "--serve", "90s..180s", "--quiet",
                      "--fail-on", "never"}));
    for (const auto& f : {five, huge, nodes}) std::remove(f.c_str());
}

}  // namespace

int main(int argc, char** argv) {
    bool smoke = false;
    double budget = 120;  // seconds a section may take; larger cases are extrapolated
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--smoke") == 0) {
            smoke = true;
        } else if (std::strcmp(argv[i], "--budget") == 0 && i + 1 < argc) {
            budget = std::atof(argv[++i]);
        } else if (std::strcmp(argv[i], "--trial") == 0 && i + 2 < argc) {
            // One trial of N nodes at maxUnavailable MU after a warm-up, in this process (for
            // profilers and debuggers).
            const auto rss = [] {
                rusage ru{};
                getrusage(RUSAGE_SELF, &ru);
                return static_cast<double>(ru.ru_maxrss) / 1024;
            };
            const auto s = scenario(std::atoi(argv[i + 1]), argv[i + 2]);
            std::printf("peak MB: %.1f after loading", rss());
            const auto plan = rollsim::experiment::plan_variants(s);
            std::printf(", %.1f after planning", rss());
            rollsim::model::World world;
            world.run_trial(plan[0]->model, s.seed, 1, nullptr);
            std::printf(", %.1f after a trial\n", rss());
            g_trap = std::getenv("ROLLSIM_BENCH_TRAP_ALLOC") != nullptr;
            const auto t0 = Clock::now();
            world.prepare(plan[0]->model, s.seed, 0, nullptr);
            const double setup = seconds_since(t0);
            g_counting = true;  // the event loop only
            const auto o = world.finish();
            g_counting = false;
            std::printf("set-up %.1f ms; ", setup * 1000);
            std::printf("%llu events in %.1f ms, %llu allocations\n", static_cast<unsigned long long>(o.events),
                        seconds_since(t0) * 1000, static_cast<unsigned long long>(g_allocations.load()));
            print_events_by_kind(world.simulation(), std::atoi(argv[i + 1]));
            if (const char* r = std::getenv("ROLLSIM_BENCH_REPEAT")) {  // more trials, for perf to sample
                for (int k = std::atoi(r); k > 0; --k) {
                    world.prepare(plan[0]->model, s.seed, static_cast<std::uint64_t>(k), nullptr);
                    world.finish();
                }
            }
            return 0;
        } else {
            std::fprintf(stderr, "usage: rollsim_bench [--smoke] [--budget SECONDS] | --trial NODES MAXUNAVAILABLE\n");
            return 2;
        }
    }
    const std::int32_t big = smoke ? 2000 : 100'000;
    const std::int32_t mid = smoke ? 200 : 5000;
    const std::int32_t small = smoke ? 50 : 1000;
    const std::int32_t many = smoke ? 10 : 1000;
    std::printf("rollsim %s benchmark%s: the edge proxy (hostPort, readiness and liveness probes, health check,\n"
                "90-180 s init); %u hardware threads; sections over %.0f s are extrapolated\n\n",
                rollsim::version(), smoke ? " (--smoke: tiny sizes, figures mean nothing)" : "",
                std::thread::hardware_concurrency(), budget);

    std::printf("One trial (after a warm-up trial on the same World; own process for peak memory)\n");
    std::printf("%9s  %-15s  %10s  %12s  %12s  %10s  %10s  %8s\n", "nodes", "maxUnavailable", "wall ms", "events",
                "events/s", "sim hours", "peak MB", "loop allocs");
    std::vector<std::pair<std::int32_t, std::string>> cases = {
        {small, "10%"}, {mid, "10%"}, {mid, "1"}, {big, "10%"}};
    TrialFigures reference, last;
    std::int32_t last_n = 0;
    for (const auto& [n, mu] : cases) {
        if (last_n > 0 && mu == "10%") {
            // The cost grows as nodes squared (the controller's sync is O(nodes) per change):
            // run only what fits the budget, twice over for the warm-up.
            const double ratio = static_cast<double>(n) / last_n;
            const double predicted = last.wall * ratio * ratio;
            if (2 * predicted > budget) {
                std::printf("%9d  %-15s  %10s  predicted %.0f s (nodes^2 from %d nodes): over the budget, not run\n", n,
                            mu.c_str(), "-", predicted, last_n);
                continue;
            }
        }
        const TrialFigures f = one_trial(n, mu);
        std::printf("%9d  %-15s  %10.1f  %12llu  %12.3g  %10.1f  %10.1f  %8llu%s\n", n, mu.c_str(), f.wall * 1000,
                    static_cast<unsigned long long>(f.events), static_cast<double>(f.events) / f.wall, f.simulated_hours,
                    static_cast<double>(f.peak_rss_kb) / 1024, static_cast<unsigned long long>(f.allocations),
                    f.completed ? "" : "  (did not complete)");
        if (n == mid && mu == "1") reference = f;
        if (mu == "10%") {
            last = f;
            last_n = n;
        }
    }
    if (!smoke && reference.wall > 0) {
        std::printf("\nA real-time emulator needs the simulated time itself: %.1f days for the %d-node, maxUnavailable 1 "
                    "rollout above; rollsim took %.2f s.\n",
                    reference.simulated_hours / 24, mid, reference.wall);
    }

    std::printf("\nEvents per second per core, against a bare binary heap on the same number of events\n");
    TrialFigures per_trial;
    {
        per_trial = one_trial(mid, "10%");
        const double heap = bare_heap(per_trial.events, static_cast<std::size_t>(mid) * 4);
        std::printf("  model: %llu events in %.1f ms = %.3g events/s; bare heap: %.1f ms = %.3g events/s; ratio %.2f\n",
                    static_cast<unsigned long long>(per_trial.events), per_trial.wall * 1000,
                    static_cast<double>(per_trial.events) / per_trial.wall, heap * 1000,
                    static_cast<double>(per_trial.events) / heap, per_trial.wall / heap);
    }

    // 1 and 2 threads: as many of the trials as fit the budget (both runs together).
    const auto fitting = static_cast<std::int32_t>(budget / (3 * std::max(per_trial.wall, 1e-6)));
    const std::int32_t trials = std::max(2, std::min(many, fitting));
    std::printf("\n%d trials x %d nodes (maxUnavailable 10%%) through rollsim::run%s\n", trials, mid,
                trials < many ? fmt::format(" ({} would take over the budget)", many).c_str() : "");
    {
        const auto s = scenario(mid, "10%");
        std::uint64_t events = 0;
        std::size_t record_bytes = 0;
        const double one = many_trials(s, trials, 1, &events, &record_bytes);
        const double two = many_trials(s, trials, 2, &events, &record_bytes);
        std::printf("  1 thread: %.2f s (%.3g events/s)   2 threads: %.2f s (%.3g events/s)   speed-up %.2fx\n", one,
                    static_cast<double>(events) / one, two, static_cast<double>(events) / two, one / two);
        std::printf("  %.2f events per node; each trial's record keeps %zu bytes for the summaries\n",
                    static_cast<double>(events) / trials / mid, record_bytes);
        if (trials < many) {
            std::printf("  at this rate %d trials take %.0f s on 2 threads\n", many, two * many / trials);
        }
    }
    std::string self(4096, '\0');
    const ssize_t len = readlink("/proc/self/exe", self.data(), self.size());
    self.resize(len > 0 ? static_cast<std::size_t>(len) : 0);
    end_to_end(self.substr(0, self.rfind('/') + 1) + "rollsim", mid, smoke ? 2000 : 130'000, many, budget);
    return 0;
}
