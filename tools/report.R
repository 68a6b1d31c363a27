# make demo: render the vitamin K2 evidence report to report/k2-evidence.html
# and print the headline table.
suppressPackageStartupMessages(library(nutrievidence))
out_dir <- normalizePath("report", mustWork = FALSE)
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

work <- tempfile("k2-report-")
dir.create(work)
rmd <- file.path(work, "k2-evidence.Rmd")
rmarkdown::draft(rmd, template = "k2-evidence", package = "nutrievidence",
                 edit = FALSE)
html <- rmarkdown::render(rmd, output_dir = out_dir, quiet = TRUE,
                          intermediates_dir = work,
                          knit_root_dir = work, envir = new.env())
unlink(work, recursive = TRUE)

ev <- k2_evidence()
sm <- summary(ev)
cat(sprintf("Report: %s\n\n", normalizePath(html)))
tab <- sm$table
cat(sprintf("%-14s %6s\n", "verdict", "claims"),
    sprintf("%-14s %6d\n", tab$verdict, tab$claims),
    sprintf("%-14s %6d\n", "all", sum(tab$claims)), sep = "")
if (nrow(sm$undecided)) {
  cat("\nUndecided, with the reason:\n")
  cat(sprintf("  %s: %s\n", sm$undecided$id, sm$undecided$reason), sep = "")
}
compromised <- ev$status %in% c("retracted", "expression of concern",
                                "questioned")
cat(sprintf(paste0("\n%d claims rest on retracted or questioned research; ",
                   "supported among them: %d.\n"), sum(compromised),
            sum(ev$verdict[compromised] %in% "supported")))

# The statistics claim_scan() finds in the seed articles (each shipped with
# its sentence in k2_scan), with their arithmetic consistency.
scan <- summary(claim_scan(stats::setNames(k2_scan$sentence, k2_scan$seed_file)))
cat(sprintf(paste0("\nclaim_scan() of the seed articles: %d statistics found; ",
                   "arithmetic consistent %d, inconsistent %d, not checkable %d ",
                   "(malformed, skipped: %d).\n"),
            sum(scan$found), sum(scan$consistent), sum(scan$inconsistent),
            sum(scan$cannot_tell), sum(scan$malformed)))
