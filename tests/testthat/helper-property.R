# Property-based tests (quickcheck, on hedgehog): each property runs on
# NEV_PROPERTY_TESTS random cases (10 by default, so that the suite stays
# fast; `make fuzz` runs many more) and a failure is shrunk to a small
# counterexample.

nev_property_tests <- function() {
  n <- suppressWarnings(as.integer(Sys.getenv("NEV_PROPERTY_TESTS", "10")))
  if (is.na(n) || n < 1L) 10L else n
}

# for_all() with the package's number of cases; skips without quickcheck.
# hedgehog reports the last expectation of a failing case, which can be one
# that passed: the first failure is signalled again at the end so that the
# report shows it beside the shrunk counterexample.
nev_for_all <- function(..., property) {
  testthat::skip_if_not_installed("quickcheck")
  checked <- function(...) {
    first <- NULL
    withCallingHandlers(property(...), expectation = function(e) {
      if (is.null(first) && inherits(e, c("expectation_failure",
                                          "expectation_error")))
        first <<- e
    })
    if (!is.null(first)) testthat::fail(conditionMessage(first))
  }
  quickcheck::for_all(..., property = checked,
                      tests = nev_property_tests(), shrinks = 200L)
}

# k studies: effects in [-3, 3], sampling variances in [0.001, 1].
gen_studies <- function(k = c(2L, 12L)) {
  quickcheck::equal_length(y = quickcheck::double_bounded(-3, 3),
                           v = quickcheck::double_bounded(0.001, 1),
                           len = k)
}

# The numbers of a fit that a property compares.
fit_numbers <- function(f) {
  c(estimate = unname(coef(f))[1], std.error = unname(sqrt(diag(vcov(f))))[1],
    tau2 = f$tau2)
}
