#include "perfrunner/analysis/stats/usl.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "perfrunner/analysis/stats/distributions.hpp"
#include "perfrunner/analysis/stats/order_statistics.hpp"

namespace perfrunner::analysis::stats {

namespace {

constexpr std::size_t kParams = 3;  // λ, σ, κ
using Vec = std::array<double, kParams>;
using Mat = std::array<Vec, kParams>;

constexpr Vec kLower{0.0, 0.0, 0.0};
constexpr Vec kUpper{std::numeric_limits<double>::infinity(), 1.0, 1.0};

struct Residuals {
    std::vector<double> r;
    std::vector<Vec> jacobian;  // ∂f/∂p per point
    double ssr = 0;
};

Residuals evaluate(std::span<const UslPoint> pts, const Vec& p) {
    Residuals out;
    out.r.reserve(pts.size());
    out.jacobian.reserve(pts.size());
    for (const auto& pt : pts) {
        const double n = pt.load;
        const double d = 1.0 + p[1] * (n - 1.0) + p[2] * n * (n - 1.0);
        const double f = p[0] * n / d;
        const double r = pt.throughput - f;
        out.r.push_back(r);
        out.ssr += r * r;
        const double dd = -p[0] * n / (d * d);
        out.jacobian.push_back({n / d, dd * (n - 1.0), dd * n * (n - 1.0)});
    }
    return out;
}

double ssr_at(std::span<const UslPoint> pts, const Vec& p) {
    double ssr = 0;
    for (const auto& pt : pts) {
        const double r = pt.throughput - usl_throughput(pt.load, p[0], p[1], p[2]);
        ssr += r * r;
    }
    return ssr;
}

// λ minimising the SSR for fixed σ, κ (X is linear in λ): Σ X·g / Σ g², g = N / D.
double profiled_lambda(std::span<const UslPoint> pts, double sigma, double kappa) {
    double num = 0, den = 0;
    for (const auto& pt : pts) {
        const double g = usl_throughput(pt.load, 1.0, sigma, kappa);
        num += pt.throughput * g;
        den += g * g;
    }
    return den > 0 ? std::max(0.0, num / den) : 0.0;
}

// Solves A·x = b for the symmetric positive (semi)definite A restricted to `free`, after scaling by the
// diagonal (the parameters differ by six orders of magnitude). Returns false when singular.
bool solve_scaled(Mat a, Vec b, const std::array<bool, kParams>& free, Vec& x) {
    std::array<double, kParams> scale{};
    for (std::size_t i = 0; i < kParams; ++i) {
        scale[i] = free[i] && a[i][i] > 0 ? 1.0 / std::sqrt(a[i][i]) : 0.0;
    }
    for (std::size_t i = 0; i < kParams; ++i) {
        for (std::size_t j = 0; j < kParams; ++j) {
            a[i][j] *= scale[i] * scale[j];
        }
        b[i] *= scale[i];
        if (scale[i] == 0.0) {
            a[i].fill(0.0);
            a[i][i] = 1.0;
            b[i] = 0.0;
        }
    }
    // Gaussian elimination with partial pivoting on the 3×3 system.
    std::array<std::size_t, kParams> row{0, 1, 2};
    for (std::size_t c = 0; c < kParams; ++c) {
        std::size_t best = c;
        for (std::size_t k = c + 1; k < kParams; ++k) {
            if (std::fabs(a[row[k]][c]) > std::fabs(a[row[best]][c])) {
                best = k;
            }
        }
        std::swap(row[c], row[best]);
        const double pivot = a[row[c]][c];
        if (std::fabs(pivot) < 1e-12) {
            return false;
        }
        for (std::size_t k = c + 1; k < kParams; ++k) {
            const double m = a[row[k]][c] / pivot;
            for (std::size_t j = c; j < kParams; ++j) {
                a[row[k]][j] -= m * a[row[c]][j];
            }
            b[row[k]] -= m * b[row[c]];
        }
    }
    Vec y{};
    for (std::size_t c = kParams; c-- > 0;) {
        double s = b[row[c]];
        for (std::size_t j = c + 1; j < kParams; ++j) {
            s -= a[row[c]][j] * y[j];
        }
        y[c] = s / a[row[c]][c];
    }
    for (std::size_t i = 0; i < kParams; ++i) {
        x[i] = y[i] * scale[i];
    }
    return true;
}

Vec clamp_to_bounds(Vec p) {
    for (std::size_t i = 0; i < kParams; ++i) {
        p[i] = std::clamp(p[i], kLower[i], kUpper[i]);
    }
    return p;
}

// Levenberg–Marquardt with Marquardt's diagonal damping and an active set for the bounds.
Vec levenberg_marquardt(std::span<const UslPoint> pts, Vec p) {
    double mu = 1e-3;
    auto cur = evaluate(pts, p);
    for (int iter = 0; iter < 2000; ++iter) {
        Mat jtj{};
        Vec g{};
        for (std::size_t i = 0; i < pts.size(); ++i) {
            for (std::size_t a = 0; a < kParams; ++a) {
                g[a] += cur.jacobian[i][a] * cur.r[i];
                for (std::size_t b = 0; b < kParams; ++b) {
                    jtj[a][b] += cur.jacobian[i][a] * cur.jacobian[i][b];
                }
            }
        }
        std::array<bool, kParams> free{};
        for (std::size_t a = 0; a < kParams; ++a) {
            const bool held_low = p[a] <= kLower[a] && g[a] <= 0;
            const bool held_high = p[a] >= kUpper[a] && g[a] >= 0;
            free[a] = !(held_low || held_high);
        }
        bool improved = false;
        while (mu < 1e16) {
            Mat damped = jtj;
            for (std::size_t a = 0; a < kParams; ++a) {
                damped[a][a] += mu * std::max(jtj[a][a], 1e-300);
            }
            Vec step{};
            if (!solve_scaled(damped, g, free, step)) {
                mu *= 4;
                continue;
            }
            Vec next = p;
            for (std::size_t a = 0; a < kParams; ++a) {
                next[a] += step[a];
            }
            next = clamp_to_bounds(next);
            const double ssr = ssr_at(pts, next);
            if (ssr < cur.ssr) {
                const double gain = cur.ssr - ssr;
                p = next;
                cur = evaluate(pts, p);
                mu = std::max(mu / 3.0, 1e-12);
                improved = gain > 1e-15 * (cur.ssr + 1e-300);
                break;
            }
            mu *= 4;
        }
        if (!improved) {
            break;
        }
    }
    return p;
}

// Inverse of JᵀJ (scaled by its diagonal for conditioning); nullopt when singular.
std::optional<Mat> inverse(const Mat& a) {
    Mat inv{};
    for (std::size_t c = 0; c < kParams; ++c) {
        Vec e{};
        e[c] = 1.0;
        Vec x{};
        if (!solve_scaled(a, e, {true, true, true}, x)) {
            return std::nullopt;
        }
        for (std::size_t r = 0; r < kParams; ++r) {
            inv[r][c] = x[r];
        }
    }
    return inv;
}

double median_spacing(std::vector<double> loads) {
    std::vector<double> gaps;
    gaps.reserve(loads.size());
    for (std::size_t i = 1; i < loads.size(); ++i) {
        gaps.push_back(loads[i] - loads[i - 1]);
    }
    return gaps.empty() ? 0.0 : median_by_selection(gaps);
}

}  // namespace

double usl_throughput(double load, double lambda, double sigma, double kappa) {
    return lambda * load / (1.0 + sigma * (load - 1.0) + kappa * load * (load - 1.0));
}

UslFit fit_usl(std::span<const UslPoint> points, double alpha) {
    UslFit fit;
    std::vector<UslPoint> pts;
    for (const auto& p : points) {
        if (std::isfinite(p.load) && p.load > 0 && std::isfinite(p.throughput) && p.throughput >= 0) {
            pts.push_back(p);
        }
    }
    std::vector<double> loads;
    loads.reserve(pts.size());
    for (const auto& p : pts) {
        loads.push_back(p.load);
    }
    std::sort(loads.begin(), loads.end());
    loads.erase(std::unique(loads.begin(), loads.end()), loads.end());
    fit.levels = loads.size();
    if (fit.levels < kUslMinLevels) {
        fit.why_not =
            fmt::format("needs at least {} load levels with a throughput, has {}", kUslMinLevels, fit.levels);
        return fit;
    }
    if (std::all_of(pts.begin(), pts.end(), [](const UslPoint& p) { return p.throughput == 0.0; })) {
        fit.why_not = "throughput is zero at every load level";
        return fit;
    }
    fit.min_load = loads.front();
    fit.max_load = loads.back();
    fit.step = median_spacing(loads);

    // Best few starts of a coarse grid (λ profiled), then LM from each; keep the lowest SSR.
    std::vector<std::pair<double, Vec>> starts;
    for (const double sigma : {0.0, 0.001, 0.01, 0.03, 0.1, 0.3, 0.6, 0.9}) {
        for (const double kappa : {0.0, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1}) {
            const Vec p{profiled_lambda(pts, sigma, kappa), sigma, kappa};
            starts.emplace_back(ssr_at(pts, p), p);
        }
    }
    std::sort(starts.begin(), starts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Vec best = starts.front().second;
    double best_ssr = starts.front().first;
    for (std::size_t i = 0; i < 4 && i < starts.size(); ++i) {
        const Vec p = levenberg_marquardt(pts, starts[i].second);
        const double ssr = ssr_at(pts, p);
        if (ssr < best_ssr) {
            best_ssr = ssr;
            best = p;
        }
    }

    fit.valid = true;
    const auto n = static_cast<double>(pts.size());
    fit.rmse = std::sqrt(best_ssr / n);
    UslParameter* params[kParams] = {&fit.lambda, &fit.sigma, &fit.kappa};
    const auto at_solution = evaluate(pts, best);
    Mat jtj{};
    for (const auto& row : at_solution.jacobian) {
        for (std::size_t a = 0; a < kParams; ++a) {
            for (std::size_t b = 0; b < kParams; ++b) {
                jtj[a][b] += row[a] * row[b];
            }
        }
    }
    const double df = n - static_cast<double>(kParams);
    const auto cov = inverse(jtj);
    const double q = student_t_quantile(1.0 - alpha / 2.0, df);
    for (std::size_t a = 0; a < kParams; ++a) {
        params[a]->value = best[a];
        params[a]->at_bound = best[a] <= kLower[a] || best[a] >= kUpper[a];
        if (cov && (*cov)[a][a] >= 0) {
            const double se = std::sqrt(best_ssr / df * (*cov)[a][a]);
            params[a]->se = se;
            params[a]->lower = best[a] - q * se;
            params[a]->upper = best[a] + q * se;
        }
    }

    const double sigma = best[1], kappa = best[2];
    if (!(kappa > 0)) {
        fit.peak_note = "no peak: coherency κ = 0, throughput levels off towards λ/σ instead of falling";
    } else if (sigma >= 1.0) {
        fit.peak_note = "no peak: contention σ = 1";
    } else {
        const double peak = std::sqrt((1.0 - sigma) / kappa);
        if (peak < fit.min_load - fit.step || peak > fit.max_load + fit.step) {
            fit.peak_note = fmt::format(
                "no peak within the measured loads: N* = {:.1f} lies outside {:g}–{:g} by more than one step "
                "({:g})",
                peak, fit.min_load, fit.max_load, fit.step);
        } else {
            fit.peak_load = peak;
            fit.peak_throughput = usl_throughput(peak, best[0], sigma, kappa);
        }
    }
    return fit;
}

}  // namespace perfrunner::analysis::stats
