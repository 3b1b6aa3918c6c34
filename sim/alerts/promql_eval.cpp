// The evaluator of parsed PromQL (alerts/promql.hpp) over scraped series. The rules are those
// of Prometheus 2 (promql/engine.go, promql/functions.go): instant selectors look back 5
// minutes, range selectors hold the samples in [t - range, t], arithmetic drops the metric name,
// vector matching is one-to-one on the labels other than the name.

#include <algorithm>
#include <cmath>
#include <map>
#include <memory_resource>
#include <set>

#include "alerts/promql.hpp"
#include "alerts/promql_tree.hpp"

namespace rollsim::alerts {

namespace {

// --- Evaluation -----------------------------------------------------------------------------

/// Label sets by number: every set an evaluation makes is stored once, so samples carry a
/// number, and dropping the name, a signature or a grouping key is computed once per set.
class LabelTable {
public:
    using Id = std::uint32_t;
    Id intern(Labels l) {
        const auto [it, added] = index_.try_emplace(std::move(l), static_cast<Id>(sets_.size()));
        if (added) sets_.push_back(&it->first);
        return it->second;
    }
    const Labels& operator[](Id id) const { return *sets_[id]; }
    /// The set without __name__.
    Id without_name(Id id) {
        if (id < no_name_.size() && no_name_[id] != kNone) return no_name_[id];
        Labels l = (*this)[id];
        l.erase("__name__");
        const Id out = intern(std::move(l));
        if (no_name_.size() <= id) no_name_.resize(id + 1, kNone);
        no_name_[id] = out;
        return out;
    }
    /// The keys `node` derives from label sets (its signatures or grouping keys), by set: look
    /// it up once per evaluation of the node, then derived(cache, id, make) per sample.
    std::vector<Id>& derived_by(const void* node) { return derived_[node]; }
    /// The key derived from set `id`, made by `make` the first time.
    template <class Make>
    Id derived(std::vector<Id>& cache, Id id, Make make) {
        if (id < cache.size() && cache[id] != kNone) return cache[id];
        const Id out = intern(make((*this)[id]));
        if (cache.size() <= id) cache.resize(id + 1, kNone);
        cache[id] = out;
        return out;
    }

private:
    static constexpr Id kNone = 0xffffffffu;
    std::map<Labels, Id> index_;
    std::vector<const Labels*> sets_;  ///< into index_'s keys, which never move
    std::vector<Id> no_name_;
    std::map<const void*, std::vector<Id>> derived_;
};
using LabelsId = LabelTable::Id;

struct ISample {
    LabelsId labels;
    double value = 0;
};

struct RangeSeries {
    LabelsId labels;
    std::pmr::vector<std::pair<SimTime, double>> points;
};

/// An intermediate result. Its lists live in the evaluator's arena, which each evaluation
/// starts over: evaluating a rule allocates nothing once the arena has grown.
struct Value {
    enum class Kind { Scalar, Vector, Range };
    Value(Kind k, std::pmr::memory_resource* arena) : kind(k), vector(arena), range(arena) {}
    Kind kind;
    double scalar = 0;
    std::pmr::vector<ISample> vector;
    std::pmr::vector<RangeSeries> range;
};

/// The labels two samples are matched on.
Labels signature(const Labels& l, const Node& n) {
    Labels out;
    if (n.on && *n.on) {
        for (const auto& k : n.labels) {
            if (const auto it = l.find(k); it != l.end()) out.insert(*it);
        }
        return out;
    }
    out = l;
    out.erase("__name__");
    if (n.on && !*n.on) {
        for (const auto& k : n.labels) out.erase(k);
    }
    return out;
}

bool compare(Op op, double a, double b) {
    switch (op) {
        case Op::Eq: return a == b;
        case Op::Ne: return a != b;
        case Op::Lt: return a < b;
        case Op::Le: return a <= b;
        case Op::Gt: return a > b;
        case Op::Ge: return a >= b;
        default: return false;
    }
}

bool is_comparison(Op op) { return op >= Op::Eq && op <= Op::Ge; }

double arithmetic(Op op, double a, double b) {
    switch (op) {
        case Op::Add: return a + b;
        case Op::Sub: return a - b;
        case Op::Mul: return a * b;
        case Op::Div: return a / b;
        case Op::Mod: return std::fmod(a, b);
        case Op::Pow: return std::pow(a, b);
        default: return 0;
    }
}

/// Evaluates expressions over one SeriesSet at any number of times; what does not depend on the
/// time (which series a selector matches, label sets derived from others) is kept between them.
class Evaluator {
public:
    explicit Evaluator(const SeriesSet& d) : d_(d) {
        for (const Series& x : d.series) series_labels_.push_back(labels_.intern(x.labels));
    }

    /// The instant vector of `q` at `t`.
    Vector evaluate(const Query& q, SimTime t) {
        Vector out;
        for (const auto& [id, value] : evaluate_ids(q, t)) out.push_back({labels_[id], value});
        return out;
    }
    /// The same, each sample's labels by number (valid until the next evaluation).
    const std::vector<std::pair<LabelsId, double>>& evaluate_ids(const Query& q, SimTime t) {
        t_ = t;
        arena_.release();
        result_.clear();
        const Value v = eval(*q.root);
        if (v.kind == Value::Kind::Range) throw PromqlError("the expression is a range vector; an alert needs an instant vector");
        if (v.kind == Value::Kind::Scalar) {
            result_.emplace_back(labels_.intern({}), v.scalar);
        } else {
            for (const ISample& x : v.vector) result_.emplace_back(x.labels, x.value);
        }
        return result_;
    }
    const Labels& labels(LabelsId id) const { return labels_[id]; }

private:
    Value eval(const Node& n) {
        switch (n.kind) {
            case Node::Kind::Number: return scalar(n.number);
            case Node::Kind::Selector: return select(n);
            case Node::Kind::Call: return call(n);
            case Node::Kind::Negate: {
                Value v = eval(*n.args[0]);
                if (v.kind == Value::Kind::Scalar) v.scalar = -v.scalar;
                for (auto& x : v.vector) x.labels = labels_.without_name(x.labels), x.value = -x.value;
                return v;
            }
            case Node::Kind::Binary: return binary(n);
            case Node::Kind::Aggregate: return aggregate(n);
        }
        return scalar(0);  // unreachable: every kind is handled above
    }

    Value make(Value::Kind k) { return Value(k, &arena_); }
    Value scalar(double x) {
        Value v = make(Value::Kind::Scalar);
        v.scalar = x;
        return v;
    }

    /// Sample i of a series is at origin + i × step.
    SimTime time_of(std::size_t i) const { return d_.origin + d_.step * static_cast<std::int64_t>(i); }

    Value select(const Node& n) {
        Value v = make(n.range ? Value::Kind::Range : Value::Kind::Vector);
        const SimTime at = t_ - n.offset;
        auto [matched, fresh] = matched_.try_emplace(&n);
        if (fresh) {
            for (std::size_t i = 0; i < d_.series.size(); ++i) {
                const Labels& l = d_.series[i].labels;
                if (std::all_of(n.matchers.begin(), n.matchers.end(), [&](const Matcher& m) { return m.matches(l); })) {
                    matched->second.push_back(i);
                }
            }
        }
        for (const std::size_t si : matched->second) {
            const Series& s = d_.series[si];
            // A range holds [from, at]; an instant selector takes the latest sample in
            // [at - 5m, at] (Prometheus 2 includes both ends). Sample i is at (i + 1) × step.
            const SimTime from = n.range ? at - *n.range : at - kLookback;
            RangeSeries r{series_labels_[si], std::pmr::vector<std::pair<SimTime, double>>(&arena_)};
            const std::int64_t step = d_.step.ms();
            const auto index = [&](SimTime t) {  // the last sample at or before t (may be -1)
                const std::int64_t d = (t - d_.origin).ms();
                return d >= 0 ? d / step : -((-d + step - 1) / step);
            };
            const std::int64_t lo = std::max<std::int64_t>(0, index(from));
            const std::int64_t hi = std::min<std::int64_t>(static_cast<std::int64_t>(s.samples.size()) - 1, index(at));
            const auto usable = [&](std::int64_t i) {
                const auto& sample = s.samples[static_cast<std::size_t>(i)];
                return sample && time_of(static_cast<std::size_t>(i)) >= from;
            };
            if (!n.range) {
                // The latest usable sample, looked for from the end.
                for (std::int64_t i = hi; i >= lo; --i) {
                    if (!usable(i)) continue;
                    v.vector.push_back({series_labels_[si], *s.samples[static_cast<std::size_t>(i)]});
                    break;
                }
                continue;
            }
            for (std::int64_t i = lo; i <= hi; ++i) {
                if (usable(i)) r.points.emplace_back(time_of(static_cast<std::size_t>(i)), *s.samples[static_cast<std::size_t>(i)]);
            }
            if (!r.points.empty()) v.range.push_back(std::move(r));
        }
        return v;
    }

    Value call(const Node& n) {
        const Node& arg = *n.args[0];
        if (n.name == "absent") {
            const Value v = eval(arg);
            if (v.kind != Value::Kind::Vector) throw PromqlError("absent() takes an instant vector");
            Value out = make(Value::Kind::Vector);
            if (v.vector.empty()) {
                Labels l;
                if (arg.kind == Node::Kind::Selector) {
                    for (const auto& m : arg.matchers) {
                        if (m.op == "=" && m.label != "__name__") l[m.label] = m.value;
                    }
                }
                out.vector.push_back({labels_.intern(std::move(l)), 1});
            }
            return out;
        }
        const Value v = eval(arg);
        if (v.kind != Value::Kind::Range) throw PromqlError(n.name + "() takes a range vector, e.g. x[5m]");
        const SimTime range = *arg.range;
        Value out = make(Value::Kind::Vector);
        for (const RangeSeries& r : v.range) {
            const auto& p = r.points;
            if (n.name == "changes") {
                double c = 0;
                for (std::size_t i = 1; i < p.size(); ++i) c += p[i].second != p[i - 1].second ? 1 : 0;
                out.vector.push_back({labels_.without_name(r.labels), c});
                continue;
            }
            if (p.size() < 2) continue;
            out.vector.push_back({labels_.without_name(r.labels), extrapolated(n.name, p, range, t_ - arg.offset)});
        }
        return out;
    }

    /// rate, increase and delta as Prometheus 2's extrapolatedRate computes them.
    static double extrapolated(const std::string& fn, const std::pmr::vector<std::pair<SimTime, double>>& p, SimTime range, SimTime at) {
        const bool counter = fn != "delta";
        double result = p.back().second - p.front().second;
        if (counter) {
            for (std::size_t i = 1; i < p.size(); ++i) {
                if (p[i].second < p[i - 1].second) result += p[i - 1].second;  // a counter reset
            }
        }
        const double start = (at - range).to_seconds(), end = at.to_seconds();
        const double first = p.front().first.to_seconds(), last = p.back().first.to_seconds();
        const double sampled = last - first;
        double to_start = first - start, to_end = end - last;
        const double average = sampled / static_cast<double>(p.size() - 1);
        if (counter && result > 0 && p.front().second >= 0) {
            const double to_zero = sampled * (p.front().second / result);
            if (to_zero < to_start) to_start = to_zero;
        }
        const double threshold = average * 1.1;
        double interval = sampled;
        interval += to_start < threshold ? to_start : average / 2;
        interval += to_end < threshold ? to_end : average / 2;
        result *= interval / sampled;
        if (fn == "rate") result /= range.to_seconds();
        return result;
    }

    Value binary(const Node& n) {
        const Value a = eval(*n.args[0]), b = eval(*n.args[1]);
        if (a.kind == Value::Kind::Range || b.kind == Value::Kind::Range) throw PromqlError("an operator cannot take a range vector");
        const bool set_op = n.op == Op::And || n.op == Op::Or || n.op == Op::Unless;
        if (a.kind == Value::Kind::Scalar && b.kind == Value::Kind::Scalar) {
            if (set_op) throw PromqlError("and, or and unless take vectors");
            if (is_comparison(n.op) && !n.return_bool) throw PromqlError("a comparison of two scalars needs bool");
            return scalar(is_comparison(n.op) ? (compare(n.op, a.scalar, b.scalar) ? 1.0 : 0.0) : arithmetic(n.op, a.scalar, b.scalar));
        }
        Value out = make(Value::Kind::Vector);
        if (a.kind == Value::Kind::Scalar || b.kind == Value::Kind::Scalar) {
            if (set_op) throw PromqlError("and, or and unless take vectors");
            const bool scalar_left = a.kind == Value::Kind::Scalar;
            for (const ISample& s : scalar_left ? b.vector : a.vector) {
                const double l = scalar_left ? a.scalar : s.value, r = scalar_left ? s.value : b.scalar;
                if (is_comparison(n.op)) {
                    const bool ok = compare(n.op, l, r);
                    if (n.return_bool) out.vector.push_back({labels_.without_name(s.labels), ok ? 1.0 : 0.0});
                    else if (ok) out.vector.push_back(s);  // the filter keeps the vector's sample
                } else {
                    out.vector.push_back({labels_.without_name(s.labels), arithmetic(n.op, l, r)});
                }
            }
            return out;
        }
        // Two vectors: matched on their signatures.
        std::vector<LabelsId>& signatures = labels_.derived_by(&n);
        const auto sig_of = [&](LabelsId id) {
            return labels_.derived(signatures, id, [&](const Labels& l) { return signature(l, n); });
        };
        // A vector holds at most one sample per series, and there are few: flat lists suffice.
        std::pmr::vector<std::pair<LabelsId, const ISample*>> right(&arena_);
        const auto find_right = [&](LabelsId sig) {
            return std::find_if(right.begin(), right.end(), [&](const auto& x) { return x.first == sig; });
        };
        for (const ISample& s : b.vector) {
            const LabelsId sig = sig_of(s.labels);
            const bool fresh = find_right(sig) == right.end();
            if (fresh) right.emplace_back(sig, &s);
            if (!fresh && !set_op) {
                throw PromqlError("many-to-many matching (two right-hand series with the same labels) is not supported");
            }
        }
        std::pmr::vector<LabelsId> left_sigs(&arena_);
        const auto seen_left = [&](LabelsId sig) { return std::find(left_sigs.begin(), left_sigs.end(), sig) != left_sigs.end(); };
        for (const ISample& s : a.vector) {
            const LabelsId sig = sig_of(s.labels);
            const bool fresh = !seen_left(sig);
            if (fresh) left_sigs.push_back(sig);
            if (!fresh && !set_op) {
                throw PromqlError("many-to-many matching (two left-hand series with the same labels) is not supported");
            }
            const auto it = find_right(sig);
            if (n.op == Op::And) {
                if (it != right.end()) out.vector.push_back(s);
            } else if (n.op == Op::Unless) {
                if (it == right.end()) out.vector.push_back(s);
            } else if (n.op == Op::Or) {
                out.vector.push_back(s);
            } else if (it != right.end()) {
                const double l = s.value, r = it->second->value;
                if (is_comparison(n.op)) {
                    const bool ok = compare(n.op, l, r);
                    if (n.return_bool) out.vector.push_back({labels_.without_name(s.labels), ok ? 1.0 : 0.0});
                    else if (ok) out.vector.push_back(s);
                } else {
                    out.vector.push_back({labels_.without_name(s.labels), arithmetic(n.op, l, r)});
                }
            }
        }
        if (n.op == Op::Or) {
            for (const ISample& s : b.vector) {
                if (!seen_left(sig_of(s.labels))) out.vector.push_back(s);
            }
        }
        return out;
    }

    Value aggregate(const Node& n) {
        const Value v = eval(*n.args[0]);
        if (v.kind != Value::Kind::Vector) throw PromqlError(n.name + " takes an instant vector");
        // Groups in the order of their label sets, as before interning.
        const auto by_labels = [&](LabelsId x, LabelsId y) { return labels_[x] < labels_[y]; };
        std::pmr::map<LabelsId, std::pair<double, double>, decltype(by_labels)> groups(by_labels, &arena_);  // value, count
        std::vector<LabelsId>& keys = labels_.derived_by(&n);
        for (const ISample& s : v.vector) {
            const LabelsId key = labels_.derived(keys, s.labels, [&](const Labels& l) {
                Labels k;
                if (n.by) {
                    for (const auto& name : n.labels) {
                        if (const auto it = l.find(name); it != l.end()) k.insert(*it);
                    }
                } else {
                    k = l;
                    k.erase("__name__");
                    for (const auto& name : n.labels) k.erase(name);
                }
                return k;
            });
            auto [it, fresh] = groups.emplace(key, std::pair{s.value, 1.0});
            if (fresh) continue;
            auto& [acc, count] = it->second;
            if (n.name == "sum" || n.name == "avg") acc += s.value;
            if (n.name == "min") acc = std::min(acc, s.value);
            if (n.name == "max") acc = std::max(acc, s.value);
            count += 1;
        }
        Value out = make(Value::Kind::Vector);
        for (const auto& [key, g] : groups) {
            const double value = n.name == "count" ? g.second : n.name == "avg" ? g.first / g.second : g.first;
            out.vector.push_back({key, value});
        }
        return out;
    }

    const SeriesSet& d_;
    SimTime t_;
    std::vector<std::byte> arena_buffer_ = std::vector<std::byte>(std::size_t{1} << 16);
    std::pmr::monotonic_buffer_resource arena_{arena_buffer_.data(), arena_buffer_.size()};
    std::vector<std::pair<LabelsId, double>> result_;
    LabelTable labels_;
    std::vector<LabelsId> series_labels_;  ///< each series' set
    std::map<const Node*, std::vector<std::size_t>> matched_;  ///< each selector's series
};

}  // namespace

Vector evaluate(const Query& q, const SeriesSet& data, SimTime t) { return Evaluation(data).at(q, t); }

struct Evaluation::State {
    explicit State(const SeriesSet& d) : evaluator(d) {}
    Evaluator evaluator;
};

Evaluation::Evaluation(const SeriesSet& data) : state_(std::make_unique<State>(data)) {}
Evaluation::~Evaluation() = default;
Vector Evaluation::at(const Query& q, SimTime t) { return state_->evaluator.evaluate(q, t); }
const std::vector<std::pair<std::uint32_t, double>>& Evaluation::at_ids(const Query& q, SimTime t) {
    return state_->evaluator.evaluate_ids(q, t);
}
const Labels& Evaluation::labels(std::uint32_t id) const { return state_->evaluator.labels(id); }

}  // namespace rollsim::alerts
