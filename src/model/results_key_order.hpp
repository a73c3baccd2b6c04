#pragma once
// Internal to the model layer: the reference key order (results-schema.md §3-§6) of the generic objects in
// results.json (config, params, analysis), so a rewritten reference file keeps its order. Scenario metadata
// is typed; its order is its mapping's (scenario_metadata_json.hpp).
#include "json_writer.hpp"

namespace perfrunner::model::detail {

const KeyOrders& results_key_order();

}  // namespace perfrunner::model::detail
