# Helpers for the effect_* tests.

# Same NA pattern, and every finite element within `tol` (absolute for
# values below 1 in size, relative above).
expect_effect_close <- function(object, expected, tol = 1e-12, label = "") {
  expect_identical(is.na(object), is.na(expected),
                   label = paste("NA pattern", label))
  ok <- !is.na(expected)
  err <- abs(object[ok] - expected[ok]) / pmax(1, abs(expected[ok]))
  expect_lte(max(c(0, err)), tol, label = paste("max error", label))
}

# Every warning message raised while evaluating `expr`, and its value.
effect_warnings <- function(expr) {
  msgs <- character()
  val <- withCallingHandlers(expr, warning = function(w) {
    msgs <<- c(msgs, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  list(value = val, warnings = msgs)
}
