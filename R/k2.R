# The vitamin K2 evidence: claim_assess() on the bundled k2_claims and
# k2_studies.

#' Judge every vitamin K2 claim against its source
#'
#' The vitamin K2 instance of [claim_assess()]: the claims the four seed
#' articles make ([k2_claims]) judged against the studies they rest on
#' ([k2_studies]), on the axes arithmetic, fidelity and certainty, with a
#' verdict for every claim from the rules documented in [claim_assess()].
#'
#' @param claims A claims table (see [claim_schema()]); by default
#'   [k2_claims].
#' @param sources A sources table (see [claim_schema()]); by default
#'   [k2_studies].
#' @param level Confidence level of the printed intervals.
#' @return A `nev_k2_evidence` data frame: the result of [claim_assess()]
#'   (class `nev_assessment`), one row per claim.
#' @family k2
#' @seealso [claim_assess()], [k2_claims], [k2_studies]
#' @examples
#' ev <- k2_evidence()
#' summary(ev)
#' ev[ev$id %in% c("S1-16", "S1-20", "S2-10"), c("id", "verdict", "reason")]
#' @export
k2_evidence <- function(claims = nutrievidence::k2_claims,
                        sources = nutrievidence::k2_studies, level = 0.95) {
  out <- claim_assess(claims, sources, level = level)
  class(out) <- c("nev_k2_evidence", class(out))
  out
}

#' Forest plot of published ratio estimates
#'
#' Draws published ratios and their 95% intervals on a log axis, one line per
#' row, as in the fracture evidence of [k2_studies]: trials as squares, pooled
#' estimates of two or more studies as diamonds. Rows are coloured by their
#' own research-integrity status (red for retracted, orange for an expression
#' of concern, purple for questioned) or, when they have none, by the worst
#' status of the studies they pool; a pooled row whose studies are worse
#' than itself says so in its label ("pools retracted trials"). A legend
#' names the colours used.
#'
#' @param data A data frame with columns `study`, `outcome`,
#'   `estimate_value`, `lower_value` and `upper_value`; optional `status`
#'   (`"none"`, `"retracted"`, `"expression of concern"`, `"questioned"`),
#'   `rests_on` (ids of pooled studies, separated by `";"`), `source_id` and
#'   `level` (`"pooled"` for pooled rows). Rows without an interval are
#'   dropped.
#' @param main Plot title.
#' @param xlab Label of the x axis.
#' @param sources The table in which the ids of `rests_on` are looked up
#'   (by default `data` itself).
#' @return The rows drawn (invisibly), with the status used for the colour
#'   in `status_shown` and the worst status of the row and what it pools in
#'   `status_worst`.
#' @family k2
#' @examples
#' fr <- k2_studies[k2_studies$level %in% c("trial", "pooled") &
#'                    grepl("fracture", k2_studies$outcome), ]
#' k2_forest(fr, sources = k2_studies)
#' @export
k2_forest <- function(data, main = NULL, xlab = "Ratio (log scale)",
                      sources = data) {
  if (!is.data.frame(data))
    nev_stop("`data` must be a data frame (got ", class(data)[1], ")")
  need <- c("study", "outcome", "estimate_value", "lower_value", "upper_value")
  miss <- setdiff(need, names(data))
  if (length(miss))
    nev_stop("`data` is missing column", if (length(miss) > 1L) "s", ": ",
             paste0("`", miss, "`", collapse = ", "))
  d <- data[!is.na(data$estimate_value) & !is.na(data$lower_value) &
              !is.na(data$upper_value), , drop = FALSE]
  if (!nrow(d)) nev_stop("`data` has no row with an estimate and both limits")
  if (any(d$lower_value <= 0))
    nev_stop("`data` must hold ratios (positive limits); row ",
             nev_rows(which(d$lower_value <= 0)), " has a limit <= 0")
  d$status_worst <- k2_status_shown(d, sources)
  own <- if ("status" %in% names(d)) d$status else rep("none", nrow(d))
  own[is.na(own)] <- "none"
  d$status_shown <- ifelse(own != "none", own, d$status_worst)
  pooled <- if ("level" %in% names(d)) d$level %in% "pooled" else
    rep(FALSE, nrow(d))
  k2_forest_draw(d, pooled, main, xlab)
  invisible(d)
}

k2_status_colours <- c(none = "black", retracted = "#B2182B",
                       "expression of concern" = "#D95F02",
                       questioned = "#7570B3")

# Each row's worst status among itself and the studies it pools.
k2_status_shown <- function(d, sources) {
  if (!"status" %in% names(d)) return(rep("none", nrow(d)))
  src <- sources
  if (!all(c("source_id", "status") %in% names(src))) src <- NULL
  vapply(seq_len(nrow(d)), function(i) {
    st <- d$status[i]
    if (!is.null(src) && "rests_on" %in% names(d) && !is.na(d$rests_on[i])) {
      ids <- trimws(strsplit(d$rests_on[i], ";", fixed = TRUE)[[1]])
      st <- c(st, src$status[src$source_id %in% ids])
    }
    for (s in c("retracted", "expression of concern", "questioned"))
      if (s %in% st) return(s)
    "none"
  }, character(1))
}

k2_forest_draw <- function(d, pooled, main, xlab) {
  k <- nrow(d)
  y <- rev(seq_len(k))
  lab <- paste0(d$study, ": ", d$outcome,
                ifelse(d$status_worst != d$status_shown,
                       paste0(" [pools ", d$status_worst, " trials]"), ""))
  txt <- sprintf("%.2f (%.2f-%.2f)", d$estimate_value, d$lower_value,
                 d$upper_value)
  xr <- range(c(d$lower_value, d$upper_value, 1))
  op <- graphics::par(mar = c(6, 0.5, if (is.null(main)) 1 else 3, 0.5))
  on.exit(graphics::par(op))
  # Room for the labels on the left and the numbers on the right.
  lx <- log(xr)
  w <- diff(lx)
  graphics::plot(NA, xlim = c(lx[1] - 1.6 * w, lx[2] + 0.55 * w),
                 ylim = c(0.5, k + 0.5), axes = FALSE, xlab = "",
                 ylab = "", main = main %||% "")
  graphics::mtext(xlab, side = 1, line = 2.2, at = mean(lx), cex = 0.85)
  ticks <- c(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5)
  ticks <- ticks[ticks >= xr[1] / 1.01 & ticks <= xr[2] * 1.01]
  graphics::axis(1, at = log(ticks), labels = format(ticks), cex.axis = 0.75,
                 mgp = c(3, 0.6, 0))
  graphics::abline(v = 0, lty = 2, col = "grey50")
  col <- unname(k2_status_colours[d$status_shown])
  graphics::segments(log(d$lower_value), y, log(d$upper_value), y, col = col)
  for (i in seq_len(k)) {
    e <- log(d$estimate_value[i])
    if (pooled[i]) {
      graphics::polygon(c(log(d$lower_value[i]), e, log(d$upper_value[i]),
                          e), y[i] + c(0, 0.3, 0, -0.3), col = col[i],
                        border = col[i])
    } else {
      graphics::points(e, y[i], pch = 15, col = col[i], cex = 1.2)
    }
  }
  graphics::text(lx[1] - 1.6 * w, y, lab, adj = 0, cex = 0.8, col = col)
  graphics::text(lx[2] + 0.55 * w, y, txt, adj = 1, cex = 0.8, col = col)
  used <- setdiff(unique(d$status_shown), "none")
  if (length(used))
    graphics::legend("bottomleft", inset = c(0, -0.28), xpd = TRUE,
                     horiz = TRUE, bty = "n", cex = 0.75,
                     legend = used,
                     text.col = k2_status_colours[used],
                     col = k2_status_colours[used], pch = 15)
}

#' Pool the fracture trials with and without the compromised ones
#'
#' Re-pools the trial-level fracture estimates of [k2_studies] (ratios with
#' 95% intervals, converted to log ratios and standard errors with
#' [effect_ci()]) by [pool()], once with every trial that has a published
#' estimate and once without the trials that are retracted or whose integrity
#' is questioned (`status` other than `"none"`). Per-arm counts are not
#' available for these trials, so Cockayne's Peto analysis itself cannot be
#' re-run; this is the closest recomputation the published numbers allow.
#'
#' @param studies A data frame like [k2_studies].
#' @param method Estimator passed to [pool()] (`"FE"` for a common effect).
#' @return A data frame with one row per outcome and set of trials:
#'   `outcome`, `trials` (`"all"` or `"excluding compromised"`), `k`, `studies`,
#'   `estimate`, `lower`, `upper` (ratio scale; `NA` when no trial is left),
#'   `method`.
#' @family k2
#' @examples
#' k2_fracture_pool()
#' @export
k2_fracture_pool <- function(studies = nutrievidence::k2_studies,
                             method = "FE") {
  if (!is.data.frame(studies))
    nev_stop("`studies` must be a data frame (got ", class(studies)[1], ")")
  need <- c("study", "outcome", "level", "status", "estimate_value",
            "lower_value", "upper_value")
  miss <- setdiff(need, names(studies))
  if (length(miss))
    nev_stop("`studies` is missing column", if (length(miss) > 1L) "s",
             ": ", paste0("`", miss, "`", collapse = ", "))
  tr <- studies[studies$level %in% "trial" &
                  grepl("fracture", studies$outcome) &
                  !is.na(studies$estimate_value) &
                  !is.na(studies$lower_value) & !is.na(studies$upper_value), ,
                drop = FALSE]
  rows <- list()
  for (o in unique(tr$outcome)) {
    d <- tr[tr$outcome == o, , drop = FALSE]
    for (set in c("all", "excluding compromised")) {
      s <- if (set == "all") d else d[d$status %in% "none", , drop = FALSE]
      rows[[length(rows) + 1L]] <- k2_pool_set(s, o, set, method)
    }
  }
  if (!length(rows))
    return(data.frame(outcome = character(), trials = character(),
                      k = integer(), studies = character(),
                      estimate = double(), lower = double(), upper = double(),
                      method = character(), stringsAsFactors = FALSE))
  do.call(rbind, rows)
}

k2_pool_set <- function(s, outcome, set, method) {
  out <- data.frame(outcome = outcome, trials = set, k = nrow(s),
                    studies = paste(s$study, collapse = ", "),
                    estimate = NA_real_, lower = NA_real_, upper = NA_real_,
                    method = NA_character_, stringsAsFactors = FALSE)
  if (!nrow(s)) return(out)
  es <- effect_ci(s$estimate_value, s$lower_value, s$upper_value,
                  measure = "RR")
  if (nrow(s) == 1L) {
    ci <- exp(es$yi + c(0, -1, 1) * stats::qnorm(0.975) * es$sei)
    out[c("estimate", "lower", "upper")] <- as.list(ci)
    out$method <- "single trial"
    return(out)
  }
  fit <- pool(es$yi, sei = es$sei, method = method, measure = "RR")
  td <- tidy(fit)
  out[c("estimate", "lower", "upper")] <-
    as.list(exp(c(td$estimate[1], td$conf.low[1], td$conf.high[1])))
  out$method <- method
  out
}
