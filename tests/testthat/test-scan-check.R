# claim_scan() checks every statistic in one pass in C (src/r_scan.c). Its
# columns must be those claim_check() gives for each statistic on its own:
# here each row is checked again by claim_check() (percent changes through
# claim_from_percent()), from the scanner's raw numbers, and compared.

claim_cols <- c("estimate", "lower", "upper", "p_reported", "level", "scale",
                "estimate_low", "estimate_high", "lower_low", "lower_high",
                "upper_low", "upper_high", "se", "se_low", "se_high", "z",
                "z_low", "z_high", "p_implied", "p_implied_low",
                "p_implied_high", "p_half_low", "p_half_high",
                "p_reported_low", "p_reported_high", "symmetric", "inside",
                "p_consistent", "verdict", "reason")

# A printed number as claim_check() is given it: "0\u00b791" -> "0.91".
fmt_num <- function(v, d, e = 0L) {
  if (is.na(v)) return(NA_character_)
  paste0(sprintf("%.*f", d, v), if (!is.na(e) && e != 0L) paste0("e", e))
}

# claim_check() of row i of the scanner's raw columns, as a one-row list.
check_one <- function(raw, i) {
  est <- fmt_num(raw$estimate_value[i], raw$estimate_decimals[i])
  lo <- fmt_num(raw$lower_value[i], raw$lower_decimals[i])
  hi <- fmt_num(raw$upper_value[i], raw$upper_decimals[i])
  p <- if (is.na(raw$p_op[i])) NA_character_ else
    paste0(if (raw$p_op[i] != "=") raw$p_op[i],
           fmt_num(raw$p_value[i], raw$p_decimals[i], raw$p_exponent[i]))
  lev <- raw$level[i]
  if (raw$measure[i] == "percent change") {
    red <- raw$direction[i] < 0
    pct <- function(x) if (is.na(x)) NA_character_ else paste0(x, "%")
    pc <- claim_from_percent(pct(est), pct(lo), pct(hi), p = p, level = lev,
                             direction = if (red) "reduction" else "increase")
    dec <- c(raw$estimate_decimals[i], raw$lower_decimals[i],
             raw$upper_decimals[i]) + 2L
    if (red) dec[2:3] <- dec[3:2]
    for (k in 1:3) {
      nm <- c("estimate", "lower", "upper")[k]
      pc[[nm]] <- fmt_num(pc[[nm]], dec[k])
    }
    pc$p_reported <- pc$p
    d <- pc[c("estimate", "lower", "upper", "p_reported", "level",
              "estimate_low", "estimate_high", "lower_low", "lower_high",
              "upper_low", "upper_high")]
    return(as.list(claim_check(d, scale = "log")))
  }
  d <- data.frame(estimate = est, lower = lo, upper = hi, p_reported = p,
                  level = lev, stringsAsFactors = FALSE)
  as.list(claim_check(d, scale = if (raw$log_scale[i]) "log" else "linear"))
}

# Compares claim_scan(texts) with claim_check() row by row; returns the
# number of rows compared.
expect_rows_checked <- function(texts) {
  res <- claim_scan(texts)
  body <- nutrievidence:::scan_read(texts, nutrievidence:::scan_is_path(texts))
  raw <- .Call(nutrievidence:::C_scan_text, unname(body), FALSE, 60L)
  expect_identical(nrow(res), length(raw$doc))
  vs <- !is.na(raw$comparator_value)
  ref <- lapply(which(!vs), function(i) check_one(raw, i))
  for (cc in claim_cols) {
    want <- do.call(c, lapply(ref, `[[`, cc))
    got <- res[[cc]][!vs]
    diff <- which(!mapply(identical, got, want))
    expect_identical(got, want, info = paste0(
      cc, ": first differing row ", which(!vs)[diff[1]], " (",
      res$text[!vs][diff[1]], ")"))
  }
  # two values and a p: nothing to check the p against
  expect_true(all(res$verdict[vs] == "cannot tell"))
  expect_true(all(is.na(res$estimate[vs]) & is.na(res$p_implied[vs])))
  expect_true(all(res$scale[vs] == "linear"))
  sum(!vs)
}

test_that("claim_scan() checks the labelled set exactly as claim_check() does", {
  expect_gte(expect_rows_checked(scan_passages()), 100)
})

test_that("claim_scan() checks the seed statistics exactly as claim_check() does", {
  expect_gte(expect_rows_checked(stats::setNames(k2_scan$sentence,
                                                 k2_scan$seed_file)), 2)
  dir <- Sys.getenv("NEV_SEEDS")
  skip_if(!nzchar(dir) || !dir.exists(dir), "NEV_SEEDS is not set")
  expect_rows_checked(list.files(dir, pattern = "\\.txt$", full.names = TRUE))
})

# Statistics drawn at random in the printed forms, with consistent and
# inconsistent limits and p-values, tiny p-values printed with exponents,
# reductions and increases: every verdict and every wording of a reason.
random_statistics <- function(n) {
  one <- function() {
    d <- sample(1:3, 1)
    est <- exp(stats::rnorm(1, 0, 0.6))
    w <- stats::runif(1, 0.05, 0.6)
    lo <- est * exp(-w * stats::runif(1, 0.6, 1.4))
    hi <- est * exp(w * stats::runif(1, 0.6, 1.4))
    f <- function(x) formatC(max(x, 10^-d), format = "f", digits = d)
    p <- switch(sample(6, 1), "", paste0(", p = ", f(stats::runif(1))),
                paste0("; P < .", strrep("0", sample(1:3, 1)), "1"),
                paste0(", p = ", sample(1:9, 1), ".", sample(0:9, 1),
                       " x 10-", sample(4:12, 1)),
                paste0(", p=", formatC(stats::runif(1, 0, 0.2), format = "f",
                                       digits = 3)),
                ", p > 0.05")
    lev <- sample(c("95%", "90%", "99%"), 1, prob = c(0.8, 0.1, 0.1))
    switch(sample(5, 1),
           paste0("HR ", f(est), " (", lev, " CI ", f(lo), "-", f(hi), p, ")"),
           paste0("odds ratio ", f(est), " (", lev, " CI ", f(lo), " to ",
                  f(hi), ")", p),
           {
             pc <- sample(5:60, 1)
             a <- pc - sample(2:20, 1)
             b <- pc + sample(2:20, 1)
             paste0("a ", pc, "% ", sample(c("reduction", "increase"), 1),
                    " (95% CI ", max(a, 1), "-", min(b, 95), "%", p, ")")
           },
           paste0("mean difference ", sprintf("%.1f", stats::rnorm(1, 0, 3)),
                  " mm Hg (95% CI ", sprintf("%.1f", -abs(stats::rnorm(1, 4))),
                  " to ", sprintf("%.1f", abs(stats::rnorm(1, 4))), ")", p),
           paste0("RR ", f(est), ", p = ", f(stats::runif(1, 0.001, 0.5))))
  }
  vapply(seq_len(n), function(i) paste0(one(), "."), "")
}

test_that("claim_scan() checks random statistics exactly as claim_check() does", {
  set.seed(20)
  txt <- random_statistics(150)
  n <- expect_rows_checked(txt)
  expect_gte(n, 120)
  v <- claim_scan(txt)$verdict
  expect_true(all(c("consistent", "inconsistent", "cannot tell") %in% v))
})

test_that("a p-value claim_check() cannot read is skipped and counted", {
  # p < 0, p > 1 and a p printed below 1e-300 are not statistics to check
  txt <- c("HR 0.91 (95% CI 0.85-1.00; p < 0.000).",
           "HR 0.91 (95% CI 0.85-1.00; p > 1.0).",
           "HR 0.91 (95% CI 0.85-1.00; p = 1.2 x 10-320).",
           "HR 0.91 (95% CI 0.85-1.00; p = 0.04).")
  res <- claim_scan(txt)
  expect_equal(res$doc, "4")
  expect_equal(unname(attr(res, "malformed")), c(1L, 1L, 1L, 0L))
})

test_that("the glue of the checked scan rejects what R would not pass", {
  expect_error(.Call(nutrievidence:::C_scan_claims, 1, 10L), "`x`")
  expect_error(.Call(nutrievidence:::C_scan_claims, "HR 0.9 (0.8-1.0)", -1L),
               "`context`")
  expect_error(.Call(nutrievidence:::C_scan_claims, "a", NA_integer_),
               "`context`")
  r <- .Call(nutrievidence:::C_scan_claims, c(NA, "HR 0.9 (0.8-1.0)"), 0L)
  expect_identical(r$doc, 2L)
  expect_identical(r$context, "HR 0.9 (0.8-1.0)")
})
