// Writes the four files of `perfrunner compare` (never the inputs: only these names, in the output folder).
#include <exception>
#include <functional>

#include "perfrunner/report/compare_report.hpp"
#include "perfrunner/report/text_file.hpp"

namespace perfrunner::report {

std::vector<std::string> write_compare_outputs(const CompareReportContext& context,
                                               const std::filesystem::path& dir,
                                               const std::function<bool()>& stop) {
    const std::vector<std::pair<const char*, std::function<std::string()>>> files = {
        {"compare.json",
         [&] {
             return compare_json(context).dump(2, ' ', false,
                                               nlohmann::ordered_json::error_handler_t::replace) +
                    "\n";
         }},
        {"compare.md", [&] { return render_compare_markdown(context); }},
        {"compare.html", [&] { return render_compare_html(context); }},
        {"junit.xml", [&] { return render_compare_junit(context); }},
    };
    std::vector<std::string> errors;
    for (const auto& [name, render] : files) {
        if (stop && stop()) {
            break;
        }
        try {
            write_text_file(dir / name, render());
        } catch (const std::exception& e) {
            errors.push_back(std::string(name) + ": " + e.what());
        }
    }
    return errors;
}

}  // namespace perfrunner::report
