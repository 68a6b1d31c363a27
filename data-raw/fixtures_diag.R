# Reference values for the diagnostics family (subgroups, meta-regression,
# leave-one-out, influence, cumulative, Egger, Begg, trim and fill) from
# metafor 3.8-1 at tight tolerance. Run from the repository root:
#   Rscript data-raw/fixtures_diag.R
# Writes tests/testthat/fixtures/diag_metafor.rds with the inputs and the
# outputs, so the tests need neither metafor nor the reference CSVs.
library(metafor)
stopifnot(packageVersion("metafor") == "3.8.1")
`%||%` <- function(a, b) if (is.null(a)) b else a
ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 1000)
ref <- "../shared/reference/meta"

bcg <- read.csv(file.path(ref, "bcg.csv"))
bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg,
              data = bcg)
bcg <- data.frame(slab = paste(bcg$author, bcg$year), yi = c(bcg$yi),
                  vi = c(bcg$vi), ablat = bcg$ablat, year = bcg$year,
                  alloc = bcg$alloc, stringsAsFactors = FALSE)
mg <- read.csv(file.path(ref, "egger2001.csv"))
mge <- escalc(measure = "OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i,
              data = mg)
mag <- data.frame(slab = paste(mg$study, mg$year), ai = mg$ai, n1i = mg$n1i,
                  ci = mg$ci, n2i = mg$n2i, yi = c(mge$yi), vi = c(mge$vi),
                  ni = mg$n1i + mg$n2i, stringsAsFactors = FALSE)
# a data set with tied variances (Begg's test, normal approximation)
set.seed(20261121)
ties <- data.frame(vi = rep(c(0.02, 0.05, 0.1, 0.2, 0.4), each = 3))
ties$yi <- round(rnorm(15, 0.3 + 0.8 * sqrt(ties$vi), sqrt(ties$vi + 0.01)), 3)

tst <- function(t) if (t == "z") "z" else "knha"
out <- list(bcg = bcg, mag = mag, ties = ties)

# rma() at the global maximum of the (restricted) likelihood: metafor's
# Fisher scoring from one start can stop at a local maximum (or at the
# tau^2 = 0 boundary when a higher interior maximum exists). For ML and
# REML, refit from several starts and keep the fit with the highest
# log-likelihood; every other method is left as rma() gives it.
rma_best <- function(d, mods = ~ 1, method, test = "z") {
  fit <- function(ctl) rma(yi, vi, mods = mods, data = d, method = method,
                           test = test, control = ctl)
  fits <- list(fit(ctl))
  if (method %in% c("ML", "REML"))
    for (s in c(1e-4, 1e-3, 0.01, 0.03, 0.1, 0.3, 1, 3))
      fits[[length(fits) + 1L]] <- tryCatch(fit(c(ctl, tau2.init = s)),
                                            error = function(e) NULL)
  fits <- Filter(Negate(is.null), fits)
  ll <- vapply(fits, function(f) c(logLik(f, REML = method == "REML")), 0)
  fits[[which.max(ll)]]
}

# leave-one-out and cumulative (BCG, intercept only)
out$loo <- list()
out$cumul <- list()
for (m in c("REML", "DL", "FE", "PM", "ML", "SJ")) for (t in c("z", "hksj")) {
  res <- rma(yi, vi, data = bcg, method = m, test = tst(t), control = ctl)
  l <- leave1out(res)
  out$loo[[paste(m, t)]] <- data.frame(
    estimate = l$estimate, se = l$se, zval = l$zval %||% l$tval, pval = l$pval,
    ci.lb = l$ci.lb, ci.ub = l$ci.ub, Q = l$Q, Qp = l$Qp,
    tau2 = l$tau2 %||% 0, I2 = l$I2, H2 = l$H2)
  cu <- cumul(res, order = bcg$year)
  cu <- data.frame(
    estimate = c(cu$estimate), se = cu$se, pval = cu$pval, ci.lb = cu$ci.lb,
    ci.ub = cu$ci.ub, Q = cu$Q, tau2 = cu$tau2 %||% 0,
    I2 = cu$I2)
  # cumul() reuses metafor's single-start fit: at step 6 under ML it stops
  # at tau^2 ~ 0 although tau^2 = 0.0596 has a higher likelihood. Replace
  # such steps by the global maximum.
  o <- order(bcg$year)
  for (j in seq_len(nrow(cu))[-1]) {
    b <- rma_best(bcg[o[seq_len(j)], ], method = m, test = tst(t))
    if (abs(b$tau2 - cu$tau2[j]) > 1e-8)
      cu[j, ] <- list(c(b$beta), b$se, b$pval, b$ci.lb, b$ci.ub, b$QE,
                      b$tau2, b$I2)
  }
  out$cumul[[paste(m, t)]] <- cu
}

# influence (BCG, intercept only and with moderators)
infl <- function(res) {
  i <- influence(res)
  d <- as.data.frame(unclass(i$inf)[c("rstudent", "dffits", "cook.d", "cov.r",
                             "tau2.del", "QE.del", "hat", "weight")])
  cbind(d, setNames(as.data.frame(unclass(i$dfbs)[seq_len(res$p)]),
                    paste0("dfbeta.", seq_len(res$p))),
        is.infl = i$is.infl)
}
out$influence <- list()
for (m in c("REML", "DL", "FE", "ML")) for (t in c("z", "hksj")) {
  out$influence[[paste(m, t, "int")]] <- infl(
    rma(yi, vi, data = bcg, method = m, test = tst(t), control = ctl))
  out$influence[[paste(m, t, "ablat")]] <- infl(
    rma(yi, vi, mods = ~ ablat, data = bcg, method = m, test = tst(t),
        control = ctl))
  out$influence[[paste(m, t, "ablat+year")]] <- infl(
    rma(yi, vi, mods = ~ ablat + year, data = bcg, method = m,
        test = tst(t), control = ctl))
}

# meta-regression
out$metareg <- list()
nd <- data.frame(ablat = c(10, 30, 50), year = c(1950, 1970, 1990))
for (f in c("~ ablat", "~ ablat + year", "~ ablat + alloc"))
  for (m in c("REML", "DL", "ML", "PM", "FE")) for (t in c("z", "hksj")) {
    res <- rma(yi, vi, mods = as.formula(f), data = bcg, method = m,
               test = tst(t), control = ctl)
    X <- model.matrix(as.formula(f), data = cbind(nd, alloc = c(
      "random", "systematic", "alternate")))
    pr <- predict(res, newmods = X[, -1, drop = FALSE])
    out$metareg[[paste(f, m, t)]] <- list(
      beta = c(res$beta), se = res$se, zval = res$zval, pval = res$pval,
      ci.lb = res$ci.lb, ci.ub = res$ci.ub, tau2 = res$tau2, QM = res$QM,
      QMp = res$QMp, QE = res$QE, QEp = res$QEp,
      R2 = if (is.null(res$R2)) NA_real_ else res$R2, I2 = res$I2,
      H2 = res$H2, pred = pr$pred, pred.se = pr$se, pred.ci.lb = pr$ci.lb,
      pred.pi.lb = if (is.null(pr$pi.lb)) pr$ci.lb else pr$pi.lb)
  }

# subgroups: separate tau^2 (one model per subgroup, Q-between from a
# common-effect model of the subgroup estimates) and common tau^2
# (meta-regression on the subgroup factor)
out$subgroup <- list()
for (m in c("REML", "DL", "FE", "PM", "ML")) for (t in c("z", "hksj")) {
  lev <- sort(unique(bcg$alloc))
  fits <- lapply(lev, function(l) rma(yi, vi, data = bcg,
                                      subset = alloc == l, method = m,
                                      test = tst(t), control = ctl))
  est <- sapply(fits, function(f) c(f$beta)); se <- sapply(fits, `[[`, "se")
  qb <- rma(est, sei = se, method = "FE")
  rc <- rma(yi, vi, mods = ~ alloc, data = bcg, method = m, test = tst(t),
            control = ctl)
  rc0 <- rma(yi, vi, mods = ~ alloc - 1, data = bcg, method = m,
             test = tst(t), control = ctl)
  out$subgroup[[paste(m, t)]] <- list(
    group = lev, estimate = est, se = se,
    ci.lb = sapply(fits, `[[`, "ci.lb"), tau2 = sapply(fits, `[[`, "tau2"),
    Q = sapply(fits, `[[`, "QE"), Qb = qb$QE, Qbp = qb$QEp,
    common_estimate = c(rc0$beta), common_se = rc0$se, common_tau2 = rc$tau2,
    common_QM = rc$QM, common_QMp = rc$QMp, common_QE = rc$QE)
}

# Egger's regression test and Begg's rank test
out$regtest <- list()
out$ranktest <- list()
for (m in c("FE", "REML", "DL")) for (t in c("z", "hksj")) {
  res <- rma(yi, vi, data = mag, method = m, test = tst(t), control = ctl)
  for (mod in c("lm", "rma")) for (pr in c("sei", "vi", "ni", "ninv")) {
    r <- regtest(res, model = mod, predictor = pr, ni = mag$ni)
    out$regtest[[paste(m, t, mod, pr)]] <- list(
      zval = r$zval, pval = r$pval, dfs = r$dfs,
      est = if (is.null(r$est)) NA_real_ else unname(c(r$est)),
      ci.lb = if (is.null(r$ci.lb)) NA_real_ else unname(c(r$ci.lb)))
  }
}
for (d in c("mag", "bcg", "ties")) {
  dd <- out[[d]]
  r <- ranktest(rma(yi, vi, data = dd, method = "FE"))
  out$ranktest[[d]] <- list(tau = unname(c(r$tau)), pval = r$pval)
}

# trim and fill
out$trimfill <- list()
for (d in c("mag", "bcg")) for (m in c("FE", "REML", "DL")) {
  res <- rma(yi, vi, data = out[[d]], method = m, control = ctl)
  for (e in c("L0", "R0")) for (s in c("auto", "left", "right")) {
    tf <- if (s == "auto") trimfill(res, estimator = e, control = ctl)
          else trimfill(res, estimator = e, side = s, control = ctl)
    out$trimfill[[paste(d, m, e, s)]] <- list(
      k0 = tf$k0, se.k0 = tf$se.k0, side = tf$side, beta = c(tf$beta),
      se = tf$se, tau2 = tf$tau2, yi = c(tf$yi), vi = tf$vi, fill = tf$fill)
  }
}

# ML/REML meta-regressions whose likelihood has a local maximum at (or
# near) tau^2 = 0 besides a higher interior one: metafor's value with the
# log-likelihood, and the global maximum from several starts.
out$multimodal <- list()
mm <- list("ablat+alloc ML" = list(f = ~ ablat + alloc, d = bcg, m = "ML"),
           "ablat+year -11 ML" = list(f = ~ ablat + year, d = bcg[-11, ],
                                     m = "ML"))
for (nm in names(mm)) {
  a <- mm[[nm]]
  r <- rma(yi, vi, mods = a$f, data = a$d, method = a$m, control = ctl)
  b <- rma_best(a$d, mods = a$f, method = a$m)
  out$multimodal[[nm]] <- list(
    formula = a$f, data = a$d, method = a$m, tau2 = r$tau2,
    logLik = c(logLik(r)), beta = c(r$beta), se = r$se,
    best_tau2 = b$tau2, best_logLik = c(logLik(b)),
    ll0 = c(logLik(rma(yi, vi, mods = a$f, data = a$d, method = "FE"))))
}

out$metafor_version <- as.character(packageVersion("metafor"))
saveRDS(out, "tests/testthat/fixtures/diag_metafor.rds", version = 2)
