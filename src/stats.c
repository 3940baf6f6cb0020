/*
 * stats.c
 *		The normal quantile, Wilson's interval and the two-proportion z-test,
 *		without server dependencies.
 *
 * The normal distribution function is libm's erfc: P(Z > z) = erfc(z/√2)/2,
 * accurate in the tails too (1 - erf would lose them).
 */
#include "stats.h"

#include <math.h>

/*
 * The rational approximations of AS 241 (M. J. Wichura, "The percentage
 * points of the normal distribution", Applied Statistics 37 (1988),
 * 477-484), coefficients from degree 0 up: near the centre in q = p - 1/2
 * through r = 0.180625 - q^2; in the tails in r = sqrt(-log(min(p, 1 - p))),
 * shifted by 1.6 up to r = 5 (p down to about 1e-11) and by 5 beyond.
 */
static const double ppnd_a[8] = {
	3.3871328727963666080e0, 1.3314166789178437745e+2,
	1.9715909503065514427e+3, 1.3731693765509461125e+4,
	4.5921953931549871457e+4, 6.7265770927008700853e+4,
	3.3430575583588128105e+4, 2.5090809287301226727e+3
};
static const double ppnd_b[8] = {
	1.0, 4.2313330701600911252e+1,
	6.8718700749205790830e+2, 5.3941960214247511077e+3,
	2.1213794301586595867e+4, 3.9307895800092710610e+4,
	2.8729085735721942674e+4, 5.2264952788528545610e+3
};
static const double ppnd_c[8] = {
	1.42343711074968357734e0, 4.63033784615654529590e0,
	5.76949722146069140550e0, 3.64784832476320460504e0,
	1.27045825245236838258e0, 2.41780725177450611770e-1,
	2.27238449892691845833e-2, 7.74545014278341407640e-4
};
static const double ppnd_d[8] = {
	1.0, 2.05319162663775882187e0,
	1.67638483018380384940e0, 6.89767334985100004550e-1,
	1.48103976427480074590e-1, 1.51986665636164571966e-2,
	5.47593808499534494600e-4, 1.05075007164441684324e-9
};
static const double ppnd_e[8] = {
	6.65790464350110377720e0, 5.46378491116411436990e0,
	1.78482653991729133580e0, 2.96560571828504891230e-1,
	2.65321895265761230930e-2, 1.24266094738807843860e-3,
	2.71155556874348757815e-5, 2.01033439929228813265e-7
};
static const double ppnd_f[8] = {
	1.0, 5.99832206555887937690e-1,
	1.36929880922735805310e-1, 1.48753612908506148525e-2,
	7.86869131145613259100e-4, 1.84631831751005468180e-5,
	1.42151175831644588870e-7, 2.04426310338993978564e-15
};

/* the ratio of the degree-7 polynomials num and den at x (Horner) */
static double
ratio7(const double *num, const double *den, double x)
{
	double		n = num[7];
	double		d = den[7];
	int			i;

	for (i = 6; i >= 0; i--)
	{
		n = n * x + num[i];
		d = d * x + den[i];
	}
	return n / d;
}

double
fn_normal_quantile(double p)
{
	double		q = p - 0.5;
	double		r;
	double		z;

	if (fabs(q) <= 0.425)
		return q * ratio7(ppnd_a, ppnd_b, 0.180625 - q * q);
	if (p <= 0.0)
		return -INFINITY;
	if (p >= 1.0)
		return INFINITY;
	r = sqrt(-log(q < 0.0 ? p : 1.0 - p));
	if (r <= 5.0)
		z = ratio7(ppnd_c, ppnd_d, r - 1.6);
	else
		z = ratio7(ppnd_e, ppnd_f, r - 5.0);
	return q < 0.0 ? -z : z;
}

/*
 * The lower Wilson bound of x / n: the roots of the score equation are
 *		(2x + z^2 -/+ z sqrt(z^2 + 4x(n - x)/n)) / (2(n + z^2)),
 * whose product is x^2 / (n(n + z^2)); the lower one is taken as that
 * product over the upper one, which has no cancellation for small x.
 */
static double
wilson_low(int64_t x, int64_t n, double z)
{
	double		dx = (double) x;
	double		dn = (double) n;
	double		z2 = z * z;
	double		upper;

	if (x == 0 || isinf(z))
		return 0.0;
	upper = (2.0 * dx + z2 + z * sqrt(z2 + 4.0 * dx * ((double) (n - x) / dn))) /
		(2.0 * (dn + z2));
	return dx / dn * (dx / ((dn + z2) * upper));
}

void
fn_wilson_interval(int64_t successes, int64_t trials, double z, double *low, double *high)
{
	/* the interval of the failures' proportion, mirrored */
	*low = wilson_low(successes, trials, z);
	*high = 1.0 - wilson_low(trials - successes, trials, z);
}

/*
 * z = (p1 - p2) / sqrt(p(1 - p)(1/n1 + 1/n2)) with the pooled proportion
 * p = (x1 + x2) / (n1 + n2); the p-value is P(|Z| >= |z|) = erfc(|z|/√2).
 */
double
fn_two_proportion_p(int64_t x1, int64_t n1, int64_t x2, int64_t n2)
{
	double		n = (double) n1 + (double) n2;
	double		pooled_in = ((double) x1 + (double) x2) / n;
	double		pooled_out = ((double) (n1 - x1) + (double) (n2 - x2)) / n;
	double		se;
	double		z;

	if ((x1 == 0 && x2 == 0) || (x1 == n1 && x2 == n2))
		return 1.0;
	se = sqrt(pooled_in * pooled_out * (1.0 / (double) n1 + 1.0 / (double) n2));
	z = ((double) x1 / (double) n1 - (double) x2 / (double) n2) / se;
	return erfc(fabs(z) / M_SQRT2);
}
