# Brute-force versions of the two-stage dose-response likelihood, written
# from the definitions without the package's C code: Hamling pseudo-counts
# of case-control studies by Newton's method in R, per-study GLS of the
# log odds ratios with their Hamling covariance, and the multivariate
# normal log-likelihood of the study coefficients. Used by
# test-reliability-dose.R and data-raw/fixtures_dose_boundary.R.

# Hamling et al. (2008) pseudo-counts of one case-control study: referent
# cases A0 and non-cases B0 such that the pseudo-counts implied for the
# other categories reproduce every reported log odds ratio `y` and variance
# `v` (v = 0 marks the referent) and the reported ratios B0 / sum(B) and
# sum(B) / sum(A). Returns the pseudo-counts, the covariance of the log odds
# ratios (reported variances, 1/A0 + 1/B0 off the diagonal) and the
# residuals of the two equations.
dose_brute_hamling_cc <- function(y, v, cases, n) {
  r <- which(v == 0)
  p0 <- (n - cases)[r] / sum(n - cases)
  z0 <- sum(n - cases) / sum(cases)
  counts <- function(lp) {
    A0 <- exp(lp[1]); B0 <- exp(lp[2])
    odds <- exp(y) * A0 / B0                 # a / b in each category
    a <- (1 + odds) / (v - 1 / A0 - 1 / B0)  # 1/a + 1/b = v - 1/A0 - 1/B0
    b <- a / odds
    a[r] <- A0; b[r] <- B0
    list(a = a, b = b)
  }
  eqs <- function(lp) {
    q <- counts(lp)
    c(q$b[r] / sum(q$b) - p0, sum(q$b) / sum(q$a) - z0)
  }
  lp <- log(c(cases[r], (n - cases)[r]))
  for (it in 1:100) {
    h <- 1e-6
    J <- vapply(1:2, function(j) {
      e <- replace(numeric(2), j, h)
      (eqs(lp + e) - eqs(lp - e)) / (2 * h)
    }, numeric(2))
    step <- solve(J, eqs(lp))
    lp <- lp - step
    if (max(abs(step)) < 1e-15) break
  }
  q <- counts(lp)
  m <- length(y) - 1L
  S <- matrix(1 / q$a[r] + 1 / q$b[r], m, m)
  diag(S) <- v[-r]
  list(A = q$a, B = q$b, S = S, resid = eqs(lp))
}

# Per-study GLS of a quadratic in the dose centred on the referent
# (log RR = b1 (d - d0) + b2 (d^2 - d0^2)) with the brute-force Hamling
# covariance: a list with one element (b, V, S, resid) per study.
dose_brute_quadratic <- function(data) {
  lapply(split(data, factor(data$id, unique(data$id))), function(s) {
    v <- ifelse(is.na(s$se), 0, s$se^2)
    h <- dose_brute_hamling_cc(s$logrr, v, s$cases, s$n)
    r <- which(v == 0)
    X <- cbind(s$dose[-r] - s$dose[r], s$dose[-r]^2 - s$dose[r]^2)
    Si <- solve(h$S)
    V <- solve(t(X) %*% Si %*% X)
    list(b = drop(V %*% t(X) %*% Si %*% s$logrr[-r]), V = V, S = h$S,
         resid = h$resid)
  })
}

# Two-stage log-likelihood (ML): the study coefficients b_i are
# multivariate normal with mean beta and covariance V_i + Psi.
dose_brute_loglik <- function(beta, Psi, studies) {
  sum(vapply(studies, function(s) {
    M <- s$V + Psi
    e <- s$b - beta
    -0.5 * (length(e) * log(2 * pi) +
              as.numeric(determinant(M)$modulus) + sum(e * solve(M, e)))
  }, 0))
}

# The same likelihood profiled over beta (its GLS value given Psi), with
# Psi = L L' from the lower triangle `th` of L, so that every positive
# semi-definite Psi (the boundary included) is reached.
dose_brute_profile <- function(th, studies) {
  L <- matrix(c(th[1], th[2], 0, th[3]), 2)
  Psi <- L %*% t(L)
  W <- lapply(studies, function(s) solve(s$V + Psi))
  beta <- solve(Reduce(`+`, W),
                Reduce(`+`, Map(function(w, s) w %*% s$b, W, studies)))
  list(logLik = dose_brute_loglik(drop(beta), Psi, studies),
       beta = drop(beta), Psi = Psi)
}
