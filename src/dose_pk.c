/* One-compartment repeated-dose pharmacokinetics (see dose_pk.h). */
#include "dose_pk.h"
#include "nev_status.h"

#include <math.h>

/* sum_{j=0}^{m-1} exp(-r (s + j tau)) = exp(-r s) (1 - e^{-r m tau}) /
 * (1 - e^{-r tau}), computed with expm1 for accuracy. */
static double geom(double r, double s, double tau, double m)
{
  return exp(-r * s) * expm1(-r * m * tau) / expm1(-r * tau);
}

int nev_pk_conc(size_t nt, const double *restrict t, double dose, double tau,
                int n_doses, double k, double ka, double F, double V,
                double *restrict conc)
{
  if (n_doses < 1 || !isfinite(tau) || !(tau > 0.0) || !isfinite(k) ||
      !(k > 0.0) || !isfinite(ka) || !isfinite(F) || !(F > 0.0) ||
      !isfinite(V) || !(V > 0.0) || !isfinite(dose) || dose < 0.0)
    return NEV_ERR_ARG;
  const int oral = ka > 0.0;
  const int same = oral && fabs(ka - k) <= 1e-9 * k;
  for (size_t i = 0; i < nt; i++) {
    if (!isfinite(t[i])) return NEV_ERR_DOMAIN;
    if (t[i] < 0.0) { conc[i] = 0.0; continue; }
    double mf = floor(t[i] / tau) + 1.0;
    if (mf > (double) n_doses) mf = (double) n_doses;
    double s = t[i] - (mf - 1.0) * tau; /* time since the last dose */
    double c;
    if (!oral) {
      c = F * dose / V * geom(k, s, tau, mf);
    } else if (same) {
      /* ka = k: single dose F D k t e^{-k t} / V, summed directly. */
      c = 0.0;
      for (double j = 0.0; j < mf; j += 1.0) {
        double u = s + j * tau;
        c += u * exp(-k * u);
      }
      c *= F * dose * k / V;
    } else {
      c = F * dose * ka / (V * (ka - k)) *
          (geom(k, s, tau, mf) - geom(ka, s, tau, mf));
    }
    conc[i] = c;
  }
  return NEV_OK;
}
