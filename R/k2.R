# The vitamin K2 evidence: forest plots of published estimates and
# R Markdown tables.

#' Forest plot of published ratio estimates
#'
#' Draws published ratios and their 95\% intervals on a log axis, one line per
#' row, as in the fracture evidence of [k2_studies]: trials as squares, pooled
#' estimates as diamonds, rows whose `flag` marks a retracted or questioned
#' trial (or a pooled estimate including one) in red.
#'
#' @param data A data frame with columns `study`, `outcome`,
#'   `estimate_value`, `lower_value` and `upper_value`; optional `flag`
#'   (`"none"` or `NA` for unflagged rows) and `level` (`"pooled"` for pooled
#'   rows). Rows without an interval are dropped.
#' @param main Plot title.
#' @param xlab Label of the x axis.
#' @return The rows drawn (invisibly).
#' @family k2
#' @examples
#' fr <- k2_studies[k2_studies$level %in% c("trial", "pooled") &
#'                    grepl("fracture", k2_studies$outcome), ]
#' k2_forest(fr)
#' @export
k2_forest <- function(data, main = NULL, xlab = "Ratio (log scale)") {
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
  flag <- if ("flag" %in% names(d)) d$flag else rep(NA_character_, nrow(d))
  flagged <- !is.na(flag) & flag != "none"
  pooled <- if ("level" %in% names(d)) d$level %in% "pooled" else
    rep(FALSE, nrow(d))
  k <- nrow(d)
  y <- rev(seq_len(k))
  lab <- paste0(d$study, ": ", d$outcome)
  txt <- sprintf("%.2f (%.2f-%.2f)", d$estimate_value, d$lower_value,
                 d$upper_value)
  xr <- range(c(d$lower_value, d$upper_value, 1))
  op <- graphics::par(mar = c(5, 0.5, if (is.null(main)) 1 else 3, 0.5))
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
  col <- ifelse(flagged, "#B2182B", "black")
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
  if (any(flagged))
    graphics::mtext(paste("red: retracted or questioned trial, or a pooled",
                          "estimate including one"), side = 1, line = 3.8, adj = 0, cex = 0.75, col = "#B2182B")
  invisible(d)
}

