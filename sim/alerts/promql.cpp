// The PromQL rollsim reads (alerts/promql.hpp): a tokenizer and a recursive-descent parser with
// Prometheus's operator precedence; anything outside the subset alert rules use is refused by
// name. The evaluator is alerts/promql_eval.cpp.

#include "alerts/promql.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "alerts/promql_tree.hpp"

namespace rollsim::alerts {

namespace {

using NodeP = std::shared_ptr<const Node>;

/// A label matcher's regular expression, anchored at both ends as Prometheus anchors it, in
/// POSIX extended syntax (which shares RE2's for the expressions label matchers use).
std::shared_ptr<regex_t> compile(const std::string& pattern) {
    auto* re = new regex_t;
    if (regcomp(re, ("^(" + pattern + ")$").c_str(), REG_EXTENDED | REG_NOSUB) != 0) {
        delete re;
        throw PromqlError(fmt::format("the regular expression \"{}\" is not valid POSIX extended syntax, which rollsim reads matchers in", pattern));
    }
    return {re, [](regex_t* r) {
                regfree(r);
                delete r;
            }};
}

[[noreturn]] void unsupported(const std::string& what) { throw PromqlError(what + " is not supported"); }

// --- Tokens ---------------------------------------------------------------------------------

struct Token {
    enum class Kind { Ident, Number, String, Duration, Punct, End } kind = Kind::End;
    std::string text;
};

class Lexer {
public:
    explicit Lexer(const std::string& s) : s_(s) {}

    std::vector<Token> tokens() {
        std::vector<Token> out;
        for (;;) {
            while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
            if (i_ >= s_.size()) break;
            if (s_[i_] == '#') {  // a comment to the end of the line
                while (i_ < s_.size() && s_[i_] != '\n') ++i_;
                continue;
            }
            out.push_back(next(out));
        }
        out.push_back({Token::Kind::End, ""});
        return out;
    }

private:
    Token next(const std::vector<Token>& before) {
        const char c = s_[i_];
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':') {
            const std::size_t b = i_;
            while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == ':')) ++i_;
            return {Token::Kind::Ident, s_.substr(b, i_ - b)};
        }
        if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && i_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_ + 1])))) {
            const std::size_t b = i_;
            while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.')) ++i_;
            const std::string t = s_.substr(b, i_ - b);
            // After "[" or "offset", or with a unit, a duration.
            const bool after_bracket = !before.empty() && (before.back().text == "[" || before.back().text == "offset");
            const bool unit = std::any_of(t.begin(), t.end(), [](char x) { return std::isalpha(static_cast<unsigned char>(x)) && x != 'e'; });
            return {after_bracket || unit ? Token::Kind::Duration : Token::Kind::Number, t};
        }
        if (c == '"' || c == '\'' || c == '`') {
            std::string v;
            ++i_;
            while (i_ < s_.size() && s_[i_] != c) {
                if (s_[i_] == '\\' && c != '`' && i_ + 1 < s_.size()) ++i_;
                v += s_[i_++];
            }
            if (i_ >= s_.size()) throw PromqlError("unterminated string");
            ++i_;
            return {Token::Kind::String, v};
        }
        for (const char* two : {"==", "!=", "<=", ">=", "=~", "!~"}) {
            if (s_.compare(i_, 2, two) == 0) {
                i_ += 2;
                return {Token::Kind::Punct, two};
            }
        }
        if (std::string("+-*/%^<>(){}[],=@").find(c) != std::string::npos) {
            ++i_;
            if (c == '@') unsupported("the @ modifier");
            return {Token::Kind::Punct, std::string(1, c)};
        }
        throw PromqlError(fmt::format("unexpected character '{}'", c));
    }

    const std::string& s_;
    std::size_t i_ = 0;
};

SimTime duration_of(const std::string& t) {
    std::int64_t ms = 0;
    std::size_t i = 0;
    if (t.empty()) throw PromqlError("an empty duration");
    while (i < t.size()) {
        std::size_t j = i;
        while (j < t.size() && std::isdigit(static_cast<unsigned char>(t[j]))) ++j;
        if (j == i) throw PromqlError(fmt::format("the duration {}", t));
        const std::int64_t n = std::stoll(t.substr(i, j - i));
        std::size_t k = j;
        while (k < t.size() && std::isalpha(static_cast<unsigned char>(t[k]))) ++k;
        const std::string unit = t.substr(j, k - j);
        const std::int64_t per = unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "m" ? 60'000 : unit == "h" ? 3'600'000
                                 : unit == "d" ? 86'400'000 : unit == "w" ? 604'800'000 : unit == "y" ? 31'536'000'000 : -1;
        if (per < 0) throw PromqlError(fmt::format("the duration {}", t));
        ms += n * per;
        i = k;
    }
    return SimTime::millis(ms);
}

// --- Parser ---------------------------------------------------------------------------------

const std::set<std::string> kFunctions = {"changes", "increase", "rate", "delta", "absent"};
const std::set<std::string> kAggregations = {"sum", "min", "max", "count", "avg"};
const std::set<std::string> kRefusedAggregations = {"topk", "bottomk", "quantile", "count_values", "stddev", "stdvar", "group"};

class Parser {
public:
    explicit Parser(const std::string& text) : t_(Lexer(text).tokens()) {}

    NodeP parse() {
        NodeP n = binary(1);
        if (peek().kind != Token::Kind::End) throw PromqlError(fmt::format("unexpected '{}'", peek().text));
        return n;
    }

private:
    const Token& peek() const { return t_[p_]; }
    Token take() { return t_[p_++]; }
    bool accept(const std::string& s) {
        if (peek().kind != Token::Kind::String && peek().text == s) {
            ++p_;
            return true;
        }
        return false;
    }
    void expect(const std::string& s) {
        if (!accept(s)) throw PromqlError(fmt::format("expected '{}' before '{}'", s, peek().text));
    }

    /// Precedence levels, lowest first: or; and unless; comparisons; + -; * / %; ^.
    static int level(const std::string& s) {
        if (s == "or") return 1;
        if (s == "and" || s == "unless") return 2;
        if (s == "==" || s == "!=" || s == "<" || s == "<=" || s == ">" || s == ">=") return 3;
        if (s == "+" || s == "-") return 4;
        if (s == "*" || s == "/" || s == "%" || s == "atan2") return 5;
        if (s == "^") return 6;
        return 0;
    }
    static Op op_of(const std::string& s) {
        static const std::map<std::string, Op> kOps = {{"or", Op::Or},   {"and", Op::And}, {"unless", Op::Unless}, {"==", Op::Eq},
                                                       {"!=", Op::Ne},   {"<", Op::Lt},    {"<=", Op::Le},         {">", Op::Gt},
                                                       {">=", Op::Ge},   {"+", Op::Add},   {"-", Op::Sub},         {"*", Op::Mul},
                                                       {"/", Op::Div},   {"%", Op::Mod},   {"^", Op::Pow}};
        const auto it = kOps.find(s);
        if (it == kOps.end()) unsupported("the operator " + s);
        return it->second;
    }

    /// Precedence climbing: the operators of level `min_level` and above; `^` is right-associative.
    NodeP binary(int min_level) {
        NodeP lhs = unary();
        for (;;) {
            const Token& t = peek();
            const int l = t.kind == Token::Kind::String ? 0 : level(t.text);
            if (l == 0 || l < min_level) break;
            const std::string op = take().text;
            auto n = std::make_shared<Node>();
            n->kind = Node::Kind::Binary;
            n->op = op_of(op);
            if (accept("bool")) {
                if (level(op) != 3) throw PromqlError("bool is only for comparison operators");
                n->return_bool = true;
            }
            if (peek().text == "on" || peek().text == "ignoring") {
                n->on = take().text == "on";
                n->labels = label_list();
            }
            if (peek().text == "group_left" || peek().text == "group_right") unsupported(peek().text + " (many-to-one matching)");
            n->args = {lhs, binary(op == "^" ? l : l + 1)};
            lhs = n;
        }
        return lhs;
    }

    NodeP unary() {
        if (accept("-")) {
            auto n = std::make_shared<Node>();
            n->kind = Node::Kind::Negate;
            n->args = {unary()};
            return n;
        }
        if (accept("+")) return unary();
        return postfix(primary());
    }

    NodeP postfix(NodeP n) {
        if (accept("[")) {
            if (n->kind != Node::Kind::Selector || n->range) throw PromqlError("a range applies to a vector selector only");
            const Token d = take();
            if (!peek().text.empty() && peek().text.front() == ':') unsupported("a subquery");
            auto s = std::make_shared<Node>(*n);
            s->range = duration_of(d.text);
            expect("]");
            n = s;
        }
        if (accept("offset")) {
            if (n->kind != Node::Kind::Selector) throw PromqlError("offset applies to a vector selector only");
            auto s = std::make_shared<Node>(*n);
            const bool negative = accept("-");
            s->offset = duration_of(take().text);
            if (negative) s->offset = SimTime::zero() - s->offset;
            n = s;
        }
        return n;
    }

    std::vector<std::string> label_list() {
        expect("(");
        std::vector<std::string> out;
        while (!accept(")")) {
            if (peek().kind != Token::Kind::Ident) throw PromqlError(fmt::format("expected a label name, not '{}'", peek().text));
            out.push_back(take().text);
            if (!accept(",") && peek().text != ")") throw PromqlError("expected ',' or ')' in a label list");
        }
        return out;
    }

    NodeP primary() {
        const Token t = take();
        if (t.kind == Token::Kind::Number) {
            auto n = std::make_shared<Node>();
            n->number = std::stod(t.text);
            return n;
        }
        if (t.kind == Token::Kind::String) unsupported("a string literal");
        if (t.text == "(") {
            NodeP n = binary(1);
            expect(")");
            return n;
        }
        if (t.text == "{") return selector("");
        if (t.kind != Token::Kind::Ident) throw PromqlError(fmt::format("unexpected '{}'", t.text));
        if (kAggregations.count(t.text) != 0 || kRefusedAggregations.count(t.text) != 0) return aggregate(t.text);
        if (peek().text == "(") {
            if (kFunctions.count(t.text) == 0) unsupported("the function " + t.text + "()");
            take();
            auto n = std::make_shared<Node>();
            n->kind = Node::Kind::Call;
            n->name = t.text;
            n->args.push_back(binary(1));
            expect(")");
            return n;
        }
        if (accept("{")) return selector(t.text);
        return selector_node(t.text, {});
    }

    NodeP aggregate(const std::string& name) {
        if (kRefusedAggregations.count(name) != 0) unsupported("the aggregation " + name);
        auto n = std::make_shared<Node>();
        n->kind = Node::Kind::Aggregate;
        n->name = name;
        const auto grouping = [&] {
            if (peek().text == "by" || peek().text == "without") {
                n->by = take().text == "by";
                n->labels = label_list();
            }
        };
        grouping();
        expect("(");
        n->args.push_back(binary(1));
        if (accept(",")) throw PromqlError("the aggregation " + name + " takes one argument");
        expect(")");
        grouping();
        return n;
    }

    NodeP selector(const std::string& name) {
        std::vector<Matcher> ms;
        while (!accept("}")) {
            if (peek().kind != Token::Kind::Ident) throw PromqlError(fmt::format("expected a label name, not '{}'", peek().text));
            Matcher m;
            m.label = take().text;
            m.op = take().text;
            if (m.op != "=" && m.op != "!=" && m.op != "=~" && m.op != "!~") throw PromqlError("expected a label matcher");
            if (peek().kind != Token::Kind::String) throw PromqlError("a label matcher's value must be a string");
            m.value = take().text;
            if (m.op == "=~" || m.op == "!~") m.re = compile(m.value);
            ms.push_back(std::move(m));
            if (!accept(",") && peek().text != "}") throw PromqlError("expected ',' or '}' in a selector");
        }
        return selector_node(name, std::move(ms));
    }

    static NodeP selector_node(const std::string& name, std::vector<Matcher> ms) {
        auto n = std::make_shared<Node>();
        n->kind = Node::Kind::Selector;
        if (!name.empty()) ms.insert(ms.begin(), Matcher{"__name__", "=", name, nullptr});
        if (ms.empty()) throw PromqlError("a vector selector needs a name or a matcher");
        n->matchers = std::move(ms);
        return n;
    }

    std::vector<Token> t_;
    std::size_t p_ = 0;
};

}  // namespace

Query parse_promql(const std::string& text) { return {text, Parser(text).parse()}; }

namespace {
void widen(const Node& n, QueryWindow& w, bool& any) {
    if (n.kind == Node::Kind::Selector) {
        const SimTime back = n.offset + n.range.value_or(kLookback);
        w.back = any ? std::max(w.back, back) : back;
        w.ahead = any ? std::min(w.ahead, n.offset) : n.offset;
        any = true;
    }
    for (const auto& a : n.args) widen(*a, w, any);
}

void mark_read(const Node& n, const SeriesSet& d, std::vector<bool>& read) {
    if (n.kind == Node::Kind::Selector) {
        for (std::size_t i = 0; i < d.series.size(); ++i) {
            const Labels& l = d.series[i].labels;
            if (std::all_of(n.matchers.begin(), n.matchers.end(), [&](const Matcher& m) { return m.matches(l); })) read[i] = true;
        }
    }
    for (const auto& a : n.args) mark_read(*a, d, read);
}
}  // namespace

QueryWindow query_window(const Query& q) {
    QueryWindow w;
    bool any = false;
    widen(*q.root, w, any);
    return w;
}

std::vector<bool> series_read(const Query& q, const SeriesSet& data) {
    std::vector<bool> read(data.series.size(), false);
    mark_read(*q.root, data, read);
    return read;
}

}  // namespace rollsim::alerts
