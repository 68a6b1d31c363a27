# Forest and funnel plots (base graphics). Each returns its data invisibly.

plot_fmt <- function(x, digits) formatC(x, digits = digits, format = "f")

plot_transf <- function(transf) {
  if (is.null(transf)) return(identity)
  if (!is.function(transf))
    nev_stop("`transf` must be a function such as exp (got ",
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
#' @param fit A fit from [pool()], [pool_counts()] or [trim_fill()].
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
  if (!inherits(fit, "nev_pool"))
    nev_stop("`fit` must be a fit from pool() (got ", class(fit)[1], ")")
  tf <- plot_transf(transf)
  rows <- which(!is.na(fit$yi) & !is.na(fit$vi))
  crit <- stats::qnorm((1 + fit$level) / 2)
  st <- data.frame(label = as.character(fit$slab[rows]), yi = fit$yi[rows],
                   se = sqrt(fit$vi[rows]), weight = fit$weights[rows],
                   filled = if (!is.null(fit$fill)) fit$fill[rows] else FALSE,
                   stringsAsFactors = FALSE)
  if (length(fit$weights) != length(fit$yi)) st$weight <- NA_real_
  st$group <- if (inherits(fit, "nev_subgroup"))
    as.character(fit$group) else NA_character_
  k <- nrow(st)
  o <- seq_len(k)
  if (!is.null(order)) {
    o <- if (identical(order, "estimate")) base::order(st$yi)
         else if (identical(order, "precision")) base::order(st$se)
         else {
           if (length(order) != k)
             nev_stop("`order` must be \"estimate\", \"precision\" or have ",
                      "one value per study (got ", length(order), " for ",
                      k, " studies)")
           base::order(order)
         }
  }
  st <- st[o, , drop = FALSE]
  st$lo <- st$yi - crit * st$se
  st$hi <- st$yi + crit * st$se
  st$fitted <- if (inherits(fit, "nev_metareg"))
    drop(fit$X[rows[o], , drop = FALSE] %*% coef(fit)) else NA_real_
  # rows from the top: build the list of drawn rows
  items <- list()
  add <- function(type, label, est, lo, hi, w = NA_real_, g = NA_character_,
                  plo = NA_real_, phi = NA_real_, fv = NA_real_) {
    items[[length(items) + 1L]] <<- data.frame(
      type = type, label = label, est = est, lo = lo, hi = hi, pi.low = plo,
      pi.high = phi, weight = w, group = g, fitted = fv,
      stringsAsFactors = FALSE)
  }
  blank <- function() add("blank", "", NA, NA, NA)
  study_rows <- function(s) for (i in seq_len(nrow(s)))
    add(if (s$filled[i]) "filled" else "study", s$label[i], s$yi[i], s$lo[i],
        s$hi[i], s$weight[i], s$group[i], fv = s$fitted[i])
  if (inherits(fit, "nev_subgroup")) {
    tab <- fit$subgroups
    for (j in seq_len(nrow(tab))) {
      g <- tab$group[j]
      add("header", g, NA, NA, NA, g = g)
      study_rows(st[st$group == g, , drop = FALSE])
      add("subgroup", paste0("Subgroup (k = ", tab$k[j], ", tau^2 = ",
                             plot_fmt(tab$tau.squared[j], 3), ")"),
          tab$estimate[j], tab$conf.low[j], tab$conf.high[j], g = g)
      blank()
    }
  } else study_rows(st)
  is_reg <- inherits(fit, "nev_metareg")
  if (!is_reg) {
    if (!inherits(fit, "nev_subgroup")) blank()
    lab <- if (identical(fit$method, "FE") || fit$method %in% c("MH", "Peto"))
      "Common-effect model" else paste0("Random-effects model (", fit$method,
                                        ")")
    ct <- fit$coef_table
    add("overall", lab, ct$estimate[1], ct$conf.low[1], ct$conf.high[1],
        plo = fit$pi.low[1], phi = fit$pi.high[1])
  }
  d <- do.call(rbind, items)
  n <- nrow(d)
  d$row <- rev(seq_len(n))

  # horizontal layout: labels | plot | annotations
  rng <- range(c(d$lo, d$hi, d$pi.low, d$pi.high, refline), na.rm = TRUE,
               finite = TRUE)
  if (diff(rng) == 0) rng <- rng + c(-1, 1)
  wd <- diff(rng)
  rng <- rng + c(-0.04, 0.04) * wd
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
  # axis on the transformed scale
  at <- pretty(rng, n = 5)
  at <- at[at >= rng[1] & at <= rng[2]]
  if (!is.null(transf)) {
    tr <- sort(tf(rng))
    tv <- if (all(is.finite(tr)) && tr[1] > 0 && tr[2] / tr[1] > 4)
      grDevices::axisTicks(log10(tr), log = TRUE, nint = 7)
    else pretty(tr, n = 5)
    inv <- vapply(tv, function(v) {
      r <- tryCatch(stats::uniroot(function(z) tf(z) - v, rng + c(-1, 1) * wd,
                                   tol = 1e-10)$root, error = function(e) NA)
      r
    }, 0)
    ok <- !is.na(inv) & inv >= rng[1] & inv <= rng[2]
    if (sum(ok) >= 2) {
      at <- inv[ok]
      graphics::axis(1, at = at, labels = vapply(tv[ok], format, "",
                                                 scientific = FALSE))
    } else graphics::axis(1, at = at, labels = format(signif(tf(at), 3)))
  } else graphics::axis(1, at = at)
  graphics::mtext(xlab %||% if (is.null(transf)) "Effect size"
                  else "Effect size (transformed)", side = 1, line = 2.5,
                  cex = cex)
  # header
  top <- n + 1
  graphics::text(xlim[1], top, "Study", adj = c(0, 0.5), font = 2)
  graphics::text(rng[2] + ann_w * per_in, top, paste0("Estimate [",
                 round(100 * fit$level), "% CI]"), adj = c(1, 0.5), font = 2)
  if (showweights)
    graphics::text(xlim[2], top, "Weight", adj = c(1, 0.5), font = 2)
  graphics::segments(xlim[1], n + 0.5, xlim[2], n + 0.5, col = "grey60")
  wmax <- max(d$weight, na.rm = TRUE)
  for (i in seq_len(n)) {
    r <- d[i, ]
    y <- r$row
    font <- if (r$type %in% c("header", "overall", "subgroup")) 2 else 1
    graphics::text(xlim[1], y, r$label, adj = c(0, 0.5), font = font,
                   col = if (r$type == "filled") "grey50" else "black")
    if (is.na(r$est)) next
    graphics::text(rng[2] + ann_w * per_in, y, ann[i], adj = c(1, 0.5),
                   font = font, col = if (r$type == "filled") "grey50"
                   else "black")
    if (showweights && nzchar(wtxt[i]))
      graphics::text(xlim[2], y, wtxt[i], adj = c(1, 0.5))
    if (r$type %in% c("study", "filled")) {
      if (!is.na(r$fitted) && r$fitted >= rng[1] && r$fitted <= rng[2]) {
        fw <- 0.012 * wd
        graphics::polygon(r$fitted + c(-fw, 0, fw, 0), y + c(0, 0.3, 0, -0.3),
                          col = "grey60", border = NA)
      }
      col <- if (r$type == "filled") "grey55" else "black"
      lo <- max(r$lo, rng[1]); hi <- min(r$hi, rng[2])
      graphics::segments(lo, y, hi, y, col = col)
      if (r$lo < rng[1]) graphics::arrows(lo + 0.01 * wd, y, lo, y,
                                          length = 0.05, col = col)
      if (r$hi > rng[2]) graphics::arrows(hi - 0.01 * wd, y, hi, y,
                                          length = 0.05, col = col)
      sz <- if (is.na(r$weight) || !is.finite(wmax) || wmax <= 0) 0.4
            else 0.2 + 0.4 * sqrt(r$weight / wmax)
      h <- sz * 0.5
      # square of equal visual width and height
      yin <- graphics::par("pin")[2] / (n + 1)
      wx <- h * yin * per_in
      if (r$est >= rng[1] && r$est <= rng[2])
        graphics::rect(r$est - wx, y - h, r$est + wx, y + h, col = col,
                       border = col)
    } else {
      # diamond, prediction interval as a line through it
      if (r$type == "overall" && !is.na(r$pi.low) &&
          (r$pi.low < r$lo || r$pi.high > r$hi)) {
        graphics::segments(max(r$pi.low, rng[1]), y, min(r$pi.high, rng[2]),
                           y, lty = "dashed")
        graphics::segments(c(r$pi.low, r$pi.high), y - 0.15,
                           c(r$pi.low, r$pi.high), y + 0.15)
      }
      graphics::polygon(c(r$lo, r$est, r$hi, r$est),
                        c(y, y + 0.35, y, y - 0.35),
                        col = if (r$type == "overall") "black" else "grey40",
                        border = NA)
    }
  }
  if (inherits(fit, "nev_subgroup"))
    graphics::mtext(paste0("Test for subgroup differences: Q = ",
                           plot_fmt(fit$Q_between, 2), ", df = ",
                           fit$Q_between_df, ", p = ",
                           format.pval(fit$Q_between_p, digits = 2)),
                    side = 3, line = 0.2, adj = 0, cex = 0.85 * cex)
  out <- data.frame(type = d$type, label = d$label, estimate = tf(d$est),
                    conf.low = tf(d$lo), conf.high = tf(d$hi),
                    pi.low = tf(d$pi.low), pi.high = tf(d$pi.high),
                    weight = d$weight, group = d$group,
                    fitted = tf(d$fitted), row = d$row,
                    stringsAsFactors = FALSE)
  out <- out[out$type != "blank", , drop = FALSE]
  row.names(out) <- NULL
  invisible(out)
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
#' @param fit A fit from [pool()] (without moderators) or [trim_fill()].
#' @param contours Confidence levels of the significance contours (e.g.
#'   `c(0.9, 0.95, 0.99)` for p = 0.10, 0.05, 0.01); `NULL` for none.
#' @param xlab Axis label.
#' @param legend Draw a legend.
#' @param ... Further graphical parameters passed to
#'   [graphics::plot.window()].
#' @return Invisibly, a data frame with `study, yi, sei, filled` and the
#'   attribute `contours` (levels and their critical values).
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
#' fit <- pool(yi, vi, method = "FE")
#' funnel_plot(fit)
#' funnel_plot(trim_fill(fit))
#' @export
funnel_plot <- function(fit, contours = c(0.9, 0.95, 0.99), xlab = NULL,
                        legend = TRUE, ...) {
  if (!inherits(fit, "nev_pool"))
    nev_stop("`fit` must be a fit from pool() (got ", class(fit)[1], ")")
  if (inherits(fit, "nev_metareg"))
    nev_stop("funnel_plot() needs a model without moderators")
  if (!is.null(contours)) {
    if (!is.numeric(contours) || anyNA(contours) ||
        any(contours <= 0 | contours >= 1))
      nev_stop("`contours` must be confidence levels in (0, 1) (got ",
               paste(format(contours), collapse = ", "), ")")
    contours <- sort(unique(contours))
  }
  rows <- which(!is.na(fit$yi) & !is.na(fit$vi))
  yi <- fit$yi[rows]; sei <- sqrt(fit$vi[rows])
  filled <- if (!is.null(fit$fill)) fit$fill[rows] else rep(FALSE, length(rows))
  est <- unname(coef(fit)[1])
  smax <- max(sei) * 1.08
  z95 <- stats::qnorm(0.975)
  zc <- if (length(contours)) stats::qnorm((1 + contours) / 2) else numeric(0)
  xr <- range(c(yi, est - z95 * smax, est + z95 * smax,
                if (length(zc)) c(-1, 1) * max(zc) * smax * 0.6))
  xr <- xr + c(-0.03, 0.03) * diff(xr)
  old <- graphics::par(mar = c(4.2, 4.2, 1, 1))
  on.exit(graphics::par(old), add = TRUE)
  graphics::plot.new()
  graphics::plot.window(xlim = xr, ylim = c(smax, 0), xaxs = "i", yaxs = "i",
                        ...)
  shades <- if (length(zc)) grDevices::gray(seq(0.88, 0.6,
                                                length.out = length(zc)))
            else character(0)
  if (length(zc)) {
    # outermost band first: everything outside the widest contour
    graphics::rect(xr[1], smax, xr[2], 0, col = grDevices::gray(0.45),
                   border = NA)
    for (j in rev(seq_along(zc))) {
      graphics::polygon(c(-zc[j] * smax, 0, zc[j] * smax),
                        c(smax, 0, smax), col = if (j == 1) "white"
                        else shades[j - 1], border = NA)
    }
    graphics::polygon(c(-zc[1] * smax, 0, zc[1] * smax), c(smax, 0, smax),
                      col = "white", border = NA)
  }
  graphics::segments(est, smax, est, 0)
  graphics::lines(c(est - z95 * smax, est, est + z95 * smax), c(smax, 0, smax),
                  lty = "dashed")
  graphics::points(yi[!filled], sei[!filled], pch = 19, cex = 0.9)
  if (any(filled))
    graphics::points(yi[filled], sei[filled], pch = 21, bg = "white",
                     cex = 0.9)
  graphics::axis(1)
  graphics::axis(2, las = 1)
  graphics::box()
  graphics::title(xlab = xlab %||% paste0("Effect size", if
    (!is.null(fit$measure)) paste0(" (", fit$measure, ")")),
    ylab = "Standard error")
  if (legend && length(zc)) {
    lev <- c(1, 1 - contours)
    labs <- paste0(formatC(lev[-1], format = "fg"), " < p <= ",
                   formatC(lev[-length(lev)], format = "fg"))
    labs[1] <- paste0("p > ", formatC(1 - contours[1], format = "fg"))
    labs <- c(labs, paste0("p <= ", formatC(1 - contours[length(contours)],
                                            format = "fg")))
    cols <- c("white", shades[seq_len(length(zc) - 1L)], grDevices::gray(0.45))
    lab2 <- c(labs[seq_len(length(zc))], labs[length(labs)])
    # the corner with the fewest studies in it
    cx <- (yi - xr[1]) / diff(xr); cy <- sei / smax
    corners <- c(bottomright = sum(cx > 0.65 & cy > 0.7),
                 bottomleft = sum(cx < 0.35 & cy > 0.7),
                 topright = sum(cx > 0.65 & cy < 0.3),
                 topleft = sum(cx < 0.35 & cy < 0.3))
    graphics::legend(names(corners)[which.min(corners)],
                     legend = c(lab2, "filled study"[any(filled)]),
                     fill = c(cols, NA[any(filled)]),
                     border = c(rep("black", length(cols)), NA[any(filled)]),
                     pch = c(rep(NA, length(cols)), 21[any(filled)]),
                     bg = "white", cex = 0.75, inset = 0.01)
  }
  out <- data.frame(study = fit$slab[rows], yi = yi, sei = sei,
                    filled = filled, stringsAsFactors = FALSE)
  attr(out, "contours") <- data.frame(level = contours, crit = zc)
  attr(out, "estimate") <- est
  invisible(out)
}

#' @export
plot.nev_pool <- function(x, ...) forest_plot(x, ...)
