# Builds tests/testthat/fixtures/dose_dosresmeta.rds: inputs and dosresmeta
# 2.2.0 output for the dose-response tests. Run from the package root:
#   Rscript data-raw/fixtures_dose.R
# dosresmeta's own iterations stop early (Greenland-Longnecker pseudo-counts
# at a squared change of 1e-5, Hamling by Nelder-Mead, mixmeta's REML at a
# relative tolerance of 1.5e-8). The script tightens all three so that the
# stored numbers are the exact optimum the package must reproduce.
suppressPackageStartupMessages({
  library(dosresmeta)
  library(Hmisc)
  library(nleqslv)
})
ref <- "../shared/reference/doseresponse"
alc <- read.csv(file.path(ref, "alcohol_cvd.csv"))
cc_ex <- read.csv(file.path(ref, "cc_ex.csv"))
ci_ex <- read.csv(file.path(ref, "ci_ex.csv"))
ir_ex <- read.csv(file.path(ref, "ir_ex.csv"))
data("coffee_mort", "coffee_cvd", package = "dosresmeta", envir = environment())
coffee_mort <- as.data.frame(lapply(coffee_mort, function(x)
  if (is.factor(x)) as.character(x) else x))
coffee_cvd <- as.data.frame(lapply(coffee_cvd, function(x)
  if (is.factor(x)) as.character(x) else x))

# Tight Greenland-Longnecker iteration (dosresmeta's own code, tolerance
# 1e-20 on the squared change of the pseudo-cases instead of 1e-5).
g <- dosresmeta:::grl
formals(g)$tol <- 1e-20
assignInNamespace("grl", g, "dosresmeta")
# Tight Hamling: solve dosresmeta's two conditions (fun.h) exactly with
# nleqslv instead of minimising their squares with Nelder-Mead.
hamling_tight <- function(y, v, cases, n, type, data) {
  v[is.na(v)] <- 0
  tp <- as.character(type[1])
  p0 <- if (tp == "cc") (n - cases)[v == 0] / sum(n - cases) else n[v == 0] / sum(n)
  z0 <- if (tp == "cc") sum(n - cases) / sum(cases) else sum(n) / sum(cases)
  fn <- function(lp) {
    ps <- dosresmeta:::est.ps.h(exp(lp), v, y, type)
    if (tp == "cc") {
      p1 <- (ps[v == 0, 2] - ps[v == 0, 1]) / sum(ps[, 2] - ps[, 1])
      z1 <- sum(ps[, 2] - ps[, 1]) / sum(ps[, 1])
    } else {
      p1 <- ps[v == 0, 2] / sum(ps[, 2])
      z1 <- sum(ps[, 2]) / sum(ps[, 1])
    }
    c((p1 - p0) / p0, (z1 - z0) / z0)
  }
  sol <- nleqslv(log(c(cases[v == 0], n[v == 0])), fn,
                 control = list(xtol = 1e-15, ftol = 1e-15, maxit = 500))
  stopifnot(max(abs(sol$fvec)) < 1e-12)
  dosresmeta:::est.ps.h(exp(sol$x), v, y, type)
}
assignInNamespace("hamling", hamling_tight, "dosresmeta")

ctl <- list(reltol = 1e-15, maxiter = 5000)
out1 <- function(fit) {
  list(coef = unname(coef(fit)), vcov = unname(vcov(fit)),
       Psi = if (is.null(fit$Psi)) NULL else unname(fit$Psi),
       Q = if (length(unique(fit$id)) > 1) unname(qtest(fit)$Q[1]) else NULL,
       logLik = as.numeric(logLik(fit)))
}
fx <- list(data = list(alcohol_cvd = alc, cc_ex = cc_ex, ci_ex = ci_ex,
                       ir_ex = ir_ex, coffee_mort = coffee_mort,
                       coffee_cvd = coffee_cvd))

# Covariances and pseudo-counts, study by study.
fx$gl_alcohol <- lapply(split(alc, alc$id), function(d) list(
  S = unname(covar.logrr(cases, n, logrr, I(se^2), type, data = d)),
  A = unname(dosresmeta:::grl(d$logrr, d$se^2, d$cases, d$n, d$type)[, 1])))
fx$hamling_alcohol <- lapply(split(alc[alc$type == "cc", ],
                                   alc$id[alc$type == "cc"]), function(d) {
  ps <- hamling_tight(d$logrr, d$se^2, d$cases, d$n, d$type)
  list(S = unname(covar.logrr(cases, n, logrr, I(se^2), type, data = d,
                              covariance = "hamling")),
       A = unname(ps[, 1]), N = unname(ps[, 2]))
})
leg <- subset(coffee_mort, id == 1)
fx$gl_legrady <- unname(covar.logrr(cases, n, logrr, I(se^2), type, data = leg))

# Two-stage fits on alcohol_cvd.
fx$alc_lin_reml <- out1(dosresmeta(logrr ~ dose, id = id, type = type,
  cases = cases, n = n, se = se, data = alc, control = ctl))
fx$alc_quad_reml <- out1(dosresmeta(logrr ~ dose + I(dose^2), id = id,
  type = type, cases = cases, n = n, se = se, data = alc, control = ctl))
fx$alc_lin_ml <- out1(dosresmeta(logrr ~ dose, id = id, type = type,
  cases = cases, n = n, se = se, data = alc, method = "ml", control = ctl))
fx$alc_quad_ml <- out1(dosresmeta(logrr ~ dose + I(dose^2), id = id,
  type = type, cases = cases, n = n, se = se, data = alc, method = "ml",
  control = ctl))
fx$alc_lin_fe <- out1(dosresmeta(logrr ~ dose, id = id, type = type,
  cases = cases, n = n, se = se, data = alc, method = "fixed", control = ctl))
fx$alc_lin_indep <- out1(dosresmeta(logrr ~ dose, id = id, type = type,
  cases = cases, n = n, se = se, data = alc, covariance = "indep",
  control = ctl))
alc_cc <- alc[alc$type == "cc", ]
fx$alc_cc_hamling <- out1(dosresmeta(logrr ~ dose, id = id, type = type,
  cases = cases, n = n, se = se, data = alc_cc, covariance = "h",
  control = ctl))
k3 <- unname(quantile(alc$dose, c(0.1, 0.5, 0.9)))
fx$alc_spline_knots <- k3
fx$alc_spline_reml <- out1(dosresmeta(logrr ~ rcspline.eval(dose, k3, inclx = TRUE),
  id = id, type = type, cases = cases, n = n, se = se, data = alc,
  control = ctl))
# Spline basis at prediction doses by Hmisc, for the predicted curve.
fx$alc_spline_pred_dose <- c(0, 5, 10, 20, 30, 45, 60)
fx$alc_spline_pred_X <- unname(rcspline.eval(fx$alc_spline_pred_dose, k3,
                                             inclx = TRUE))

# Fractional polynomials (dosresmeta's fracpol(): shift and scale from the
# doses, log for power 0, x^p log x for a repeated power).
for (pw in list(c(0.5, 0.5), c(0, 2), c(-0.5, 1))) {
  fit <- dosresmeta(logrr ~ fracpol(dose, p = pw), id = id, type = type,
                    cases = cases, n = n, se = se, data = alc, control = ctl)
  fx[[paste0("alc_fp_", paste(pw, collapse = "_"))]] <- c(out1(fit),
    list(powers = pw, scaling = attr(fracpol(alc$dose, p = pw), "scaling")))
}

# One-stage models (dosresmeta proc = "1stage"), also with studies that
# have fewer non-referent categories than the quadratic has coefficients.
fx$alc_lin_1s <- out1(dosresmeta(logrr ~ dose, id = id, type = type,
  cases = cases, n = n, se = se, data = alc, proc = "1stage", control = ctl))
fx$alc_quad_1s <- out1(dosresmeta(logrr ~ dose + I(dose^2), id = id,
  type = type, cases = cases, n = n, se = se, data = alc, proc = "1stage",
  control = ctl))
fx$alc_quad_1s_ml <- out1(dosresmeta(logrr ~ dose + I(dose^2), id = id,
  type = type, cases = cases, n = n, se = se, data = alc, proc = "1stage",
  method = "ml", control = ctl))
# studies 2 and 4 keep only their referent and first category
alc_short <- alc[!(alc$id %in% c(2, 4) & ave(alc$dose, alc$id,
                                            FUN = seq_along) > 2), ]
fx$alc_short <- alc_short
fx$alc_short_quad_1s <- out1(dosresmeta(logrr ~ dose + I(dose^2), id = id,
  type = type, cases = cases, n = n, se = se, data = alc_short,
  proc = "1stage", control = ctl))

# Single studies (dosresmeta: GLS).
fx$cc_ex <- out1(dosresmeta(logrr ~ dose, type = "cc", cases = case, n = n,
                            lb = lb, ub = ub, data = cc_ex))
fx$cc_ex_indep <- out1(dosresmeta(logrr ~ dose, type = "cc", cases = case,
  n = n, lb = lb, ub = ub, data = cc_ex, covariance = "indep"))
fx$ci_ex <- out1(dosresmeta(logrr ~ dose, type = "ci", cases = cases, n = n,
                            se = se, data = ci_ex))
fx$ir_ex <- out1(dosresmeta(logrr ~ dose, type = "ir", cases = cases, n = n,
                            se = se, data = ir_ex))

# Coffee and mortality (Crippa et al. 2014): restricted cubic spline with
# knots at the 10th, 50th and 90th percentiles, two-stage REML.
for (nm in c("coffee_mort", "coffee_cvd")) {
  d <- get(nm)
  kn <- unname(quantile(d$dose, c(0.1, 0.5, 0.9)))
  fit <- dosresmeta(logrr ~ rcspline.eval(dose, kn, inclx = TRUE), id = id,
                    type = type, cases = cases, n = n, se = se, data = d,
                    control = ctl)
  fx[[paste0(nm, "_spline")]] <- c(out1(fit), list(knots = kn,
    pred_dose = 0:7, pred_X = unname(rcspline.eval(0:7, kn, inclx = TRUE))))
}
fx$versions <- c(dosresmeta = as.character(packageVersion("dosresmeta")),
                 mixmeta = as.character(packageVersion("mixmeta")),
                 Hmisc = as.character(packageVersion("Hmisc")))
saveRDS(fx, "tests/testthat/fixtures/dose_dosresmeta.rds", version = 2)
