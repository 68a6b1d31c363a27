fx <- readRDS(test_path("fixtures", "effect_counts.rds"))

test_that("effect_counts matches metafor::escalc on every setting", {
  expect_length(fx$cases, 288L)
  na_ok <- logical()
  err <- numeric()
  labels <- character()
  rel <- function(x, y) max(c(0, abs(x - y) / pmax(1, abs(y))), na.rm = TRUE)
  for (cs in fx$cases) {
    d <- fx$data[[cs$data]]
    r <- suppressWarnings(effect_counts(
      ai, n1i, ci, n2i, data = d, measure = cs$measure, add = cs$add,
      to = cs$to, drop00 = cs$drop00))
    labels <- c(labels, paste(cs$data, cs$measure, cs$to, cs$drop00, cs$add))
    na_ok <- c(na_ok, identical(is.na(r$yi), is.na(cs$yi)) &&
                 identical(is.na(r$vi), is.na(cs$vi)) &&
                 identical(attr(r, "measure"), cs$measure))
    err <- c(err, max(rel(r$yi, cs$yi), rel(r$vi, cs$vi),
                      rel(r$sei, sqrt(cs$vi))))
  }
  expect_true(all(na_ok), info = paste(labels[!na_ok], collapse = "; "))
  expect_lte(max(err), 1e-12)
  # the comparison is not vacuous: most cases have finite values
  n_finite <- vapply(fx$cases, function(cs) sum(!is.na(cs$yi)), 0)
  expect_gt(sum(n_finite), 2000)
})

test_that("the fixture exercises zero cells: the settings change the answer", {
  key <- vapply(fx$cases, function(cs) {
    paste(cs$data, cs$measure, cs$to, cs$drop00, cs$add)
  }, "")
  pick <- function(ds, m, to, d00) {
    fx$cases[[match(paste(ds, m, to, d00, 0.5), key)]]
  }
  a <- pick("yusuf1985", "RR", "only0", FALSE)
  b <- pick("yusuf1985", "RR", "all", FALSE)
  n <- pick("yusuf1985", "RR", "none", FALSE)
  d <- pick("yusuf1985", "RR", "only0", TRUE)
  expect_false(isTRUE(all.equal(a$yi, b$yi)))
  expect_true(all(is.na(n$yi[c(12, 15, 17, 19)])))
  expect_true(all(is.na(d$yi[c(12, 15, 19)])))
  expect_false(is.na(d$yi[17]))
  # the edge data has a group where everyone has the event
  e <- pick("edge", "OR", "only0", FALSE)
  expect_false(is.na(e$yi[3]))
})

test_that("zero cells follow the hand-computed continuity correction", {
  # Pitt (yusuf1985 row 12): 0/9 vs 0/8, add 0.5 to each cell
  r <- effect_counts(0, 9, 0, 8, measure = "RR")
  expect_equal(r$yi, log((0.5 / 10) / (0.5 / 9)), tolerance = 1e-14)
  expect_equal(r$vi, 1 / 0.5 - 1 / 10 + 1 / 0.5 - 1 / 9, tolerance = 1e-14)
  r <- effect_counts(0, 25, 3, 25, measure = "OR", add = 1)
  expect_equal(r$yi, log((1 / 26) / (4 / 23)), tolerance = 1e-14)
  expect_equal(r$vi, 1 / 1 + 1 / 26 + 1 / 4 + 1 / 23, tolerance = 1e-14)
  # RD: the corrected cells enter the estimate too, as in escalc
  r <- effect_counts(0, 10, 2, 10, measure = "RD")
  expect_equal(r$yi, 0.5 / 11 - 2.5 / 11, tolerance = 1e-14)
  p1 <- 0.5 / 11
  p2 <- 2.5 / 11
  expect_equal(r$vi, p1 * (1 - p1) / 11 + p2 * (1 - p2) / 11,
               tolerance = 1e-14)
  # if0all: one zero anywhere corrects every row
  r <- effect_counts(c(0, 5), c(10, 20), c(2, 6), c(10, 20), to = "if0all")
  expect_equal(r$yi[2], log((5.5 / 21) / (6.5 / 21)), tolerance = 1e-14)
  r <- effect_counts(c(0, 5), c(10, 20), c(0, 6), c(10, 20), to = "if0all",
                     drop00 = TRUE)
  expect_true(is.na(r$yi[1]))
  expect_equal(r$yi[2], log(5 / 6), tolerance = 1e-14)
})

test_that("data columns may be unquoted, strings or plain vectors", {
  d <- fx$data$bcg
  a <- effect_counts(ai, n1i, ci, n2i, data = d, measure = "OR")
  b <- effect_counts("ai", "n1i", "ci", "n2i", data = d, measure = "OR")
  cc <- effect_counts(d$ai, d$n1i, d$ci, d$n2i, measure = "OR")
  expect_identical(a, b)
  # the data's columns travel; the effect sizes are those of plain vectors
  expect_identical(a[c("yi", "vi", "sei", "measure")], cc)
  expect_s3_class(a, c("nev_effect", "data.frame"))
  expect_named(a, c(names(d), "yi", "vi", "sei", "measure"))
  expect_named(cc, c("yi", "vi", "sei", "measure"))
  expect_identical(attr(a, "scale"), "log")
  expect_identical(attr(effect_counts(1, 10, 2, 10, measure = "RD"),
                        "scale"), "linear")
  # scalars recycle; integer input is accepted
  r <- effect_counts(c(1L, 2L), 10L, c(3L, 4L), 10L)
  expect_equal(r$yi, log(c(1, 2) / c(3, 4)), tolerance = 1e-14)
  # row names of the data are kept
  d2 <- d[1:3, ]
  row.names(d2) <- c("Aronson", "Ferguson", "Rosenthal")
  expect_identical(row.names(effect_counts(ai, n1i, ci, n2i, data = d2)),
                   row.names(d2))
  expect_identical(nrow(effect_counts(numeric(), numeric(), numeric(),
                                      numeric())), 0L)
})

test_that("NA rows are kept with a warning naming them", {
  y <- fx$data$yusuf1985
  w <- effect_warnings(effect_counts(ai, n1i, ci, n2i, data = y))
  expect_length(w$warnings, 1L)
  expect_match(w$warnings, "row 8$")
  expect_true(is.na(w$value$yi[8]))
  expect_identical(sum(is.na(w$value$yi)), 1L)
  w <- effect_warnings(effect_counts(ai, n1i, ci, n2i, data = y,
                                     to = "none"))
  expect_length(w$warnings, 2L)
  expect_match(w$warnings[2], "to = \"none\".*rows 12, 15, 17 and 19$")
})

test_that("the print method shows the measure and the table", {
  r <- effect_counts(c(4, 6), c(123, 306), c(11, 29), c(139, 303))
  expect_output(print(r), "<nev_effect> 2 rows, measure RR, yi on the log")
  expect_output(print(r), "sei")
  expect_output(expect_invisible(print(r)))
  expect_output(print(r[1, ]), "1 row, measure RR")
  r2 <- effect_counts(4, 123, 11, 139, measure = "RD")
  expect_output(print(r2), "measure RD\n")
})
