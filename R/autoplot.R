# ggplot2 versions of the package's plots. ggplot2 is suggested, not
# imported: the methods are registered for ggplot2's autoplot() generic when
# ggplot2 is loaded, and each returns a ggplot object built from the same
# data as the base-graphics plot.

#' ggplot2 plots of fits and intake distributions
#'
#' `autoplot()` methods (for [ggplot2::autoplot()]) that return ggplot
#' objects, beside the base-graphics plots: the forest plot
#' ([forest_plot()]) of a meta-analysis, subgroup analysis or trim-and-fill
#' result, or its funnel plot ([funnel_plot()]); the bubble plot
#' ([bubble_plot()]) or forest plot of a meta-regression; the fitted curve of
#' a dose-response ([plot.nev_dose()]), nonlinear ([plot.nev_curve()]) or
#' pharmacokinetic fit; and the cumulative distribution of a simulated
#' ([intake_simulate()]) or usual ([intake_usual()]) intake. The plot's
#' `data` is the data drawn, so it can be inspected or restyled with the
#' usual ggplot2 functions. They need the ggplot2 package.
#'
#' In the forest and funnel plots the x axis stays on the model scale (log
#' ratios for ratio measures) and `transf` / `atransf` label it on the
#' transformed scale, as [forest_plot()] does; the annotations on the right
#' of the forest plot are transformed.
#'
#' @param object A fit or intake distribution.
#' @param type For meta-analyses: `"forest"` (default; `"bubble"` for a
#'   meta-regression) or `"funnel"`; for a meta-regression `"bubble"` or
#'   `"forest"`.
#' @param transf Optional function for the axis labels and annotations
#'   (forest), or the effect sizes (bubble); e.g. `exp`.
#' @param atransf Funnel plot only: optional function for the axis labels.
#' @param order Forest plot only: see [forest_plot()].
#' @param refline Forest plot only: position of the reference line on the
#'   model scale (`NULL` for none).
#' @param contours Funnel plot only: see [funnel_plot()].
#' @param mod,pi Bubble plot only: see [bubble_plot()].
#' @param ref,points,log Dose-response fits: the reference dose, whether to
#'   show the study points, and `"y"` for a log relative-risk axis (see
#'   [plot.nev_dose()]).
#' @param cutoffs Intake distributions: values to mark (e.g. an EAR and a
#'   UL), `NULL` for none.
#' @param xlab,ylab Axis labels (defaults as in the base plots).
#' @param ... Unused.
#' @return A ggplot object.
#' @family plots
#' @name autoplot.nev
#' @examples
#' if (requireNamespace("ggplot2", quietly = TRUE)) {
#'   yi <- c(-0.89, -1.59, -1.35, -1.44, -0.22, -0.79, -1.62, 0.01, -0.47)
#'   vi <- c(0.33, 0.19, 0.42, 0.02, 0.05, 0.007, 0.22, 0.004, 0.056)
#'   fit <- pool(yi, vi, slab = paste("Trial", 1:9), measure = "RR")
#'   ggplot2::autoplot(fit, transf = exp)
#'   ggplot2::autoplot(fit, type = "funnel", atransf = exp)
#' }
NULL

plot_need_ggplot <- function() {
  if (!requireNamespace("ggplot2", quietly = TRUE))
    nev_stop("autoplot() needs the ggplot2 package: ",
             "install.packages(\"ggplot2\")")
}

# aes() from column names, so that no unbound symbols appear in the code.
plot_aes <- function(...) do.call(ggplot2::aes, lapply(list(...), as.name))

plot_theme <- function() {
  ggplot2::theme_minimal() +
    ggplot2::theme(panel.grid.minor = ggplot2::element_blank())
}

#' @rdname autoplot.nev
#' @exportS3Method ggplot2::autoplot
autoplot.nev_pool <- function(object, type = c("forest", "funnel"),
                              transf = NULL, atransf = NULL, order = NULL,
                              refline = 0, contours = c(0.9, 0.95, 0.99),
                              xlab = NULL, ...) {
  plot_need_ggplot()
  type <- nev_match_arg(type)
  if (type == "funnel") return(funnel_gg(object, contours, transf, atransf,
                                         xlab))
  forest_gg(object, transf, order, refline, xlab)
}

#' @rdname autoplot.nev
#' @exportS3Method ggplot2::autoplot
autoplot.nev_metareg <- function(object, type = c("bubble", "forest"),
                                 transf = NULL, mod = NULL, pi = TRUE,
                                 xlab = NULL, ...) {
  plot_need_ggplot()
  type <- nev_match_arg(type)
  if (type == "forest") return(forest_gg(object, transf, NULL, 0, xlab))
  bubble_gg(object, mod, transf, pi, xlab)
}

# The forest plot: rows on the model scale, labels left (study) and right
# (transformed estimate and interval), squares sized by weight, diamonds.
forest_gg <- function(fit, transf, order, refline, xlab) {
  if (!inherits(fit, "nev_pool"))
    nev_stop("`object` must be a fit from pool() (got ", class(fit)[1], ")")
  tf <- plot_transf(transf)
  d <- forest_data(forest_rows(fit, order), identity)
  shown <- forest_data(forest_rows(fit, order), tf)
  d$text <- ifelse(is.na(d$estimate), "", paste0(
    plot_fmt(shown$estimate, 2), " [", plot_fmt(shown$conf.low, 2), ", ",
    plot_fmt(shown$conf.high, 2), "]"))
  st <- d[d$type %in% c("study", "filled"), , drop = FALSE]
  dia <- forest_diamonds(d[d$type %in% c("subgroup", "overall"), ,
                           drop = FALSE])
  rng <- range(c(d$conf.low, d$conf.high, d$pi.low, d$pi.high, refline),
               na.rm = TRUE, finite = TRUE)
  tk <- plot_tick_ref(plot_tick_set(rng, tf, !is.null(transf), 5L), refline,
                      tf, rng)
  ov <- d[d$type == "overall" & !is.na(d$pi.low), , drop = FALSE]
  p <- ggplot2::ggplot(d) +
    ggplot2::geom_segment(plot_aes(x = "conf.low", xend = "conf.high",
                                   y = "row", yend = "row",
                                   colour = "type"), data = st) +
    ggplot2::geom_point(plot_aes(x = "estimate", y = "row", size = "weight",
                                 colour = "type"), data = st, shape = 15) +
    ggplot2::geom_segment(plot_aes(x = "pi.low", xend = "pi.high", y = "row",
                                   yend = "row"), data = ov,
                          linetype = "dashed") +
    ggplot2::geom_polygon(plot_aes(x = "x", y = "y", group = "row",
                                   fill = "type"), data = dia) +
    ggplot2::scale_colour_manual(values = c(study = "black",
                                            filled = "grey55"),
                                 guide = "none") +
    ggplot2::scale_fill_manual(values = c(overall = "black",
                                          subgroup = "grey40"),
                               guide = "none") +
    ggplot2::scale_size_area(max_size = 4, guide = "none") +
    ggplot2::scale_x_continuous(breaks = tk$at, labels = tk$labels) +
    ggplot2::expand_limits(y = range(d$row)) +
    ggplot2::scale_y_continuous(
      breaks = d$row, labels = d$label, expand = ggplot2::expansion(add = 0.6),
      sec.axis = ggplot2::dup_axis(labels = d$text, name = NULL)) +
    ggplot2::labs(x = xlab %||% plot_xlab(fit$measure, NULL, transf),
                  y = NULL, caption = forest_caption(fit)) +
    plot_theme() +
    ggplot2::theme(panel.grid.major.y = ggplot2::element_blank())
  if (!is.null(refline))
    p <- p + ggplot2::geom_vline(xintercept = refline, linetype = "dotted",
                                 colour = "grey40")
  p
}

# Diamond outlines (x, y, row) of the pooled rows.
forest_diamonds <- function(d) {
  if (!nrow(d))
    return(data.frame(x = double(), y = double(), row = integer(),
                      type = character()))
  do.call(rbind, lapply(seq_len(nrow(d)), function(i) data.frame(
    x = c(d$conf.low[i], d$estimate[i], d$conf.high[i], d$estimate[i]),
    y = d$row[i] + c(0, 0.35, 0, -0.35), row = d$row[i], type = d$type[i],
    stringsAsFactors = FALSE)))
}

forest_caption <- function(fit) {
  if (!inherits(fit, "nev_subgroup")) return(NULL)
  paste0("Test for subgroup differences: Q = ", plot_fmt(fit$Q_between, 2),
         ", df = ", fit$Q_between_df, ", p = ",
         format.pval(fit$Q_between_p, digits = 2))
}

funnel_gg <- function(fit, contours, transf, atransf, xlab) {
  f <- funnel_data(fit, contours, transf, atransf)
  d <- f$studies
  n <- length(f$crit)
  shades <- c("white", funnel_shades(n)[seq_len(max(n - 1L, 0L))])
  ci <- data.frame(x = c(rev(f$ci$left), f$ci$right),
                   se = c(rev(f$ci$se), f$ci$se))
  p <- ggplot2::ggplot(d)
  if (n)
    p <- p + ggplot2::annotate("rect", xmin = f$xr[1], xmax = f$xr[2],
                               ymin = 0, ymax = f$smax,
                               fill = grDevices::gray(0.45))
  # one layer per region, the widest first, so the narrower ones show
  for (j in rev(seq_len(n))) {
    r <- f$regions[[j]]
    p <- p + ggplot2::annotate("polygon", x = c(rev(r$left), r$right),
                               y = c(rev(r$se), r$se), fill = shades[j])
  }
  p <- p + ggplot2::geom_vline(xintercept = f$x_estimate) +
    ggplot2::geom_path(plot_aes(x = "x", y = "se"), data = ci,
                       linetype = "dashed") +
    ggplot2::geom_point(plot_aes(x = "x", y = "sei", shape = "filled"),
                        fill = "white") +
    ggplot2::scale_shape_manual(values = c("FALSE" = 19, "TRUE" = 21),
                                guide = "none") +
    ggplot2::scale_y_reverse() +
    # coord limits clip; scale limits would drop the regions' outer corners
    ggplot2::coord_cartesian(xlim = f$xr, ylim = c(f$smax, 0),
                             expand = FALSE) +
    ggplot2::labs(x = xlab %||% plot_xlab(fit$measure, transf, atransf),
                  y = "Standard error") +
    plot_theme()
  if (is.null(atransf)) return(p)
  tk <- plot_tick_ref(plot_tick_set(f$xr, plot_transf(atransf), TRUE, 5L),
                      0, plot_transf(atransf), f$xr)
  p + ggplot2::scale_x_continuous(breaks = tk$at, labels = tk$labels)
}

bubble_gg <- function(fit, mod, transf, pi, xlab) {
  b <- bubble_data(fit, mod, transf, 101L)
  p <- ggplot2::ggplot(b$studies, plot_aes(x = "x", y = "yi")) +
    ggplot2::geom_ribbon(plot_aes(x = "x", ymin = "conf.low",
                                  ymax = "conf.high"), data = b$line,
                         inherit.aes = FALSE, fill = "grey60", alpha = 0.4)
  if (pi)
    p <- p + ggplot2::geom_line(plot_aes(x = "x", y = "pi.low"),
                                data = b$line, linetype = "dashed") +
      ggplot2::geom_line(plot_aes(x = "x", y = "pi.high"), data = b$line,
                         linetype = "dashed")
  p + ggplot2::geom_line(plot_aes(x = "x", y = "estimate"), data = b$line,
                         linewidth = 1) +
    ggplot2::geom_point(plot_aes(size = "weight"), shape = 21,
                        fill = "grey20", alpha = 0.5) +
    ggplot2::scale_size_area(max_size = 10, guide = "none") +
    ggplot2::labs(x = xlab %||% b$mod,
                  y = plot_xlab(fit$measure, transf, NULL)) +
    plot_theme()
}

#' @rdname autoplot.nev
#' @exportS3Method ggplot2::autoplot
autoplot.nev_dose <- function(object, ref = 0, points = TRUE, log = "y",
                              xlab = "Dose", ylab = "Relative risk", ...) {
  plot_need_ggplot()
  pr <- stats::predict(object, ref = ref)
  d <- object$data
  d$rr <- exp(d$logrr)
  d$precision <- ifelse(d$referent, NA_real_, 1 / d$se)
  p <- ggplot2::ggplot(pr, plot_aes(x = "dose", y = "estimate")) +
    ggplot2::geom_ribbon(plot_aes(ymin = "conf.low", ymax = "conf.high"),
                         fill = "grey60", alpha = 0.4) +
    ggplot2::geom_line(linewidth = 1) +
    ggplot2::geom_hline(yintercept = 1, linetype = "dotted") +
    ggplot2::labs(x = xlab, y = ylab) + plot_theme()
  if (points)
    p <- p + ggplot2::geom_point(plot_aes(x = "dose", y = "rr",
                                          size = "precision"),
                                 data = d[!d$referent, , drop = FALSE],
                                 shape = 1) +
      ggplot2::scale_size_area(max_size = 5, guide = "none")
  if (identical(log, "y")) p <- p + ggplot2::scale_y_log10()
  p
}

#' @rdname autoplot.nev
#' @exportS3Method ggplot2::autoplot
autoplot.nev_curve <- function(object, xlab = "Dose", ylab = "Response",
                               ...) {
  plot_need_ggplot()
  pr <- stats::predict(object)
  d <- object$data
  p <- ggplot2::ggplot(pr, plot_aes(x = "dose", y = "estimate")) +
    ggplot2::geom_ribbon(plot_aes(ymin = "conf.low", ymax = "conf.high"),
                         fill = "grey60", alpha = 0.4) +
    ggplot2::geom_line(linewidth = 1) +
    ggplot2::geom_point(plot_aes(x = "dose", y = "response"), data = d) +
    ggplot2::labs(x = xlab, y = ylab) + plot_theme()
  if (identical(object$weighting, "se")) {
    d$lo <- d$response - stats::qnorm(0.975) * d$se
    d$hi <- d$response + stats::qnorm(0.975) * d$se
    p <- p + ggplot2::geom_linerange(plot_aes(x = "dose", ymin = "lo",
                                              ymax = "hi"), data = d,
                                     inherit.aes = FALSE, colour = "grey50")
  }
  p
}

#' @rdname autoplot.nev
#' @exportS3Method ggplot2::autoplot
autoplot.nev_pk <- function(object, xlab = "Time", ylab = "Concentration",
                            ...) {
  plot_need_ggplot()
  ggplot2::ggplot(object$profile, plot_aes(x = "time", y = "concentration")) +
    ggplot2::geom_line() +
    ggplot2::geom_hline(yintercept = object$css_average,
                        linetype = "dotted") +
    ggplot2::labs(x = xlab, y = ylab) + plot_theme()
}

# Intake: the cumulative distribution, with the cut-offs marked.
intake_gg <- function(d, cutoffs, xlab, colour = NULL) {
  cutoffs <- intake_check_cutoffs(cutoffs, "cutoffs")
  map <- if (is.null(colour)) plot_aes(x = "intake", y = "share")
         else plot_aes(x = "intake", y = "share", colour = colour)
  p <- ggplot2::ggplot(d, map) +
    ggplot2::geom_step() +
    ggplot2::labs(x = xlab, y = "Cumulative share", colour = NULL) +
    plot_theme()
  if (length(cutoffs))
    p <- p + ggplot2::geom_vline(xintercept = cutoffs, linetype = "dashed",
                                 colour = "grey40")
  p
}

#' @rdname autoplot.nev
#' @exportS3Method ggplot2::autoplot
autoplot.nev_intake <- function(object, cutoffs = NULL,
                                xlab = "Intake per day", ...) {
  plot_need_ggplot()
  p <- seq(0, 1, length.out = 501)
  d <- data.frame(intake = stats::quantile(object$intake, p, names = FALSE),
                  share = p)
  intake_gg(d, cutoffs, xlab)
}

#' @rdname autoplot.nev
#' @exportS3Method ggplot2::autoplot
autoplot.nev_usual <- function(object, cutoffs = NULL,
                               xlab = "Intake per day", ...) {
  plot_need_ggplot()
  r <- object$recalls
  o <- order(r$amount)
  p <- seq(0.0025, 0.9975, length.out = 399)
  d <- rbind(
    data.frame(intake = r$amount[o],
               share = cumsum(r$weight[o]) / sum(r$weight),
               distribution = "single-day (recalls)"),
    data.frame(intake = unname(stats::quantile(object, p)), share = p,
               distribution = "usual intake"))
  intake_gg(d, cutoffs, xlab, colour = "distribution") +
    ggplot2::scale_colour_manual(values = c("single-day (recalls)" = "grey50",
                                            "usual intake" = "black")) +
    ggplot2::theme(legend.position = "bottom")
}
