#pragma once
/// @file html.hpp
/// The HTML report (docs/report.md, "The HTML report"): one self-contained file, with no
/// network access, that people open first: the recommendation or the review's findings, the
/// comparison table, the pictures of many trials and the timeline of the shown trial.

#include <string>

#include "rollsim/report.hpp"
#include "rollsim/review.hpp"
#include "rollsim/scenario.hpp"
#include "rollsim/timeline.hpp"

namespace rollsim {

struct HtmlPage {
    const ScenarioSpec* scenario = nullptr;  ///< its limits are drawn on the trade-off (required)
    const Report* report = nullptr;          ///< required
    const Timeline* shown = nullptr;         ///< the trial drawn, when there is one
    const Review* review = nullptr;          ///< for `review --html`: the verdict and the findings
};

std::string report_html(const HtmlPage& page);

}  // namespace rollsim
