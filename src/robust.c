/* Cluster-robust covariance, Satterthwaite and HTZ degrees of freedom;
 * see robust.h. C99 + GSL only.
 *
 * With E_j = X_j' W_j A_j (p x n_j) and a row c of a constraint matrix,
 * p_j = E_j' M c, the quadratic form c'V^CR c = sum_j (p_j' e_j)^2. Under
 * the working model its terms have the covariance array (clubSandwich's
 * P array, inverse-variance case)
 *   P[s, t, a, b] = [a = b] p_as' Theta_a p_at - K_as . K_bt,
 * K_as = L_M' X_a' p_as with M = L_M L_M'. Sums over all pairs of clusters
 * are written with the p x p matrices S_us = sum_a K_au K_as', so the work
 * is O(m q^2 p^2) rather than O(m^2). */
#include "robust.h"
#include "multilevel.h"
#include "nev_status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_eigen.h>

typedef struct {
  const double *X, *e, *v;
  size_t k, p, m, nmax;
  const size_t *start;
  size_t *off;      /* m + 1 offsets of packed n_j x n_j blocks */
  double *Th, *L, *W; /* packed Theta_j, its Cholesky factor, inverse */
  double *E;        /* p x k: E_j in the columns of cluster j */
  double *M, *LM, *XWX; /* p x p */
  double *G, *Q, *B; /* nmax x nmax scratch */
  double *lam;      /* nmax */
} rb_ws;

static void rb_free(rb_ws *w)
{
  free(w->off); free(w->Th); free(w->E); free(w->M); free(w->G);
}

static int rb_alloc(rb_ws *w)
{
  size_t nw = 0, p = w->p;
  w->nmax = 0;
  for (size_t j = 0; j < w->m; j++) {
    size_t n = w->start[j + 1] - w->start[j];
    if (n > w->nmax) w->nmax = n;
    nw += n * n;
  }
  size_t nm = w->nmax;
  w->off = malloc((w->m + 1) * sizeof(size_t));
  w->Th = malloc(3 * nw * sizeof(double));
  w->E = malloc(p * w->k * sizeof(double));
  w->M = malloc(3 * p * p * sizeof(double));
  w->G = malloc((3 * nm * nm + nm) * sizeof(double));
  if (!w->off || !w->Th || !w->E || !w->M || !w->G)
    return NEV_ERR_NOMEM;
  w->L = w->Th + nw; w->W = w->L + nw;
  w->LM = w->M + p * p; w->XWX = w->LM + p * p;
  w->Q = w->G + nm * nm; w->B = w->Q + nm * nm; w->lam = w->B + nm * nm;
  w->off[0] = 0;
  for (size_t j = 0; j < w->m; j++) {
    size_t n = w->start[j + 1] - w->start[j];
    w->off[j + 1] = w->off[j] + n * n;
  }
  return NEV_OK;
}

/* Symmetric n x n A (column-major) to V f(lambda) V', f(x) = x^-1/2 for
 * x > 1e-12, else 0 (clubSandwich's matrix_power). A is overwritten. */
static int inv_sqrt(rb_ws *w, double *A, size_t n, double *out)
{
  gsl_matrix_view Av = gsl_matrix_view_array(A, n, n);
  gsl_matrix_view Qv = gsl_matrix_view_array(w->Q, n, n);
  gsl_vector_view lv = gsl_vector_view_array(w->lam, n);
  gsl_eigen_symmv_workspace *ew = gsl_eigen_symmv_alloc(n);
  if (!ew) return NEV_ERR_NOMEM;
  int g = gsl_eigen_symmv(&Av.matrix, &lv.vector, &Qv.matrix, ew);
  gsl_eigen_symmv_free(ew);
  if (g != GSL_SUCCESS) return NEV_ERR_GSL;
  for (size_t i = 0; i < n; i++)
    w->lam[i] = w->lam[i] > 1e-12 ? 1.0 / sqrt(w->lam[i]) : 0.0;
  /* Q is row-major in GSL: eigenvector l is column l of the row-major
   * matrix, i.e. Q[i * n + l]. */
  for (size_t r = 0; r < n; r++)
    for (size_t c = 0; c < n; c++) {
      double s = 0.0;
      for (size_t l = 0; l < n; l++)
        s += w->Q[r * n + l] * w->lam[l] * w->Q[c * n + l];
      out[r + c * n] = s;
    }
  return NEV_OK;
}

/* Blocks Theta_j, their Cholesky factors and inverses; X'WX and M. */
static int rb_blocks(rb_ws *w, double rho, double s1, double s2)
{
  const size_t p = w->p, k = w->k;
  memset(w->XWX, 0, p * p * sizeof(double));
  for (size_t j = 0; j < w->m; j++) {
    size_t o = w->start[j], n = w->start[j + 1] - o;
    double *Th = w->Th + w->off[j], *L = w->L + w->off[j],
      *W = w->W + w->off[j];
    nev_ml3_block(w->v + o, n, rho, s1, s2, Th);
    memcpy(L, Th, n * n * sizeof(double));
    gsl_matrix_view Lv = gsl_matrix_view_array(L, n, n);
    if (gsl_linalg_cholesky_decomp1(&Lv.matrix) != GSL_SUCCESS)
      return NEV_ERR_SINGULAR;
    memcpy(W, L, n * n * sizeof(double));
    gsl_matrix_view Wv = gsl_matrix_view_array(W, n, n);
    if (gsl_linalg_cholesky_invert(&Wv.matrix) != GSL_SUCCESS)
      return NEV_ERR_SINGULAR;
    /* GSL keeps the factor in the lower triangle of the row-major view:
     * as column-major that is L' in the upper triangle. Store L
     * column-major with zeros above the diagonal. */
    for (size_t r = 0; r < n; r++)
      for (size_t c = 0; c < n; c++)
        w->G[r + c * n] = r >= c ? L[r * n + c] : 0.0;
    memcpy(L, w->G, n * n * sizeof(double));
    for (size_t a = 0; a < p; a++)
      for (size_t b = 0; b < p; b++) {
        double s = 0.0;
        for (size_t r = 0; r < n; r++)
          for (size_t c = 0; c < n; c++)
            s += w->X[o + r + a * k] * W[r + c * n] * w->X[o + c + b * k];
        w->XWX[a + b * p] += s;
      }
  }
  memcpy(w->M, w->XWX, p * p * sizeof(double));
  gsl_matrix_view Mv = gsl_matrix_view_array(w->M, p, p);
  if (gsl_linalg_cholesky_decomp1(&Mv.matrix) != GSL_SUCCESS)
    return NEV_ERR_SINGULAR;
  if (gsl_linalg_cholesky_invert(&Mv.matrix) != GSL_SUCCESS)
    return NEV_ERR_SINGULAR;
  memcpy(w->LM, w->M, p * p * sizeof(double));
  gsl_matrix_view Lv = gsl_matrix_view_array(w->LM, p, p);
  if (gsl_linalg_cholesky_decomp1(&Lv.matrix) != GSL_SUCCESS)
    return NEV_ERR_SINGULAR;
  /* row-major lower factor -> column-major lower L_M */
  for (size_t r = 0; r < p; r++)
    for (size_t c = 0; c < p; c++)
      w->XWX[r + c * p] = r >= c ? w->LM[r * p + c] : 0.0;
  memcpy(w->LM, w->XWX, p * p * sizeof(double));
  return NEV_OK;
}

/* E_j = X_j' W_j A_j for every cluster. */
static int rb_est(rb_ws *w, int type)
{
  const size_t p = w->p, k = w->k, m = w->m;
  double c = 1.0;
  if (type == NEV_CR1) c = (double) m / (double) (m - 1);
  if (type == NEV_CR1P) c = (double) m / (double) (m - p);
  if (type == NEV_CR1S)
    c = (double) m * (double) (k - 1) / ((double) (m - 1) * (double) (k - p));
  c = sqrt(c);
  for (size_t j = 0; j < m; j++) {
    size_t o = w->start[j], n = w->start[j + 1] - o;
    const double *Th = w->Th + w->off[j], *L = w->L + w->off[j],
      *W = w->W + w->off[j];
    double *A = w->B;
    if (type == NEV_CR2) {
      /* G = L'(Theta - X M X')L; A = L G^-1/2 L' */
      double *D = w->G, *T = w->B;
      for (size_t r = 0; r < n; r++)
        for (size_t s = 0; s < n; s++) {
          double h = 0.0;
          for (size_t a = 0; a < p; a++)
            for (size_t b = 0; b < p; b++)
              h += w->X[o + r + a * k] * w->M[a + b * p] * w->X[o + s + b * k];
          D[r + s * n] = Th[r + s * n] - h;
        }
      for (size_t r = 0; r < n; r++)   /* T = D L */
        for (size_t s = 0; s < n; s++) {
          double h = 0.0;
          for (size_t l = s; l < n; l++) h += D[r + l * n] * L[l + s * n];
          T[r + s * n] = h;
        }
      for (size_t r = 0; r < n; r++)   /* D = L' T (symmetric) */
        for (size_t s = 0; s < n; s++) {
          double h = 0.0;
          for (size_t l = r; l < n; l++) h += L[l + r * n] * T[l + s * n];
          D[r + s * n] = h;
        }
      for (size_t r = 0; r < n; r++)
        for (size_t s = r + 1; s < n; s++)
          D[r + s * n] = D[s + r * n] = 0.5 * (D[r + s * n] + D[s + r * n]);
      int st = inv_sqrt(w, D, n, T);  /* T = G^-1/2 */
      if (st != NEV_OK) return st;
      for (size_t r = 0; r < n; r++)   /* D = L T */
        for (size_t s = 0; s < n; s++) {
          double h = 0.0;
          for (size_t l = 0; l <= r; l++) h += L[r + l * n] * T[l + s * n];
          D[r + s * n] = h;
        }
      for (size_t r = 0; r < n; r++)   /* A = D L' (into Q: B holds T) */
        for (size_t s = 0; s < n; s++) {
          double h = 0.0;
          for (size_t l = 0; l <= s; l++) h += D[r + l * n] * L[s + l * n];
          w->Q[r + s * n] = h;
        }
      A = w->Q;
    } else {
      for (size_t r = 0; r < n; r++)
        for (size_t s = 0; s < n; s++) A[r + s * n] = r == s ? c : 0.0;
    }
    for (size_t a = 0; a < p; a++)    /* E_j = (X_j' W_j) A */
      for (size_t s = 0; s < n; s++) {
        double h = 0.0;
        for (size_t r = 0; r < n; r++) {
          double xw = 0.0;
          for (size_t l = 0; l < n; l++) xw += w->X[o + l + a * k] * W[l + r * n];
          h += xw * A[r + s * n];
        }
        w->E[a + (o + s) * p] = h;
      }
  }
  return NEV_OK;
}

/* Degrees of freedom nu of the HTZ test for the q x p matrix Cm (q = 1:
 * the Satterthwaite df of c'beta). */
static int rb_nu(rb_ws *w, const double *Cm, size_t q, double *nu)
{
  const size_t p = w->p, k = w->k, m = w->m;
  double *Kx = malloc((m * p * q + 2 * m * q * q + p * q + 3 * q * q +
                       q * q * p * p + w->nmax * q) * sizeof(double));
  if (!Kx) return NEV_ERR_NOMEM;
  double *g = Kx + m * p * q, *kk = g + m * q * q, *Z = kk + m * q * q,
    *Om = Z + p * q, *Oi = Om + q * q, *T = Oi + q * q, *S = T + q * q,
    *pv = S + q * q * p * p;
  int st = NEV_OK;
  for (size_t s = 0; s < q; s++)     /* Z[, s] = M c_s */
    for (size_t a = 0; a < p; a++) {
      double h = 0.0;
      for (size_t b = 0; b < p; b++) h += w->M[a + b * p] * Cm[s + b * q];
      Z[a + s * p] = h;
    }
  memset(Om, 0, q * q * sizeof(double));
  for (size_t j = 0; j < m; j++) {
    size_t o = w->start[j], n = w->start[j + 1] - o;
    const double *Th = w->Th + w->off[j];
    double *Kj = Kx + j * p * q, *gj = g + j * q * q;
    for (size_t s = 0; s < q; s++) {
      double *ps = pv + s * n;
      for (size_t i = 0; i < n; i++) {
        double h = 0.0;
        for (size_t a = 0; a < p; a++) h += w->E[a + (o + i) * p] * Z[a + s * p];
        ps[i] = h;
      }
      for (size_t c = 0; c < p; c++) {   /* K = L_M' X_j' p */
        double h = 0.0;
        for (size_t b = c; b < p; b++) {
          double xr = 0.0;
          for (size_t i = 0; i < n; i++) xr += w->X[o + i + b * k] * ps[i];
          h += w->LM[b + c * p] * xr;
        }
        Kj[c + s * p] = h;
      }
    }
    for (size_t s = 0; s < q; s++)
      for (size_t t = 0; t < q; t++) {
        double h = 0.0, kd = 0.0;
        for (size_t r = 0; r < n; r++)
          for (size_t c = 0; c < n; c++)
            h += pv[r + s * n] * Th[r + c * n] * pv[c + t * n];
        for (size_t c = 0; c < p; c++) kd += Kj[c + s * p] * Kj[c + t * p];
        gj[s + t * q] = h;
        Om[s + t * q] += h - kd;
      }
  }
  /* Omega^-1/2 (eigenvalues below 1e-12 give 0) */
  gsl_matrix_view Av = gsl_matrix_view_array(Om, q, q);
  gsl_matrix *Qm = gsl_matrix_alloc(q, q);
  gsl_vector *lam = gsl_vector_alloc(q);
  gsl_eigen_symmv_workspace *ew = gsl_eigen_symmv_alloc(q);
  if (!Qm || !lam || !ew) st = NEV_ERR_NOMEM;
  else if (gsl_eigen_symmv(&Av.matrix, lam, Qm, ew) != GSL_SUCCESS)
    st = NEV_ERR_GSL;
  if (st == NEV_OK)
    for (size_t r = 0; r < q; r++)
      for (size_t c = 0; c < q; c++) {
        double h = 0.0;
        for (size_t l = 0; l < q; l++) {
          double x = gsl_vector_get(lam, l);
          if (x > 1e-12)
            h += gsl_matrix_get(Qm, r, l) * gsl_matrix_get(Qm, c, l) / sqrt(x);
        }
        Oi[r + c * q] = h;
      }
  if (Qm) gsl_matrix_free(Qm);
  if (lam) gsl_vector_free(lam);
  if (ew) gsl_eigen_symmv_free(ew);
  if (st != NEV_OK) { free(Kx); return st; }
  /* transform: K_a <- K_a Oi, g_a <- Oi g_a Oi, kk_a = K_a' K_a */
  memset(S, 0, q * q * p * p * sizeof(double));
  for (size_t j = 0; j < m; j++) {
    double *Kj = Kx + j * p * q, *gj = g + j * q * q, *kj = kk + j * q * q;
    for (size_t c = 0; c < p; c++) {
      for (size_t s = 0; s < q; s++) {
        double h = 0.0;
        for (size_t l = 0; l < q; l++) h += Kj[c + l * p] * Oi[l + s * q];
        pv[s] = h;
      }
      for (size_t s = 0; s < q; s++) Kj[c + s * p] = pv[s];
    }
    for (size_t s = 0; s < q; s++)
      for (size_t t = 0; t < q; t++) {
        double h = 0.0;
        for (size_t l = 0; l < q; l++) h += gj[s + l * q] * Oi[l + t * q];
        T[s + t * q] = h;
      }
    for (size_t s = 0; s < q; s++)
      for (size_t t = 0; t < q; t++) {
        double h = 0.0, kd = 0.0;
        for (size_t l = 0; l < q; l++) h += Oi[s + l * q] * T[l + t * q];
        for (size_t c = 0; c < p; c++) kd += Kj[c + s * p] * Kj[c + t * p];
        gj[s + t * q] = h;
        kj[s + t * q] = kd;
      }
    for (size_t u = 0; u < q; u++)   /* S_us += K_au K_as' */
      for (size_t s = 0; s < q; s++) {
        double *Sus = S + (u + s * q) * p * p;
        for (size_t a = 0; a < p; a++)
          for (size_t b = 0; b < p; b++)
            Sus[a + b * p] += Kj[a + u * p] * Kj[b + s * p];
      }
  }
  double tot = 0.0;
  for (size_t s = 0; s < q; s++)
    for (size_t t = 0; t < q; t++) {
      /* T1(s,t,u,v) for (u,v) = (t,s) and (t,t) with (s,s) */
      size_t idx[2][4] = {{s, t, t, s}, {s, s, t, t}};
      for (int z = 0; z < 2; z++) {
        size_t a1 = idx[z][0], b1 = idx[z][1], u = idx[z][2], v = idx[z][3];
        double h = 0.0;
        for (size_t j = 0; j < m; j++) {
          const double *gj = g + j * q * q, *kj = kk + j * q * q;
          h += gj[a1 + b1 * q] * gj[u + v * q] -
            gj[a1 + b1 * q] * kj[u + v * q] - gj[u + v * q] * kj[a1 + b1 * q];
        }
        const double *Sus = S + (u + a1 * q) * p * p,
          *Stv = S + (b1 + v * q) * p * p;
        for (size_t a = 0; a < p; a++)
          for (size_t b = 0; b < p; b++) h += Sus[a + b * p] * Stv[b + a * p];
        tot += h;
      }
    }
  free(Kx);
  *nu = (double) (q * (q + 1)) / tot;
  return NEV_OK;
}

/* V^CR = M [sum_j (E_j e_j)(E_j e_j)'] M. */
static int rb_sandwich(rb_ws *w, double *vcov)
{
  const size_t p = w->p;
  double *tmp = malloc((p + p * p) * sizeof(double));
  if (!tmp) return NEV_ERR_NOMEM;
  double *meat = tmp + p;
  memset(meat, 0, p * p * sizeof(double));
  for (size_t j = 0; j < w->m; j++) {
    size_t o = w->start[j], n = w->start[j + 1] - o;
    for (size_t a = 0; a < p; a++) {
      double h = 0.0;
      for (size_t i = 0; i < n; i++) h += w->E[a + (o + i) * p] * w->e[o + i];
      tmp[a] = h;
    }
    for (size_t a = 0; a < p; a++)
      for (size_t b = 0; b < p; b++) meat[a + b * p] += tmp[a] * tmp[b];
  }
  for (size_t a = 0; a < p; a++)
    for (size_t b = 0; b < p; b++) {
      double h = 0.0;
      for (size_t c = 0; c < p; c++)
        for (size_t d = 0; d < p; d++)
          h += w->M[a + c * p] * meat[c + d * p] * w->M[d + b * p];
      vcov[a + b * p] = h;
    }
  free(tmp);
  return NEV_OK;
}

static int rb_check(const double *X, const double *e, const double *v,
                    size_t k, size_t p, const size_t *start, size_t m,
                    double rho, double s1, double s2, int type)
{
  if (!X || !e || !v || !start || p < 1 || m < 2 || k < p) return NEV_ERR_ARG;
  if (type < NEV_CR0 || type > NEV_CR2) return NEV_ERR_ARG;
  if (start[0] != 0 || start[m] != k) return NEV_ERR_ARG;
  for (size_t j = 0; j < m; j++)
    if (start[j + 1] <= start[j]) return NEV_ERR_ARG;
  if ((type == NEV_CR1P && m <= p) || (type == NEV_CR1S && k <= p))
    return NEV_ERR_DOMAIN;
  if (!(fabs(rho) < 1.0) || !(s1 >= 0.0) || !(s2 >= 0.0) || !isfinite(s1) ||
      !isfinite(s2))
    return NEV_ERR_DOMAIN;
  for (size_t i = 0; i < k; i++)
    if (!isfinite(e[i]) || !isfinite(v[i]) || !(v[i] > 0.0))
      return NEV_ERR_DOMAIN;
  for (size_t i = 0; i < k * p; i++)
    if (!isfinite(X[i])) return NEV_ERR_DOMAIN;
  return NEV_OK;
}

int nev_robust(const double *X, const double *e, const double *v, size_t k,
               size_t p, const size_t *start, size_t m, double rho,
               double s1, double s2, int type, const double *Cm, size_t q,
               double *vcov, double *df, double *nu)
{
  int st = rb_check(X, e, v, k, p, start, m, rho, s1, s2, type);
  if (st != NEV_OK) return st;
  if (!vcov || (Cm && (q < 1 || !nu))) return NEV_ERR_ARG;
  if (Cm)
    for (size_t i = 0; i < q * p; i++)
      if (!isfinite(Cm[i])) return NEV_ERR_DOMAIN;
  rb_ws w;
  memset(&w, 0, sizeof w);
  w.X = X; w.e = e; w.v = v; w.k = k; w.p = p; w.m = m; w.start = start;
  st = rb_alloc(&w);
  if (st == NEV_OK) st = rb_blocks(&w, rho, s1, s2);
  if (st == NEV_OK) st = rb_est(&w, type);
  if (st == NEV_OK) st = rb_sandwich(&w, vcov);
  if (st == NEV_OK && df) {
    double *cr = malloc(p * sizeof(double));
    if (!cr) st = NEV_ERR_NOMEM;
    for (size_t i = 0; st == NEV_OK && i < p; i++) {
      for (size_t a = 0; a < p; a++) cr[a] = a == i ? 1.0 : 0.0;
      st = rb_nu(&w, cr, 1, df + i);
    }
    free(cr);
  }
  if (st == NEV_OK && Cm) st = rb_nu(&w, Cm, q, nu);
  rb_free(&w);
  return st;
}
