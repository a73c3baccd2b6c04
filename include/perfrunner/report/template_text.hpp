#pragma once
// The HTML templates carried in the binary (config/templates/*) and their one-pass {{name}} substitution.
#include <map>
#include <string>
#include <string_view>

namespace perfrunner::report {

// perfrunner::resource("templates/<file>"); throws RuntimeFailure when the binary was built without it.
std::string_view template_text(std::string_view file);

// Replaces every {{key}} by values.at(key) in one pass (substituted text is never scanned again); an unknown
// {{key}} is left as it is.
std::string fill_template(std::string_view text, const std::map<std::string, std::string>& values);

}  // namespace perfrunner::report
