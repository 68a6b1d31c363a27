# Builds tests/testthat/fixtures/multilevel_metafor.rds: inputs and the
# output of metafor::rma.mv() (three-level models) and clubSandwich
# (cluster-robust CR0/CR1/CR2, Satterthwaite df, HTZ Wald tests) for the
# multilevel and robust tests. Run from the repository root with metafor
# (3.8-1), clubSandwich (0.5.8) and metadat installed:
#   Rscript data-raw/fixtures_multilevel.R
# The data of every case are stored in the fixture with the results.
#
# rma.mv() is run with nlm() at a gradient tolerance of 1e-12 and with
# nlminb() at a relative tolerance of 1e-12, and the fit with the higher
# log-likelihood is kept (either can stop near a relative change of 1e-8
# in the variance components: the likelihood is flat to 1e-14 there); its
# profile intervals with a root tolerance of 1e-12.
suppressPackageStartupMessages({
  library(metafor)
  library(clubSandwich)
  library(metadat)
})
ctls <- list(list(optimizer = "nlm", gradtol = 1e-12, steptol = 1e-14,
                 iterlim = 1000),
            list(optimizer = "nlminb", rel.tol = 1e-12, iter.max = 1000,
                 eval.max = 2000))

# rma.mv() under each tight setting; the fit with the highest
# log-likelihood is kept.
rma_tight <- function(...) {
  best <- NULL
  for (ctl in ctls) {
    m <- tryCatch(rma.mv(..., control = ctl), error = function(e) NULL)
    if (!is.null(m) && (is.null(best) || logLik(m) > logLik(best))) {
      best <- m
      opt <- ctl$optimizer
    }
  }
  if (is.null(best)) stop("rma.mv() did not converge")
  message("  rma.mv() with ", opt)
  best
}
types <- c("CR0", "CR1", "CR2")

# clubSandwich on a fitted rma.mv / rma.uni model: vcov, Satterthwaite df
# and p-values per type; HTZ test of the non-intercept coefficients.
fx_robust <- function(m, cluster = NULL) {
  p <- length(m$b)
  out <- lapply(types, function(ty) {
    v <- if (is.null(cluster)) vcovCR(m, type = ty)
         else vcovCR(m, cluster = cluster, type = ty)
    ct <- coef_test(m, vcov = v, test = "Satterthwaite")
    htz <- if (p > 1L) Wald_test(m, constraints = constrain_zero(2:p),
                                 vcov = v, test = "HTZ")
    list(vcov = unclass(as.matrix(v)), se = ct$SE, df = ct$df_Satt,
         p = ct$p_Satt,
         htz = if (!is.null(htz)) c(F = htz$Fstat, df2 = htz$df_denom,
                                    p = htz$p_val))
  })
  stats::setNames(out, types)
}

# One three-level case: random = ~ 1 | cluster/effect, V diagonal or with
# a constant sampling correlation rho within clusters.
fx_ml3 <- function(name, yi, vi, cluster, X, method = "REML", test = "z",
                   rho = 0) {
  message(name)
  d <- data.frame(yi = yi, vi = vi, cl = cluster, es = seq_along(yi))
  V <- if (rho == 0) vi else
    impute_covariance_matrix(vi, cluster, r = rho, return_list = FALSE)
  m <- rma_tight(yi, V, mods = X, intercept = FALSE, random = ~ 1 | cl/es,
                 data = d, method = method, test = test)
  # a bound confint() cannot locate at 1e-12 is retried at 1e-8
  ci <- lapply(1:2, function(s) {
    b <- confint(m, sigma2 = s, control = list(tol = 1e-12))$random[1, 2:3]
    if (anyNA(b)) {
      b2 <- confint(m, sigma2 = s, control = list(tol = 1e-8))$random[1, 2:3]
      b[is.na(b)] <- b2[is.na(b)]
    }
    b
  })
  pr <- if (ncol(X) == 1L) predict(m) else NULL
  list(name = name, yi = yi, vi = vi, cluster = as.character(cluster),
       X = X, method = method, test = test, rho = rho,
       beta = c(m$b), se = m$se, vb = unclass(vcov(m)), pval = m$pval,
       ci_lb = m$ci.lb, ci_ub = m$ci.ub, sigma2 = m$sigma2,
       logLik = c(logLik(m)), QE = m$QE, QEp = m$QEp,
       QM = if (ncol(X) > 1L) m$QM else NA, QMp = if (ncol(X) > 1L) m$QMp
       else NA,
       pi = if (!is.null(pr)) c(pr$pi.lb, pr$pi.ub) else NULL,
       sigma2_ci = rbind(sigma2.1 = ci[[1]], sigma2.2 = ci[[2]]),
       robust = fx_robust(m))
}

# A random-effects fit (rma.uni) whose rows are clustered.
fx_uni <- function(name, yi, vi, cluster, X, method = "REML") {
  m <- rma(yi, vi, mods = X, intercept = FALSE, method = method,
           control = list(threshold = 1e-12, tol = 1e-12, maxiter = 1000))
  list(name = name, yi = yi, vi = vi, cluster = as.character(cluster),
       X = X, method = method, beta = c(m$b), tau2 = m$tau2,
       robust = fx_robust(m, cluster))
}

mm <- function(f, d) {
  X <- model.matrix(f, d)
  colnames(X)[1] <- "intrcpt"
  attr(X, "assign") <- attr(X, "contrasts") <- NULL
  X
}
one <- function(n) matrix(1, n, 1L, dimnames = list(NULL, "intrcpt"))

k11 <- dat.konstantopoulos2011
as16 <- dat.assink2016
bo07 <- escalc(measure = "OR", ai = waward, n1i = wtotal, ci = maward,
               n2i = mtotal, data = dat.bornmann2007)
cr10 <- escalc(measure = "ZCOR", ri = ri, ni = ni, data = dat.crede2010)
ka96 <- dat.kalaian1996

cases <- list(
  fx_ml3("konstantopoulos2011 REML", k11$yi, k11$vi, k11$district,
         one(nrow(k11))),
  fx_ml3("konstantopoulos2011 ML", k11$yi, k11$vi, k11$district,
         one(nrow(k11)), method = "ML"),
  fx_ml3("konstantopoulos2011 year, t", k11$yi, k11$vi, k11$district,
         mm(~ I(year - 1990), k11), test = "t"),
  fx_ml3("assink2016 deltype", as16$yi, as16$vi, as16$study,
         mm(~ deltype, as16)),
  fx_ml3("assink2016 CHE rho = 0.6", as16$yi, as16$vi, as16$study,
         mm(~ deltype, as16), rho = 0.6),
  fx_ml3("assink2016 ML", as16$yi, as16$vi, as16$study, one(nrow(as16)),
         method = "ML"),
  fx_ml3("bornmann2007 year", bo07$yi, bo07$vi, bo07$study,
         mm(~ I(year - 1990), bo07)),
  fx_ml3("crede2010 criterion ML", cr10$yi, cr10$vi, cr10$studyid,
         mm(~ criterion, cr10), method = "ML"),
  # both variance components on the boundary (rma.mv: below 1e-11)
  fx_ml3("kalaian1996 outcome", ka96$yi, ka96$vi, ka96$study,
         mm(~ outcome, ka96)),
  fx_ml3("bornmann2007 CHE rho = 0.5", bo07$yi, bo07$vi, bo07$study,
         mm(~ I(year - 1990), bo07), rho = 0.5)
)
uni <- list(
  fx_uni("assink2016 RE year + pubstatus", as16$yi, as16$vi, as16$study,
         mm(~ I(year - 2000) + pubstatus, as16)),
  fx_uni("konstantopoulos2011 RE", k11$yi, k11$vi, k11$district,
         one(nrow(k11))),
  fx_uni("bornmann2007 FE", bo07$yi, bo07$vi, bo07$study,
         one(nrow(bo07)), method = "FE")
)
fx <- list(ml3 = cases, uni = uni,
           versions = c(metafor = as.character(packageVersion("metafor")),
                        clubSandwich =
                          as.character(packageVersion("clubSandwich"))))
saveRDS(fx, "tests/testthat/fixtures/multilevel_metafor.rds", version = 2)
