// Resource limits (issue #8): a run too large for memory is refused up front with
// its estimate; --trace stops at its size limit with a TraceTruncated line.

#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "experiment/memory.hpp"
#include "experiment/trace_target.hpp"
#include "experiment/trial_records.hpp"
#include "experiment/words.hpp"
#include "rollsim/error.hpp"
#include "rollsim/io.hpp"
#include "rollsim/run.hpp"
#include "rollsim/timeline.hpp"

namespace rollsim::test {

namespace {

ScenarioSpec bundled(const std::string& name) {
    return load_scenario(std::string(ROLLSIM_SOURCE_DIR) + "/scenarios/" + name + "/scenario.yaml");
}

std::uint64_t part(const experiment::MemoryEstimate& e, const std::string& prefix) {
    for (const auto& p : e.parts) {
        if (p.what.rfind(prefix, 0) == 0) return p.bytes;
    }
    return 0;
}

}  // namespace

TEST_CASE("the memory estimate grows with trials x variants and with threads x nodes, not with one alone") {
    const ScenarioSpec s = bundled("node-exporter-100");  // 100 nodes
    const auto e = experiment::estimate_memory(s, {3, 1000, 1, {}});
    const auto more_trials = experiment::estimate_memory(s, {3, 2000, 1, {}});
    const auto more_variants = experiment::estimate_memory(s, {6, 1000, 1, {}});
    const auto more_threads = experiment::estimate_memory(s, {3, 1000, 2, {}});
    // A record at its widest, and its share of one measure's values sorted for the percentiles.
    const std::uint64_t outcomes = part(e, "the trial records");
    CHECK(outcomes == 3 * 1000 * (experiment::TrialRecords::kMaxBytesPerTrial + sizeof(double)));
    CHECK(part(more_trials, "the trial records") == 2 * outcomes);
    CHECK(part(more_variants, "the trial records") == 2 * outcomes);
    CHECK(part(more_threads, "the trial records") == outcomes);
    const std::uint64_t worlds = part(e, "the simulated clusters");
    CHECK(worlds == 100 * 1400);
    CHECK(part(more_threads, "the simulated clusters") == 2 * worlds);
    CHECK(part(more_trials, "the simulated clusters") == worlds);
    CHECK(e.total() == part(e, "the scenario") + worlds + outcomes);
}

TEST_CASE("a run over its memory limit is refused before any trial, naming the file, the total and each part") {
    const ScenarioSpec s = bundled("node-exporter-100");
    RunOptions o;
    o.trials = 1'000'000;
    o.threads = 2;
    o.max_memory = 64u << 20;
    bool ran = false;
    o.progress = [&](std::int64_t, std::int64_t) { ran = true; };
    try {
        (void)run(s, o);
        FAIL("a run estimated at over 500 MiB ran under a 64 MiB limit");
    } catch (const InputError& e) {
        CHECK(e.file() == s.file);
        CHECK(e.line() == 0);
        // 1,000,000 trials x 3 variants x 202 B = 578 MiB, first: the largest part leads.
        const std::string m = e.message();
        CHECK(m.rfind("the run needs about 586 MiB of memory, more than the 64 MiB --max-memory allows:\n", 0) == 0);
        CHECK(m.find("\n    578 MiB  the trial records kept for the percentiles: 1,000,000 trials × 3 variants × "
                     "202 B; to reduce: fewer trials (--trials, spec.trials), or fewer variants\n") != std::string::npos);
        CHECK(m.find("the simulated clusters: 2 threads × 100 nodes × 1.4 KiB; to reduce: fewer threads") !=
              std::string::npos);
    }
    CHECK_FALSE(ran);
    o.trials = 2;
    CHECK_NOTHROW((void)run(s, o));  // the same scenario with 2 trials fits in 64 MiB
}

TEST_CASE("the timeline recorder counts in the estimate, the streamed trace does not") {
    const ScenarioSpec s = bundled("node-exporter-100");
    const auto recorder = make_timeline_recorder(s);
    std::ostringstream sink;
    const auto tracer = make_jsonl_tracer(sink, s);
    const auto* r = dynamic_cast<const experiment::TraceTarget*>(recorder.get());
    const auto* t = dynamic_cast<const experiment::TraceTarget*>(tracer.get());
    const auto e = experiment::estimate_memory(s, {3, 10, 1, {r, t}});
    CHECK(part(e, "the recorded timelines") == 3 * 100 * 3584);
    CHECK(e.parts.size() == 4);  // the scenario, the clusters, the outcomes, the timelines
}

TEST_CASE("--trace stops at its limit with one TraceTruncated line, and says so") {
    const ScenarioSpec s = bundled("node-exporter-100");
    std::ostringstream whole;
    auto unlimited = make_jsonl_tracer(whole, s);
    RunOptions o;
    o.trials = 1;
    o.threads = 1;
    o.tracers = {unlimited.get()};
    (void)run(s, o);
    CHECK(unlimited->truncation().empty());
    REQUIRE(whole.str().size() > 100'000);

    std::ostringstream cut;
    auto limited = make_jsonl_tracer(cut, s, 10'000);
    o.tracers = {limited.get()};
    (void)run(s, o);
    const std::string text = cut.str();
    const std::string last = text.substr(text.rfind('\n', text.size() - 2) + 1);
    const std::string body = text.substr(0, text.size() - last.size());
    CHECK(body.size() <= 10'000);
    CHECK(body.size() > 9'000);  // up to the last whole line that fits
    CHECK(whole.str().rfind(body, 0) == 0);  // the same lines as the whole trace, in order
    CHECK(last.find("\"event\":\"TraceTruncated\",\"limitBytes\":10000}") != std::string::npos);
    CHECK(limited->truncation().rfind("the trace reached --trace-limit (9.8 KiB) at t=", 0) == 0);
}

TEST_CASE("sizes are Kubernetes quantities in bytes, whole and positive") {
    CHECK(parse_byte_size("512Mi") == std::uint64_t{512} << 20);
    CHECK(parse_byte_size("8Gi") == std::uint64_t{8} << 30);
    CHECK(parse_byte_size("2G") == 2'000'000'000u);
    CHECK(parse_byte_size("1e9") == 1'000'000'000u);
    CHECK(parse_byte_size("0.5") == 1u);  // rounded up to a whole byte, as Value() rounds
    CHECK_FALSE(parse_byte_size("1.5.3Gi"));
    CHECK_FALSE(parse_byte_size("-1Gi"));
    CHECK_FALSE(parse_byte_size("0"));
    CHECK_FALSE(parse_byte_size("lots"));
    CHECK(experiment::bytes_words(376) == "376 B");
    CHECK(experiment::bytes_words(1400) == "1.4 KiB");
    CHECK(experiment::bytes_words(std::uint64_t{64} << 20) == "64 MiB");
    CHECK(experiment::thousands(1'000'000) == "1,000,000");
    CHECK(experiment::thousands(999) == "999");
}

}  // namespace rollsim::test
