#pragma once
// charts/: plotly.min.js once per run, every chart as .html (and .png per PngMode), and index.html.
#include <utility>

#include "perfrunner/report/chromium.hpp"
#include "perfrunner/report/writer.hpp"

namespace perfrunner::report {

class ChartsWriter : public Writer {
  public:
    ChartsWriter() = default;
    explicit ChartsWriter(ScreenshotOptions options) : options_(std::move(options)) {}
    std::string name() const override { return "charts"; }
    // PngMode::automatic without Chromium: one warning, no PNGs. PngMode::always: throws RuntimeFailure when
    // Chromium is missing or any screenshot fails.
    void write(const ReportContext& context) override;

  private:
    ScreenshotOptions options_;
};

}  // namespace perfrunner::report
