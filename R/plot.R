# Forest and funnel plots (base graphics). Each returns its data invisibly.

plot_fmt <- function(x, digits) formatC(x, digits = digits, format = "f")

plot_transf <- function(transf, name = "transf") {
  if (is.null(transf)) return(identity)
  if (!is.function(transf))
    nev_stop("`", name, "` must be a function such as exp (got ",
             class(transf)[1], ")")
  transf
}

#' Forest plot of a meta-analysis
#'
#' Draws one row per study (a square sized by its weight and the confidence
#' interval), the pooled estimate as a diamond with the prediction interval
#' as a line below it, and, for a subgroup analysis, the studies grouped
#' with a diamond per subgroup and the test for subgroup differences. For a
#' trim-and-fill result the filled studies are drawn in grey. For a
#' meta-regression the studies are drawn with their fitted values (grey
#' diamonds) and no pooled estimate. Base graphics.
#'
#' @param fit A fit from [pool()], [pool_counts()], [trim_fill()] or
#'   [pool_multilevel()] (effects grouped under their cluster).
#' @param transf Optional function for the axis and the printed numbers
#'   (e.g. `exp` for ratio measures pooled on the log scale).
#' @param order Optional order of the studies: `"estimate"`, `"precision"`,
#'   or a vector with one value per study to sort by.
#' @param showweights Print the percentage weights.
#' @param refline Position of the reference line on the model scale
#'   (`NULL` for none).
#' @param xlab Axis label.
#' @param digits Digits of the printed estimates.
#' @param ... Further graphical parameters passed to [graphics::plot.window()]
#'   (e.g. `cex`).
#' @return Invisibly, a data frame with one row per drawn row: `type`
#'   (`"study"`, `"filled"`, `"subgroup"`, `"overall"`), `label`,
#'   `estimate`, `conf.low`, `conf.high` (transformed by `transf`),
#'   `pi.low`, `pi.high` (for diamonds), `weight`, `group`, `fitted`
#'   (meta-regression), `row` (the vertical position).
#' @family plots
#' @examples
#' yi <- c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62, 0.01, -0.47)
#' vi <- c(0.33, 0.19, 0.42, 0.02, 0.05, 0.007, 0.22, 0.004, 0.056)
#' fit <- pool(yi, vi, slab = paste("Trial", 1:9))
#' forest_plot(fit, transf = exp, xlab = "Risk ratio")
#' @export
forest_plot <- function(fit, transf = NULL, order = NULL, showweights = TRUE,
                        refline = 0, xlab = NULL, digits = 2L, ...) {
  if (inherits(fit, "nev_multilevel"))
    return(ml3_forest(fit, transf, refline, xlab, digits, ...))
  if (!inherits(fit, "nev_pool"))
    nev_stop("`fit` must be a fit from pool() (got ", class(fit)[1], ")")
  tf <- plot_transf(transf)
  if (!is.null(refline) && !(is.numeric(refline) && length(refline) == 1L &&
                             is.finite(refline)))
    nev_stop("`refline` must be a single finite number on the model scale, ",
             "or NULL for no line (got ",
             paste(deparse(refline), collapse = " "), ")")
  d <- forest_rows(fit, order)
  ticks <- forest_draw(fit, d, tf, transf, showweights, refline, digits,
                       xlab %||% plot_xlab(fit$measure, transf = NULL,
                                           atransf = transf), ...)
  out <- forest_data(d, tf)
  attr(out, "ticks") <- ticks
  invisible(out)
}

# The drawn rows, top to bottom, on the model scale: studies (by subgroup),
# subgroup and overall diamonds, blank spacer rows.
forest_rows <- function(fit, order) {
  st <- forest_studies(fit, order)
  items <- list()
  add <- function(type, label, est = NA, lo = NA, hi = NA, w = NA_real_,
                  g = NA_character_, plo = NA_real_, phi = NA_real_,
                  fv = NA_real_) {
    items[[length(items) + 1L]] <<- data.frame(
      type = type, label = label, est = est, lo = lo, hi = hi, pi.low = plo,
      pi.high = phi, weight = w, group = g, fitted = fv,
      stringsAsFactors = FALSE)
  }
  study_rows <- function(s) for (i in seq_len(nrow(s)))
    add(if (s$filled[i]) "filled" else "study", s$label[i], s$yi[i], s$lo[i],
        s$hi[i], s$weight[i], s$group[i], fv = s$fitted[i])
  if (inherits(fit, "nev_subgroup")) {
    tab <- fit$subgroups
    for (j in seq_len(nrow(tab))) {
      g <- tab$group[j]
      add("header", g, g = g)
      study_rows(st[st$group == g, , drop = FALSE])
      add("subgroup", paste0("Subgroup (k = ", tab$k[j], ", tau^2 = ",
                             plot_fmt(tab$tau.squared[j], 3), ")"),
          tab$estimate[j], tab$conf.low[j], tab$conf.high[j], g = g)
      add("blank", "")
    }
  } else study_rows(st)
  if (!inherits(fit, "nev_metareg")) {
    if (!inherits(fit, "nev_subgroup")) add("blank", "")
    lab <- if (fit$method %in% c("FE", "MH", "Peto")) "Common-effect model"
           else paste0("Random-effects model (", fit$method, ")")
    ct <- fit$coef_table
    add("overall", lab, ct$estimate[1], ct$conf.low[1], ct$conf.high[1],
        plo = fit$pi.low[1], phi = fit$pi.high[1])
  }
  d <- do.call(rbind, items)
  d$row <- rev(seq_len(nrow(d)))
  d
}

# One row per study with its interval, weight, subgroup and fitted value,
# in the requested order.
forest_studies <- function(fit, order) {
  rows <- which(!is.na(fit$yi) & !is.na(fit$vi))
  crit <- stats::qnorm((1 + fit$level) / 2)
  st <- data.frame(label = as.character(fit$slab[rows]), yi = fit$yi[rows],
                   se = sqrt(fit$vi[rows]), weight = fit$weights[rows],
                   filled = if (!is.null(fit$fill)) fit$fill[rows] else FALSE,
                   stringsAsFactors = FALSE)
  if (length(fit$weights) != length(fit$yi)) st$weight <- NA_real_
  st$group <- if (inherits(fit, "nev_subgroup"))
    as.character(fit$group) else NA_character_
  st$fitted <- if (inherits(fit, "nev_metareg"))
    drop(fit$X[rows, , drop = FALSE] %*% coef(fit)) else NA_real_
  st <- st[forest_order(st, order), , drop = FALSE]
  st$lo <- st$yi - crit * st$se
  st$hi <- st$yi + crit * st$se
  st
}

forest_order <- function(st, order) {
  k <- nrow(st)
  if (is.null(order)) return(seq_len(k))
  if (identical(order, "estimate")) return(base::order(st$yi))
  if (identical(order, "precision")) return(base::order(st$se))
  if (length(order) != k)
    nev_stop("`order` must be \"estimate\", \"precision\" or have ",
             "one value per study (got ", length(order), " for ", k,
             " studies)")
  base::order(order)
}

# The returned data: transformed numbers, no spacer rows.
forest_data <- function(d, tf) {
  out <- data.frame(type = d$type, label = d$label, estimate = tf(d$est),
                    conf.low = tf(d$lo), conf.high = tf(d$hi),
                    pi.low = tf(d$pi.low), pi.high = tf(d$pi.high),
                    weight = d$weight, group = d$group,
                    fitted = tf(d$fitted), row = d$row,
                    stringsAsFactors = FALSE)
  out <- out[out$type != "blank", , drop = FALSE]
  row.names(out) <- NULL
  out
}

# Draws the forest plot of rows `d`; returns the axis ticks drawn.
forest_draw <- function(fit, d, tf, transf, showweights, refline, digits,
                        xlab, ...) {
  n <- nrow(d)
  rng <- range(c(d$lo, d$hi, d$pi.low, d$pi.high, refline), na.rm = TRUE,
               finite = TRUE)
  if (diff(rng) == 0) rng <- rng + c(-1, 1)
  rng <- rng + c(-0.04, 0.04) * diff(rng)
  wd <- diff(rng)
  cex <- list(...)$cex %||% (if (n > 30) 0.7 else 0.85)
  old <- graphics::par(mar = c(4, 0.5, 1.5, 0.5), cex = cex)
  on.exit(graphics::par(old), add = TRUE)
  lab_w <- max(graphics::strwidth(d$label, units = "inches", cex = 1)) + 0.1
  ann <- ifelse(is.na(d$est), "", paste0(
    plot_fmt(tf(d$est), digits), " [", plot_fmt(tf(d$lo), digits), ", ",
    plot_fmt(tf(d$hi), digits), "]"))
  wtxt <- ifelse(d$type %in% c("study", "filled") & !is.na(d$weight),
                 paste0(plot_fmt(d$weight, 1), "%"), "")
  ann_w <- max(graphics::strwidth(c(ann, "Estimate [95% CI]"),
                                  units = "inches", cex = 1)) + 0.15
  w_w <- if (showweights) max(graphics::strwidth(c(wtxt, "Weight"),
                                                 units = "inches")) + 0.15
         else 0
  fin <- graphics::par("pin")[1]
  plot_in <- max(fin - lab_w - ann_w - w_w, fin * 0.3)
  per_in <- wd / plot_in
  xlim <- c(rng[1] - lab_w * per_in, rng[2] + (ann_w + w_w) * per_in)
  graphics::plot.new()
  graphics::plot.window(xlim = xlim, ylim = c(0.2, n + 1.5), xaxs = "i",
                        yaxs = "i")
  if (!is.null(refline))
    graphics::segments(refline, 0.5, refline, n + 0.5, lty = "dotted",
                       col = "grey40")
  ticks <- plot_axis(rng, tf, !is.null(transf), refline)
  graphics::mtext(xlab, side = 1, line = 2.5, cex = cex)
  top <- n + 1
  graphics::text(xlim[1], top, "Study", adj = c(0, 0.5), font = 2)
  graphics::text(rng[2] + ann_w * per_in, top, paste0("Estimate [",
                 round(100 * fit$level), "% CI]"), adj = c(1, 0.5), font = 2)
  if (showweights)
    graphics::text(xlim[2], top, "Weight", adj = c(1, 0.5), font = 2)
  graphics::segments(xlim[1], n + 0.5, xlim[2], n + 0.5, col = "grey60")
  geom <- list(rng = rng, wd = wd, per_in = per_in, n = n,
               wmax = max(d$weight, na.rm = TRUE))
  for (i in seq_len(n)) {
    r <- d[i, ]
    font <- if (r$type %in% c("header", "overall", "subgroup")) 2 else 1
    grey <- if (r$type == "filled") "grey50" else "black"
    graphics::text(xlim[1], r$row, r$label, adj = c(0, 0.5), font = font,
                   col = grey)
    if (is.na(r$est)) next
    graphics::text(rng[2] + ann_w * per_in, r$row, ann[i], adj = c(1, 0.5),
                   font = font, col = grey)
    if (showweights && nzchar(wtxt[i]))
      graphics::text(xlim[2], r$row, wtxt[i], adj = c(1, 0.5))
    if (r$type %in% c("study", "filled")) forest_draw_study(r, geom)
    else forest_draw_diamond(r)
  }
  if (inherits(fit, "nev_subgroup"))
    graphics::mtext(paste0("Test for subgroup differences: Q = ",
                           plot_fmt(fit$Q_between, 2), ", df = ",
                           fit$Q_between_df, ", p = ",
                           format.pval(fit$Q_between_p, digits = 2)),
                    side = 3, line = 0.2, adj = 0, cex = 0.85 * cex)
  ticks
}

# A study: its interval (arrows where it leaves the plot), a square sized
# by its weight, and for a meta-regression its fitted value (grey diamond).
forest_draw_study <- function(r, g) {
  y <- r$row
  rng <- g$rng
  if (!is.na(r$fitted) && r$fitted >= rng[1] && r$fitted <= rng[2]) {
    fw <- 0.012 * g$wd
    graphics::polygon(r$fitted + c(-fw, 0, fw, 0), y + c(0, 0.3, 0, -0.3),
                      col = "grey60", border = NA)
  }
  col <- if (r$type == "filled") "grey55" else "black"
  lo <- max(r$lo, rng[1]); hi <- min(r$hi, rng[2])
  graphics::segments(lo, y, hi, y, col = col)
  if (r$lo < rng[1]) graphics::arrows(lo + 0.01 * g$wd, y, lo, y,
                                      length = 0.05, col = col)
  if (r$hi > rng[2]) graphics::arrows(hi - 0.01 * g$wd, y, hi, y,
                                      length = 0.05, col = col)
  sz <- if (is.na(r$weight) || !is.finite(g$wmax) || g$wmax <= 0) 0.4
        else 0.2 + 0.4 * sqrt(r$weight / g$wmax)
  h <- sz * 0.5
  # a square: equal width and height on the page
  wx <- h * graphics::par("pin")[2] / (g$n + 1) * g$per_in
  if (r$est >= rng[1] && r$est <= rng[2])
    graphics::rect(r$est - wx, y - h, r$est + wx, y + h, col = col,
                   border = col)
}

# A pooled estimate: a diamond, with the prediction interval as a dashed
# line when it reaches beyond the confidence interval.
forest_draw_diamond <- function(r) {
  y <- r$row
  if (r$type == "overall" && !is.na(r$pi.low) &&
      (r$pi.low < r$lo || r$pi.high > r$hi)) {
    graphics::segments(r$pi.low, y, r$pi.high, y, lty = "dashed")
    graphics::segments(c(r$pi.low, r$pi.high), y - 0.15,
                       c(r$pi.low, r$pi.high), y + 0.15)
  }
  graphics::polygon(c(r$lo, r$est, r$hi, r$est), c(y, y + 0.35, y, y - 0.35),
                    col = if (r$type == "overall") "black" else "grey40",
                    border = NA)
}

# ---- axes -------------------------------------------------------------------

# Draws the x axis over `rng` (model scale) labelled on the scale of `tf`,
# with only as many ticks as fit side by side: axis() silently drops a label
# that would touch its neighbour, which lost "1" and "0.1" on devices 700 to
# 900 pixels wide. The reference value is always labelled. Returns the ticks.
plot_axis <- function(rng, tf, transformed, ref = NULL) {
  ticks <- plot_ticks(rng, tf, transformed, ref)
  graphics::axis(1, at = ticks$at, labels = ticks$labels, gap.axis = 0)
  ticks
}

plot_ticks <- function(rng, tf, transformed, ref = NULL) {
  cex <- graphics::par("cex.axis")
  for (n in c(7L, 5L, 4L, 3L, 2L)) {
    tk <- plot_tick_ref(plot_tick_set(rng, tf, transformed, n), ref, tf, rng)
    if (plot_ticks_fit(tk, cex)) return(tk)
  }
  plot_ticks_thin(tk, ref, cex)
}

# Candidate ticks: `at` on the model scale, `labels` on the shown scale
# (log-spaced for a transformation spanning more than a factor of 4).
plot_tick_set <- function(rng, tf, transformed, n) {
  if (!transformed) {
    at <- pretty(rng, n = n)
    at <- at[at >= rng[1] & at <= rng[2]]
    return(list(at = at, labels = plot_tick_label(at)))
  }
  tr <- sort(tf(rng))
  tv <- if (all(is.finite(tr)) && tr[1] > 0 && tr[2] / tr[1] > 4)
    grDevices::axisTicks(log10(tr), log = TRUE, nint = n)
  else pretty(tr, n = n)
  wd <- diff(rng)
  inv <- vapply(tv, function(v) tryCatch(
    stats::uniroot(function(z) tf(z) - v, rng + c(-1, 1) * wd,
                   tol = 1e-10)$root, error = function(e) NA_real_), 0)
  ok <- !is.na(inv) & inv >= rng[1] & inv <= rng[2]
  if (sum(ok) < 2L) {
    at <- pretty(rng, n = n)
    at <- at[at >= rng[1] & at <= rng[2]]
    return(list(at = at, labels = plot_tick_label(signif(tf(at), 3))))
  }
  list(at = inv[ok], labels = plot_tick_label(tv[ok]))
}

plot_tick_label <- function(v) {
  vapply(v, function(x) format(signif(x, 6), scientific = FALSE,
                               drop0trailing = TRUE), "")
}

# Adds the reference value (e.g. 0 on the log scale, labelled 1) when it
# lies on the axis and is not a tick yet.
plot_tick_ref <- function(tk, ref, tf, rng) {
  if (is.null(ref) || !is.finite(ref) || ref < rng[1] || ref > rng[2] ||
      any(abs(tk$at - ref) < 1e-8 * diff(rng)))
    return(tk)
  o <- order(c(tk$at, ref))
  list(at = c(tk$at, ref)[o],
       labels = c(tk$labels, plot_tick_label(tf(ref)))[o])
}

# Do the labels fit, at least one "m" apart?
plot_ticks_fit <- function(tk, cex) {
  if (length(tk$at) < 2L) return(TRUE)
  o <- order(tk$at)
  at <- tk$at[o]
  half <- graphics::strwidth(tk$labels[o], cex = cex) / 2
  gap <- graphics::strwidth("m", cex = cex)
  all(at[-1] - half[-1] - (at[-length(at)] + half[-length(at)]) >= gap)
}

# Last resort: the reference (else the first tick), then the others from
# the outside in, each kept if it fits.
plot_ticks_thin <- function(tk, ref, cex) {
  first <- if (!is.null(ref) && any(abs(tk$at - ref) < 1e-12))
    which.min(abs(tk$at - ref)) else 1L
  keep <- first
  rest <- setdiff(order(-abs(tk$at - tk$at[first])), first)
  for (i in rest) {
    try_keep <- sort(c(keep, i))
    if (plot_ticks_fit(list(at = tk$at[try_keep],
                            labels = tk$labels[try_keep]), cex))
      keep <- try_keep
  }
  keep <- sort(keep)
  list(at = tk$at[keep], labels = tk$labels[keep])
}

# Axis label from the measure: a ratio pooled on the log scale is a "log
# odds ratio" unless transformed ("odds ratio") or only labelled on the
# ratio scale ("odds ratio (log scale)").
plot_xlab <- function(measure, transf, atransf) {
  name <- plot_measure_names[measure %||% NA_character_]
  if (is.null(measure) || is.na(name))
    return(if (is.null(transf) && is.null(atransf)) "Effect size"
           else "Effect size (transformed)")
  ratio <- measure %in% effect_ratio_measures
  if (!ratio) return(plot_capitalise(name))
  if (!is.null(transf)) return(plot_capitalise(name))
  if (!is.null(atransf)) return(paste(plot_capitalise(name), "(log scale)"))
  paste("Log", name)
}

plot_measure_names <- c(OR = "odds ratio", RR = "risk ratio",
                        HR = "hazard ratio", IRR = "incidence rate ratio",
                        ROM = "ratio of means", MD = "mean difference",
                        SMD = "standardised mean difference",
                        RD = "risk difference",
                        IRD = "incidence rate difference")

plot_capitalise <- function(x) {
  paste0(toupper(substring(x, 1L, 1L)), substring(x, 2L))
}

#' Contour-enhanced funnel plot
#'
#' Plots each study's effect size against its standard error (the y axis
#' reversed, precise studies at the top). Shaded contours mark where a
#' study's two-sided test of no effect would be significant (Peters et al.
#' 2008): the white area is p > 1 - `contours[1]`, the shades the bands
#' between the given levels. Dashed lines give the pseudo confidence
#' region `estimate +/- 1.96 se` around the pooled estimate (vertical
#' line). For a [trim_fill()] result the filled studies are drawn as open
#' circles and the estimate is the adjusted one.
#'
#' As in metafor's `funnel()`, `transf` moves the points and the regions to
#' the transformed scale (with `exp`, log ratios become ratios and the
#' regions curve), while `atransf` keeps the model scale and only labels the
#' axis on the transformed one (a log axis labelled 0.5, 1, 2).
#'
#' @param fit A fit from [pool()] (without moderators) or [trim_fill()].
#' @param contours Confidence levels of the significance contours (e.g.
#'   `c(0.9, 0.95, 0.99)` for p = 0.10, 0.05, 0.01); `NULL` for none.
#' @param transf Optional function applied to the effect sizes before
#'   plotting (e.g. `exp` for ratio measures pooled on the log scale).
#' @param atransf Optional function applied to the axis labels only.
#' @param xlab Axis label. By default it names the fit's measure on the
#'   scale drawn: "Log odds ratio", "Odds ratio" (with `transf = exp`) or
#'   "Odds ratio (log scale)" (with `atransf = exp`).
#' @param legend Draw a legend.
#' @param ... Further graphical parameters passed to
#'   [graphics::plot.window()].
#' @return Invisibly, a data frame with `study, yi, sei, filled` and `x`
#'   (the plotted position: `transf(yi)`, else `yi`) and the attributes
#'   `contours` (levels and their critical values), `estimate`, `xlab` and
#'   `ticks` (the labelled axis positions).
#' @references Peters JL, Sutton AJ, Jones DR, Abrams KR, Rushton L (2008)
#'   Contour-enhanced meta-analysis funnel plots help distinguish
#'   publication bias from other causes of asymmetry. Journal of Clinical
#'   Epidemiology 61:991-996.
#' @family plots
#' @examples
#' yi <- c(-0.69, -1.24, -1.26, -0.04, 0.21, -2.41, -1.28, -0.94, -0.64,
#'         -2.34, -1.89, -1.05, -0.69, -0.30, -1.56, 0.05)
#' vi <- c(1.56, 0.18, 0.66, 2.04, 0.22, 1.13, 1.43, 2.95, 0.28, 1.19,
#'         0.62, 0.35, 0.41, 0.02, 0.33, 0.001)
#' fit <- pool(yi, vi, method = "FE", measure = "OR")
#' funnel_plot(fit)
#' funnel_plot(fit, atransf = exp)
#' funnel_plot(trim_fill(fit), transf = exp)
#' @export
funnel_plot <- function(fit, contours = c(0.9, 0.95, 0.99), transf = NULL,
                        atransf = NULL, xlab = NULL, legend = TRUE, ...) {
  f <- funnel_data(fit, contours, transf, atransf)
  xlab <- xlab %||% plot_xlab(fit$measure, transf, atransf)
  old <- graphics::par(mar = c(4.2, 4.2, 1, 1))
  on.exit(graphics::par(old), add = TRUE)
  graphics::plot.new()
  graphics::plot.window(xlim = f$xr, ylim = c(f$smax, 0), xaxs = "i",
                        yaxs = "i", ...)
  funnel_draw_regions(f)
  d <- f$studies
  graphics::points(d$x[!d$filled], d$sei[!d$filled], pch = 19, cex = 0.9)
  if (any(d$filled))
    graphics::points(d$x[d$filled], d$sei[d$filled], pch = 21, bg = "white",
                     cex = 0.9)
  ticks <- if (is.null(atransf)) {
    at <- graphics::axTicks(1)
    graphics::axis(1, at = at)
    list(at = at, labels = plot_tick_label(at))
  } else plot_axis(f$xr, plot_transf(atransf), TRUE, 0)
  graphics::axis(2, las = 1)
  graphics::box()
  graphics::title(xlab = xlab, ylab = "Standard error")
  if (legend && length(f$crit)) funnel_legend(f)
  out <- d
  attr(out, "contours") <- data.frame(level = f$contours, crit = f$crit)
  attr(out, "estimate") <- f$estimate
  attr(out, "xlab") <- xlab
  attr(out, "ticks") <- ticks
  invisible(out)
}

# Everything a funnel plot shows, on the plotted scale: the studies, the
# pooled estimate and the outlines of the contours and of the pseudo
# confidence region as polylines in (x, se).
funnel_data <- function(fit, contours, transf, atransf) {
  if (!inherits(fit, "nev_pool"))
    nev_stop("`fit` must be a fit from pool() (got ", class(fit)[1], ")")
  if (inherits(fit, "nev_metareg"))
    nev_stop("`fit` must be a model without moderators: funnel_plot() ",
             "shows one pooled estimate")
  if (!is.null(transf) && !is.null(atransf))
    nev_stop("give `transf` (moves the points) or `atransf` (relabels the ",
             "axis), not both")
  tf <- plot_transf(transf)
  if (!is.null(atransf)) plot_transf(atransf, "atransf")
  contours <- funnel_check_contours(contours)
  rows <- which(!is.na(fit$yi) & !is.na(fit$vi))
  d <- data.frame(study = fit$slab[rows], yi = fit$yi[rows],
                  sei = sqrt(fit$vi[rows]),
                  filled = if (!is.null(fit$fill)) fit$fill[rows]
                           else rep(FALSE, length(rows)),
                  stringsAsFactors = FALSE)
  d$x <- tf(d$yi)
  est <- unname(coef(fit)[1])
  smax <- max(d$sei) * 1.08
  crit <- if (length(contours)) stats::qnorm((1 + contours) / 2)
          else numeric(0)
  s <- seq(0, smax, length.out = if (is.null(transf)) 2L else 101L)
  edge <- function(centre, z) list(left = tf(centre - z * s),
                                   right = tf(centre + z * s), se = s)
  regions <- lapply(crit, function(z) edge(0, z))
  ci <- edge(est, stats::qnorm(0.975))
  xs <- c(d$x, ci$left, ci$right,
          if (length(crit)) tf(c(-1, 1) * max(crit) * smax * 0.6))
  xr <- range(xs[is.finite(xs)])
  xr <- xr + c(-0.03, 0.03) * diff(xr)
  list(studies = d, estimate = est, x_estimate = tf(est), smax = smax,
       contours = contours, crit = crit, regions = regions, ci = ci, xr = xr)
}

funnel_check_contours <- function(contours) {
  if (is.null(contours)) return(NULL)
  if (!is.numeric(contours) || anyNA(contours) ||
      any(contours <= 0 | contours >= 1))
    nev_stop("`contours` must be confidence levels in (0, 1) (got ",
             paste(format(contours), collapse = ", "), ")")
  sort(unique(contours))
}

funnel_shades <- function(n) {
  if (n) grDevices::gray(seq(0.88, 0.6, length.out = n)) else character(0)
}

# The shaded significance regions (outermost first), then the pooled
# estimate and its pseudo confidence region.
funnel_draw_regions <- function(f) {
  n <- length(f$crit)
  shades <- funnel_shades(n)
  if (n) {
    graphics::rect(f$xr[1], f$smax, f$xr[2], 0, col = grDevices::gray(0.45),
                   border = NA)
    for (j in rev(seq_len(n))) {
      r <- f$regions[[j]]
      graphics::polygon(c(rev(r$left), r$right), c(rev(r$se), r$se),
                        col = if (j == 1L) "white" else shades[j - 1L],
                        border = NA)
    }
  }
  graphics::segments(f$x_estimate, f$smax, f$x_estimate, 0)
  graphics::lines(c(rev(f$ci$left), f$ci$right), c(rev(f$ci$se), f$ci$se),
                  lty = "dashed")
}

funnel_legend <- function(f) {
  contours <- f$contours
  n <- length(f$crit)
  shades <- funnel_shades(n)
  lev <- c(1, 1 - contours)
  labs <- paste0(formatC(lev[-1], format = "fg"), " < p <= ",
                 formatC(lev[-length(lev)], format = "fg"))
  labs[1] <- paste0("p > ", formatC(1 - contours[1], format = "fg"))
  labs <- c(labs, paste0("p <= ", formatC(1 - contours[n], format = "fg")))
  cols <- c("white", shades[seq_len(n - 1L)], grDevices::gray(0.45))
  lab2 <- c(labs[seq_len(n)], labs[length(labs)])
  d <- f$studies
  filled <- any(d$filled)
  # the corner with the fewest studies in it
  cx <- (d$x - f$xr[1]) / diff(f$xr); cy <- d$sei / f$smax
  corners <- c(bottomright = sum(cx > 0.65 & cy > 0.7),
               bottomleft = sum(cx < 0.35 & cy > 0.7),
               topright = sum(cx > 0.65 & cy < 0.3),
               topleft = sum(cx < 0.35 & cy < 0.3))
  graphics::legend(names(corners)[which.min(corners)],
                   legend = c(lab2, "filled study"[filled]),
                   fill = c(cols, NA[filled]),
                   border = c(rep("black", length(cols)), NA[filled]),
                   pch = c(rep(NA, length(cols)), 21[filled]),
                   bg = "white", cex = 0.75, inset = 0.01)
}

#' Bubble plot of a meta-regression
#'
#' Plots each study's effect size against one moderator, with the point's
#' area proportional to its weight in the model, the fitted regression line,
#' its confidence band and (dashed) the prediction interval for a new
#' study's true effect, as metafor's `regplot()`. With more than one
#' moderator the others are held at their mean over the studies.
#'
#' @param fit A meta-regression: a fit from `pool(..., mods = )`.
#' @param mod The moderator on the x axis: the name (or position, not
#'   counting the intercept) of a column of the design matrix, as in
#'   `coef(fit)`. Default: the first moderator.
#' @param transf Optional function for the effect sizes (e.g. `exp` to plot
#'   ratios pooled on the log scale).
#' @param pi Draw the prediction interval.
#' @param xlab,ylab Axis labels (default: the moderator's name and the
#'   measure).
#' @param n Number of points on the fitted line.
#' @param ... Further graphical parameters passed to [graphics::plot()].
#' @return Invisibly, a list with `studies` (a data frame `study, x, yi,
#'   weight, size`: `yi` transformed by `transf`, `weight` the percentage
#'   weight) and `line` (a data frame `x, estimate, conf.low, conf.high,
#'   pi.low, pi.high`, transformed).
#' @references Viechtbauer W (2010) Conducting meta-analyses in R with the
#'   metafor package. Journal of Statistical Software 36(3).
#' @family plots
#' @examples
#' d <- data.frame(yi = c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62,
#'                        0.01, -0.47, -1.37, -0.34, 0.45, -0.02),
#'                 vi = c(0.326, 0.195, 0.415, 0.020, 0.051, 0.007, 0.223,
#'                        0.004, 0.056, 0.073, 0.012, 0.533, 0.071),
#'                 ablat = c(44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33,
#'                           33))
#' fit <- pool(yi, vi, data = d, mods = ~ ablat, measure = "RR")
#' bubble_plot(fit, transf = exp, xlab = "Absolute latitude")
#' @export
bubble_plot <- function(fit, mod = NULL, transf = NULL, pi = TRUE,
                        xlab = NULL, ylab = NULL, n = 101L, ...) {
  b <- bubble_data(fit, mod, transf, n)
  ln <- b$line
  st <- b$studies
  yl <- range(c(st$yi, ln$conf.low, ln$conf.high,
                if (pi) c(ln$pi.low, ln$pi.high)), finite = TRUE)
  graphics::plot(st$x, st$yi, type = "n", ylim = yl,
                 xlab = xlab %||% b$mod,
                 ylab = ylab %||% plot_xlab(fit$measure, transf, NULL), ...)
  graphics::polygon(c(ln$x, rev(ln$x)), c(ln$conf.low, rev(ln$conf.high)),
                    col = grDevices::adjustcolor("grey60", 0.4), border = NA)
  if (pi) graphics::matlines(ln$x, ln[c("pi.low", "pi.high")], lty = "dashed",
                             col = "grey30")
  graphics::lines(ln$x, ln$estimate, lwd = 2)
  graphics::symbols(st$x, st$yi, circles = st$size, inches = 0.25,
                    add = TRUE, bg = grDevices::adjustcolor("grey20", 0.35),
                    fg = "grey20")
  invisible(b)
}

# The studies and the fitted line of a bubble plot, transformed.
bubble_data <- function(fit, mod, transf, n) {
  if (!inherits(fit, "nev_metareg"))
    nev_stop("`fit` must be a meta-regression, a fit from pool(..., mods = ",
             ") (got ", class(fit)[1], ")")
  tf <- plot_transf(transf)
  if (!is.numeric(n) || length(n) != 1L || is.na(n) || n < 2)
    nev_stop("`n` must be a single number >= 2 (got ",
             paste(format(n), collapse = ", "), ")")
  j <- bubble_mod(fit, mod)
  rows <- which(!is.na(fit$yi) & !is.na(fit$vi))
  X <- fit$X
  x <- X[rows, j]
  grid <- seq(min(x), max(x), length.out = as.integer(n))
  Xn <- matrix(colMeans(X), length(grid), ncol(X), byrow = TRUE)
  Xn[, j] <- grid
  est <- drop(Xn %*% coef(fit))
  se <- sqrt(rowSums((Xn %*% vcov(fit)) * Xn))
  crit <- nev_crit(fit$level, fit$ddf[1])
  pse <- sqrt(se^2 + fit$tau2)
  line <- data.frame(x = grid, estimate = tf(est),
                     conf.low = tf(est - crit * se),
                     conf.high = tf(est + crit * se),
                     pi.low = tf(est - crit * pse),
                     pi.high = tf(est + crit * pse))
  w <- fit$weights[rows]
  studies <- data.frame(study = as.character(fit$slab[rows]), x = x,
                        yi = tf(fit$yi[rows]), weight = w,
                        size = sqrt(w / max(w)), stringsAsFactors = FALSE)
  list(studies = studies, line = line, mod = colnames(X)[j])
}

# The design column named (or numbered, intercept not counted) by `mod`.
bubble_mod <- function(fit, mod) {
  nm <- colnames(fit$X)
  cand <- nm[fit$btt]
  if (is.null(mod)) return(match(cand[1], nm))
  if (is.numeric(mod) && length(mod) == 1L && !is.na(mod) &&
      mod >= 1 && mod <= length(cand) && mod == round(mod))
    return(match(cand[mod], nm))
  if (is.character(mod) && length(mod) == 1L && mod %in% cand)
    return(match(mod, nm))
  nev_stop("`mod` must name a moderator of the model (one of ",
           paste0("\"", cand, "\"", collapse = ", "), ") or give its ",
           "position (got ", paste(format(mod), collapse = ", "), ")")
}

#' @export
plot.nev_pool <- function(x, ...) forest_plot(x, ...)
