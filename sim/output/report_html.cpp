// The HTML report (docs/report.md, "The HTML report"): one file with its styles, pictures and
// one small script inline, and nothing fetched from anywhere.

#include "rollsim/html.hpp"

#include <fmt/format.h>

#include "output/comparison_table.hpp"
#include "output/timeline_words.hpp"
#include "output/xml.hpp"
#include "rollsim/io.hpp"
#include "rollsim/run.hpp"

namespace rollsim {

namespace {

using output::xml_escape;

constexpr const char* kStyle = R"(
body { font-family: Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1240px; color: #222; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 28px; border-bottom: 1px solid #ddd; }
.meta { color: #666; margin-top: 0; }
.verdict { padding: 10px 14px; border-radius: 4px; background: #eef6ee; border-left: 5px solid #2e8b57; }
.verdict.bad { background: #fbeeee; border-left-color: #c62828; }
table.comparison { border-collapse: collapse; font-size: 13px; margin: 8px 0 16px; }
table.comparison th, table.comparison td { padding: 3px 8px; border-bottom: 1px solid #eee; text-align: right; }
table.comparison th:first-child, table.comparison td:first-child { text-align: left; }
table.comparison th { background: #f4f4f4; vertical-align: bottom; }
table.comparison th .unit { display: block; font-weight: normal; color: #666; }
table.comparison tr.recommended td { font-weight: bold; background: #fff8dc; }
table.comparison caption { text-align: left; font-weight: bold; padding: 6px 0 2px; }
table.comparison caption span { font-weight: normal; color: #555; }
.findings li { margin-bottom: 10px; } .sev { font-weight: bold; text-transform: uppercase; font-size: 12px; }
.sev.blocking { color: #c62828; } .sev.warning { color: #b26a00; } .sev.info { color: #555; }
.suppressed { color: #777; text-decoration: line-through; }
figure.chart { margin: 12px 0 24px; } figure.chart svg { max-width: 100%; height: auto; border: 1px solid #eee; }
#hover { position: sticky; bottom: 0; background: #222; color: #fff; padding: 6px 10px; font-size: 13px; min-height: 1.2em; }
#hover:empty { display: none; }
@media print {
  body { margin: 0; max-width: none; } #hover { display: none; }
  figure.chart, table.comparison, .verdict { break-inside: avoid; } h2 { break-after: avoid; }
}
)";

/// Hover details: the title of the picture's element under the pointer, in a bar under the
/// picture; the page marks itself rendered (and records any script error) for its tests.
constexpr const char* kScript = R"(
(function () {
  window.addEventListener('error', function (e) { document.body.setAttribute('data-error', String(e.message)); });
  var box = document.getElementById('hover');
  var charts = document.querySelectorAll('figure.chart svg');
  charts.forEach(function (svg) {
    svg.addEventListener('mousemove', function (e) {
      for (var el = e.target; el && el !== svg; el = el.parentNode) {
        var t = el.querySelector && el.querySelector(':scope > title');
        if (t) { box.textContent = t.textContent; return; }
      }
      box.textContent = '';
    });
    svg.addEventListener('mouseleave', function () { box.textContent = ''; });
  });
  document.body.setAttribute('data-rendered', String(charts.length));
  var layout = {};
  document.querySelectorAll('section, figure.chart').forEach(function (el) {
    if (!el.id) return;
    var b = el.getBoundingClientRect();
    layout[el.id] = [Math.round(b.left + window.scrollX), Math.round(b.top + window.scrollY), Math.round(b.width), Math.round(b.height)];
  });
  document.body.setAttribute('data-layout', JSON.stringify(layout));
})();
)";

std::string table_html(const output::ComparisonTable& t) {
    std::string out;
    for (const auto& g : t.groups) {
        out += fmt::format("<table class=\"comparison\">\n<caption>{}{}</caption>\n<thead><tr><th>variant</th>", xml_escape(g.title),
                           g.meaning.empty() ? "" : " <span>(" + xml_escape(g.meaning) + ")</span>");
        for (const auto& c : t.columns) {
            out += fmt::format("<th>{}{}</th>", xml_escape(c.statistic),
                               c.unit.empty() ? "" : "<span class=\"unit\">" + xml_escape(c.unit) + "</span>");
        }
        out += "</tr></thead>\n<tbody>\n";
        for (const auto& row : g.rows) {
            out += fmt::format("<tr{}><td>{}{}</td>", row.recommended ? " class=\"recommended\"" : "", xml_escape(row.variant),
                               row.recommended ? " (recommended)" : "");
            if (row.cells.empty()) {
                out += fmt::format("<td colspan=\"{}\" style=\"text-align:left\">{}</td>", t.columns.size(), xml_escape(row.refusal));
            }
            for (const auto& c : row.cells) out += "<td>" + xml_escape(c) + "</td>";
            out += "</tr>\n";
        }
        out += "</tbody>\n</table>\n";
    }
    return out + "<p class=\"meta\">" + xml_escape(t.footnote) + "</p>\n";
}

std::string findings_html(const Review& r) {
    std::string out = "<section id=\"findings\">\n<h2>Findings</h2>\n";
    if (r.findings.empty()) return out + "<p>No findings.</p>\n</section>\n";
    out += "<ol class=\"findings\">\n";
    for (const auto& f : r.findings) {
        const char* sev = f.severity == Finding::Severity::Blocking ? "blocking" : f.severity == Finding::Severity::Warning ? "warning" : "info";
        out += fmt::format("<li{}><span class=\"sev {}\">{}</span> <code>{}</code>: {}", f.suppressed.empty() ? "" : " class=\"suppressed\"",
                           sev, sev, xml_escape(f.id), xml_escape(f.title));
        if (!f.suppressed.empty()) out += fmt::format("<br>Suppressed: {}", xml_escape(f.suppressed));
        if (!f.field.empty()) {
            out += fmt::format("<br>At: <code>{}</code>{}", xml_escape(f.field),
                               f.location.file.empty() ? "" : fmt::format(" ({}:{})", xml_escape(f.location.file), f.location.line));
        }
        out += fmt::format("<br>Evidence: {}<br>Fix: {}</li>\n", xml_escape(f.evidence), xml_escape(f.fix));
    }
    return out + "</ol>\n</section>\n";
}

std::string verdict_html(const Report& r, const Review* review) {
    if (review != nullptr) {
        std::size_t blocking = 0, warnings = 0;
        for (const auto& f : review->findings) {
            if (!f.suppressed.empty()) continue;
            blocking += f.severity == Finding::Severity::Blocking ? 1 : 0;
            warnings += f.severity == Finding::Severity::Warning ? 1 : 0;
        }
        return fmt::format("<p class=\"verdict{}\" id=\"verdict\"><strong>Review of {}: {} blocking, {} warning{}.</strong></p>\n",
                           blocking > 0 ? " bad" : "", xml_escape(review->target), blocking, warnings, warnings == 1 ? "" : "s");
    }
    if (!r.recommendation) return "";
    const Recommendation& rec = *r.recommendation;
    std::string out = fmt::format("<div class=\"verdict{}\" id=\"verdict\"><p><strong>Recommendation: {}{}</strong></p><p>{}</p>",
                                  rec.acceptable ? "" : " bad",
                                  rec.strategy.empty() ? std::string("none") : xml_escape(rec.strategy + " × " + rec.probes),
                                  rec.acceptable ? " (meets every limit)" : " (does not meet the limits)", xml_escape(rec.why));
    if (!rec.failures.empty()) {
        out += "<ul>";
        for (const auto& f : rec.failures) out += "<li>" + xml_escape(f.text) + "</li>";
        out += "</ul>";
    }
    return out + "</div>\n";
}

}  // namespace

std::string report_html(const HtmlPage& page) {
    const Report& r = *page.report;
    const std::string name = page.review != nullptr ? "review of " + page.review->target : r.scenario_name;
    std::string out = fmt::format("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                                  "<title>rollsim: {}</title>\n<style>{}</style>\n</head>\n<body>\n",
                                  xml_escape(name), kStyle);
    out += fmt::format("<header>\n<h1>rollsim: {}</h1>\n<p class=\"meta\">{}, seed {}, Kubernetes {}, {} traffic · rollsim {} · "
                       "sha256 {}</p>\n</header>\n",
                       xml_escape(name), xml_escape(r.trials_words()), r.seed, xml_escape(r.kubernetes_version), xml_escape(r.traffic_mode),
                       xml_escape(r.tool_version.empty() ? version() : r.tool_version), r.scenario_sha256.substr(0, 12));
    out += verdict_html(r, page.review);
    if (page.review != nullptr) out += findings_html(*page.review);
    const bool simulated = !r.variants.empty() && (page.review == nullptr || page.review->simulated);
    if (simulated) {
        out += "<section id=\"table\">\n<h2>Variants</h2>\n" + table_html(output::comparison_table(r)) + "</section>\n";
        if (const auto paged = output::pages(r); !paged.empty()) {
            out += "<section id=\"pages\">\n<h2>Pages</h2>\n<p>The alerting rules over every trial's kube-state-metrics series:</p>\n<ul>\n";
            for (const auto& [variant, text] : paged) out += fmt::format("<li><strong>{}</strong>: {}</li>\n", xml_escape(variant), xml_escape(text));
            out += "</ul>\n</section>\n";
        }
        out += "<section id=\"charts\">\n<h2>Over every trial</h2>\n";
        for (const auto& [file, svg] : plot_files(*page.scenario, r)) {
            out += fmt::format("<figure class=\"chart\" id=\"{}\">\n{}</figure>\n", file.substr(0, file.size() - 4), svg);
        }
        out += "</section>\n";
    }
    if (page.shown != nullptr) {
        const TimelineWords w = timeline_words(*page.shown);
        out += fmt::format("<section id=\"timeline\">\n<h2>One trial: {} × {}, trial {}</h2>\n<p>{}</p>\n<p>{}{}</p>\n",
                           xml_escape(page.shown->strategy), xml_escape(page.shown->probes), page.shown->trial, xml_escape(w.headline),
                           xml_escape(w.why), w.why2.empty() ? "" : " " + xml_escape(w.why2));
        out += "<figure class=\"chart\" id=\"timeline-chart\">\n" + timeline_svg(*page.shown) + "</figure>\n</section>\n";
    }
    out += "<div id=\"hover\" role=\"status\"></div>\n";
    out += fmt::format("<script>{}</script>\n</body>\n</html>\n", kScript);
    return out;
}

}  // namespace rollsim
