# Choice arguments: errors name the argument; lower-case spellings are matched
# as in pool(method = "reml").

bcg <- data.frame(
  ai = c(4, 6, 3, 62, 33, 180, 8, 505, 29, 17, 186, 5, 27),
  n1i = c(123, 306, 231, 13598, 5069, 1541, 2545, 88391, 7499, 1716,
          50634, 2498, 16913),
  ci = c(11, 29, 11, 248, 47, 372, 10, 499, 45, 65, 141, 3, 29),
  n2i = c(139, 303, 220, 12867, 5808, 1451, 629, 88391, 7277, 1665,
          27338, 2341, 17854))

test_that("pool_counts(method = 'peto') is the Peto estimate", {
  fit <- pool_counts(ai, n1i, ci, n2i, data = bcg, method = "peto")
  # Peto's one-step log OR: sum(O - E) / sum(V), SE = 1 / sqrt(sum(V))
  N <- bcg$n1i + bcg$n2i
  m1 <- bcg$ai + bcg$ci
  E <- bcg$n1i * m1 / N
  V <- m1 * (N - m1) * bcg$n1i * bcg$n2i / (N^2 * (N - 1))
  expect_equal(unname(coef(fit)), sum(bcg$ai - E) / sum(V), tolerance = 1e-10)
  expect_equal(fit$method, "Peto")
})

test_that("choice arguments name themselves in errors", {
  expect_error(pool_counts(ai, n1i, ci, n2i, data = bcg, method = "petoo"),
               "`method` should be one of \"MH\", \"Peto\", \"IV\" \\(got \"petoo\"\\)")
  expect_error(pool_counts(ai, n1i, ci, n2i, data = bcg, measure = "HR"),
               "`measure` should be one of")
  expect_error(pool(c(0.1, 0.2), c(0.01, 0.02), test = "t"),
               "`test` should be one of \"z\", \"hksj\"")
  expect_error(pool(c(0.1, 0.2), c(0.01, 0.02), pi_df = 3),
               "`pi_df` must be NULL or a character vector.*got numeric of length 1")
  expect_error(claim_check(1, 0.5, 2, scale = "logit"), "`scale` should be one of")
  expect_error(intake_usual(data.frame(id = 1:2, a = 1:2), id = id, amount = a,
                            bootstrap = "yes"), "`bootstrap` must be TRUE or FALSE")
})
