# make demo: check the seed articles' headline ratios with claim_check().
suppressPackageStartupMessages(library(nutrievidence))
cat("nutrievidence", format(utils::packageVersion("nutrievidence")), "\n")
