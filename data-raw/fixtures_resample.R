# Reference values for permutation_test() and gosh() from metafor 3.8-1
# (permutest(), gosh()) at tight tolerance. Run from the repository root:
#   Rscript data-raw/fixtures_resample.R
# Writes tests/testthat/fixtures/resample_metafor.rds with the inputs and
# the outputs, so the tests need no metafor. Takes about a minute.
library(metafor)
stopifnot(packageVersion("metafor") == "3.8.1")
ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 1000)

# BCG vaccine trials (log relative risks, as in the examples of pool())
bcg <- data.frame(
  yi = c(-0.8893, -1.5854, -1.3481, -1.4416, -0.2175, -0.7861, -1.6209,
         0.0120, -0.4694, -1.3713, -0.3394, 0.4459, -0.0173),
  vi = c(0.3256, 0.1946, 0.4154, 0.0200, 0.0512, 0.0069, 0.2230, 0.0040,
         0.0564, 0.0730, 0.0124, 0.5325, 0.0714),
  ablat = c(44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33),
  alloc = c("random", "random", "random", "random", "alternate", "alternate",
            "random", "random", "systematic", "systematic", "systematic",
            "systematic", "systematic"))
# a simulated set with heterogeneity
set.seed(20261204)
sim <- data.frame(vi = round(runif(12, 0.01, 0.2), 4))
sim$yi <- round(rnorm(12, 0.25, sqrt(sim$vi + 0.04)), 4)
sim$x <- round(runif(12, 0, 10), 1)

perm <- function(name, d, mods, method, test, exact, iter = 1000, seed = NA) {
  fit <- rma(yi, vi, mods = mods, data = d, method = method, test = test,
             control = ctl)
  if (!is.na(seed)) set.seed(seed)
  p <- permutest(fit, exact = exact, iter = iter, progbar = FALSE)
  list(name = name, yi = d$yi, vi = d$vi, X = unclass(fit$X),
       method = method, test = if (test == "knha") "hksj" else "z",
       exact = isTRUE(p$exact.iter <= iter) || exact, iter = iter,
       n_exact = p$exact.iter, pval = p$pval, QMp = p$QMp, zval = c(fit$zval),
       QM = fit$QM, beta_perm = as.matrix(p$beta.perm),
       zval_perm = as.matrix(p$zval.perm), QM_perm = p$QM.perm)
}

gsh <- function(name, d, mods, method) {
  fit <- rma(yi, vi, mods = mods, data = d, method = method, control = ctl)
  g <- gosh(fit, progbar = FALSE)
  list(name = name, yi = d$yi, vi = d$vi, X = unclass(fit$X),
       method = method, res = g$res, incl = g$incl)
}

out <- list(
  perm = list(
    perm("bcg9 REML z", bcg[1:9, ], ~ 1, "REML", "z", FALSE),
    perm("bcg8 DL knha", bcg[1:8, ], ~ 1, "DL", "knha", FALSE),
    perm("bcg6 ablat REML z", bcg[1:6, ], ~ ablat, "REML", "z", FALSE),
    perm("bcg9 alloc ML knha", bcg[c(1:3, 5:6, 9:12), ], ~ alloc, "ML",
         "knha", TRUE),
    perm("sim12 REML MC", sim, ~ 1, "REML", "z", FALSE, 1000, 1),
    perm("bcg13 ablat PM MC", bcg, ~ ablat, "PM", "z", FALSE, 1000, 2)),
  gosh = list(
    gsh("bcg7 REML", bcg[1:7, ], ~ 1, "REML"),
    gsh("sim8 DL", sim[1:8, ], ~ 1, "DL"),
    gsh("sim8 FE", sim[1:8, ], ~ 1, "FE"),
    gsh("sim7 x REML", sim[1:7, ], ~ x, "REML")))
saveRDS(out, "tests/testthat/fixtures/resample_metafor.rds", version = 2)
