// read_results_file maps the file instead of copying it (src/model/mapped_input.hpp): files of every size
// around the page boundary parse (simdjson's padding past the end reads zeros), a parse drops the pages it
// has passed, and what is read is what parse_results reads from the same text.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "../src/model/mapped_input.hpp"
#include "perfrunner/error.hpp"
#include "perfrunner/model/results_json.hpp"

using namespace perfrunner::model;
namespace fs = std::filesystem;

namespace {

class TempFile {
  public:
    explicit TempFile(const std::string& text)
        : path_(fs::temp_directory_path() / ("results_file_read_" + std::to_string(::getpid()) + "_" +
                                             std::to_string(counter_++) + ".json")) {
        std::ofstream(path_, std::ios::binary) << text;
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() { fs::remove(path_); }
    const fs::path& path() const { return path_; }

  private:
    static inline int counter_ = 0;
    fs::path path_;
};

std::string sample(int i) {
    return R"({"timestamp": )" + std::to_string(1700000000 + i) +
           R"(.0, "timestamp_iso": "x", "containers": {"web": {"memory_used_mb": 10.5, "memory_limit_mb": )"
           R"(512.0, "memory_percent": 2.1, "cpu_percent": 1.25}}})";
}

// A results.json of exactly `size` bytes (trailing spaces fill up), when size allows.
std::string results_of_size(std::size_t size, int samples) {
    std::string text = R"({"test_id": "t", "scenarios": [{"scenario_name": "baseline", "samples": [)";
    for (int i = 0; i < samples; ++i) {
        text += (i == 0 ? "" : ",") + sample(i);
    }
    text += "]}]}";
    if (text.size() < size) {
        text.append(size - text.size(), ' ');
    }
    return text;
}

// Resident bytes of the mapping that starts at `base`, from /proc/self/smaps.
std::size_t resident_bytes(const void* base) {
    std::ifstream smaps("/proc/self/smaps");
    std::ostringstream want;
    want << std::hex << reinterpret_cast<std::uintptr_t>(base) << '-';
    bool in_region = false;
    for (std::string line; std::getline(smaps, line);) {
        if (line.find('-') != std::string::npos && line.find(' ') > line.find('-') &&
            std::isxdigit(static_cast<unsigned char>(line[0]))) {
            in_region = line.rfind(want.str(), 0) == 0;
        } else if (in_region && line.rfind("Rss:", 0) == 0) {
            return std::stoul(line.substr(4)) * 1024;
        }
    }
    return 0;
}

}  // namespace

TEST(ResultsFileRead, EverySizeAroundAPageBoundaryParsesLikeTheText) {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    for (std::size_t size : {page - 64, page - 63, page - 1, page, page + 1, 2 * page - 10, 3 * page}) {
        const std::string text = results_of_size(size, 20);
        ASSERT_EQ(text.size(), size);
        const TempFile file(text);
        const RunResult read = read_results_file(file.path());
        EXPECT_EQ(to_json_text(read), to_json_text(parse_results(text))) << "size " << size;
        ASSERT_EQ(read.scenarios.size(), 1u);
        EXPECT_EQ(read.scenarios[0].samples.size(), 20u) << "size " << size;
    }
}

TEST(ResultsFileRead, AFileCutShortIsRefusedWithOneLineNotReadPastItsEnd) {
    const std::string text = results_of_size(0, 3);
    const TempFile file(text.substr(0, text.size() - 3));
    try {
        read_results_file(file.path());
        FAIL() << "a truncated file was accepted";
    } catch (const perfrunner::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("malformed JSON"), std::string::npos) << e.what();
    }
}

TEST(ResultsFileRead, AnEmptyFileIsRefusedNotMapped) {
    const TempFile file("");
    EXPECT_THROW(read_results_file(file.path()), perfrunner::InputError);
}

TEST(MappedInput, PagesThePositionHasPassedAreDropped) {
    constexpr std::size_t kSize = 48u << 20;
    const TempFile file(std::string(kSize, ' '));
    auto input = perfrunner::model::detail::MappedInput::open(file.path());
    ASSERT_TRUE(input.has_value());
    const auto view = input->view();
    ASSERT_EQ(view.size(), kSize);
    unsigned sum = 0;
    for (std::size_t i = 0; i < kSize; i += 4096) {
        sum += static_cast<unsigned char>(view[i]);  // touch every page
    }
    EXPECT_EQ(sum, kSize / 4096 * ' ');
    EXPECT_GT(resident_bytes(view.data()), kSize / 2);
    input->release_before(view.data() + kSize);
    // At most a step behind the position (plus the step being filled) stays resident.
    EXPECT_LE(resident_bytes(view.data()), 2 * perfrunner::model::detail::MappedInput::kReleaseStep);
    EXPECT_EQ(view[0], ' ');  // a dropped page reads back from the file
}

TEST(SampleFind, FindsAContainerAtItsOwnIndexOrAnywhereElse) {
    Sample s;
    for (ContainerId id : {2u, 0u, 1u, 7u}) {
        auto& c = s.containers.emplace_back();
        c.container = id;
        c.memory_used_mb = 10.0 * id;
    }
    for (ContainerId id : {0u, 1u, 2u, 7u}) {
        ASSERT_NE(s.find(id), nullptr) << id;
        EXPECT_EQ(s.find(id)->container, id);
        EXPECT_EQ(s.find(id)->memory_used_mb, 10.0 * id);
    }
    EXPECT_EQ(s.find(3), nullptr);  // index 3 holds container 7
    EXPECT_EQ(s.find(9), nullptr);  // past the end
}
