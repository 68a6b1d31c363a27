# Properties of intake shares and of claim_check() round trips.

test_that("the share below a cut-off never falls as the cut-off rises", {
  diet <- data.frame(food = c("a", "b"), p_day = c(0.6, 0.2),
                     portion_g = c(20, 60), portion_sd = c(8, 30),
                     portion_dist = "lognormal", content_ug_per_g = c(1, 3))
  sim <- intake_simulate(diet, n = 2000, seed = 1)
  nev_for_all(cut = quickcheck::double_bounded(0, 400, len = c(2L, 8L)),
              property = function(cut) {
    cut <- sort(cut)
    below <- intake_share(sim, below = cut)$share
    above <- intake_share(sim, above = cut)$share
    expect_true(all(diff(below) >= 0))
    expect_true(all(diff(above) <= 0))
    expect_true(all(below + above <= 1 + 1e-12))
  })
})

test_that("a ratio, CI and p printed to d digits are consistent with themselves", {
  nev_for_all(est = quickcheck::double_bounded(0.2, 5, len = 1L),
              se = quickcheck::double_bounded(0.02, 1, len = 1L),
              d = quickcheck::integer_bounded(2L, 4L, len = 1L),
              property = function(est, se, d) {
    lo <- exp(log(est) - stats::qnorm(0.975) * se)
    hi <- exp(log(est) + stats::qnorm(0.975) * se)
    p <- 2 * stats::pnorm(-abs(log(est)) / se)
    show <- function(x) formatC(x, format = "f", digits = d)
    if (as.numeric(show(lo)) <= 0) return(expect_true(TRUE))
    ps <- if (p < 0.001) "<0.001" else formatC(p, format = "f", digits = 3)
    r <- claim_check(show(est), show(lo), show(hi), p = ps)
    expect_false(identical(r$verdict, "inconsistent"),
                 label = paste0("verdict for ", show(est), " (", show(lo),
                                "-", show(hi), "), p = ", ps, ": ",
                                r$verdict, " (", r$reason, ")"))
  })
})
