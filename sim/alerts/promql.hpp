#pragma once
/// @file promql.hpp
/// A small PromQL evaluator for the expressions alert rules over kube-state-metrics use
/// (docs/alerts.md, "The PromQL rollsim evaluates"): vector selectors with label matchers, an
/// optional range and offset; arithmetic and comparison operators (with `bool`) and
/// `and`/`or`/`unless`, with `on`/`ignoring`; changes, increase, rate, delta and absent; sum, min,
/// max, count and avg by or without labels. It follows Prometheus 2's rules (the 5-minute
/// lookback, ranges closed at both ends, rate's extrapolation) and refuses anything else with a
/// PromqlError naming the construct: it never guesses.

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "rollsim/sim_time.hpp"

namespace rollsim::alerts {

using Labels = std::map<std::string, std::string>;  ///< with "__name__" for a metric's name

/// One scraped series: sample i at origin + i × step (the change at 0); nullopt: no sample.
struct Series {
    Labels labels;
    std::vector<std::optional<double>> samples;
};
struct SeriesSet {
    SimTime step;
    std::vector<Series> series;
    SimTime origin;  ///< the time of every series' first sample
};

struct Sample {
    Labels labels;
    double value = 0;
};
using Vector = std::vector<Sample>;

class PromqlError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Node;
/// A parsed expression.
struct Query {
    std::string text;
    std::shared_ptr<const Node> root;
};

/// Parses `text`; throws PromqlError ("… is not supported", "unexpected …") with the construct.
Query parse_promql(const std::string& text);

/// The samples an evaluation at t reads lie in [t - back, t - ahead] (ranges and lookbacks,
/// moved by their offsets): the result depends only on them, at their times relative to t.
struct QueryWindow {
    SimTime back;
    SimTime ahead;
};
QueryWindow query_window(const Query& q);
/// read[i]: some selector of the expression matches series i; the others cannot change its value.
std::vector<bool> series_read(const Query& q, const SeriesSet& data);

/// The expression's instant vector at time `t` (a scalar result is one sample without labels).
Vector evaluate(const Query& q, const SeriesSet& data, SimTime t);

/// Many evaluations over one SeriesSet (which must outlive it): what does not depend on the
/// time, such as which series each selector matches, is worked out once.
class Evaluation {
public:
    explicit Evaluation(const SeriesSet& data);
    ~Evaluation();
    Evaluation(const Evaluation&) = delete;
    Evaluation& operator=(const Evaluation&) = delete;
    Vector at(const Query& q, SimTime t);
    /// The same, each sample's labels as a number that stands for one label set throughout
    /// this Evaluation (see labels()); valid until the next call. Allocates nothing once warm.
    const std::vector<std::pair<std::uint32_t, double>>& at_ids(const Query& q, SimTime t);
    const Labels& labels(std::uint32_t id) const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace rollsim::alerts
