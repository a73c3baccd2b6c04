#pragma once
// Normal and Student-t distribution functions needed by the trend statistics (statistics.md §0, §1).
namespace perfrunner::analysis::stats {

// Φ(z) = 0.5·erfc(−z/√2).
double normal_cdf(double z);
// z_p with Φ(z_p) = p, p in (0, 1); found by bisection on normal_cdf (exact to ~1e-12, deterministic).
double normal_quantile(double p);
// Regularized incomplete beta function I_x(a, b), x in [0, 1].
double incomplete_beta(double a, double b, double x);
// CDF of Student's t with df degrees of freedom (df > 0, fractional allowed).
double student_t_cdf(double t, double df);
// t_{p, df}: the p-quantile of Student's t, p in (0, 1), by bisection on student_t_cdf.
double student_t_quantile(double p, double df);

}  // namespace perfrunner::analysis::stats
