# Diagnostics against metafor 3.8-1 run at tight tolerance (fixtures made by
# data-raw/fixtures_diag.R). One expectation per case: every listed quantity
# must agree to `tol` relative (absolute below 1e-3; below 1 for I^2 in
# percent, where metafor leaves tau^2 ~ 1e-13 instead of 0 at the boundary).
fx <- readRDS(test_path("fixtures", "diag_metafor.rds"))
bcg <- fx$bcg
mag <- fx$mag
tol <- 1e-8

rel_err <- function(got, ref, floor = 1e-3) {
  got <- unname(unlist(got)); ref <- unname(unlist(ref))
  if (length(got) != length(ref)) return(Inf)
  both <- is.na(got) & is.na(ref)
  if (any(xor(is.na(got), is.na(ref)))) return(Inf)
  if (all(both)) return(0)
  max(abs(got[!both] - ref[!both]) / pmax(abs(ref[!both]), floor))
}
expect_close <- function(pairs, info, tol = 1e-8) {
  err <- vapply(names(pairs), function(n)
    rel_err(pairs[[n]][[1]], pairs[[n]][[2]],
            if (n %in% c("I2", "H2")) 1 else 1e-3), 0)
  worst <- names(err)[which.max(err)]
  expect(all(err <= tol),
         sprintf("%s: `%s` differs from metafor by %.3g", info, worst,
                 max(err)))
}

test_that("leave_one_out() matches metafor::leave1out() for every estimator", {
  for (nm in names(fx$loo)) {
    m <- strsplit(nm, " ")[[1]]
    fit <- pool(bcg$yi, bcg$vi, method = m[1], test = m[2], slab = bcg$slab)
    ref <- fx$loo[[nm]]
    got <- leave_one_out(fit)
    expect_close(list(
      estimate = list(got$estimate, ref$estimate),
      se = list(got$std.error, ref$se), z = list(got$statistic, ref$zval),
      p = list(got$p.value, ref$pval), lb = list(got$conf.low, ref$ci.lb),
      ub = list(got$conf.high, ref$ci.ub), Q = list(got$cochran.qe, ref$Q),
      Qp = list(got$p.value.cochran.qe, ref$Qp),
      tau2 = list(got$tau.squared, ref$tau2),
      I2 = list(got$i.squared, ref$I2), H2 = list(got$h.squared, ref$H2)), nm)
  }
  expect_equal(got$study, bcg$slab)
})

test_that("cumulative() matches metafor::cumul() ordered by year", {
  # under ML, step 6 is metafor's fit at the global maximum (cumul() itself
  # stops at the lower tau2 = 0 maximum there; see data-raw/fixtures_diag.R)
  for (nm in names(fx$cumul)) {
    m <- strsplit(nm, " ")[[1]]
    fit <- pool(yi, vi, data = bcg, slab = slab, method = m[1], test = m[2])
    ref <- fx$cumul[[nm]]
    got <- cumulative(fit, order = bcg$year)
    expect_close(list(
      estimate = list(got$estimate, ref$estimate),
      se = list(got$std.error, ref$se), p = list(got$p.value, ref$pval),
      lb = list(got$conf.low, ref$ci.lb), ub = list(got$conf.high, ref$ci.ub),
      Q = list(got$cochran.qe, ref$Q),
      tau2 = list(got$tau.squared, ref$tau2),
      I2 = list(got$i.squared, ref$I2)), nm)
  }
  expect_equal(got$study, bcg$slab[order(bcg$year)])
  # values to sort by, as metafor: rank 13:1 reverses the studies
  fit <- pool(bcg$yi, bcg$vi)
  rev13 <- cumulative(fit, order = 13:1)
  expect_equal(rev13$study, as.character(13:1))
  expect_equal(rev13$estimate[1], bcg$yi[13])
  expect_equal(rev13$estimate[13], unname(coef(fit)), tolerance = 1e-10)
})

test_that("influence() matches metafor::influence.rma.uni()", {
  for (nm in names(fx$influence)) {
    m <- strsplit(nm, " ")[[1]]
    fit <- switch(m[3],
      int = pool(yi, vi, data = bcg, method = m[1], test = m[2]),
      ablat = pool(yi, vi, data = bcg, mods = ~ ablat, method = m[1],
                   test = m[2]),
      "ablat+year" = pool(yi, vi, data = bcg, mods = ~ ablat + year,
                          method = m[1], test = m[2]))
    ref <- fx$influence[[nm]]
    got <- influence(fit)
    cols <- c("rstudent", "dffits", "cook.d", "cov.r", "tau2.del", "QE.del",
              "hat", "weight")
    pairs <- lapply(cols, function(col) list(got[[col]], ref[[col]]))
    names(pairs) <- cols
    p <- length(coef(fit))
    for (j in seq_len(p))
      pairs[[paste0("dfbeta", j)]] <-
        list(got[[paste0("dfbeta.", names(coef(fit))[j])]],
             ref[[paste0("dfbeta.", j)]])
    # the uncentred year makes the last model ill-conditioned: there the
    # dffits of study 11 (-0.003) moves by 4e-8 relative when tau^2 moves
    # by 1e-12, the distance between metafor's REML tau^2 and the root of
    # the REML equation
    expect_close(pairs, nm, tol = if (m[3] == "ablat+year") 5e-8 else 1e-8)
    expect_identical(got$influential, ref$is.infl, info = nm)
  }
})

test_that("meta-regression matches metafor::rma(mods = ) with every test", {
  nd <- data.frame(ablat = c(10, 30, 50), year = c(1950, 1970, 1990),
                   alloc = c("random", "systematic", "alternate"))
  for (nm in names(fx$metareg)) {
    parts <- strsplit(nm, " (?=[A-Z]{2,4} )", perl = TRUE)[[1]]
    f <- stats::as.formula(parts[1])
    mt <- strsplit(parts[2], " ")[[1]]
    ref <- fx$metareg[[nm]]
    fit <- pool(yi, vi, data = bcg, mods = f, method = mt[1], test = mt[2])
    pr <- predict(fit, newdata = nd)
    expect_close(list(
      beta = list(coef(fit), ref$beta), se = list(fit$coef_table$std.error, ref$se),
      z = list(fit$coef_table$statistic, ref$zval), p = list(fit$coef_table$p.value, ref$pval),
      lb = list(fit$coef_table$conf.low, ref$ci.lb), ub = list(fit$coef_table$conf.high, ref$ci.ub),
      tau2 = list(fit$tau2, ref$tau2), QM = list(fit$QM, ref$QM),
      QMp = list(fit$QM_p, ref$QMp), QE = list(fit$Q, ref$QE),
      QEp = list(fit$Q_p, ref$QEp), R2 = list(fit$R2, ref$R2),
      I2 = list(fit$I2, ref$I2), H2 = list(fit$H2, ref$H2),
      pred = list(pr$estimate, ref$pred), pred.se = list(pr$std.error,
                                                         ref$pred.se),
      pred.lb = list(pr$conf.low, ref$pred.ci.lb),
      pi.lb = list(pr$pi.low, ref$pred.pi.lb)), nm,
      tol = if (grepl("year", nm)) 1e-7 else 1e-8)
  }
})

test_that("ML finds the interior maximum when tau2 = 0 is a lower local maximum", {
  # Both likelihoods fall from tau2 = 0, reach a local minimum and rise to
  # a higher interior maximum (metafor's values from a tight fit, with the
  # log-likelihood at tau2 = 0 from the common-effect model).
  for (nm in names(fx$multimodal)) {
    ref <- fx$multimodal[[nm]]
    fit <- pool(yi, vi, data = ref$data, mods = ref$formula,
                method = ref$method)
    expect_close(list(
      tau2 = list(fit$tau2, ref$tau2),
      logLik = list(as.numeric(logLik(fit)), ref$logLik),
      beta = list(coef(fit), ref$beta), se = list(fit$coef_table$std.error, ref$se)), nm)
    expect_equal(ref$best_tau2, ref$tau2, tolerance = 1e-8)
    expect_gt(as.numeric(logLik(fit)), ref$ll0)
    expect_false(fit$boundary)
  }
})

test_that("subgroups match separate metafor fits and the mods = ~ alloc model", {
  for (nm in names(fx$subgroup)) {
    m <- strsplit(nm, " ")[[1]]
    ref <- fx$subgroup[[nm]]
    s <- pool(yi, vi, data = bcg, subgroup = alloc, method = m[1],
              test = m[2])
    c <- pool(yi, vi, data = bcg, subgroup = alloc, tau2_common = TRUE,
              method = m[1], test = m[2])
    g <- glance(s)
    expect_equal(s$subgroups$group, ref$group)
    expect_equal(g$df.cochran.qb, 2)
    expect_close(list(
      est = list(s$subgroups$estimate, ref$estimate),
      se = list(s$subgroups$std.error, ref$se),
      lb = list(s$subgroups$conf.low, ref$ci.lb),
      tau2 = list(s$subgroups$tau.squared, ref$tau2),
      Q = list(s$subgroups$cochran.qe, ref$Q), Qb = list(s$Q_between, ref$Qb),
      Qbp = list(s$Q_between_p, ref$Qbp),
      glance = list(c(g$cochran.qb, g$p.value.cochran.qb), c(ref$Qb, ref$Qbp)),
      c.est = list(c$subgroups$estimate, ref$common_estimate),
      c.se = list(c$subgroups$std.error, ref$common_se),
      c.tau2 = list(c$subgroups$tau.squared, rep(ref$common_tau2, 3)),
      # metafor's QM is the F statistic QM / m under Knapp-Hartung
      c.QM = list(c$Q_between / if (m[2] == "hksj") 2 else 1, ref$common_QM),
      c.QMp = list(c$Q_between_p, ref$common_QMp),
      c.Qw = list(c$Q_within, ref$common_QE),
      s.Qw = list(s$Q_within, ref$common_QE)), nm)
  }
})

test_that("egger_test() matches metafor::regtest() for both models and all predictors", {
  for (nm in names(fx$regtest)) {
    m <- strsplit(nm, " ")[[1]]
    fit <- pool(mag$yi, mag$vi, method = m[1], test = m[2])
    ref <- fx$regtest[[nm]]
    got <- egger_test(fit, model = m[3], predictor = m[4], ni = mag$ni)
    pairs <- list(stat = list(got$statistic, ref$zval),
                  p = list(got$p.value, ref$pval))
    if (!is.null(got$parameter))
      pairs$df <- list(got$parameter, ref$dfs)
    if (!is.na(ref$est)) {
      pairs$est <- list(got$estimate[2], ref$est)
      pairs$lb <- list(got$conf.int[1], ref$ci.lb)
    }
    expect_close(pairs, nm)
  }
})

test_that("begg_test() matches metafor::ranktest(), exact and with ties", {
  for (nm in names(fx$ranktest)) {
    d <- fx[[nm]]
    ref <- fx$ranktest[[nm]]
    got <- suppressWarnings(begg_test(pool(d$yi, d$vi)))
    expect_close(list(tau = list(got$estimate, ref$tau),
                      p = list(got$p.value, ref$pval)), nm, tol = 1e-10)
  }
  expect_false(suppressWarnings(begg_test(pool(fx$ties$yi, fx$ties$vi)))$exact)
  expect_true(begg_test(pool(mag$yi, mag$vi))$exact)
})

test_that("trim_fill() matches metafor::trimfill() (L0, R0, both sides)", {
  for (nm in names(fx$trimfill)) {
    m <- strsplit(nm, " ")[[1]]
    d <- fx[[m[1]]]
    fit <- pool(d$yi, d$vi, method = m[2])
    ref <- fx$trimfill[[nm]]
    tf <- trim_fill(fit, estimator = m[3],
                    side = if (m[4] == "auto") NULL else m[4])
    expect_identical(c(tf$k0, glance(tf)$k0, sum(tf$fill)),
                     rep(as.integer(ref$k0), 3), info = nm)
    expect_identical(c(tf$side, tf$fill), c(ref$side, ref$fill), info = nm)
    expect_close(list(se.k0 = list(tf$k0_se, ref$se.k0),
                      beta = list(coef(tf), ref$beta), se = list(tf$coef_table$std.error, ref$se),
                      tau2 = list(tf$tau2, ref$tau2), yi = list(tf$yi, ref$yi),
                      vi = list(tf$vi, ref$vi)), nm)
  }
})
