// rollsim backtest's outputs (docs/calibration.md, "Backtest"): the table, the JSON, and the
// picture of the actual rollout over the predicted band.

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "output/xml.hpp"
#include "rollsim/calibration.hpp"

namespace rollsim {

namespace {

using ojson = nlohmann::ordered_json;

std::string pct(double share) { return fmt::format("{:.0f}%", 100 * share); }

std::string percentile_words(double share) {
    return fmt::format("{} of the predicted trials finished no later", pct(share));
}

ojson distribution(const PredictedSeconds& d) {
    ojson o;
    o["n"] = d.values.size();
    if (d.values.empty()) return o;
    o["mean"] = d.mean();
    o["p10"] = d.quantile(0.10);
    o["p50"] = d.quantile(0.50);
    o["p90"] = d.quantile(0.90);
    o["p99"] = d.quantile(0.99);
    o["min"] = d.values.front();
    o["max"] = d.values.back();
    return o;
}

std::string spread(const PredictedSeconds& d) {
    if (d.values.empty()) return "none completed";
    return fmt::format("p10 {:.0f} s, p50 {:.0f} s, p90 {:.0f} s", d.quantile(0.1), d.quantile(0.5), d.quantile(0.9));
}

std::string esc(const std::string& s) { return output::xml_escape(s); }

}  // namespace

std::string backtest_text(const Backtest& b) {
    std::string out = fmt::format("rollsim backtest of {}: the rollout recorded from {} to {}\n\n", b.daemonset, b.start, b.end);
    out += fmt::format("  {:<28}{:<14}{:<44}{}\n", "", "actual", fmt::format("predicted ({} trials)", b.trials),
                       "the actual's percentile");
    out += fmt::format("  {:<28}{:<14}{:<44}{}\n", "rollout duration", fmt::format("{:.0f} s", b.duration),
                       spread(b.predicted_duration), pct(b.percentile));
    std::vector<double> windows;
    for (const auto& w : b.nodes) {
        if (w.window >= 0) windows.push_back(w.window);
    }
    std::sort(windows.begin(), windows.end());
    PredictedSeconds actual_windows{windows};
    out += fmt::format("  {:<28}{:<14}{:<44}{}\n", "per node, delete -> Ready",
                       windows.empty() ? "-" : fmt::format("p50 {:.0f} s", actual_windows.quantile(0.5)),
                       spread(b.predicted_window), "(each node below)");
    out += fmt::format("\n  {} predicted trials completed; {}.\n", pct(b.completed_fraction), percentile_words(b.percentile));
    if (!b.complete) out += "  The recorded rollout did not complete.\n";
    out += "\n  node              deleted     Ready      window   percentile\n";
    for (const auto& w : b.nodes) {
        const auto at = [](double t) { return t < 0 ? std::string("-") : fmt::format("{:.0f} s", t); };
        out += fmt::format("  {:<16}{:>9}{:>10}{:>11}{:>12}\n", w.node, at(w.deleted), at(w.ready), at(w.window),
                           w.percentile < 0 ? std::string("-") : pct(w.percentile));
    }
    for (const auto& n : b.notes) out += "  note: " + n + "\n";
    if (!b.assumptions.empty()) out += "\n  Assumed: " + b.assumptions + ".\n";
    return out;
}

std::string backtest_json(const Backtest& b) {
    ojson o;
    o["daemonSet"] = b.daemonset;
    ojson nodes = ojson::array();
    for (const auto& w : b.nodes) {
        ojson n;
        n["node"] = w.node;
        n["deletedSeconds"] = w.deleted < 0 ? ojson(nullptr) : ojson(w.deleted);
        n["readySeconds"] = w.ready < 0 ? ojson(nullptr) : ojson(w.ready);
        n["windowSeconds"] = w.window < 0 ? ojson(nullptr) : ojson(w.window);
        n["percentile"] = w.percentile < 0 ? ojson(nullptr) : ojson(w.percentile);
        nodes.push_back(n);
    }
    o["actual"] = {{"start", b.start}, {"end", b.end}, {"durationSeconds", b.duration}, {"complete", b.complete},
                   {"nodes", nodes}};
    o["predicted"] = {{"trials", b.trials},
                      {"completedFraction", b.completed_fraction},
                      {"durationSeconds", distribution(b.predicted_duration)},
                      {"windowSeconds", distribution(b.predicted_window)}};
    o["percentile"] = b.percentile;
    o["notes"] = b.notes;
    o["assumptions"] = b.assumptions;
    return o.dump(2) + "\n";
}

std::string backtest_svg(const Backtest& b) {
    // Nodes done over time: the actual as a step line, the predicted p10-p90 band and p50.
    constexpr double kW = 900, kH = 440, kLeft = 70, kRight = 30, kTop = 80, kBottom = 50;
    std::vector<double> actual;
    for (const auto& w : b.nodes) {
        if (w.ready >= 0) actual.push_back(w.ready);
    }
    std::sort(actual.begin(), actual.end());
    const std::size_t n = std::max<std::size_t>(1, b.nodes.size());
    // The k-th node's Ready time across trials.
    std::vector<PredictedSeconds> kth(n);
    for (const auto& trial : b.predicted_ready) {
        for (std::size_t k = 0; k < trial.size() && k < n; ++k) kth[k].values.push_back(trial[k]);
    }
    for (auto& k : kth) std::sort(k.values.begin(), k.values.end());
    double t_max = actual.empty() ? 1 : actual.back();
    for (const auto& k : kth) {
        if (!k.values.empty()) t_max = std::max(t_max, k.quantile(0.9));
    }
    t_max *= 1.05;
    const auto x = [&](double t) { return kLeft + t / t_max * (kW - kLeft - kRight); };
    const auto y = [&](double k) { return kH - kBottom - k / static_cast<double>(n) * (kH - kTop - kBottom); };
    const std::string headline = fmt::format("The actual rollout took {:.0f} s: {} (p50 {:.0f} s).", b.duration,
                                             percentile_words(b.percentile), b.predicted_duration.quantile(0.5));
    std::string out = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" height=\"{:.0f}\" viewBox=\"0 0 {:.0f} {:.0f}\" "
        "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n",
        kW, kH, kW, kH);
    out += fmt::format("<title>rollsim backtest of {}</title>\n", esc(b.daemonset));
    out += fmt::format("<rect x=\"0\" y=\"0\" width=\"{:.0f}\" height=\"{:.0f}\" fill=\"#ffffff\"/>\n", kW, kH);
    out += fmt::format("<text x=\"12\" y=\"22\" font-size=\"15\" font-weight=\"bold\">backtest of {}: {} to {}</text>\n",
                       esc(b.daemonset), b.start, b.end);
    out += fmt::format("<text x=\"12\" y=\"42\" font-size=\"13\" font-weight=\"bold\">{}</text>\n", esc(headline));
    out += "<text x=\"12\" y=\"60\" font-size=\"12\">Nodes with their new pod Ready, from the first pod deleted: the "
           "record (black) over the prediction (blue: p10 to p90 of the trials; line: p50).</text>\n";
    // The band: p10 of the k-th Ready time up the left edge, p90 back down.
    std::string band, median;
    for (std::size_t k = 0; k < n; ++k) {
        if (kth[k].values.empty()) continue;
        band += fmt::format("{:.1f},{:.1f} ", x(kth[k].quantile(0.1)), y(static_cast<double>(k + 1)));
        median += fmt::format("{:.1f},{:.1f} ", x(kth[k].quantile(0.5)), y(static_cast<double>(k + 1)));
    }
    for (std::size_t k = n; k-- > 0;) {
        if (kth[k].values.empty()) continue;
        band += fmt::format("{:.1f},{:.1f} ", x(kth[k].quantile(0.9)), y(static_cast<double>(k + 1)));
    }
    if (!band.empty()) {
        out += fmt::format("<polygon points=\"{}\" fill=\"#9ecae1\" fill-opacity=\"0.6\" stroke=\"none\"><title>predicted p10-p90</title></polygon>\n",
                           band);
        out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"#3182bd\" stroke-width=\"1.5\"><title>predicted p50</title></polyline>\n",
                           median);
    }
    std::string steps = fmt::format("{:.1f},{:.1f} ", x(0), y(0));
    for (std::size_t k = 0; k < actual.size(); ++k) {
        steps += fmt::format("{:.1f},{:.1f} {:.1f},{:.1f} ", x(actual[k]), y(static_cast<double>(k)), x(actual[k]),
                             y(static_cast<double>(k + 1)));
    }
    out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\"><title>the record</title></polyline>\n",
                       steps);
    // Axes.
    out += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#555\"/>\n", x(0), y(0), x(t_max), y(0));
    out += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#555\"/>\n", x(0), y(0), x(0),
                       y(static_cast<double>(n)));
    const double step = std::pow(10, std::floor(std::log10(t_max / 5)));
    const double tick = t_max / step > 25 ? step * 5 : t_max / step > 10 ? step * 2 : step;
    for (double t = 0; t <= t_max; t += tick) {
        out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#555\">{:.0f} s</text>\n", x(t),
                           y(0) + 16, t);
    }
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#555\">{}</text>\n", x(0) - 6,
                       y(static_cast<double>(n)) + 4, n);
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#555\">0</text>\n", x(0) - 6, y(0) + 4);
    out += "</svg>\n";
    return out;
}

}  // namespace rollsim
