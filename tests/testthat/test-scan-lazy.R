# claim_scan()'s text columns are made into strings when read (r_lazy.c).
# Every column is compared with what R computes from the positions, and the
# columns behave as ordinary character vectors.

lazy_cols <- c("text", "context", "label", "estimate_printed",
               "lower_printed", "upper_printed", "comparator_printed",
               "p_printed")

test_that("the verbatim text and context equal R's own substrings of the texts", {
  txt <- scan_passages()
  for (w in c(0, 25, 60)) {
    res <- claim_scan(txt, context = w)
    doc_txt <- unname(txt[res$doc])
    expect_identical(res$text, substr(doc_txt, res$start, res$end))
    # context: w characters either side, every run of white space one space
    ctx <- gsub("[[:space:]]+", " ",
                substr(doc_txt, pmax(1L, res$start - w), res$end + w),
                perl = FALSE)
    expect_identical(res$context, ctx)
  }
})

test_that("the printed numbers lie in the statistic as printed", {
  res <- claim_scan(scan_passages())
  for (nm in lazy_cols[-(1:2)]) {
    v <- res[[nm]]
    ok <- !is.na(v)
    expect_true(all(vapply(which(ok), function(i)
      grepl(v[i], res$text[i], fixed = TRUE), NA)), info = nm)
  }
  expect_true(all(is.na(res$p_printed) == is.na(res$p_reported)))
})

test_that("lazy columns behave as character vectors", {
  txt <- scan_passages()
  res <- claim_scan(txt)
  plain <- lapply(res[lazy_cols], function(v) v[seq_along(v)])
  for (nm in lazy_cols) {
    expect_type(res[[nm]], "character")
    expect_identical(res[[nm]], plain[[nm]])
  }
  # subsetting, ordering and binding
  i <- order(res$estimate_printed)
  expect_identical(res$text[i], plain$text[i])
  expect_identical(rbind(res[1:3, ], res[4:5, ])$context,
                   plain$context[1:5])
  expect_identical(unique(res$label), unique(plain$label))
  expect_identical(match(plain$text, res$text), match(plain$text, plain$text))
  # assignment copies, never touches the texts or other rows
  r2 <- res
  r2$text[2] <- "changed"
  expect_identical(r2$text[-2], plain$text[-2])
  expect_identical(res$text, plain$text)
  expect_identical(txt, scan_passages())
  # serialisation gives the plain vectors back
  f <- tempfile(fileext = ".rds")
  on.exit(unlink(f))
  saveRDS(res, f)
  back <- readRDS(f)
  for (nm in lazy_cols) expect_identical(back[[nm]], plain[[nm]])
})

test_that("the columns outlive the texts they were read from", {
  res <- local({
    t <- paste("Risk was lower (HR 0.80, 95% CI 0.70-0.91; p = 0.001)",
               "and odds were higher (OR 1.5 [1.1; 2.0]).")
    claim_scan(t)
  })
  gc()
  expect_identical(res$text, c("HR 0.80, 95% CI 0.70-0.91; p = 0.001",
                               "OR 1.5 [1.1; 2.0]"))
  expect_identical(res$p_printed, c("p = 0.001", NA))
  expect_identical(res$estimate_printed, c("0.80", "1.5"))
})
