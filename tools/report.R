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
claims <- ev[ev$kind == "claim", ]
v <- claims$verdict
headline <- data.frame(
  what = c("claims checked", "consistent", "inconsistent", "cannot tell",
           "not traceable (not found or misattributed)", "contradicted"),
  n = c(length(v), sum(v == "consistent"), sum(v == "inconsistent"),
        sum(v == "cannot tell"), sum(v %in% c("not found", "misattributed")),
        sum(v == "contradicted")))
cat("Report:", normalizePath(html), "\n\n")
print(headline, row.names = FALSE, right = FALSE)
cat(sprintf(paste0("\n(%d context rows with the real studies' numbers are ",
                   "in the report too.)\n"), sum(ev$kind == "context")))
