# Fixture: intake_usual() fits of nutrievidence 0.1.0 (the separate fits of
# the amount and probability parts), which `correlated = FALSE` must
# reproduce. Run against nutrievidence 0.1.0 (before the correlated
# model was added, i.e. without a `correlated` argument):
#   R_LIBS=<library with 0.1.0> Rscript data-raw/fixtures_intake_usual.R
library(nutrievidence)
stopifnot(!"correlated" %in% names(formals(intake_usual)))
set.seed(140)
m <- 400
u <- rnorm(m, 0, 0.5); v <- rnorm(m, 0, 1)
sex <- rbinom(m, 1, 0.5)
rec <- data.frame(id = rep(seq_len(m), each = 2), day = rep(1:2, m))
rec$sex <- sex[rec$id]
rec$w <- rep(runif(m, 0.5, 2), each = 2)
rec$amount <- exp(3 + 0.3 * rec$sex + u[rec$id] + rnorm(2 * m, 0, 0.7))
rec$food <- ifelse(runif(2 * m) < plogis(-0.2 + v[rec$id]), rec$amount, 0)
probs <- c(0.05, 0.1, 0.5, 0.9, 0.95)
fits <- list(
  amount = intake_usual(rec, id, amount),
  episodic = intake_usual(rec, id, food),
  episodic_cov = intake_usual(rec, id, food, covariates = ~ sex,
                              weights = w))
out <- list(data = rec, probs = probs,
            coef = lapply(fits, coef),
            quantile = lapply(fits, quantile, probs = probs),
            loglik = lapply(fits, function(f) as.numeric(logLik(f))))
saveRDS(out, "tests/testthat/fixtures/intake_usual_v010.rds", version = 2)
