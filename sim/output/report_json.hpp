#pragma once
/// @file report_json.hpp
/// The report as a JSON value, for documents that embed reports (sweeps).

#include <nlohmann/json.hpp>

#include "rollsim/report.hpp"

namespace rollsim::output {

nlohmann::ordered_json report_object(const Report& r);

}  // namespace rollsim::output
