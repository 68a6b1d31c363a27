# Shared by the plot tests: the 13 BCG vaccine trials (log risk ratios;
# Colditz et al. 1994, as in metadat's dat.bcg), their absolute latitude and
# allocation, and a helper drawing to a throwaway device.
plot_bcg_yi <- c(-0.8893, -1.5854, -1.3481, -1.4416, -0.2175, -0.7861, -1.6209,
            0.0120, -0.4694, -1.3713, -0.3394, 0.4459, -0.0173)
plot_bcg_vi <- c(0.3256, 0.1946, 0.4154, 0.0200, 0.0512, 0.0069, 0.2230, 0.0040,
            0.0564, 0.0730, 0.0124, 0.5325, 0.0714)
plot_bcg_ablat <- c(44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33)
plot_bcg_year <- c(1948, 1949, 1960, 1977, 1973, 1953, 1973, 1980, 1968, 1961,
              1974, 1969, 1976)
plot_bcg_alloc <- c("random", "random", "random", "random", "alternate",
               "alternate", "random", "random", "random", "systematic",
               "systematic", "systematic", "systematic")

# Evaluates `expr` with a pdf (or, with `width` in pixels, a png) device
# open, closing it afterwards.
plot_on_device <- function(expr, width = NULL, height = 500) {
  f <- tempfile(fileext = if (is.null(width)) ".pdf" else ".png")
  if (is.null(width)) grDevices::pdf(f, width = 9, height = 7)
  else grDevices::png(f, width = width, height = height, res = 110)
  on.exit({ grDevices::dev.off(); unlink(f) })
  force(expr)
}
