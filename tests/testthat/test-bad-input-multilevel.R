# Bad input of the three-level and cluster-robust entry points, in the style
# of test-bad-input.R: each call must stop (or warn, W()) with a message
# naming the argument in backticks; the messages are snapshotted.

E <- function(x) list(call = substitute(x), kind = "error")
W <- function(x) list(call = substitute(x), kind = "warning")

ml3_d <- data.frame(st = rep(1:4, c(3, 2, 2, 3)),
                    yi = c(0.3, 0.1, 0.2, 0.5, 0.4, -0.1, 0.1, 0.0, 0.2, 0.6),
                    vi = c(0.02, 0.03, 0.02, 0.04, 0.05, 0.02, 0.03, 0.02,
                           0.04, 0.06),
                    x = c(1, 0, 1, 0, 1, 0, 1, 1, 0, 0))
ml3_f <- function() pool_multilevel(yi, vi, cluster = st, data = ml3_d,
                                    mods = ~ x)
re_f <- function() pool(ml3_d$yi, ml3_d$vi)

bad_inputs_ml3 <- list(
  pool_multilevel = list(
    E(pool_multilevel(yi, vi, cluster = c(1, 1, 2, NA, 2, 3, 3, 4, 4, 4),
                      data = ml3_d)),
    E(pool_multilevel(yi, vi, cluster = 1:3, data = ml3_d)),
    E(pool_multilevel(yi, vi, data = ml3_d)),
    E(pool_multilevel(yi, vi, cluster = seq_len(10), data = ml3_d)),
    E(pool_multilevel(yi, vi, cluster = rep(1, 10), data = ml3_d)),
    E(pool_multilevel(yi, vi, cluster = st, data = ml3_d, rho = 1)),
    E(pool_multilevel(yi, vi, cluster = st, data = ml3_d, rho = -1.5)),
    E(pool_multilevel(yi, vi, cluster = st, data = ml3_d, rho = NA)),
    E(pool_multilevel(yi, vi, cluster = st, data = ml3_d, rho = -0.6)),
    E(pool_multilevel(yi, vi, cluster = st, data = ml3_d, method = "DL")),
    E(pool_multilevel(yi, vi, cluster = st, data = ml3_d, test = "hksj")),
    E(pool_multilevel(yi, -vi, cluster = st, data = ml3_d)),
    E(pool_multilevel(yi, vi, cluster = st, data = ml3_d, level = 95)),
    E(pool_multilevel(yi, vi, cluster = st, data = ml3_d, mods = ~ I(x * 0))),
    E(pool_multilevel(yi, vi, cluster = st, data = ml3_d,
                      control = list(tol = -1))),
    E(pool_multilevel(yi, vi, cluster = st, sei = vi, data = ml3_d)),
    E(pool_multilevel(yi, vi, cluster = st, data = ml3_d, slab = 1:3)),
    W(pool_multilevel(c(yi[-1], NA), vi, cluster = st, data = ml3_d))
  ),
  robust_wald = list(
    E(robust_wald(ml3_f(), type = "CR3")),
    E(robust_wald(ml3_f(), "z")),
    E(robust_wald(ml3_f(), 5)),
    E(robust_wald(ml3_f(), matrix(1, 1, 3))),
    E(robust_wald(ml3_f(), cluster = ml3_d$st)),
    E(robust_wald(re_f())),
    E(robust_wald(re_f(), cluster = 1:3)),
    E(robust_wald(re_f(), cluster = rep(1, 10))),
    E(robust_wald(re_f(), cluster = c(NA, 1:9))),
    E(robust_wald(lm(1 ~ 1))),
    E(robust_wald(pool_counts(c(4, 6, 3, 5), rep(100, 4), c(8, 9, 7, 9),
                              rep(100, 4)), cluster = 1:4)),
    E(robust_wald(pool(yi, vi, data = ml3_d, subgroup = x),
                  cluster = ml3_d$st))
  ),
  vcov = list(
    E(vcov(ml3_f(), type = "HC3")),
    E(vcov(ml3_f(), cluster = ml3_d$st)),
    E(vcov(re_f(), type = "CR2"))
  ),
  tidy = list(
    E(tidy(ml3_f(), vcov = "CR9")),
    E(tidy(re_f(), vcov = "CR2", cluster = 1:2)),
    E(tidy(ml3_f(), vcov = "CR2", conf.level = 2))
  )
)

for (fn in names(bad_inputs_ml3)) {
  test_that(paste0("bad input: ", fn, " (multilevel and robust)"), {
    for (case in bad_inputs_ml3[[fn]]) {
      cl <- case$call
      if (case$kind == "error") {
        cnd <- tryCatch(suppressWarnings({ eval(cl); NULL }),
                        error = function(e) e)
        if (is.null(cnd)) {
          fail(paste("no error from", deparse1(cl)))
          next
        }
        eval(bquote(expect_snapshot(error = TRUE, .(cl))))
        expect_match(conditionMessage(cnd), "`", fixed = TRUE,
                     label = paste("the message of", deparse1(cl)))
      } else {
        expect_warning(eval(cl))
        eval(bquote(expect_snapshot(.(cl))))
      }
    }
  })
}
