# Food-based Monte Carlo simulation of intake distributions.


# Validate one diet column: numeric, finite, within bounds; errors name the
# column and the offending rows and foods.
intake_check_col <- function(x, name, food, lower = 0, upper = Inf,
                             rows = seq_along(x)) {
  if (!is.numeric(x) && !(is.logical(x) && all(is.na(x))))
    nev_stop("`diet$", name, "` must be numeric (got ", class(x)[1], ")")
  x <- as.double(x)
  bad <- which(is.na(x) | !is.finite(x) | x < lower | x > upper)
  if (length(bad)) {
    rng <- if (is.finite(upper)) paste0("in [", lower, ", ", upper, "]")
           else paste0(">= ", lower)
    pct <- upper == 1 && all(is.finite(x[bad]) & x[bad] > 1 & x[bad] <= 100)
    nev_stop("`diet$", name, "` must be finite and ", rng, "; row",
             if (length(bad) > 1) "s", " ", nev_rows(rows[bad]), " (",
             food[bad[1]], ": ", name, " = ", format(x[bad[1]]),
             if (length(bad) > 1) ", ...", ")",
             if (pct) paste0("; give probabilities, not percentages (",
                             format(x[bad[1]] / 100), " for ",
                             format(x[bad[1]]), "%)"))
  }
  x
}

intake_check_dist <- function(x, name, allowed, food) {
  x <- as.character(x)
  bad <- which(is.na(x) | !x %in% allowed)
  if (length(bad))
    nev_stop("`diet$", name, "` must be one of ",
             paste0("\"", allowed, "\"", collapse = ", "), "; row ",
             bad[1], " (", food[bad[1]], ") has \"", x[bad[1]], "\"")
  x
}

# Turn a diet data frame into the numeric parameters of the C core.
intake_diet_params <- function(diet) {
  if (!is.data.frame(diet))
    nev_stop("`diet` must be a data frame with one row per food (got ",
             class(diet)[1], ")")
  if (nrow(diet) == 0L) nev_stop("`diet` has no rows")
  nm <- names(diet)
  need <- c("food", "portion_g")
  miss <- setdiff(need, nm)
  if (length(miss))
    nev_stop("`diet` must have column", if (length(miss) > 1) "s", " ",
             paste0("`", miss, "`", collapse = ", "), "; it has ",
             paste0("`", nm, "`", collapse = ", "))
  food <- as.character(diet$food)
  if (anyNA(food) || anyDuplicated(food))
    nev_stop("`diet$food` must be unique non-missing names; ",
             if (anyNA(food)) "some are NA"
             else paste0("\"", food[anyDuplicated(food)], "\" is repeated"))
  nf <- nrow(diet)
  has_pd <- "p_day" %in% nm
  has_pw <- "per_week" %in% nm
  if (has_pd && has_pw)
    nev_stop("`diet` must have either `p_day` or `per_week`, not both")
  if (!has_pd && !has_pw)
    nev_stop("`diet` must have a column `p_day` (probability of eating the ",
             "food on a given day) or `per_week` (days per week)")
  p_day <- if (has_pd) intake_check_col(diet$p_day, "p_day", food, 0, 1)
           else intake_check_col(diet$per_week, "per_week", food, 0, 7) / 7
  p_cons <- if ("p_consumer" %in% nm)
    intake_check_col(diet$p_consumer, "p_consumer", food, 0, 1) else rep(1, nf)
  bad <- which(p_day > p_cons + 1e-12)
  if (length(bad))
    nev_stop("the daily probability cannot exceed `diet$p_consumer`; row ",
             bad[1], " (", food[bad[1]], ") has p_day = ",
             format(p_day[bad[1]]), ", p_consumer = ", format(p_cons[bad[1]]))
  p_eat <- ifelse(p_cons > 0, pmin(p_day / p_cons, 1), 0)

  portion_g <- intake_check_col(diet$portion_g, "portion_g", food)
  portion_sd <- if ("portion_sd" %in% nm)
    intake_check_col(diet$portion_sd, "portion_sd", food) else rep(0, nf)
  pdist <- if ("portion_dist" %in% nm)
    intake_check_dist(diet$portion_dist, "portion_dist",
                      c("fixed", "lognormal", "gamma"), food)
  else rep("fixed", nf)
  bad <- which(pdist != "fixed" & portion_sd > 0 & portion_g <= 0)
  if (length(bad))
    nev_stop("`diet$portion_g` must be positive for a ", pdist[bad[1]],
             " portion; row ", bad[1], " (", food[bad[1]], ") has 0")

  cdist <- if ("content_dist" %in% nm)
    intake_check_dist(diet$content_dist, "content_dist",
                      c("fixed", "lognormal", "uniform"), food)
  else rep("fixed", nf)
  unif <- cdist == "uniform"
  cmin <- cmax <- rep(0, nf)
  if (any(unif)) {
    miss <- setdiff(c("content_min", "content_max"), nm)
    if (length(miss))
      nev_stop("`diet` needs column", if (length(miss) > 1) "s", " ",
               paste0("`", miss, "`", collapse = " and "),
               " for a uniform content (row ", which(unif)[1], ", ",
               food[which(unif)[1]], ")")
    cmin[unif] <- intake_check_col(diet$content_min[unif], "content_min",
                                   food[unif], rows = which(unif))
    cmax[unif] <- intake_check_col(diet$content_max[unif], "content_max",
                                   food[unif], rows = which(unif))
    bad <- which(cmin > cmax)
    if (length(bad))
      nev_stop("`diet$content_min` must not exceed `diet$content_max`; row ",
               bad[1], " (", food[bad[1]], ") has ", cmin[bad[1]], " > ",
               cmax[bad[1]])
  }
  if (!"content_ug_per_g" %in% nm && !all(unif))
    nev_stop("`diet` must have a column `content_ug_per_g` (content in ",
             "micrograms per gram)")
  cmean <- rep(0, nf)
  if (any(!unif))
    cmean[!unif] <- intake_check_col(diet$content_ug_per_g[!unif],
                                     "content_ug_per_g", food[!unif],
                                     rows = which(!unif))
  cmean[unif] <- (cmin[unif] + cmax[unif]) / 2
  csd <- rep(0, nf)
  if ("content_sd" %in% nm)
    csd[!unif] <- intake_check_col(diet$content_sd[!unif], "content_sd",
                                   food[!unif], rows = which(!unif))
  bad <- which(cdist == "lognormal" & csd > 0 & cmean <= 0)
  if (length(bad))
    nev_stop("`diet$content_ug_per_g` must be positive for a lognormal ",
             "content; row ", bad[1], " (", food[bad[1]], ") has 0")
  bad <- which(pdist == "fixed" & portion_sd > 0)
  if (length(bad))
    nev_warn("`diet$portion_sd` is ignored for foods with a fixed portion (",
             paste(food[bad], collapse = ", "), "); set `portion_dist`")
  bad <- which(cdist == "fixed" & csd > 0)
  if (length(bad))
    nev_warn("`diet$content_sd` is ignored for foods with a fixed content (",
             paste(food[bad], collapse = ", "), "); set `content_dist`")
  list(food = food, p_day = p_day, p_consumer = p_cons, p_eat = p_eat,
       portion_dist = pdist, portion_g = portion_g, portion_sd = portion_sd,
       content_dist = cdist, content_mean = cmean, content_sd = csd,
       content_min = cmin, content_max = cmax)
}

#' Simulate an intake distribution from a food-based diet model
#'
#' Food-based Monte Carlo: for each simulated person and day, each food is
#' eaten or not, and when it is eaten a portion size and a content are drawn;
#' the day's intake is the sum over foods of portion x content. The
#' simulation runs in C with GSL random number generators seeded from R's
#' generator, so `set.seed()` reproduces it.
#'
#' @section Model:
#' Food \eqn{j} is eaten on a given day with probability `p_day` (or
#' `per_week / 7`). Portions (grams) follow a lognormal or gamma
#' distribution with the given arithmetic mean `portion_g` and SD
#' `portion_sd`, or are fixed; contents (micrograms per gram) are fixed,
#' lognormal (mean `content_ug_per_g`, SD `content_sd`) or uniform on
#' \[`content_min`, `content_max`\]. Each eating occasion draws its own portion
#' and content, independently.
#'
#' Never-consumers and occasional consumers: an optional column
#' `p_consumer` (default 1) is the share of people who ever eat the food.
#' Each simulated person is a consumer of food \eqn{j} with probability
#' `p_consumer`, drawn once per person; a consumer eats it on each day,
#' independently of other days, with probability `p_day / p_consumer`. The
#' population probability of eating the food on a given day is therefore
#' `p_day` whatever `p_consumer` is, so with `days = 1` the distribution
#' does not depend on `p_consumer`; with `days > 1` the result is each
#' person's mean daily intake over `days` days, and `p_consumer < 1` puts
#' the never-consumers' zeros in the lower tail instead of spreading the
#' food thinly over everyone. Foods are independent of each other.
#'
#' @param diet A data frame, one row per food, with columns `food` (name),
#'   `p_day` (probability of eating the food on a given day; or `per_week`,
#'   days per week, instead), `portion_g` (arithmetic mean portion in
#'   grams), `content_ug_per_g` (micrograms per gram), and optionally
#'   `portion_sd`, `portion_dist` (`"lognormal"`, `"gamma"` or `"fixed"`),
#'   `content_sd`, `content_dist` (`"fixed"`, `"lognormal"` or `"uniform"`
#'   with `content_min` and `content_max`) and `p_consumer`. Missing
#'   optional columns default to fixed portions and contents and
#'   `p_consumer = 1`.
#' @param n Number of simulated persons.
#' @param days Number of days simulated per person; the result is each
#'   person's mean daily intake over those days.
#' @param seed Optional integer: if given, the simulation uses
#'   `set.seed(seed)` and the global random number stream is restored
#'   afterwards; if `NULL` the current stream is used (and advanced).
#' @param threads The largest number of OpenMP threads to use (1 = no
#'   threading), a whole number between 1 and 1024. Results do not depend
#'   on the number of threads. Small simulations run serially, and no more
#'   threads than processors are used; a forked child
#'   (`parallel::mclapply()`) always runs on one thread. See
#'   [nutrievidence-threads].
#' @return An object of class `nev_intake`: a list with `intake` (each
#'   person's mean daily intake, micrograms per day), `contribution` (data
#'   frame: `food`, `p_day`, `p_consumer`, `mean_ug` = mean intake from the
#'   food per person and day, `share` of the total), `diet` (the
#'   parameters used), `n`, `days`. Methods: `print`, `summary`, `mean`,
#'   `quantile`, [intake_share()], [intake_contribution()], `plot`,
#'   `as.data.frame`.
#' @family intake
#' @examples
#' # Worked K2 example: a diet of cheese, eggs, butter, chicken and
#' # occasional natto, contents taken from k2_foods (ug per g). Natto's
#' # content is uniform over the range its sources give.
#' natto <- k2_content("natto", "MK-7")
#' k2_diet <- data.frame(
#'   food = c("hard cheese", "egg yolk", "butter", "chicken", "natto"),
#'   p_day = c(0.6, 0.4, 0.7, 0.3, 1 / 30),
#'   portion_g = c(30, 17, 10, 120, 40),
#'   portion_sd = c(15, 4, 6, 50, 10),
#'   portion_dist = c("lognormal", "gamma", "lognormal", "lognormal",
#'                    "lognormal"),
#'   content_ug_per_g = c(
#'     k2_content("hard cheese", "total MK")$ug_per_g_min,
#'     k2_content("egg yolk (NL)", "MK-4")$ug_per_g_min,
#'     k2_content("butter", "MK-4")$ug_per_g_min,
#'     k2_content("chicken breast/leg", "MK-4")$ug_per_g_min,
#'     NA),
#'   content_dist = c("fixed", "fixed", "fixed", "fixed", "uniform"),
#'   content_min = c(NA, NA, NA, NA, min(natto$ug_per_g_min)),
#'   content_max = c(NA, NA, NA, NA, max(natto$ug_per_g_max))
#' )
#' k2_diet[, c("food", "p_day", "portion_g", "content_ug_per_g")]
#' sim <- intake_simulate(k2_diet, n = 2e4, seed = 1)
#' sim
#' summary(sim)
#' intake_share(sim, below = 30, above = c(45, 70))
#' intake_contribution(sim)
#'
#' # How the share below 30 ug/d depends on how often natto is eaten
#' per_month <- c(0, 1, 2, 4, 8, 15, 30)
#' share30 <- sapply(per_month, function(k) {
#'   d <- k2_diet
#'   d$p_day[d$food == "natto"] <- k / 30
#'   intake_share(intake_simulate(d, n = 2e4, seed = 1), below = 30)$share
#' })
#' data.frame(natto_days_per_month = per_month, share_below_30 = share30)
#'
#' # A week per person: 10% natto eaters (on 1 day in 3) versus the same
#' # natto spread thinly over everyone
#' wk <- k2_diet
#' wk$p_consumer <- c(1, 1, 1, 1, 0.1)
#' intake_share(intake_simulate(wk, n = 2e4, days = 7, seed = 1),
#'              below = 30)
#' intake_share(intake_simulate(k2_diet, n = 2e4, days = 7, seed = 1),
#'              below = 30)
#' @export
intake_simulate <- function(diet, n = 1e5, days = 1, seed = NULL,
                            threads = 1) {
  par <- intake_diet_params(diet)
  if (!is.numeric(n) || length(n) != 1L || is.na(n) || n < 1 ||
      n != round(n) || !is.finite(n))
    nev_stop("`n` must be a whole number >= 1 (got ",
             paste(format(n), collapse = ", "), ")")
  if (!is.numeric(days) || length(days) != 1L || is.na(days) || days < 1 ||
      days != round(days) || days > .Machine$integer.max)
    nev_stop("`days` must be a whole number >= 1 (got ",
             paste(format(days), collapse = ", "), ")")
  if (!is.numeric(threads) || length(threads) != 1L || is.na(threads) ||
      threads < 1 || threads != round(threads) || threads > 1024)
    nev_stop("`threads` must be a whole number between 1 and 1024 (got ",
             paste(format(threads), collapse = ", "), ")")
  if (!is.null(seed)) {
    if (!is.numeric(seed) || length(seed) != 1L || is.na(seed) ||
        abs(seed) > .Machine$integer.max)
      nev_stop("`seed` must be NULL or a single number within the integer ",
               "range (|seed| < 2^31; got ",
               paste(format(seed), collapse = ", "), ")")
    intake_with_seed(seed)
  }
  res <- .Call(C_intake_simulate, par$p_consumer, par$p_eat,
               nev_enum("intake_dist", par$portion_dist), par$portion_g,
               par$portion_sd, nev_enum("intake_dist", par$content_dist),
               par$content_mean, par$content_sd, par$content_min,
               par$content_max, as.double(n), as.integer(days),
               as.integer(threads))
  tot <- sum(res$contribution)
  contrib <- data.frame(food = par$food, p_day = par$p_day,
                        p_consumer = par$p_consumer,
                        mean_ug = res$contribution,
                        share = if (tot > 0) res$contribution / tot
                                else rep(NA_real_, length(par$food)),
                        stringsAsFactors = FALSE)
  structure(list(intake = res$intake, contribution = contrib,
                 diet = as.data.frame(par, stringsAsFactors = FALSE),
                 n = as.integer(n), days = as.integer(days)),
            class = "nev_intake")
}

# set.seed(seed) now and restore the caller's random stream when the calling
# function exits.
intake_with_seed <- function(seed, envir = parent.frame()) {
  genv <- globalenv()
  old <- if (exists(".Random.seed", envir = genv, inherits = FALSE))
    get(".Random.seed", envir = genv, inherits = FALSE) else NULL
  do.call("on.exit", list(substitute(
    if (is.null(OLD)) {
      if (exists(".Random.seed", envir = globalenv(), inherits = FALSE))
        rm(".Random.seed", envir = globalenv())
    } else assign(".Random.seed", OLD, envir = globalenv()),
    list(OLD = old)), add = TRUE), envir = envir)
  set.seed(seed)
  invisible(NULL)
}
