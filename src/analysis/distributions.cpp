#include "perfrunner/analysis/stats/distributions.hpp"

#include <cmath>
#include <limits>

namespace perfrunner::analysis::stats {

double normal_cdf(double z) {
    return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

double normal_quantile(double p) {
    if (!(p > 0.0 && p < 1.0)) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    double lo = -40.0, hi = 40.0;
    for (int i = 0; i < 200 && hi - lo > 1e-14; ++i) {
        const double mid = 0.5 * (lo + hi);
        if (normal_cdf(mid) < p) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return 0.5 * (lo + hi);
}

namespace {
// Continued fraction of the incomplete beta function, evaluated with the modified Lentz method.
double beta_continued_fraction(double a, double b, double x) {
    constexpr double tiny = 1e-300;
    constexpr double eps = 1e-15;
    double c = 1.0;
    double d = 1.0 - (a + b) * x / (a + 1.0);
    if (std::fabs(d) < tiny) {
        d = tiny;
    }
    d = 1.0 / d;
    double result = d;
    for (int m = 1; m <= 1000; ++m) {
        const double md = m;
        // even step
        double num = md * (b - md) * x / ((a + 2 * md - 1) * (a + 2 * md));
        d = 1.0 + num * d;
        if (std::fabs(d) < tiny) {
            d = tiny;
        }
        c = 1.0 + num / c;
        if (std::fabs(c) < tiny) {
            c = tiny;
        }
        d = 1.0 / d;
        result *= d * c;
        // odd step
        num = -(a + md) * (a + b + md) * x / ((a + 2 * md) * (a + 2 * md + 1));
        d = 1.0 + num * d;
        if (std::fabs(d) < tiny) {
            d = tiny;
        }
        c = 1.0 + num / c;
        if (std::fabs(c) < tiny) {
            c = tiny;
        }
        d = 1.0 / d;
        const double delta = d * c;
        result *= delta;
        if (std::fabs(delta - 1.0) < eps) {
            break;
        }
    }
    return result;
}
}  // namespace

double incomplete_beta(double a, double b, double x) {
    if (x <= 0.0) {
        return 0.0;
    }
    if (x >= 1.0) {
        return 1.0;
    }
    const double log_front =
        std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    const double front = std::exp(log_front);
    // The continued fraction converges fast for x < (a + 1)/(a + b + 2); use the symmetry otherwise.
    if (x < (a + 1.0) / (a + b + 2.0)) {
        return front * beta_continued_fraction(a, b, x) / a;
    }
    return 1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b;
}

double student_t_cdf(double t, double df) {
    const double x = df / (df + t * t);
    const double tail = 0.5 * incomplete_beta(df / 2.0, 0.5, x);  // P(T > |t|)
    return t >= 0 ? 1.0 - tail : tail;
}

double student_t_quantile(double p, double df) {
    if (!(p > 0.0 && p < 1.0) || !(df > 0)) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    double lo = -1e6, hi = 1e6;
    for (int i = 0; i < 300 && hi - lo > 1e-12 * (1.0 + std::fabs(lo)); ++i) {
        const double mid = 0.5 * (lo + hi);
        if (student_t_cdf(mid, df) < p) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return 0.5 * (lo + hi);
}

}  // namespace perfrunner::analysis::stats
