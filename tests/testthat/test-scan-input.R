# claim_scan() on files, bad input and malformed statistics; quoted
# statistics in claim_check() and effect_ci().

test_that("malformed statistics are skipped and counted, never an error", {
  x <- c(a = "HR 1.42 (95% CI 1.71-1.18) was reversed.",
         b = "OR 0.5 (95% CI 0.0-2.1) had a zero limit; HR 0.9 (95% CI 0.8-1.1, p = 1.4).",
         c = "The 95% CI was 0.85 to 1.00 with no estimate. RR 0.43 (0.24-0.77).")
  r <- claim_scan(x)
  expect_equal(unname(attr(r, "malformed")), c(1L, 2L, 1L))
  expect_equal(r$estimate_printed, "0.43")
  s <- summary(r)
  expect_equal(s$malformed, c(1L, 2L, 1L))
  expect_equal(s$found, c(0L, 0L, 1L))
})

test_that("text, HTML and PDF files are read; their statistics found", {
  f <- tempfile(fileext = ".txt")
  writeLines(enc2utf8("Le risque relatif \u00e9tait 0,43 (IC 95 % 0,24\u20130,77)."), f,
             useBytes = TRUE)
  r <- claim_scan(f)
  expect_equal(r$doc, basename(f))
  expect_equal(r$estimate, "0.43")
  skip_if_not_installed("xml2")
  h <- tempfile(fileext = ".html")
  writeLines(c("<html><head><style>p {x: 1}</style>",
               "<script>var s = 'HR 9.99 (95% CI 1.00-2.00)';</script></head>",
               "<body><p>The hazard ratio was 0.91 (95% CI 0.85&ndash;1.00).</p>",
               "<table><tr><th>Outcome</th><th>OR (95% CI)</th></tr>",
               "<tr><td>Hip</td><td>0.23 (0.12-0.47)</td></tr></table></body></html>"),
             h)
  r <- claim_scan(h)
  expect_equal(r$estimate_printed, c("0.91", "0.23"))
  expect_equal(r$measure, c("HR", "OR"))
})

test_that("PDF files are read through pdftools", {
  skip_if_not_installed("pdftools")
  f <- tempfile(fileext = ".pdf")
  grDevices::pdf(f)
  graphics::plot.new()
  graphics::text(0.5, 0.5, "Vertebral fractures: OR 0.40 (95% CI 0.25-0.65)")
  grDevices::dev.off()
  r <- claim_scan(f)
  expect_equal(c(r$estimate, r$lower, r$upper), c("0.40", "0.25", "0.65"))
})

test_that("unreadable files and undecodable text are errors naming them", {
  expect_error(claim_scan("no-such-file.txt"), "no-such-file.txt")
  f <- tempfile(fileext = ".txt")
  writeBin(as.raw(c(0x48, 0x52, 0x20, 0xff, 0xfe, 0x41, 0xc3)), f)
  expect_error(claim_scan(f), basename(f), fixed = TRUE)
  bad <- "HR 0.91 \xff (0.85-1.00)"
  Encoding(bad) <- "UTF-8"
  expect_error(claim_scan(bad), "element 1")
  u16 <- tempfile(fileext = ".txt")
  writeBin(c(as.raw(c(0xff, 0xfe)),
             iconv("HR 0.91 (0.85-1.00)", "UTF-8", "UTF-16LE", toRaw = TRUE)[[1]]),
           u16)
  expect_equal(claim_scan(u16)$estimate, "0.91")
})

test_that("latin1 text is converted, NA and empty texts give no rows", {
  x <- iconv("Le risque relatif \u00e9tait 0,43 (IC 95 % 0,24-0,77).", "UTF-8", "latin1")
  expect_equal(claim_scan(x)$estimate, "0.43")
  r <- claim_scan(c(NA, "", "nothing here"))
  expect_equal(nrow(r), 0L)
  expect_s3_class(r, "nev_claim")
  expect_equal(summary(r)$found, c(0L, 0L, 0L))
})

test_that("claim_check() and effect_ci() take one quoted statistic", {
  a <- claim_check("RR 0.83 (0.74-0.94)")
  b <- claim_check("0.83", "0.74", "0.94")
  expect_equal(a$p_implied_low, b$p_implied_low)
  expect_equal(a$verdict, b$verdict)
  p <- claim_check("OR=1.10, 95%CI 0.95-1.27, p=0.03")
  expect_equal(p$verdict, claim_check("1.10", "0.95", "1.27", p = "0.03")$verdict)
  md <- claim_check("MD -0.82 (-1.52 to -0.12)")
  expect_equal(md$scale, "linear")
  pc <- claim_check("a 34% reduction (95% CI 25-43%)")
  expect_equal(pc$estimate, 0.66)
  e1 <- effect_ci("0.91 (0.85\u20131.00)")
  e2 <- effect_ci(0.91, 0.85, 1.00)
  expect_equal(e1$sei, e2$sei)
  e3 <- effect_ci("HR 0.91 (90% CI 0.85-1.00)")
  expect_equal(e3$sei, effect_ci(0.91, 0.85, 1.00, level = 0.9, measure = "HR")$sei)
  expect_equal(attr(e3, "measure"), "HR")
  expect_error(claim_check("no statistic here"), "`estimate`")
  expect_error(effect_ci("HR 1.42, p = 0.03"), "no CI")
  expect_error(claim_check("HR 0.9 (0.8-1.0) and HR 0.7 (0.6-0.8)"), "2 statistics")
})

test_that("the scanner survives random bytes, NUL bytes and long inputs", {
  set.seed(1)
  for (i in 1:30) {
    b <- as.raw(sample(c(1:255), 400, replace = TRUE))
    s <- rawToChar(b)
    Encoding(s) <- "bytes"
    r <- .Call(nutrievidence:::C_scan_text, s, i %% 2 == 0, 10L)
    expect_true(is.list(r))
  }
  long <- strrep("HR 0.91 (95% CI 0.85-1.00) and (((( 1.0 - ", 5000)
  r <- claim_scan(long)
  expect_equal(sum(r$estimate_printed == "0.91"), 5000)
  f <- tempfile(fileext = ".txt")
  writeBin(c(charToRaw("HR 0.91 (0.85-1.00)"), as.raw(0), charToRaw(" OR 2.1 (1.5-2.9)")), f)
  expect_equal(claim_scan(f)$estimate_printed, c("0.91", "2.1"))
})
