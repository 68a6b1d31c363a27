test_that("every registered routine is forced through the C_ prefix", {
  routines <- getDLLRegisteredRoutines("nutrievidence")$.Call
  dll <- getLoadedDLLs()[["nutrievidence"]]
  expect_false(dll[["dynamicLookup"]])
  for (r in routines) {
    sym <- get(paste0("C_", r$name), envir = asNamespace("nutrievidence"))
    expect_s3_class(sym, "NativeSymbolInfo")
  }
})

test_that("a misspelt column is named together with the columns of `data`", {
  d <- data.frame(est = 0.5, lower = 0.3, upper = 0.9)
  expect_error(
    nutrievidence:::nev_arg(quote(lowr), d, globalenv(), "lower"),
    "`lower`: `data` has no column `lowr` \\(its columns: est, lower, upper\\)"
  )
  expect_identical(
    nutrievidence:::nev_arg(quote(lower), d, globalenv(), "lower"), 0.3)
  expect_identical(
    nutrievidence:::nev_arg("upper", d, globalenv(), "upper"), 0.9)
  expect_error(nutrievidence:::nev_arg(quote(log(-"a")), d, globalenv(), "x"),
               "could not evaluate `x`")
})

test_that("recycling keeps zero-length input at length zero", {
  r <- nutrievidence:::nev_recycle(list(a = numeric(0), level = 0.95))
  expect_identical(lengths(r), c(a = 0L, level = 0L))
  r <- nutrievidence:::nev_recycle(list(a = 1:3, level = 0.95))
  expect_identical(r$level, rep(0.95, 3))
  expect_error(nutrievidence:::nev_recycle(list(a = 1:3, b = 1:2)),
               "`a` has length 3, `b` has length 2")
})

test_that("the NA-row warning agrees in number", {
  expect_warning(nutrievidence:::nev_na_rows(list(c(1, NA, 3))),
                 "^1 row has missing values and gives NA: row 2$")
  expect_warning(nutrievidence:::nev_na_rows(list(c(NA, NA, 3))),
                 "^2 rows have missing values and give NA: rows 1 and 2$")
})
