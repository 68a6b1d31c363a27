# Report-ready tables: the numbers that go into the knitted tables are the
# fit's, with the rows each kind of fit needs.

bcg <- data.frame(yi = plot_bcg_yi, vi = plot_bcg_vi, ablat = plot_bcg_ablat,
                  alloc = plot_bcg_alloc)

test_that("a meta-analysis table: the pooled ratio with its heterogeneity", {
  fit <- pool(yi, vi, data = bcg, measure = "RR")
  tab <- report_table(fit)
  expect_s3_class(tab, "nev_report_table")
  expect_equal(nrow(tab), 1)
  td <- tidy(fit)
  expect_equal(tab$estimate, exp(td$estimate))
  expect_equal(c(tab$conf.low, tab$conf.high), exp(c(td$conf.low, td$conf.high)))
  expect_equal(tab$p.value, td$p.value)
  expect_equal(tab$k, 13)
  expect_equal(tab$tau.squared, fit$tau2)
  expect_equal(tab$i.squared, fit$I2)
  expect_equal(tab$cochran.qe, fit$Q)
  expect_true(attr(tab, "exponentiated"))
  expect_identical(attr(tab, "estimate_label"), "RR")
  expect_match(attr(tab, "caption"), "Random-effects meta-analysis \\(REML\\): risk ratio")
  expect_true(sprintf("95%% prediction interval: %.2f to %.2f", exp(fit$pi.low),
                      exp(fit$pi.high)) %in% attr(tab, "notes"))
  txt <- nutrievidence:::report_text(tab)
  expect_identical(txt[["p"]], "< 0.001")
  expect_identical(txt[["RR"]], sprintf("%.2f", exp(td$estimate)))
  expect_identical(txt[["Q (df)"]], sprintf("%.2f (12)", fit$Q))
  # the log scale on request, with the standard error
  lg <- report_table(fit, exponentiate = FALSE)
  expect_equal(lg$estimate, td$estimate)
  expect_equal(lg$tau.squared, fit$tau2)
  expect_identical(attr(lg, "estimate_label"), "log RR")
  # a difference measure stays as it is
  md <- report_table(pool(yi, vi, data = bcg, measure = "MD"))
  expect_equal(md$estimate, td$estimate)
  expect_false(attr(md, "exponentiated"))
  # a common-effect model has no tau^2 and no separate prediction interval
  fe <- report_table(pool(yi, vi, data = bcg, method = "FE", measure = "OR"))
  expect_true(is.na(fe$tau.squared))
  expect_false(any(grepl("prediction", attr(fe, "notes"))))
})

test_that("a subgroup table: each subgroup's own k, tau^2, I^2 and Q, then Q-between", {
  s <- pool(yi, vi, data = bcg, subgroup = alloc, measure = "RR")
  tab <- report_table(s)
  sg <- s$subgroups
  expect_identical(tab$term, c(as.character(sg$group), "Overall"))
  n <- nrow(sg)
  expect_equal(tab$k[seq_len(n)], sg$k)
  expect_equal(tab$estimate[seq_len(n)], exp(sg$estimate))
  expect_equal(tab$conf.high[seq_len(n)], exp(sg$conf.high))
  expect_equal(tab$p.value[seq_len(n)], sg$p.value)
  expect_equal(tab$tau.squared[seq_len(n)], sg$tau.squared)
  expect_equal(tab$i.squared[seq_len(n)], sg$i.squared)
  expect_equal(tab$cochran.qe[seq_len(n)], sg$cochran.qe)
  expect_equal(tab$df.cochran.qe[seq_len(n)], sg$df.cochran.qe)
  # not the overall values repeated
  expect_false(any(tab$tau.squared[seq_len(n)] == s$tau2))
  expect_equal(tab$k[n + 1], 13)
  expect_equal(tab$tau.squared[n + 1], s$tau2)
  expect_equal(tab$estimate[n + 1], exp(unname(coef(s))))
  qb <- attr(tab, "notes")[1]
  expect_identical(qb, sprintf("Test for subgroup differences: Q = %.2f (df = %d), p = %.3f",
                               s$Q_between, s$Q_between_df, s$Q_between_p))
  expect_equal(attr(tab, "stats")$cochran.qb, s$Q_between)
})

test_that("a trim-and-fill table: observed and filled, k0 and the side", {
  fit <- pool(yi, vi, data = bcg, method = "FE", measure = "OR")
  tf <- trim_fill(fit, side = "right")
  expect_gt(tf$k0, 0)
  tab <- report_table(tf)
  expect_equal(tab$k, c(13, 13 + tf$k0))
  expect_equal(tab$estimate, exp(c(coef(fit), coef(tf))), ignore_attr = TRUE)
  expect_equal(tab$cochran.qe, c(fit$Q, tf$Q))
  expect_identical(tab$term[2], sprintf("With %d filled studies (right side)", tf$k0))
  expect_identical(attr(tab, "notes")[1],
                   sprintf("Trim and fill (L0): k0 = %d (SE %.2f) studies filled on the right side",
                           tf$k0, tf$k0_se))
  expect_equal(attr(tab, "stats")$k0, tf$k0)
  expect_identical(attr(tab, "stats")$side, "right")
})

test_that("a meta-regression table: the coefficients, QM and R^2", {
  fit <- pool(yi, vi, data = bcg, mods = ~ ablat, measure = "RR")
  tab <- report_table(fit)
  td <- tidy(fit)
  expect_identical(tab$term, c("intrcpt", "ablat"))
  expect_equal(tab$estimate, exp(td$estimate))
  expect_equal(tab$conf.low, exp(td$conf.low))
  expect_equal(tab$p.value, td$p.value)
  notes <- attr(tab, "notes")
  expect_true(sprintf("Test of moderators: QM(df = 1) = %.2f, p %s", fit$QM,
                      if (fit$QM_p < 0.001) "< 0.001" else sprintf("= %.3f", fit$QM_p))
              %in% notes)
  expect_true(sprintf("R^2 (heterogeneity accounted for) = %.1f%%", fit$R2) %in% notes)
  expect_equal(attr(tab, "stats")$cochran.qm, fit$QM)
  expect_equal(attr(tab, "stats")$r.squared, fit$R2)
  hk <- report_table(pool(yi, vi, data = bcg, mods = ~ ablat, test = "hksj"))
  expect_match(attr(hk, "notes")[1], sprintf("^Test of moderators: F\\(1, 11\\) = %.2f",
                                             pool(yi, vi, data = bcg, mods = ~ ablat,
                                                  test = "hksj")$QM))
  expect_false(attr(hk, "exponentiated"))
})

test_that("other fits get their coefficient table", {
  cc <- data.frame(dose = c(0, 2, 6, 11), case = c(165, 74, 90, 122),
                   n = c(337, 167, 186, 212), rr = c(1, 0.8, 1.16, 1.57),
                   lb = c(1, 0.51, 0.73, 0.99), ub = c(1, 1.27, 1.85, 2.51))
  dr <- dose_response(log(rr) ~ dose, type = "cc", cases = case, n = n,
                      lower = lb, upper = ub, data = cc)
  # a slope per unit of dose stays a log relative risk unless asked
  tab <- report_table(dr)
  expect_equal(tab$estimate, tidy(dr)$estimate)
  expect_equal(tab$std.error, tidy(dr)$std.error)
  expect_equal(tab$p.value, tidy(dr)$p.value)
  expect_identical(attr(tab, "notes")[1], "Studies: 1")
  expect_identical(nutrievidence:::report_text(tab)$Estimate,
                   sprintf("%.4f", tidy(dr)$estimate))
  ex <- report_table(dr, exponentiate = TRUE)
  expect_equal(ex$estimate, exp(tidy(dr)$estimate))
  dc <- dose_curve(c(0, 0, 5, 5, 10, 10, 25, 25, 50, 50, 100, 100),
                   c(0.1, -0.2, 1.9, 2.3, 3.4, 3.1, 5.2, 4.8, 6.1, 6.0, 6.9, 6.6))
  tc <- report_table(dc)
  expect_equal(tc$estimate, tidy(dc)$estimate)
  expect_equal(tc$std.error, tidy(dc)$std.error)
  expect_error(report_table(1:3), "`x` must be a fitted object")
  expect_error(report_table(dc, exponentiate = "yes"), "`exponentiate` must be")
  expect_error(report_table(dc, digits = -1), "`digits` must be")
})

test_that("knit_print() renders the table with its caption, p-values and notes", {
  s <- pool(yi, vi, data = bcg, subgroup = alloc, measure = "RR")
  old <- options(nutrievidence.table = "kable")
  on.exit(options(old))
  out <- as.character(knitr::knit_print(s))
  expect_match(out, "Random-effects meta-analysis (REML) by subgroup: risk ratio",
               fixed = TRUE)
  expect_match(out, "< 0.001", fixed = TRUE)
  expect_match(out, "Test for subgroup differences", fixed = TRUE)
  expect_match(out, sprintf("%.2f to %.2f", exp(s$subgroups$conf.low[1]),
                            exp(s$subgroups$conf.high[1])), fixed = TRUE)
  expect_false(grepl("0.000 ", out, fixed = TRUE))
})

test_that("the flextable holds the same text, caption and notes", {
  skip_if_not_installed("flextable")
  fit <- pool(yi, vi, data = bcg, mods = ~ ablat, measure = "RR")
  tab <- report_table(fit)
  txt <- nutrievidence:::report_text(tab)
  ft <- nutrievidence:::nev_flextable(txt, attr(tab, "caption"), attr(tab, "notes"))
  expect_s3_class(ft, "flextable")
  body <- ft$body$dataset
  expect_equal(unname(as.list(body)), unname(as.list(txt)))
  expect_identical(ft$caption$value, attr(tab, "caption"))
  foot <- ft$footer$dataset[[1]]
  expect_length(foot, length(attr(tab, "notes")))
  expect_match(foot[2], "\u03c4\u00b2 = ", fixed = TRUE)
  h <- ft$header$content$content$data
  expect_identical(vapply(seq_len(ncol(h)), function(j) h[[1, j]]$txt[1], ""),
                   c("", "exp(b)", "95% CI", "p"))
})

test_that("knit_print() renders claims, effect sizes, intake and pharmacokinetics", {
  old <- options(nutrievidence.table = "kable")
  on.exit(options(old))
  fit <- pool(c(-0.2, -0.5, 0.1), sei = c(0.2, 0.3, 0.25), method = "FE")
  k <- knitr::knit_print(fit)
  expect_s3_class(k, "knit_asis")
  expect_match(k, "Common-effect meta-analysis", fixed = TRUE)
  expect_match(k, sprintf("%.2f", coef(fit)), fixed = TRUE)
  expect_match(knitr::knit_print(claim_check(0.43, 0.24, 0.77)),
               "consistent", fixed = TRUE)
  expect_match(knitr::knit_print(effect_ci(0.43, 0.24, 0.77)), "sei",
               fixed = TRUE)
  sim <- intake_simulate(data.frame(food = "natto", p_day = 1, portion_g = 10,
                                    content_ug_per_g = 10), n = 50, seed = 1)
  # A fixed 10 g x 10 ug/g every day: every percentile is 100.
  expect_match(knitr::knit_print(sim), "| 100", fixed = TRUE)
  pk <- dose_pk(100, interval = 24, half_life = 68, n_doses = 5)
  expect_match(knitr::knit_print(pk), "accumulation", fixed = TRUE)
  dc <- dose_curve(c(0, 0, 5, 5, 10, 10, 25, 25, 50, 50, 100, 100),
                   c(0.1, -0.2, 1.9, 2.3, 3.4, 3.1, 5.2, 4.8, 6.1, 6.0, 6.9, 6.6),
                   shape = "emax")
  out <- knitr::knit_print(dc)
  expect_match(out, "Dose-response curve (emax)", fixed = TRUE)
  expect_match(out, sprintf("%.2f", coef(dc)[["ed50"]]), fixed = TRUE)
})
