test_that("every registered routine is forced through the C_ prefix", {
  routines <- getDLLRegisteredRoutines("nutrievidence")$.Call
  dll <- getLoadedDLLs()[["nutrievidence"]]
  expect_false(dll[["dynamicLookup"]])
  for (r in routines) {
    sym <- get(paste0("C_", r$name), envir = asNamespace("nutrievidence"))
    expect_s3_class(sym, "NativeSymbolInfo")
  }
})
