#pragma once
/// @file comparison_table.hpp
/// The comparison of variants that the terminal table, the Markdown reports (run and review)
/// and the HTML report all show: one statistic per column, named with its unit, and the
/// variants grouped by what their numbers mean, so that a plan that stalled never reads as the
/// best one.

#include <string>
#include <vector>

#include "rollsim/report.hpp"

namespace rollsim::output {

struct ComparisonTable {
    struct Column {
        std::string statistic;  ///< "p50 duration", "mean errors"
        std::string unit;       ///< "node-s", "nodes", or "" when the cell carries it ("8.2 min", "55%")
    };
    struct Row {
        std::string variant;  ///< "STRATEGY × PROBES"
        std::string strategy, probes;
        std::vector<std::string> cells;  ///< one per column; empty for a refused variant ...
        std::string refusal;             ///< ... which says why instead
        bool recommended = false;
    };
    struct Group {
        std::string title;    ///< "finished in every trial", "caught by the test phase", …
        std::string meaning;  ///< how to read the group's numbers
        std::vector<Row> rows;
    };
    std::vector<Column> columns;
    std::vector<Group> groups;  ///< only the non-empty ones, finished first
    std::string footnote;       ///< what the statistics are over
};

/// The variants of `r` in the groups: finished in every trial; caught by the test phase (a
/// test-then-promote whose every unfinished trial was caught); not finished in every trial; not
/// simulated (rejected or not applicable).
ComparisonTable comparison_table(const Report& r);

/// With a precision: how many trials each variant ran and why it stopped ("Trials: 40 trials for
/// 11 variants (every measure known within 5%); 160 trials for quarter × as-proposed (...)").
std::string trials_note(const Report& r);

/// A duration for a table cell: "45.0 s", "8.2 min", "1.1 h" (never "m", which Kubernetes
/// users read as milli).
std::string duration_cell(double seconds);

/// The alerts each variant fires over its trials, when evaluated (docs/alerts.md): the variant
/// ("STRATEGY × PROBES") and "KubeDaemonSetRolloutStuck in 34% of trials, after 22.0 min at p50
/// (firing 14.5 min at p50)", or "no alert fires". Empty without alerts.
std::vector<std::pair<std::string, std::string>> pages(const Report& r);

/// The table as GitHub Markdown, a table per group under its title and meaning.
std::string comparison_markdown(const ComparisonTable& t);

}  // namespace rollsim::output
