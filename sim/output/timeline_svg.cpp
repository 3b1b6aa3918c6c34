// The timeline as an SVG picture: a headline that says where the outage was and why, one row
// per node (old pod above, new pod below, errors in red underneath), the ready and serving
// curves, and a legend. Beyond kMaxRows nodes, rows are groups of nodes showing each moment's
// most common state. Every number is printed with fixed precision: same timeline, same bytes.

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "output/timeline_words.hpp"
#include "rollsim/io.hpp"
#include "output/xml.hpp"
#include "rollsim/timeline.hpp"

namespace rollsim {

namespace {

constexpr std::size_t kMaxRows = 200;
constexpr double kWidth = 1240;
constexpr double kLeft = 130;    // node names
constexpr double kRight = 1080;  // per-row totals after this
constexpr double kChart = kRight - kLeft;
constexpr int kBins = 455;       // pixel columns of a grouped row (two pixels each)

struct StateStyle {
    const char* fill;
    const char* label;
};

/// One colour per state; the old revision's serving states share one muted colour.
constexpr std::array<StateStyle, 11> kStyles = {{
    {"#f2c14e", "Pending"},
    {"#d9c8f0", "starting"},
    {"#9b7fd1", "pulling the image"},
    {"#5e2a84", "ImagePullBackOff"},
    {"#a9d4f5", "initialising (listening, not serving)"},
    {"#7fc8b8", "serving, not Ready yet"},
    {"#ff66b3", "FALSE-READY: Ready, not serving"},
    {"#9ad49a", "Ready (minReadySeconds)"},
    {"#2e8b57", "available, serving"},
    {"#8b1a1a", "CrashLoopBackOff"},
    {"#f08a24", "terminating"},
}};
constexpr const char* kOldServing = "#a3b4c6";
constexpr const char* kErrors = "#d62728";
constexpr const char* kOutage = "#444444";

const char* fill_of(PodState s, bool old) {
    if (old && (s == PodState::Available || s == PodState::Ready || s == PodState::Serving)) return kOldServing;
    return kStyles[static_cast<std::size_t>(s)].fill;
}

std::string esc(std::string_view s) { return output::xml_escape(s); }

/// A tick spacing that gives 6-12 ticks over `span` seconds.
double tick_step(double span) {
    for (double s : {1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0,
                     14400.0, 21600.0, 43200.0}) {
        if (span / s <= 12) return s;
    }
    return 86400.0;
}

class Svg {
public:
    Svg(const Timeline& t) : t_(t) {
        end_s_ = std::max(t.end.to_seconds(), 1.0);
        rows_ = t.nodes.size();
        group_ = rows_ > kMaxRows ? (rows_ + kMaxRows - 1) / kMaxRows : 1;
        shown_ = (rows_ + group_ - 1) / group_;
        row_h_ = shown_ <= 4 ? 40.0 : shown_ <= 40 ? 18.0 : shown_ <= 100 ? 9.0 : 5.0;
        has_test_ = std::any_of(t.nodes.begin(), t.nodes.end(), [](const TimelineNode& n) { return !n.test_pod.empty(); });
    }

    std::string draw() {
        const TimelineWords words = timeline_words(t_);
        const double legend_top = 92;
        const double legend_h = 64;
        top_ = legend_top + legend_h + 30;
        const double rows_h = static_cast<double>(shown_) * row_h_;
        curve_top_ = top_ + rows_h + 34;
        const double height = curve_top_ + kCurveH + 46;
        out_ += fmt::format(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" height=\"{:.0f}\" viewBox=\"0 0 {:.0f} {:.0f}\" "
            "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n",
            kWidth, height, kWidth, height);
        out_ += fmt::format("<title>{}</title>\n", esc(words.title));
        out_ += fmt::format("<rect x=\"0\" y=\"0\" width=\"{:.0f}\" height=\"{:.0f}\" fill=\"#ffffff\"/>\n", kWidth, height);
        out_ += fmt::format("<text x=\"12\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{}</text>\n", esc(words.title));
        out_ += fmt::format("<text x=\"12\" y=\"42\" font-size=\"13\" fill=\"{}\" font-weight=\"bold\">{}</text>\n",
                            words.bad ? kErrors : "#1a5e1a", esc(words.headline));
        out_ += fmt::format("<text x=\"12\" y=\"60\" font-size=\"12\">{}</text>\n", esc(words.why));
        if (!words.why2.empty()) {
            out_ += fmt::format("<text x=\"12\" y=\"76\" font-size=\"12\">{}</text>\n", esc(words.why2));
        }
        legend(legend_top);
        axis(top_ - 6, top_ + rows_h);
        marks(top_ - 18, curve_top_ + kCurveH);
        if (group_ == 1) {
            for (std::size_t i = 0; i < rows_; ++i) node_row(t_.nodes[i], top_ + static_cast<double>(i) * row_h_);
        } else {
            for (std::size_t g = 0; g < shown_; ++g) group_row(g, top_ + static_cast<double>(g) * row_h_);
        }
        curves();
        out_ += "</svg>\n";
        return std::move(out_);
    }

private:
    static constexpr double kCurveH = 110;

    double x(SimTime t) const { return kLeft + std::clamp(t.to_seconds() / end_s_, 0.0, 1.0) * kChart; }

    void rect(double x0, double y, double x1, double h, const char* fill, std::string_view title = {},
              const char* extra = "") {
        const double w = std::max(x1 - x0, 0.6);
        if (title.empty()) {
            out_ += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"{}/>\n", x0,
                                y, w, h, fill, extra);
        } else {
            out_ += fmt::format(
                "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"{}><title>{}</title></rect>\n",
                x0, y, w, h, fill, extra, esc(title));
        }
    }

    void legend(double y) {
        struct Item {
            const char* fill;
            std::string label;
        };
        // Agents (coverage mode) have no clients: "serving" reads as "working", and there are no
        // client errors to show.
        const bool coverage = t_.traffic_mode == "coverage";
        std::vector<Item> items = {{kOldServing, coverage ? "old pod working" : "old pod serving"}};
        for (std::size_t s = 0; s < kStyles.size(); ++s) items.push_back({kStyles[s].fill, kStyles[s].label});
        if (!coverage) items.push_back({kErrors, "clients get errors"});
        items.push_back({kOutage, coverage ? "node without a working agent (line)" : "node not serving (line)"});
        if (has_test_) items.push_back({"#dddddd", "lanes of a row: old pod, new pod, test pod (other ports, bottom)"});
        // The pods' other containers are strips along the bottom of their pod's lane.
        std::vector<std::string> others;
        for (const TimelineNode& n : t_.nodes) {
            for (const auto* lane : {&n.old_pod, &n.new_pod, &n.test_pod}) {
                for (const PodSpan& sp : *lane) {
                    if (!sp.container.empty() && std::find(others.begin(), others.end(), sp.container) == others.end()) {
                        others.push_back(sp.container);
                    }
                }
            }
        }
        if (!others.empty()) {
            items.push_back({"#bbbbbb", fmt::format("strip under a pod: container {}", fmt::join(others, ", "))});
        }
        const double col_w = 300;
        for (std::size_t i = 0; i < items.size(); ++i) {
            const double lx = 12 + static_cast<double>(i % 4) * col_w;
            const double ly = y + static_cast<double>(i / 4) * 16;
            rect(lx, ly, lx + 14, 10, items[i].fill);
            out_ += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", lx + 19, ly + 9, esc(items[i].label));
        }
    }

    void axis(double y, double bottom) {
        const double step = tick_step(end_s_);
        for (double s = 0; s <= end_s_ + 1e-9; s += step) {
            const double px = kLeft + s / end_s_ * kChart;
            out_ += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e4e4e4\"/>\n", px, y,
                                px, bottom);
            out_ += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#555\">{}</text>\n", px,
                                y - 2, clock(SimTime::millis(static_cast<std::int64_t>(s * 1000))));
        }
        out_ += fmt::format("<text x=\"12\" y=\"{:.1f}\" fill=\"#555\">{}</text>\n", y - 2,
                            group_ > 1 ? fmt::format("{} nodes per row", group_) : has_test_ ? "old / new / test" : "old pod / new pod");
    }

    void marks(double y, double bottom) {
        for (const Mark& m : t_.marks) {
            if (m.time > t_.end) continue;
            const double px = x(m.time);
            out_ += fmt::format(
                "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#333\" stroke-dasharray=\"4 3\"><title>{} {}</title></line>\n",
                px, y + 4, px, bottom, clock(m.time), esc(m.text));
        }
        if (t_.completed) {
            out_ += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" font-weight=\"bold\">rollout complete {}</text>\n",
                                x(*t_.completed) - 3, y, clock(*t_.completed));
        } else {
            out_ += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" font-weight=\"bold\" fill=\"{}\">{} at {}</text>\n",
                                kRight, y, kErrors, t_.stalled ? "stalled: still stuck" : "not complete", clock(t_.end));
        }
    }

    void node_row(const TimelineNode& n, double y) {
        const double h = row_h_ - (row_h_ > 10 ? 3 : 1);
        const double old_h = h * 0.4;
        const double new_h = has_test_ ? h * 0.35 : h * 0.6;
        out_ += fmt::format("<g><title>{}</title>\n", esc(n.name));
        if (row_h_ >= 9) {
            out_ += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\"{}>{}</text>\n", kLeft - 8,
                                y + h * 0.75, row_h_ < 12 ? " font-size=\"8\"" : "", esc(n.name));
        }
        const auto lane = [&](const std::vector<PodSpan>& spans, double ly, double lh, bool old, const char* who) {
            // A pod's other containers: a strip each along the bottom of its lane, over the pod.
            std::vector<std::string> others;
            for (const PodSpan& s : spans) {
                if (!s.container.empty() && std::find(others.begin(), others.end(), s.container) == others.end()) {
                    others.push_back(s.container);
                }
            }
            const double strip = others.empty() ? 0 : std::min(lh / 2, lh / 4 * static_cast<double>(others.size())) /
                                                          static_cast<double>(others.size());
            for (const PodSpan& s : spans) {
                if (!s.container.empty()) continue;
                std::string title = fmt::format("{} {} pod: {} {}–{}", n.name, who, to_string(s.state), clock(s.start), clock(s.end));
                if (!s.detail.empty()) title += " (" + s.detail + ")";
                rect(x(s.start), ly, x(s.end), lh, fill_of(s.state, old), title);
            }
            for (const PodSpan& s : spans) {
                if (s.container.empty()) continue;
                const auto k = static_cast<double>(std::find(others.begin(), others.end(), s.container) - others.begin());
                std::string title = fmt::format("{} {} pod, container {}: {} {}–{}", n.name, who, s.container, to_string(s.state),
                                                clock(s.start), clock(s.end));
                if (!s.detail.empty()) title += " (" + s.detail + ")";
                rect(x(s.start), ly + lh - strip * (k + 1), x(s.end), strip, fill_of(s.state, old), title,
                     " stroke=\"#fff\" stroke-width=\"0.5\"");
            }
        };
        lane(n.old_pod, y, old_h, true, "old");
        lane(n.new_pod, y + old_h, new_h, false, "new");
        if (has_test_) lane(n.test_pod, y + old_h + new_h, h - old_h - new_h, false, "test");
        // Under the row: the node not serving (dark), clients getting errors (red, thicker).
        for (const Window& w : n.outages) {
            rect(x(w.start), y + h, x(w.end), 1.5, kOutage,
                 fmt::format("{} not serving {}–{} ({})", n.name, clock(w.start), clock(w.end), span(w.end - w.start)));
        }
        for (const Window& w : n.errors) {
            rect(x(w.start), y, x(w.end), h, kErrors, {}, " fill-opacity=\"0.18\"");
            rect(x(w.start), y + h - 1, x(w.end), 3, kErrors,
                 fmt::format("{}: clients get errors {}–{} ({})", n.name, clock(w.start), clock(w.end), span(w.end - w.start)));
        }
        for (const Mark& m : n.marks) {
            out_ += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\" fill=\"#000\"><title>{} {}</title></circle>\n",
                                x(m.time), y + h / 2, clock(m.time), esc(m.text));
        }
        if (row_h_ >= 9) {
            const SimTime out = total(n.outages);
            const SimTime err = total(n.errors);
            if (out > SimTime::zero() || err > SimTime::zero()) {
                out_ += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\"{}><tspan fill=\"{}\">out {}</tspan>{}</text>\n", kRight + 6,
                                    y + h * 0.75, row_h_ < 12 ? " font-size=\"8\"" : "", kOutage, clock(out),
                                    err > SimTime::zero()
                                        ? fmt::format(" <tspan fill=\"{}\" font-weight=\"bold\">errors {}</tspan>", kErrors, clock(err))
                                        : "");
            }
        }
        out_ += "</g>\n";
    }

    /// Rows of `group_` nodes: at each pixel column the most common state of the old and the
    /// new pods, and errors drawn as deep as the share of the group's nodes that had them.
    void group_row(std::size_t g, double y) {
        const std::size_t first = g * group_;
        const std::size_t last = std::min(rows_, first + group_);
        const double h = row_h_ - 1;
        const auto majority = [&](bool old) {
            std::vector<std::array<std::uint32_t, kStyles.size() + 1>> count(kBins);
            for (std::size_t i = first; i < last; ++i) {
                const auto& spans = old ? t_.nodes[i].old_pod : t_.nodes[i].new_pod;
                for (const PodSpan& s : spans) {
                    if (!s.container.empty()) continue;  // the pods' states, not their other containers'
                    for_bins(s.start, s.end, [&](int b) { ++count[static_cast<std::size_t>(b)][static_cast<std::size_t>(s.state)]; });
                }
            }
            std::vector<int> state(kBins, -1);
            for (int b = 0; b < kBins; ++b) {
                std::uint32_t best = 0;
                for (std::size_t s = 0; s < kStyles.size(); ++s) {
                    if (count[static_cast<std::size_t>(b)][s] > best) {
                        best = count[static_cast<std::size_t>(b)][s];
                        state[static_cast<std::size_t>(b)] = static_cast<int>(s);
                    }
                }
            }
            return state;
        };
        const double bw = kChart / kBins;
        const auto draw_lane = [&](const std::vector<int>& state, double ly, double lh, bool old) {
            for (int b = 0; b < kBins;) {
                int e = b;
                while (e < kBins && state[static_cast<std::size_t>(e)] == state[static_cast<std::size_t>(b)]) ++e;
                if (state[static_cast<std::size_t>(b)] >= 0) {
                    rect(kLeft + b * bw, ly, kLeft + e * bw, lh,
                         fill_of(static_cast<PodState>(state[static_cast<std::size_t>(b)]), old));
                }
                b = e;
            }
        };
        out_ += fmt::format("<g><title>{} … {}</title>\n", esc(t_.nodes[first].name), esc(t_.nodes[last - 1].name));
        draw_lane(majority(true), y, h * 0.4, true);
        draw_lane(majority(false), y + h * 0.4, h * 0.6, false);
        std::vector<std::uint32_t> errors(kBins, 0);
        for (std::size_t i = first; i < last; ++i) {
            for (const Window& w : t_.nodes[i].errors) {
                for_bins(w.start, w.end, [&](int b) { ++errors[static_cast<std::size_t>(b)]; });
            }
        }
        for (int b = 0; b < kBins; ++b) {
            const auto e = errors[static_cast<std::size_t>(b)];
            if (e == 0) continue;
            const double share = static_cast<double>(e) / static_cast<double>(last - first);
            rect(kLeft + b * bw, y + h - h * share, kLeft + (b + 1) * bw, h * share, kErrors);
        }
        out_ += "</g>\n";
    }

    int bin(SimTime t) const { return static_cast<int>(std::clamp(t.to_seconds() / end_s_, 0.0, 1.0) * kBins); }
    /// f(b) for every column [start, end) covers, and at least the one it starts in.
    template <class F>
    void for_bins(SimTime start, SimTime end, F f) const {
        for (int b = bin(start); b < std::max(bin(end), bin(start) + 1) && b < kBins; ++b) f(b);
    }

    void curves() {
        const double y0 = curve_top_;
        const double y1 = curve_top_ + kCurveH;
        const auto n = static_cast<double>(std::max<std::size_t>(rows_, 1));
        out_ += fmt::format("<text x=\"12\" y=\"{:.1f}\" font-weight=\"bold\">Whole cluster</text>\n", y0 - 16);
        out_ += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"none\" stroke=\"#bbb\"/>\n",
                            kLeft, y0, kChart, kCurveH);
        // Red bands wherever some client got an error.
        std::vector<Window> any;
        for (const TimelineNode& node : t_.nodes) any.insert(any.end(), node.errors.begin(), node.errors.end());
        std::sort(any.begin(), any.end(), [](const Window& a, const Window& b) { return a.start < b.start; });
        std::vector<Window> merged;
        for (const Window& w : any) {
            if (!merged.empty() && w.start <= merged.back().end) {
                merged.back().end = std::max(merged.back().end, w.end);
            } else {
                merged.push_back(w);
            }
        }
        for (const Window& w : merged) {
            rect(x(w.start), y0, x(w.end), kCurveH, kErrors, fmt::format("errors {}–{}", clock(w.start), clock(w.end)),
                 " fill-opacity=\"0.15\"");
        }
        const auto path = [&](auto value, const char* colour, const char* dash) {
            std::string d;
            double last_y = 0;
            for (std::size_t i = 0; i < t_.curve.size(); ++i) {
                const double px = x(t_.curve[i].time);
                const double py = y1 - value(t_.curve[i]) / n * (kCurveH - 8);
                d += i == 0 ? fmt::format("M{:.1f},{:.1f}", px, py) : fmt::format(" H{:.1f} V{:.1f}", px, py);
                last_y = py;
            }
            if (!t_.curve.empty()) d += fmt::format(" H{:.1f}", kRight);
            (void)last_y;
            out_ += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>\n", d, colour, dash);
        };
        path([](const CurvePoint& p) { return static_cast<double>(p.serving); }, "#2e8b57", "");
        path([](const CurvePoint& p) { return static_cast<double>(p.ready); }, "#1f5fbf", " stroke-dasharray=\"6 3\"");
        out_ += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#555\">{}</text>\n", kLeft - 8, y0 + 10,
                            rows_);
        out_ += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#555\">0</text>\n", kLeft - 8, y1);
        const double ly = y1 + 22;
        out_ += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#2e8b57\" stroke-width=\"2\"/>\n",
                            kLeft, ly - 4, kLeft + 24, ly - 4);
        const bool coverage = t_.traffic_mode == "coverage";
        out_ += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{} (lowest {})</text>\n", kLeft + 30, ly,
                            coverage ? "nodes with a working agent" : "nodes serving", lowest([](const CurvePoint& p) { return p.serving; }));
        out_ += fmt::format(
            "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#1f5fbf\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>\n",
            kLeft + 250, ly - 4, kLeft + 274, ly - 4);
        out_ += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">pods Ready (lowest {})</text>\n", kLeft + 280, ly,
                            lowest([](const CurvePoint& p) { return p.ready; }));
        if (!coverage) {
            rect(kLeft + 500, ly - 9, kLeft + 524, 10, kErrors, {}, " fill-opacity=\"0.3\"");
            out_ += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">some clients get errors</text>\n", kLeft + 530, ly);
        }
    }

    template <typename F>
    std::int32_t lowest(F value) const {
        std::int32_t low = static_cast<std::int32_t>(rows_);
        for (const CurvePoint& p : t_.curve) low = std::min(low, value(p));
        return low;
    }

    static SimTime total(const std::vector<Window>& ws) {
        SimTime sum;
        for (const Window& w : ws) sum += w.end - w.start;
        return sum;
    }

    const Timeline& t_;
    std::string out_;
    double end_s_ = 1;
    std::size_t rows_ = 0;
    std::size_t group_ = 1;
    std::size_t shown_ = 0;
    double row_h_ = 18;
    double top_ = 0;
    double curve_top_ = 0;
    bool has_test_ = false;
};

}  // namespace

std::string timeline_svg(const Timeline& t) { return Svg(t).draw(); }

}  // namespace rollsim
