# Builds tests/testthat/fixtures/pool_metafor.rds: inputs and metafor output
# for the pool family's tests. Run from the repository root with metafor
# (3.8-1) and metadat installed:  Rscript data-raw/fixtures_pool.R
# metafor is run at tight tolerance (its defaults stop REML at a change of
# 1e-5 in tau^2 and uniroot-based estimators near 1e-4).
suppressPackageStartupMessages(library(metafor))
ref <- file.path("..", "shared", "reference", "meta")
ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 1000)
ci_ctl <- list(tol = 1e-12)

# One random-effects / common-effect analysis through rma().
fx_rma <- function(name, yi, vi, method, test = "z", pi_df = "z",
                   adhoc = FALSE) {
  m <- if (method == "DL2") {
    dl <- rma(yi, vi, method = "DL")
    rma(yi, vi, method = "GENQ", weights = 1 / (vi + dl$tau2),
        test = if (adhoc) "adhoc" else test, control = ctl)
  } else {
    rma(yi, vi, method = method, test = if (adhoc) "adhoc" else test,
        control = ctl)
  }
  # DL2's GENQ fit uses weights 1/(vi + tau2_DL) for the estimate; the
  # two-step estimator re-weights with its own tau2: refit at fixed tau2.
  if (method == "DL2")
    m2 <- rma(yi, vi, tau2 = m$tau2, test = if (adhoc) "adhoc" else test,
              control = ctl)
  else m2 <- m
  pr <- predict(m2)
  # the Q-profile interval does not depend on the estimator
  ci <- if (method != "FE" && length(yi) > 1)
    confint(rma(yi, vi, method = "REML", control = ctl),
            control = ci_ctl)$random else NULL
  list(name = name, yi = as.numeric(yi), vi = as.numeric(vi),
       method = method, test = test, adhoc = adhoc,
       beta = c(m2$beta), se = m2$se, zval = m2$zval, pval = m2$pval,
       ci_lb = m2$ci.lb, ci_ub = m2$ci.ub, tau2 = m$tau2,
       se_tau2 = m$se.tau2, Q = m$QE, Q_p = m$QEp, I2 = m$I2, H2 = m$H2,
       # a common-effect model has no tau2: its prediction interval is the CI
       pi_lb = if (is.null(pr$pi.lb)) pr$ci.lb else pr$pi.lb,
       pi_ub = if (is.null(pr$pi.ub)) pr$ci.ub else pr$pi.ub,
       ll_ml = m2$fit.stats["ll", "ML"], ll_reml = m2$fit.stats["ll", "REML"],
       tau2_lb = if (!is.null(ci)) ci["tau^2", "ci.lb"] else NA,
       tau2_ub = if (!is.null(ci)) ci["tau^2", "ci.ub"] else NA,
       I2_lb = if (!is.null(ci)) ci["I^2(%)", "ci.lb"] else NA,
       I2_ub = if (!is.null(ci)) ci["I^2(%)", "ci.ub"] else NA)
}

# Mantel-Haenszel / Peto analyses of 2x2 tables.
fx_counts <- function(name, ai, n1i, ci, n2i, measure, method,
                      revman = FALSE) {
  bi <- n1i - ai; di <- n2i - ci
  m <- if (method == "Peto") rma.peto(ai = ai, bi = bi, ci = ci, di = di)
       else if (revman) rma.mh(ai = ai, bi = bi, ci = ci, di = di,
                               measure = measure, add = c(1 / 2, 1 / 2),
                               to = c("only0", "only0"),
                               drop00 = c(TRUE, TRUE))
       else rma.mh(ai = ai, bi = bi, ci = ci, di = di, measure = measure)
  list(name = name, ai = ai, n1i = n1i, ci = ci, n2i = n2i, revman = revman,
       measure = measure, method = method, beta = c(m$beta), se = m$se,
       zval = m$zval, pval = m$pval, ci_lb = m$ci.lb, ci_ub = m$ci.ub,
       Q = m$QE, Q_p = m$QEp, I2 = m$I2, H2 = m$H2, k = m$k)
}

methods <- c("FE", "DL", "REML", "ML", "PM", "EB", "HE", "HS", "SJ", "DL2")
bcg <- read.csv(file.path(ref, "bcg.csv"))
cases <- list()
counts <- list()
for (ms in c("RR", "OR", "RD")) {
  es <- escalc(ms, ai = tpos, bi = tneg, ci = cpos, di = cneg, data = bcg)
  for (me in methods) {
    cases[[length(cases) + 1]] <- fx_rma(paste("bcg", ms, me), es$yi,
                                         es$vi, me)
    if (me != "FE") {
      cases[[length(cases) + 1]] <- fx_rma(paste("bcg", ms, me, "hksj"),
                                           es$yi, es$vi, me, test = "knha")
    }
  }
  cases[[length(cases) + 1]] <- fx_rma(paste("bcg", ms, "DL hksj adhoc"),
                                       es$yi, es$vi, "DL", test = "knha",
                                       adhoc = TRUE)
  counts[[length(counts) + 1]] <- fx_counts(
    paste("bcg MH", ms), bcg$tpos, bcg$tpos + bcg$tneg, bcg$cpos,
    bcg$cpos + bcg$cneg, ms, "MH")
}
counts[[length(counts) + 1]] <- fx_counts(
  "bcg Peto", bcg$tpos, bcg$tpos + bcg$tneg, bcg$cpos, bcg$cpos + bcg$cneg,
  "OR", "Peto")

# Published analyses from metafor's analysis examples
# yusuf1985 table 6: Peto OR (Yusuf et al. 1985)
yu <- read.csv(file.path(ref, "yusuf1985.csv"))
y6 <- yu[yu$table == 6, ]
counts[[length(counts) + 1]] <- fx_counts("yusuf1985 t6 Peto", y6$ai,
                                          y6$n1i, y6$ci, y6$n2i, "OR",
                                          "Peto")
for (ms in c("OR", "RR", "RD"))
  counts[[length(counts) + 1]] <- fx_counts(paste("yusuf1985 t6 MH", ms),
                                            y6$ai, y6$n1i, y6$ci, y6$n2i,
                                            ms, "MH")
for (ms in c("OR", "RR"))
  counts[[length(counts) + 1]] <- fx_counts(
    paste("yusuf1985 t6 MH revman", ms), y6$ai, y6$n1i, y6$ci, y6$n2i, ms,
    "MH", revman = TRUE)
# hine1989: risk difference, tau2 = 0 boundary
hi <- read.csv(file.path(ref, "hine1989.csv"))
es <- escalc("RD", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = hi)
for (me in c("FE", "DL", "REML", "ML", "PM"))
  cases[[length(cases) + 1]] <- fx_rma(paste("hine1989 RD", me), es$yi,
                                       es$vi, me)
counts[[length(counts) + 1]] <- fx_counts("hine1989 MH RD", hi$ai, hi$n1i,
                                          hi$ci, hi$n2i, "RD", "MH")
# normand1999: mean difference, large heterogeneity
no <- read.csv(file.path(ref, "normand1999.csv"))
es <- escalc("MD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i,
             sd2i = sd2i, n2i = n2i, data = no)
for (me in methods)
  cases[[length(cases) + 1]] <- fx_rma(paste("normand1999 MD", me), es$yi,
                                       es$vi, me)
# hackshaw1998: passive smoking and lung cancer, log OR, DL
hk <- metadat::dat.hackshaw1998
for (me in c("FE", "DL", "REML"))
  cases[[length(cases) + 1]] <- fx_rma(paste("hackshaw1998 OR", me), hk$yi,
                                       hk$vi, me)
# raudenbush1985: teacher expectancy, SMD, REML
ra <- metadat::dat.raudenbush1985
for (me in c("REML", "DL", "PM"))
  cases[[length(cases) + 1]] <- fx_rma(paste("raudenbush1985 SMD", me),
                                       ra$yi, ra$vi, me)
cases[[length(cases) + 1]] <- fx_rma("raudenbush1985 SMD REML hksj", ra$yi,
                                     ra$vi, "REML", test = "knha")
# li2007: magnesium trials, MH and Peto OR
li <- metadat::dat.li2007
counts[[length(counts) + 1]] <- fx_counts("li2007 MH OR", li$ai, li$n1i,
                                          li$ci, li$n2i, "OR", "MH")
counts[[length(counts) + 1]] <- fx_counts("li2007 Peto", li$ai, li$n1i,
                                          li$ci, li$n2i, "OR", "Peto")
# pritz1997: logit proportions, REML
pr <- escalc("PLO", xi = xi, ni = ni, data = metadat::dat.pritz1997)
cases[[length(cases) + 1]] <- fx_rma("pritz1997 PLO REML", pr$yi, pr$vi,
                                     "REML")

# Meta-regression through the core (design matrix), for the C contract
es <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = bcg)
X <- cbind(1, ablat = bcg$ablat - mean(bcg$ablat))
mreg <- lapply(methods[methods != "DL2"], function(me) {
  m <- rma(es$yi, es$vi, mods = X[, 2], method = me, control = ctl)
  list(method = me, yi = as.numeric(es$yi), vi = as.numeric(es$vi), X = X,
       beta = c(m$beta), se = m$se, tau2 = m$tau2, se_tau2 = m$se.tau2,
       QE = m$QE, I2 = m$I2, ll_reml = m$fit.stats["ll", "REML"],
       ll_ml = m$fit.stats["ll", "ML"])
})

saveRDS(list(cases = cases, counts = counts, mreg = mreg,
             metafor = as.character(packageVersion("metafor"))),
        file.path("tests", "testthat", "fixtures", "pool_metafor.rds"),
        version = 2)
