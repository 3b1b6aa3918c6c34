// Heatmaps of a grid (docs/timeline.md, "Pictures of many trials"): the probe grid of one run
// (variants.probeGrid) and a sweep over scenario keys, each cell a grid point coloured by its
// p90 harm and showing its p90 duration, or grey where the plan does not finish in every trial.

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "output/comparison_table.hpp"
#include "output/wrap.hpp"
#include "output/xml.hpp"
#include "rollsim/io.hpp"
#include "rollsim/sweep.hpp"

namespace rollsim {

namespace {

using output::xml_escape;

struct Cell {
    double harm_p90 = 0;
    double duration_p90 = 0;
    double completed = 0;
};

/// One heatmap: cells keyed by (x value, y value), under its caption.
struct Panel {
    std::string caption;
    std::map<std::pair<std::string, std::string>, Cell> cells;
};

struct Grid {
    std::string title, x_label, y_label, harm_label;
    std::vector<std::string> xs, ys;  ///< in the order first seen
    std::vector<Panel> panels;
};

void add_value(std::vector<std::string>& values, const std::string& v) {
    if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
}

/// White to dark red over [lo, hi].
std::string heat(double v, double lo, double hi) {
    const double f = hi > lo ? std::clamp((v - lo) / (hi - lo), 0.0, 1.0) : 0.0;
    const auto mix = [&](double a, double b) { return static_cast<int>(std::lround(a + (b - a) * f)); };
    return fmt::format("#{:02x}{:02x}{:02x}", mix(255, 165), mix(247, 15), mix(236, 21));
}

std::string draw(const Grid& g) {
    constexpr double kCellW = 120, kCellH = 46, kLabelW = 150, kPanelGap = 40, kTop = 120;
    double lo = 0, hi = 0;
    bool any = false;
    const Cell* best = nullptr;
    std::string best_where;
    std::size_t stalled = 0, total = 0;
    for (const auto& p : g.panels) {
        for (const auto& [at, c] : p.cells) {
            ++total;
            if (c.completed < 1) {
                ++stalled;
                continue;
            }
            lo = any ? std::min(lo, c.harm_p90) : c.harm_p90;
            hi = any ? std::max(hi, c.harm_p90) : c.harm_p90;
            any = true;
            if (best == nullptr || c.harm_p90 < best->harm_p90 || (c.harm_p90 == best->harm_p90 && c.duration_p90 < best->duration_p90)) {
                best = &c;
                best_where = fmt::format("{}{}{} = {}, {} = {}", p.caption, p.caption.empty() ? "" : ": ", g.x_label, at.first, g.y_label,
                                         at.second);
            }
        }
    }
    const std::string headline =
        best == nullptr ? fmt::format("No cell finishes in every trial ({} cells).", total)
                        : fmt::format("Least harm: {} ({:.1f} {} and {} at p90){}.", best_where, best->harm_p90, g.harm_label,
                                      output::duration_cell(best->duration_p90),
                                      stalled > 0 ? fmt::format("; {} of {} cells do not finish in every trial (grey)", stalled, total) : "");
    const double panel_h = kCellH * static_cast<double>(g.ys.size()) + 40;
    const double width = std::max(760.0, kLabelW + kCellW * static_cast<double>(g.xs.size()) + 40);
    const double height = kTop + (panel_h + kPanelGap) * static_cast<double>(g.panels.size()) + 20;
    std::string out = fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" viewBox=\"0 0 {0:.0f} {1:.0f}\" "
                                  "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n",
                                  width, height);
    out += fmt::format("<title>{}</title>\n<rect x=\"0\" y=\"0\" width=\"{:.0f}\" height=\"{:.0f}\" fill=\"#ffffff\"/>\n", xml_escape(g.title), width,
                       height);
    out += fmt::format("<text x=\"12\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{}</text>\n", xml_escape(g.title));
    double line_y = 44;
    const auto chars = static_cast<std::size_t>(width / 8.2);
    for (const auto& line : output::wrap_words(headline, chars)) {
        out += fmt::format("<text class=\"headline\" x=\"12\" y=\"{:.0f}\" font-size=\"13\" font-weight=\"bold\">{}</text>\n", line_y,
                           xml_escape(line));
        line_y += 17;
    }
    const std::string legend = fmt::format("Each cell: p90 {} (its colour, white {:.1f} to red {:.1f}) over p90 duration; across: {}; down: {}.",
                                           g.harm_label, lo, hi, g.x_label, g.y_label);
    for (const auto& line : output::wrap_words(legend, chars + 10)) {
        out += fmt::format("<text x=\"12\" y=\"{:.0f}\" font-size=\"12\">{}</text>\n", line_y + 2, xml_escape(line));
        line_y += 15;
    }
    double y0 = kTop;
    for (const auto& p : g.panels) {
        out += fmt::format("<text x=\"12\" y=\"{:.0f}\" font-weight=\"bold\">{}</text>\n", y0 + 12, xml_escape(p.caption));
        for (std::size_t i = 0; i < g.xs.size(); ++i) {
            out += fmt::format("<text x=\"{:.0f}\" y=\"{:.0f}\" text-anchor=\"middle\" fill=\"#555\">{}</text>\n",
                               kLabelW + kCellW * (static_cast<double>(i) + 0.5), y0 + 30, xml_escape(g.xs[i]));
        }
        for (std::size_t j = 0; j < g.ys.size(); ++j) {
            const double cy = y0 + 36 + kCellH * static_cast<double>(j);
            out += fmt::format("<text x=\"{:.0f}\" y=\"{:.0f}\" text-anchor=\"end\" fill=\"#555\">{}</text>\n", kLabelW - 8, cy + kCellH / 2 + 4,
                               xml_escape(g.ys[j]));
            for (std::size_t i = 0; i < g.xs.size(); ++i) {
                const auto it = p.cells.find({g.xs[i], g.ys[j]});
                if (it == p.cells.end()) continue;
                const Cell& c = it->second;
                const double cx = kLabelW + kCellW * static_cast<double>(i);
                const bool done = c.completed >= 1;
                const std::string fill = done ? heat(c.harm_p90, lo, hi) : "#bdbdbd";
                const std::string line1 = done ? fmt::format("{:.1f}", c.harm_p90) : fmt::format("finishes {:.0f}%", 100 * c.completed);
                const std::string line2 = done ? output::duration_cell(c.duration_p90) : "";
                out += fmt::format("<g class=\"cell\" data-x=\"{}\" data-y=\"{}\" data-harm-p90=\"{:.6g}\" data-duration-p90=\"{:.6g}\" "
                                   "data-completed=\"{:.6g}\"><title>{}: {} = {}, {} = {}: {}</title>"
                                   "<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"{:.0f}\" height=\"{:.0f}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"2\"/>"
                                   "<text x=\"{:.0f}\" y=\"{:.0f}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>"
                                   "<text x=\"{:.0f}\" y=\"{:.0f}\" text-anchor=\"middle\">{}</text></g>\n",
                                   xml_escape(g.xs[i]), xml_escape(g.ys[j]), c.harm_p90, c.duration_p90, c.completed, xml_escape(p.caption),
                                   xml_escape(g.x_label), xml_escape(g.xs[i]), xml_escape(g.y_label), xml_escape(g.ys[j]),
                                   xml_escape(line1 + (line2.empty() ? "" : ", " + line2)), cx, cy, kCellW, kCellH, fill, cx + kCellW / 2,
                                   cy + 19, xml_escape(line1), cx + kCellW / 2, cy + 35, xml_escape(line2));
            }
        }
        y0 += panel_h + kPanelGap;
    }
    return out + "</svg>\n";
}

Cell cell_of(const VariantReport& v, bool coverage) {
    return {coverage ? v.gap_node_seconds.p90 : v.error_seconds.p90, v.duration_seconds.p90, v.completed_fraction};
}

}  // namespace

std::string probe_grid_svg(const Report& r) {
    // The grid's variant names: grid-r{readiness period}-d{initial delay}-f{failure threshold}-s{startup budget}.
    static const char* kParams[] = {"readinessPeriodSeconds", "initialDelaySeconds", "failureThreshold", "startupBudget"};
    struct Point {
        const VariantReport* v;
        std::array<std::string, 4> values;
    };
    std::vector<Point> points;
    std::array<std::vector<std::string>, 4> seen;
    for (const auto& v : r.variants) {
        int period = 0, delay = 0, threshold = 0, budget = 0, used = 0;
        if (!v.accepted || std::sscanf(v.probes.c_str(), "grid-r%d-d%d-f%d-s%d%n", &period, &delay, &threshold, &budget, &used) != 4 ||
            static_cast<std::size_t>(used) != v.probes.size()) {
            continue;
        }
        Point p{&v, {std::to_string(period), std::to_string(delay), std::to_string(threshold), std::to_string(budget) + "s"}};
        for (std::size_t k = 0; k < 4; ++k) add_value(seen[k], p.values[k]);
        points.push_back(std::move(p));
    }
    if (points.empty()) return "";
    // Across and down: the first two parameters the grid varies (the readiness period and the
    // startup budget when it varies nothing else); the others, and the strategy, make panels.
    std::vector<std::size_t> varying;
    for (std::size_t k = 0; k < 4; ++k) {
        if (seen[k].size() > 1) varying.push_back(k);
    }
    const std::size_t ax = varying.empty() ? 0 : varying[0];
    const std::size_t ay = varying.size() > 1 ? varying[1] : (ax == 3 ? 0 : 3);
    const bool coverage = r.traffic_mode == "coverage";
    Grid g;
    g.title = fmt::format("{}: the probe grid over {}", r.scenario_name, r.trials_words());
    g.x_label = kParams[ax];
    g.y_label = kParams[ay];
    g.harm_label = coverage ? "uncovered node-s" : "error node-s";
    g.xs = seen[ax];
    g.ys = seen[ay];
    for (const auto& p : points) {
        std::string caption = "strategy " + p.v->strategy;
        for (std::size_t k = 0; k < 4; ++k) {
            if (k != ax && k != ay && seen[k].size() > 1) caption += fmt::format(", {} {}", kParams[k], p.values[k]);
        }
        auto panel = std::find_if(g.panels.begin(), g.panels.end(), [&](const Panel& x) { return x.caption == caption; });
        if (panel == g.panels.end()) panel = g.panels.insert(g.panels.end(), Panel{caption, {}});
        panel->cells[{p.values[ax], p.values[ay]}] = cell_of(*p.v, coverage);
    }
    return draw(g);
}

std::string sweep_heatmap_svg(const std::string& sweep_json) {
    const auto j = nlohmann::json::parse(sweep_json);
    const auto text = [](const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
    std::vector<std::string> keys = j.at("grid").at("keys").get<std::vector<std::string>>();
    Grid g;
    g.x_label = keys.empty() ? "point" : keys[0];
    g.y_label = keys.size() > 1 ? keys[1] : "";
    bool coverage = false;
    for (const auto& point : j.at("points")) {
        const auto& values = point.at("values");
        const std::string x = keys.empty() ? std::to_string(point.at("index").get<int>()) : text(values.at(keys[0]));
        const std::string y = keys.size() > 1 ? text(values.at(keys[1])) : "-";
        add_value(g.xs, x);
        add_value(g.ys, y);
        std::string rest;
        for (std::size_t k = 2; k < keys.size(); ++k) rest += fmt::format(", {} {}", keys[k], text(values.at(keys[k])));
        const auto& report = point.at("report");
        coverage = report.at("trafficMode") == "coverage";
        for (const auto& v : report.at("variants")) {
            if (!v.at("accepted").get<bool>()) continue;
            const std::string caption = v.at("strategy").get<std::string>() + " × " + v.at("probes").get<std::string>() + rest;
            auto panel = std::find_if(g.panels.begin(), g.panels.end(), [&](const Panel& p) { return p.caption == caption; });
            if (panel == g.panels.end()) panel = g.panels.insert(g.panels.end(), Panel{caption, {}});
            const auto& rollout = v.at("rollout");
            Cell c;
            c.completed = rollout.at("completedFraction").get<double>();
            c.duration_p90 = rollout.at("durationSeconds").at("p90").get<double>();
            c.harm_p90 = coverage ? v.at("coverage").at("gapNodeSeconds").at("p90").get<double>()
                                  : v.at("traffic").at("errorSeconds").at("p90").get<double>();
            panel->cells[{x, y}] = c;
        }
    }
    const auto& scenario = j.at("scenario");
    g.title = fmt::format("{}: a sweep of {} points", scenario.is_object() ? scenario.value("name", std::string()) : text(scenario),
                          j.at("points").size());
    g.harm_label = coverage ? "uncovered node-s" : "error node-s";
    return draw(g);
}

}  // namespace rollsim
