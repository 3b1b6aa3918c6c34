#pragma once
/// @file promql_tree.hpp
/// A parsed PromQL expression (alerts/promql.cpp parses it, alerts/promql_eval.cpp evaluates
/// it): the operators, the label matchers and the tree's nodes.

#include <memory>
#include <optional>
#include <regex.h>
#include <string>
#include <vector>

#include "alerts/promql.hpp"

namespace rollsim::alerts {

/// An instant selector looks back this far for its latest sample (Prometheus 2's default).
constexpr SimTime kLookback = SimTime::minutes(5);

enum class Op { Or, And, Unless, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div, Mod, Pow };

struct Matcher {
    std::string label, op, value;
    std::shared_ptr<regex_t> re;  ///< for =~ and !~: POSIX extended, anchored as Prometheus anchors them
    bool matches(const Labels& l) const {
        static const std::string kEmpty;
        const auto it = l.find(label);
        const std::string& v = it == l.end() ? kEmpty : it->second;
        if (op == "=") return v == value;
        if (op == "!=") return v != value;
        const bool m = regexec(re.get(), v.c_str(), 0, nullptr, 0) == 0;
        return op == "=~" ? m : !m;
    }
};

struct Node {
    enum class Kind { Number, Selector, Call, Negate, Binary, Aggregate } kind = Kind::Number;
    double number = 0;
    // Selector
    std::vector<Matcher> matchers;
    std::optional<SimTime> range;
    SimTime offset;
    // Call and Aggregate
    std::string name;
    std::vector<std::shared_ptr<const Node>> args;
    // Binary
    Op op = Op::Add;
    bool return_bool = false;
    std::optional<bool> on;  ///< true: on(labels), false: ignoring(labels)
    // Aggregate: by (true) or without (false) `labels`; Binary: on/ignoring's labels
    bool by = true;
    std::vector<std::string> labels;
};

}  // namespace rollsim::alerts
