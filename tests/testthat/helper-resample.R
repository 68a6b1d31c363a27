# Shared data for the permutation-test and GOSH tests: metafor's
# permutest() / gosh() output (data-raw/fixtures_resample.R).
resample_fx <- function() {
  readRDS(test_path("fixtures", "resample_metafor.rds"))
}

# The pool() fit a fixture describes (its design: intercept only, or the
# moderators after metafor's intercept column).
resample_fit <- function(f) {
  X <- f$X
  if (ncol(X) == 1L) return(pool(f$yi, f$vi, method = f$method,
                                 test = f$test))
  pool(f$yi, f$vi, method = f$method, test = f$test,
       mods = X[, -1L, drop = FALSE])
}
