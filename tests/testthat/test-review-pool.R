# Printed tests read "p = 0.0123" or "p < .0001", never "p = <.0001".

test_that("print.nev_pool writes small p-values as p < .0001", {
  yi <- c(-0.8893, -1.5854, -1.3481, -1.4416, -0.2175, -0.7861, -1.6209,
          0.0120, -0.4694, -1.3713, -0.3394, 0.4459, -0.0173)
  vi <- c(0.3256, 0.1946, 0.4154, 0.0200, 0.0512, 0.0069, 0.2230, 0.0040,
          0.0564, 0.0730, 0.0124, 0.5325, 0.0714)
  qstat <- function(y, v) {
    w <- 1 / v
    sum(w * (y - sum(w * y) / sum(w))^2)
  }
  q <- qstat(yi, vi)
  out <- capture.output(print(pool(yi, vi)))
  expect_true(any(grepl(sprintf("Q(df = 12) = %.4f, p < .0001", q), out,
                        fixed = TRUE)))
  expect_false(any(grepl("p = <", out, fixed = TRUE)))
  i <- c(1, 2, 5, 9)
  q4 <- qstat(yi[i], vi[i])
  out <- capture.output(print(pool(yi[i], vi[i])))
  expect_true(any(grepl(sprintf("Q(df = 3) = %.4f, p = %.4f", q4,
                                stats::pchisq(q4, 3, lower.tail = FALSE)),
                        out, fixed = TRUE)))
  d <- data.frame(yi, vi, g = rep(c("a", "b"), length.out = 13),
                  x = seq_len(13))
  expect_false(any(grepl("p = <", capture.output(
    print(pool(yi, vi, data = d, subgroup = g))), fixed = TRUE)))
  expect_false(any(grepl("p = <", capture.output(
    print(pool(yi, vi, data = d, mods = ~ x))), fixed = TRUE)))
})

test_that("tidy() follows broom: conf.int, conf.level and exponentiate", {
  yi <- c(-0.8893, -1.5854, -1.3481, -1.4416, -0.2175, -0.7861, -1.6209,
          0.0120, -0.4694, -1.3713, -0.3394, 0.4459, -0.0173)
  vi <- c(0.3256, 0.1946, 0.4154, 0.0200, 0.0512, 0.0069, 0.2230, 0.0040,
          0.0564, 0.0730, 0.0124, 0.5325, 0.0714)
  # DerSimonian-Laird by hand
  w <- 1 / vi
  q <- sum(w * (yi - sum(w * yi) / sum(w))^2)
  tau2 <- max(0, (q - 12) / (sum(w) - sum(w^2) / sum(w)))
  ws <- 1 / (vi + tau2)
  mu <- sum(ws * yi) / sum(ws)
  se <- sqrt(1 / sum(ws))
  f <- pool(yi, vi, method = "DL")
  td <- tidy(f, exponentiate = TRUE, conf.level = 0.9)
  expect_equal(td$estimate, exp(mu), tolerance = 1e-10)
  expect_equal(c(td$conf.low, td$conf.high),
               exp(mu + c(-1, 1) * qnorm(0.95) * se), tolerance = 1e-10)
  expect_equal(td$std.error, se, tolerance = 1e-10)
  expect_false(any(c("conf.low", "conf.high") %in% names(tidy(f, conf.int = FALSE))))
  expect_error(tidy(f, exponentiate = NA), "`exponentiate` must be TRUE or FALSE")
  g <- rep(c("a", "b"), length.out = 13)
  ts <- tidy(pool(yi, vi, method = "DL", subgroup = g), exponentiate = TRUE,
             conf.int = FALSE)
  a <- g == "a"
  wa <- 1 / vi[a]
  qa <- sum(wa * (yi[a] - sum(wa * yi[a]) / sum(wa))^2)
  ta <- max(0, (qa - (sum(a) - 1)) / (sum(wa) - sum(wa^2) / sum(wa)))
  expect_equal(ts$estimate[ts$group == "a"],
               exp(sum(yi[a] / (vi[a] + ta)) / sum(1 / (vi[a] + ta))),
               tolerance = 1e-10)
  expect_false("conf.low" %in% names(ts))
})

test_that("predict() on a meta-regression points `newmods` to `newdata`", {
  yi <- c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79)
  vi <- c(0.33, 0.19, 0.42, 0.02, 0.05, 0.01)
  d <- data.frame(yi, vi, lat = c(44, 55, 42, 52, 13, 44))
  m <- pool(yi, vi, data = d, mods = ~ lat)
  expect_error(predict(m, newmods = c(10, 50)),
               "`newmods` is not an argument here: .*`newdata`.*`lat`")
  p <- predict(m, newdata = data.frame(lat = c(10, 50)))
  expect_equal(p$estimate, unname(coef(m)[1] + coef(m)[2] * c(10, 50)))
})

test_that("test = \"knha\" (metafor's name) is Knapp-Hartung", {
  yi <- c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79)
  vi <- c(0.33, 0.19, 0.42, 0.02, 0.05, 0.01)
  # Knapp-Hartung with DL tau^2, by hand
  w <- 1 / vi
  q <- sum(w * (yi - sum(w * yi) / sum(w))^2)
  tau2 <- max(0, (q - 5) / (sum(w) - sum(w^2) / sum(w)))
  ws <- 1 / (vi + tau2)
  mu <- sum(ws * yi) / sum(ws)
  se <- sqrt(sum(ws * (yi - mu)^2) / (5 * sum(ws)))
  f <- pool(yi, vi, method = "DL", test = "knha")
  expect_identical(f$test, "hksj")
  expect_equal(c(f$coef_table$conf.low, f$coef_table$conf.high), mu + c(-1, 1) * qt(0.975, 5) * se,
               tolerance = 1e-10)
  expect_identical(pool(yi, vi, test = "HKSJ")$test, "hksj")
  expect_error(pool(yi, vi, test = "t"), "`test` should be one of")
})

test_that("a string that is not a column of `data` is named as such", {
  es <- data.frame(yi = c(0.1, 0.3, -0.2), vi = c(0.01, 0.02, 0.015))
  expect_error(pool("y", vi, data = es),
               "`yi` must be numeric .*`data` has no column \"y\"")
  expect_error(pool_counts(ai = "events", 100, 5, 100,
                           data = data.frame(a = 1)),
               "`ai` must be numeric .*`data` has no column \"events\"")
  rec <- data.frame(id = rep(1:5, each = 2), k2 = c("12", "15"))
  expect_error(intake_usual(rec, id = id, amount = k2),
               "`amount` must be numeric .*convert it with as.numeric")
  # a string naming a column is the column: the inverse-variance mean
  w <- 1 / es$vi
  expect_equal(unname(coef(pool("yi", "vi", data = es, method = "FE"))),
               sum(w * es$yi) / sum(w), tolerance = 1e-12)
})
