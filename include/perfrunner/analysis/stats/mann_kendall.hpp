#pragma once
// Mann–Kendall trend test with tie correction and the Hamed–Rao (1998) autocorrelation correction
// (statistics.md §4; same steps as pyMannKendall's original_test and hamed_rao_modification_test).
#include <span>
#include <vector>

namespace perfrunner::analysis::stats {

struct MannKendall {
    std::size_t n = 0;
    double s = 0;
    double var_s = 0;  // tie-corrected
    double tau = 0;
    double z = 0, p = 1;  // naive two-sided
    // Hamed–Rao
    double n_ns_ratio = 1;  // n / n*
    double var_s_hr = 0;
    double z_hr = 0, p_hr = 1;
    bool hr_correction_invalid = false;  // n/n* ≤ 0 was replaced by 1
};

// S and tie-corrected Var(S) of y only.
double mann_kendall_s(std::span<const double> y);
double mann_kendall_variance(std::span<const double> y);
// Z from S and a variance: (S − 1)/√V, 0, (S + 1)/√V.
double mann_kendall_z(double s, double var_s);

// Full test. slope: the Theil–Sen slope used to detrend (y′ = y − slope·t) before ranking for Hamed–Rao;
// alpha: level of the lag-significance band z_{1−α/2}/√n.
MannKendall mann_kendall(std::span<const double> t, std::span<const double> y, double slope,
                         double alpha = 0.05);

// Average ranks (1-based) with ties sharing the mean rank.
std::vector<double> average_ranks(std::span<const double> y);

}  // namespace perfrunner::analysis::stats
