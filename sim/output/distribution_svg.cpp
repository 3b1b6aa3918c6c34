// Pictures of many trials (docs/timeline.md, "Pictures of many trials"): the CDF of a measure for
// every variant on one chart, drawn from the report's percentiles, and the trade-off of p90
// duration against p90 harm with the limits and the recommended plan.

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "experiment/words.hpp"
#include "output/comparison_table.hpp"
#include "output/wrap.hpp"
#include "output/xml.hpp"
#include "rollsim/io.hpp"

namespace rollsim {

namespace {

using output::xml_escape;

constexpr double kW = 960, kH = 580, kLeft = 80, kRight = 300, kTop = 110, kBottom = 56;
constexpr const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

const char* colour(std::size_t i) { return kPalette[i % std::size(kPalette)]; }
/// Variants past the palette's tenth are dashed, so that no two lines look alike.
const char* dash(std::size_t i) { return i < std::size(kPalette) ? "" : " stroke-dasharray=\"7 3\""; }

/// A round step for a time axis: seconds, minutes or hours that give at most 8 ticks.
double time_step(double max) {
    for (double s : {1., 2., 5., 10., 15., 30., 60., 120., 300., 600., 900., 1800., 3600., 7200., 10800., 21600., 43200.}) {
        if (max / s <= 8) return s;
    }
    return 86400;
}

/// A round tick step that gives 4 to 10 ticks up to `max`.
double tick_step(double max) {
    if (max <= 0) return 1;
    const double step = std::pow(10, std::floor(std::log10(max / 4)));
    return max / step > 20 ? step * 5 : max / step > 8 ? step * 2 : step;
}

/// One chart: the frame, the title and headline, and the linear axes. x() and y() map data to
/// pixels; the plot group carries the mapping (data-x-min …) for tests and tools.
struct Chart {
    double x_max, y_max;
    std::string out;

    double x(double v) const { return kLeft + v / x_max * (kW - kLeft - kRight); }
    double y(double v) const { return kH - kBottom - v / y_max * (kH - kTop - kBottom); }

    Chart(double xm, double ym, const std::string& title, const std::string& headline, const std::string& subtitle)
        : x_max(xm > 0 ? xm : 1), y_max(ym > 0 ? ym : 1) {
        out = fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" height=\"{:.0f}\" viewBox=\"0 0 {:.0f} {:.0f}\" "
                          "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n",
                          kW, kH, kW, kH);
        out += fmt::format("<title>{}</title>\n", xml_escape(title));
        out += fmt::format("<rect x=\"0\" y=\"0\" width=\"{:.0f}\" height=\"{:.0f}\" fill=\"#ffffff\"/>\n", kW, kH);
        out += fmt::format("<text x=\"12\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{}</text>\n", xml_escape(title));
        double line_y = 44;
        for (const auto& line : output::wrap_words(headline, 120)) {
            out += fmt::format("<text class=\"headline\" x=\"12\" y=\"{:.0f}\" font-size=\"13\" font-weight=\"bold\">{}</text>\n", line_y,
                               xml_escape(line));
            line_y += 17;
        }
        for (const auto& line : output::wrap_words(subtitle, 140)) {
            out += fmt::format("<text x=\"12\" y=\"{:.0f}\" font-size=\"12\">{}</text>\n", line_y + 2, xml_escape(line));
            line_y += 15;
        }
        out += fmt::format("<g class=\"plot\" data-x-min=\"{:.2f}\" data-x-max=\"{:.2f}\" data-x-scale=\"{:.10g}\" "
                           "data-y-min=\"{:.2f}\" data-y-max=\"{:.2f}\" data-y-scale=\"{:.10g}\">\n",
                           x(0), x(x_max), x_max, y(0), y(y_max), y_max);
    }

    void axes(const std::string& x_label, const std::string& y_label, bool y_percent, bool x_duration) {
        const double xs = x_duration ? time_step(x_max) : tick_step(x_max), ys = y_percent ? 0.1 : tick_step(y_max);
        for (double v = 0; v <= x_max * (1 + 1e-9); v += xs) {
            out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#eeeeee\"/>\n", x(v), y(0), y(y_max));
            out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#555\">{}</text>\n", x(v), y(0) + 16,
                               xml_escape(x_duration ? output::duration_cell(v) : fmt::format("{:g}", v)));
        }
        for (double v = 0; v <= y_max * (1 + 1e-9); v += ys) {
            out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#eeeeee\"/>\n", x(0), y(v), x(x_max));
            out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#555\">{}</text>\n", x(0) - 6, y(v) + 4,
                               y_percent ? fmt::format("{:.0f}%", 100 * v) : fmt::format("{:g}", v));
        }
        out += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#555\"/>\n", x(0), y(0), x(x_max), y(0));
        out += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#555\"/>\n", x(0), y(0), x(0), y(y_max));
        out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", (x(0) + x(x_max)) / 2, kH - 14,
                           xml_escape(x_label));
        out += fmt::format("<text x=\"16\" y=\"{:.1f}\" transform=\"rotate(-90 16 {:.1f})\" text-anchor=\"middle\">{}</text>\n",
                           (y(0) + y(y_max)) / 2, (y(0) + y(y_max)) / 2, xml_escape(y_label));
    }

    void legend(std::size_t i, const std::string& text, bool bold, bool point = false) {
        const double ly = kTop + 16.0 * static_cast<double>(i);
        if (point) {
            out += fmt::format("<circle cx=\"{:.0f}\" cy=\"{:.1f}\" r=\"5\" fill=\"{}\" stroke=\"#000\" stroke-width=\"0.5\"/>\n",
                               kW - kRight + 28, ly, colour(i));
        } else {
            out += fmt::format("<line x1=\"{:.0f}\" y1=\"{:.1f}\" x2=\"{:.0f}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"3\"{}/>\n",
                               kW - kRight + 16, ly, kW - kRight + 40, ly, colour(i), dash(i));
        }
        out += fmt::format("<text x=\"{:.0f}\" y=\"{:.1f}\"{}>{}</text>\n", kW - kRight + 46, ly + 4,
                           bold ? " font-weight=\"bold\"" : "", xml_escape(text));
    }

    std::string done() { return out + "</g>\n</svg>\n"; }
};

const Summary& measure_of(const VariantReport& v, std::string_view measure) {
    if (measure == "durationSeconds") return v.duration_seconds;
    if (measure == "gapNodeSeconds") return v.gap_node_seconds;
    return v.error_seconds;
}

std::string name(const VariantReport& v) { return v.strategy + " × " + v.probes; }

bool recommended(const Report& r, const VariantReport& v) {
    return r.recommendation && r.recommendation->strategy == v.strategy && r.recommendation->probes == v.probes;
}

}  // namespace

std::string cdf_svg(const Report& r, std::string_view measure) {
    const bool duration = measure == "durationSeconds";
    const std::string what = duration ? "rollout duration"
                             : measure == "gapNodeSeconds" ? "uncovered node-seconds"
                                                           : "client-visible errors (node-seconds)";
    std::vector<const VariantReport*> drawn;
    double x_max = 0;
    for (const auto& v : r.variants) {
        const Summary& s = measure_of(v, measure);
        if (!v.accepted || s.quantiles.empty()) continue;
        drawn.push_back(&v);
        x_max = std::max(x_max, s.max);
    }
    // The headline: the variants with the lowest and highest p90.
    std::string headline = "No variant has trials to draw.";
    if (!drawn.empty()) {
        const auto p90 = [&](const VariantReport* v) { return measure_of(*v, measure).p90; };
        const auto lo = *std::min_element(drawn.begin(), drawn.end(), [&](auto* a, auto* b) { return p90(a) < p90(b); });
        const auto hi = *std::max_element(drawn.begin(), drawn.end(), [&](auto* a, auto* b) { return p90(a) < p90(b); });
        const auto words = [&](double v) { return duration ? output::duration_cell(v) : fmt::format("{:.1f} node-s", v); };
        headline = duration ? fmt::format("{} finishes soonest: 90% of its trials within {}; {} takes longest, {} at p90.", name(*lo),
                                          words(p90(lo)), name(*hi), words(p90(hi)))
                            : fmt::format("{} harms least: 90% of its trials within {}; {} harms most, {} at p90.", name(*lo),
                                          words(p90(lo)), name(*hi), words(p90(hi)));
        if (drawn.size() == 1) headline = fmt::format("{}: 90% of its trials within {}.", name(*lo), words(p90(lo)));
    }
    Chart c(x_max * 1.05, 1.0, fmt::format("{}: the {} over {}", r.scenario_name, what, r.trials_words()), headline,
            fmt::format("Each line is one variant: the share of its trials (up) at or below each value (across)"
                        "{}; drawn from the report's percentiles.",
                        duration ? ", over the trials that finished" : ""));
    c.axes(duration ? "rollout duration" : what, "share of trials", true, duration);
    for (std::size_t i = 0; i < drawn.size(); ++i) {
        const VariantReport& v = *drawn[i];
        const Summary& s = measure_of(v, measure);
        std::string points;
        for (std::size_t k = 0; k < s.quantiles.size(); ++k) {
            points += fmt::format("{:.2f},{:.2f} ", c.x(s.quantiles[k]), c.y(static_cast<double>(k) / 100.0));
        }
        points.pop_back();
        std::string values;  // the percentiles themselves, shortest round-trip form
        for (double q : s.quantiles) values += fmt::format("{} ", q);
        values.pop_back();
        c.out += fmt::format("<polyline class=\"cdf\" data-variant=\"{}\" data-quantiles=\"{}\" points=\"{}\" fill=\"none\" stroke=\"{}\" "
                             "stroke-width=\"{}\"{}><title>{}: p50 {}, p90 {}</title></polyline>\n",
                             xml_escape(name(v)), values, points, colour(i), recommended(r, v) ? 3.5 : 1.8, dash(i), xml_escape(name(v)),
                             fmt::format("{:.1f}", s.p50), fmt::format("{:.1f}", s.p90));
        std::string label = name(v) + (recommended(r, v) ? " (recommended)" : "");
        if (duration && v.completed_fraction < 1) label += fmt::format(" ({:.0f}% finished)", 100 * v.completed_fraction);
        c.legend(i, label, recommended(r, v));
    }
    return c.done();
}

std::string tradeoff_svg(const ScenarioSpec& s, const Report& r) {
    const bool coverage = r.traffic_mode == "coverage";
    const auto harm = [&](const VariantReport& v) { return coverage ? v.max_concurrent_uncovered.p90 : v.error_seconds.p90; };
    std::vector<const VariantReport*> drawn;
    double x_max = 0, y_max = 0;
    std::size_t unfinished = 0;
    for (const auto& v : r.variants) {
        if (!v.accepted) continue;
        if (v.completed_fraction < 1 || v.duration_seconds.n == 0) {
            ++unfinished;
            continue;
        }
        drawn.push_back(&v);
        x_max = std::max(x_max, v.duration_seconds.p90);
        y_max = std::max(y_max, harm(v));
    }
    const std::optional<double> x_limit = s.limits.max_rollout_duration
                                              ? std::optional<double>(s.limits.max_rollout_duration->to_seconds())
                                              : std::nullopt;
    const std::optional<double> y_limit = coverage ? (s.limits.max_uncovered_nodes ? std::optional<double>(*s.limits.max_uncovered_nodes) : std::nullopt)
                                                   : s.limits.max_error_seconds;
    if (x_limit) x_max = std::max(x_max, *x_limit);
    if (y_limit) y_max = std::max(y_max, *y_limit);
    std::size_t inside = 0;
    for (const auto* v : drawn) {
        inside += (!x_limit || v->duration_seconds.p90 <= *x_limit) && (!y_limit || harm(*v) <= *y_limit) ? 1 : 0;
    }
    const std::string harm_words = coverage ? "nodes uncovered at once" : "client-visible errors (node-seconds)";
    std::string headline;
    const VariantReport* rec = r.recommendation ? r.find(r.recommendation->strategy, r.recommendation->probes) : nullptr;
    if (rec != nullptr) {
        headline = fmt::format("Recommended: {} ({} and {:.1f} {} at p90); {} of {} plans that finish are inside the limits.", name(*rec),
                               output::duration_cell(rec->duration_seconds.p90), harm(*rec), coverage ? "nodes" : "node-s", inside,
                               drawn.size());
    } else {
        headline = fmt::format("{} of {} plans that finish are inside the limits.", inside, drawn.size());
    }
    Chart c(x_max * 1.1, y_max * 1.15, fmt::format("{}: duration against {}", r.scenario_name, coverage ? "coverage" : "errors"),
            headline,
            fmt::format("Each point is a plan that finishes in every trial, at its p90s; the dashed lines are the limits{}.",
                        unfinished > 0 ? fmt::format("; {} not drawn: {} not finish in every trial",
                                                                 experiment::count_words(static_cast<std::int64_t>(unfinished), "plan"),
                                                                 unfinished == 1 ? "it does" : "they do")
                                       : ""));
    c.axes("p90 rollout duration", (coverage ? "p90 of the most nodes uncovered at once" : "p90 client-visible errors (node-s)"),
           false, true);
    if (x_limit || y_limit) {
        const double x1 = c.x(x_limit.value_or(c.x_max)), y1 = c.y(y_limit.value_or(c.y_max));
        c.out += fmt::format("<rect class=\"inside-limits\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#2ca02c\" "
                             "fill-opacity=\"0.08\"><title>inside the limits</title></rect>\n",
                             c.x(0), y1, x1 - c.x(0), c.y(0) - y1);
    }
    if (x_limit) {
        c.out += fmt::format("<line class=\"limit\" x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#d62728\" stroke-dasharray=\"6 4\"/>\n"
                             "<text x=\"{3:.1f}\" y=\"{4:.1f}\" fill=\"#d62728\" text-anchor=\"end\">maxRolloutDuration {5}</text>\n",
                             c.x(*x_limit), c.y(0), c.y(c.y_max), c.x(*x_limit) - 4, c.y(c.y_max) + 12, output::duration_cell(*x_limit));
    }
    if (y_limit) {
        c.out += fmt::format("<line class=\"limit\" x1=\"{1:.1f}\" y1=\"{0:.1f}\" x2=\"{2:.1f}\" y2=\"{0:.1f}\" stroke=\"#d62728\" stroke-dasharray=\"6 4\"/>\n"
                             "<text x=\"{3:.1f}\" y=\"{4:.1f}\" fill=\"#d62728\">{5} {6:g}</text>\n",
                             c.y(*y_limit), c.x(0), c.x(c.x_max), c.x(0) + 4, c.y(*y_limit) - 4,
                             coverage ? "maxUncoveredNodes" : "maxErrorSeconds", *y_limit);
    }
    for (std::size_t i = 0; i < drawn.size(); ++i) {
        const VariantReport& v = *drawn[i];
        const bool chosen = &v == rec;
        c.out += fmt::format("<circle class=\"plan\" data-variant=\"{}\" data-duration-p90=\"{:.6g}\" data-harm-p90=\"{:.6g}\" cx=\"{:.2f}\" cy=\"{:.2f}\" "
                             "r=\"{}\" fill=\"{}\" stroke=\"#000\" stroke-width=\"{}\"><title>{}: {} and {:.1f} at p90</title></circle>\n",
                             xml_escape(name(v)), v.duration_seconds.p90, harm(v), c.x(v.duration_seconds.p90), c.y(harm(v)),
                             chosen ? 9 : 6, colour(i), chosen ? 3 : 0.5, xml_escape(name(v)), output::duration_cell(v.duration_seconds.p90), harm(v));
        c.legend(i, name(v) + (chosen ? " (recommended)" : ""), chosen, /*point=*/true);
    }
    return c.done();
}

std::vector<std::pair<std::string, std::string>> plot_files(const ScenarioSpec& s, const Report& r) {
    std::vector<std::pair<std::string, std::string>> files = {
        {"cdf-duration.svg", cdf_svg(r, "durationSeconds")},
        {"cdf-harm.svg", cdf_svg(r, r.traffic_mode == "coverage" ? "gapNodeSeconds" : "errorSeconds")},
        {"tradeoff.svg", tradeoff_svg(s, r)}};
    if (std::string grid = probe_grid_svg(r); !grid.empty()) files.emplace_back("heatmap-probe-grid.svg", std::move(grid));
    return files;
}

}  // namespace rollsim
