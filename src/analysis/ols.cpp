#include "perfrunner/analysis/stats/ols.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "perfrunner/analysis/stats/distributions.hpp"

namespace perfrunner::analysis::stats {

namespace {
struct Moments {
    double t_mean = 0, y_mean = 0, sxx = 0, sxy = 0;
};
Moments moments(std::span<const double> t, std::span<const double> y) {
    Moments m;
    const auto n = static_cast<double>(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        m.t_mean += t[i];
        m.y_mean += y[i];
    }
    m.t_mean /= n;
    m.y_mean /= n;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const double dt = t[i] - m.t_mean;
        m.sxx += dt * dt;
        m.sxy += dt * (y[i] - m.y_mean);
    }
    return m;
}
}  // namespace

std::optional<double> ols_slope(std::span<const double> t, std::span<const double> y) {
    if (t.size() < 2 || t.size() != y.size()) {
        return std::nullopt;
    }
    const Moments m = moments(t, y);
    if (!(m.sxx > 0)) {
        return std::nullopt;
    }
    return m.sxy / m.sxx;
}

std::optional<double> reference_cov_slope(std::span<const double> t, std::span<const double> y) {
    if (t.size() < 2 || t.size() != y.size()) {
        return std::nullopt;
    }
    const Moments m = moments(t, y);
    const auto n = static_cast<double>(t.size());
    const double var_t = m.sxx / n;  // numpy var, ddof 0
    if (var_t == 0) {
        return 0.0;  // the reference returns 0.0 when var = 0
    }
    return (m.sxy / (n - 1.0)) / var_t;  // numpy cov, ddof 1
}

double lag1_autocorrelation(std::span<const double> r) {
    if (r.size() < 3) {
        return 0.0;
    }
    double num = 0, den = 0;
    for (std::size_t i = 0; i < r.size(); ++i) {
        den += r[i] * r[i];
        if (i > 0) {
            num += r[i] * r[i - 1];
        }
    }
    if (!(den > 0)) {
        return 0.0;
    }
    return std::clamp(num / den, 0.0, 0.99);
}

OlsFit ols_fit(std::span<const double> t, std::span<const double> y) {
    OlsFit f;
    f.n = t.size();
    if (t.size() < 2 || t.size() != y.size()) {
        return f;
    }
    const Moments m = moments(t, y);
    if (!(m.sxx > 0)) {
        return f;
    }
    f.slope = m.sxy / m.sxx;
    f.intercept = m.y_mean - f.slope * m.t_mean;
    f.n_eff = static_cast<double>(f.n);
    if (f.n < 3) {
        return f;
    }
    std::vector<double> r(f.n);
    double ssr = 0;
    for (std::size_t i = 0; i < f.n; ++i) {
        r[i] = y[i] - f.intercept - f.slope * t[i];
        ssr += r[i] * r[i];
    }
    f.residual_sd = std::sqrt(ssr / static_cast<double>(f.n - 2));
    f.se = f.residual_sd / std::sqrt(m.sxx);
    f.rho = lag1_autocorrelation(r);
    f.n_eff = static_cast<double>(f.n) * (1.0 - f.rho) / (1.0 + f.rho);
    f.se_eff = f.se * std::sqrt((1.0 + f.rho) / (1.0 - f.rho));
    f.df_eff = std::max(f.n_eff - 2.0, 1.0);
    f.valid = true;
    return f;
}

double ols_ci_half_width(const OlsFit& fit, double alpha) {
    const double q = fit.df_eff >= 30 ? normal_quantile(1.0 - alpha / 2.0)
                                      : student_t_quantile(1.0 - alpha / 2.0, fit.df_eff);
    return q * fit.se_eff;
}

}  // namespace perfrunner::analysis::stats
